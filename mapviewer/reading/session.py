"""A reading session: one Atlas as the reader sees it, with one rule for what shows.

The filter decides per sentence (``PledgeFilter.accepts``: a pledge by its
themes and parties, talk by the pledge it falls under, any sentence by its
document); a place shows when one of its sentences passes.  The map is told which places show (``visible_indexes``),
the status bar counts them (``counts``), the tour walks them (``tour_step``)
and the panel lists the sentences that pass: one rule, here, for all four.
The selection lives here too; the page only draws it.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.pledges import PledgeFilter
from . import panel
from .search import Hit, TextSearch

if TYPE_CHECKING:
    from ..core.model import Atlas, Place

Key = tuple[int, int]  # (document, sentence)


@dataclass(frozen=True)
class Counts:
    """What the status bar says: places on the map and pledges that pass."""

    places: int
    pledges: int

    def __str__(self) -> str:
        return f"{self.places} place{'' if self.places == 1 else 's'} · {self.pledges} pledge{'' if self.pledges == 1 else 's'}"


@dataclass(frozen=True)
class PlaceCounts:
    """One place's sentences and pledges: those that pass the filter, and those it hides."""

    sentences: int
    pledges: int
    hidden: int

    def summary(self) -> str:
        text = f"{self.sentences} sentence{'' if self.sentences == 1 else 's'}"
        return text + f" · {self.pledges} pledge{'' if self.pledges == 1 else 's'}"


class ReadingSession:
    """The Atlas, the filter, the selected place, the tour and what the panel shows."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self.filter = PledgeFilter()
        self.selected: str | None = None
        self.tour_index = -1
        self.document_page = 0  # the page of a long text the panel shows
        self.place_page = 0  # the page of a place's sentences, when it has many
        self.showing_document = True
        self.search = TextSearch()
        self._passing_for: tuple | None = None  # (atlas, filter, result) of ``_passing``
        self._shown_for: tuple | None = None  # (atlas, filter, keys) of ``shown_sentences``

    # --- the Atlas -------------------------------------------------------------------

    def set_atlas(self, atlas: Atlas, keep_selection: bool = False) -> None:
        """Read another Atlas; the selection stays only when asked and its place is still there."""
        selected = self.selected if keep_selection else None
        self.atlas = atlas
        self.filter = PledgeFilter()
        self.tour_index = -1
        self.selected = selected if selected is not None and atlas.place(selected) is not None else None
        self.showing_document = self.selected is None
        self.document_page = 0
        self.place_page = 0
        self.search = TextSearch()  # its hits were the old documents'

    # --- the one rule ------------------------------------------------------------------

    def set_filter(self, flt: PledgeFilter) -> None:
        self.filter = flt

    def accepts(self, key: Key) -> bool:
        """Whether a sentence passes the filter."""
        return self.filter.accepts(key[0], self.atlas.governing(*key))

    def _passing(self) -> tuple[frozenset[Key], frozenset[int]]:
        """(the pledges the filter lets through, the documents whose other sentences pass too),
        worked out once per Atlas and filter, not once per place."""
        cached = self._passing_for
        if cached is not None and cached[0] is self.atlas and cached[1] == self.filter:
            return cached[2]
        atlas, flt = self.atlas, self.filter
        pledges = frozenset(k for k, v in atlas.pledges.items() if flt.accepts(k[0], v))
        plain = frozenset(d for d in range(len(atlas.documents)) if flt.accepts(d, None))
        self._passing_for = (atlas, flt, (pledges, plain))
        return pledges, plain

    def visible(self, place: Place) -> bool:
        """A place shows when one of its sentences passes the filter."""
        if not self.filter.active:
            return True
        (passing, plain), atlas = self._passing(), self.atlas
        for r in place.refs:
            key = (r.doc, r.mention.sentence)
            if key in passing:
                return True
            if key in atlas.pledges:
                continue
            under = atlas.under(*key)
            if under is not None:
                if (r.doc, under.sentence) in passing:
                    return True
            elif r.doc in plain:
                return True
        return False

    def visible_indexes(self) -> list[int] | None:
        """Indexes into ``atlas.places`` of the places on the map; None when every place is."""
        if not self.filter.active:
            return None
        return [i for i, place in enumerate(self.atlas.places) if self.visible(place)]

    def visible_ids(self) -> list[str]:
        """The places on the map, in the order the text first names them."""
        return [p.id for p in self.atlas.places if self.visible(p)]

    def counts(self) -> Counts:
        indexes = self.visible_indexes()
        shown = len(self.atlas.places) if indexes is None else len(indexes)
        return Counts(shown, len(self._passing()[0]))

    def place_counts(self, place: Place) -> PlaceCounts:
        """What the panel and the popup say of one place, by the same rule."""
        keys = place.sentence_keys()
        shown = [k for k in keys if self.accepts(k)] if self.filter.active else keys
        return PlaceCounts(len(shown), sum(1 for k in shown if k in self.atlas.pledges), len(keys) - len(shown))

    # --- selection, tour, the panel's view ----------------------------------------------

    def select(self, place_id: str | None) -> Place | None:
        """Make a place the selected one, and the panel's; None clears the selection.

        An id the Atlas does not know changes nothing (and returns None).
        """
        if place_id is None:
            self.selected = None
            return None
        place = self.atlas.place(place_id)
        if place is not None:
            if place.id != self.selected:
                self.place_page = 0
            self.selected = place.id
            self.showing_document = False
        return place

    def show_place_page(self, place_id: str, page: int) -> Place | None:
        """Another page of the sentences about a place (a long text names some places thousands of times)."""
        place = self.select(place_id)
        if place is not None:
            self.place_page = max(0, page)
        return place

    def show_document(self, page: int = 0) -> None:
        """The panel shows the whole text (a page of it); the selection stays on the map."""
        self.showing_document = True
        self.document_page = max(0, page)

    def shown_sentences(self) -> list[Key]:
        """The (document, sentence) pairs the text shows under the filter, in reading order (kept per filter)."""
        cached = self._shown_for
        if cached is None or cached[0] is not self.atlas or cached[1] != self.filter:
            cached = self._shown_for = (self.atlas, self.filter, panel.shown_sentences(self.atlas, self.filter))
        return cached[2]

    def show_hit(self, hit: Hit) -> None:
        """The panel shows the whole text at the page holding a search hit; the map keeps its selection."""
        keys = self.shown_sentences()
        i = bisect_left(keys, (hit.doc, hit.sentence))
        self.show_document(i // panel.PAGE_SENTENCES)

    def tour_step(self, step: int) -> str | None:
        """The next (or previous) place the filter shows, in reading order, selected; None if none."""
        ids = self.visible_ids()
        if not ids:
            return None
        if self.selected in ids and (self.tour_index < 0 or ids[self.tour_index % len(ids)] != self.selected):
            self.tour_index = ids.index(self.selected)  # the tour goes on from the place the reader chose
        self.tour_index = (self.tour_index + step) % len(ids) if self.tour_index >= 0 or step > 0 else len(ids) - 1
        place_id = ids[self.tour_index]
        self.select(place_id)
        return place_id

    def tour_position(self) -> tuple[int, int]:
        """(1-based position of the tour's place, places in the tour)."""
        return self.tour_index + 1, len(self.visible_ids())
