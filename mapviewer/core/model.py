"""What an Atlas is: places, their mentions and pledges, and what was left unmapped.

Plain data with no geometry library behind it (a Place's geometry is a
shapely object made by the builder in ``atlas``), so the window can hold
an Atlas of documents whose places are still being found without loading
shapely on the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .gcpause import paused_gc

if TYPE_CHECKING:  # names for annotations only: the window imports this module at start, the readers later
    from shapely.geometry.base import BaseGeometry

    from .corrections import Correction
    from .document import Document, Sentence
    from .gazetteer import Entry
    from .pledges import Pledge, Reading
    from .shapes import Part


@dataclass(frozen=True)
class Mention:
    """A span of the text that names a place (or one end of a corridor).

    ``candidates`` lists every place the words may mean, the chosen one
    (``place_id``) first; ``reason`` says why it was chosen when there was a choice.
    """

    place_id: str
    start: int
    end: int
    surface: str
    sentence: int
    via: str = "name"  # name, alias, demonym or corridor
    candidates: tuple[str, ...] = ()
    reason: str = ""
    article: bool = False  # "the" just before: "the Paraná" is the river, "the Red Sea" the sea

    @property
    def key(self) -> str:
        """The words as matched, normalised: one decision per name and document."""
        from .gazetteer import name_key  # not at import: a kept Atlas is read without the gazetteer

        return " ".join(name_key(self.surface))


@dataclass(frozen=True)
class Ref:
    """A mention located in a document of the Atlas."""

    doc: int
    mention: Mention


@dataclass(frozen=True)
class Alternative:
    """Another place the same words may mean, offered to the user to pick instead."""

    id: str
    name: str
    kind: str
    country: str | None
    lon: float | None
    lat: float | None
    population: int
    source: str

    @classmethod
    def of(cls, entry: Entry) -> Alternative:
        lon, lat = entry.point if entry.point else (None, None)
        return cls(entry.id, entry.name, entry.kind, entry.country, lon, lat, entry.population, entry.source)


@dataclass
class Place:
    id: str
    name: str
    kind: str
    shape: str  # point, line or area
    geometry: BaseGeometry
    precision: str  # exact, approximate or area
    source: str
    refs: list[Ref] = field(default_factory=list)
    length_km: float | None = None
    note: str | None = None
    extent: str | None = None  # "outline" when the geometry is the area's real outline, else None
    country: str | None = None
    origin: str = "curated"  # curated, geonames, corridor, online or user
    alternatives: list[Alternative] = field(default_factory=list)  # other places of that name, best first
    chosen_because: str | None = None  # why this one among the alternatives
    correction_key: str | None = None  # the key a correction of this place is saved under
    correction: Correction | None = None  # the user's correction applied to it, if any
    parts: tuple[Part, ...] = ()  # an area divided between administrations: its parts (outline: shapes.outline(part.id))

    # Pickled (the places cache) with the geometry as WKB bytes, read back on
    # first use: a window opening a cached text then shows its places
    # without importing shapely and numpy (~60 ms of the start, on the GIL).
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        geometry = state.pop("geometry", None)
        if geometry is not None:
            state["_wkb"] = geometry.wkb
        return state

    def __getattr__(self, name: str):
        # Only reached for attributes not set: the geometry of an unpickled place.
        wkb = self.__dict__.get("_wkb")
        if name != "geometry" or wkb is None:
            raise AttributeError(name)
        from shapely import from_wkb

        self.geometry = from_wkb(wkb)
        self.__dict__.pop("_wkb", None)  # another thread may have read it too: both results are equal
        return self.geometry

    def sentence_keys(self) -> list[tuple[int, int]]:
        """(document, sentence) pairs about this place, in reading order."""
        if len(self.refs) == 1:  # most places: no set, no sort (100k of them cost 0.1 s)
            ref = self.refs[0]
            return [(ref.doc, ref.mention.sentence)]
        return sorted({(r.doc, r.mention.sentence) for r in self.refs})


@dataclass(frozen=True)
class Unmapped:
    """Words that look like a place name but are not on the map, and why.

    ``lon``/``lat``/``found`` hold an online answer that was not used (a whole
    country, or far from the text's other places), for the user to judge.
    """

    doc: int
    surface: str
    sentence: int
    start: int
    end: int
    reason: str
    lon: float | None = None
    lat: float | None = None
    found: str | None = None

    @property
    def key(self) -> str:
        """The key a correction of these words is saved under (``name:<words>``)."""
        from .gazetteer import name_key

        return "name:" + " ".join(name_key(self.surface))


@dataclass
class Atlas:
    """Places and what the texts say about them.

    ``pledges`` holds the commitments only (what the filter, counts, tour and
    map read); ``readings`` holds every sentence that says something: the
    pledges, the talk ("discussed", "welcomed") and the facts that fall under
    a pledge, keyed alike by (document, sentence).
    """

    documents: list[Document]
    places: list[Place]
    pledges: dict[tuple[int, int], Pledge]
    rejected: list[tuple[int, Mention, Correction]] = field(default_factory=list)  # (doc, mention, correction) the user said are no place
    notes: list[str] = field(default_factory=list)  # things to tell the user (a corrupt corrections file...)
    unmapped: list[Unmapped] = field(default_factory=list)  # names no gazetteer knows and no geocoder placed
    readings: dict[tuple[int, int], Reading] = field(default_factory=dict)  # every sentence with something to say
    cache_key: str | None = field(default=None, compare=False, repr=False)  # set by atlascache: kept there under it
    # texts made from it before it was kept (atlascache.derived), written beside it when it is
    unkept: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def reading(self, doc: int, index: int) -> Reading | None:
        """How a sentence reads (a pledge, talk, or a fact under a pledge); None for a plain fact."""
        found = self.readings.get((doc, index))
        return found if found is not None else self.pledges.get((doc, index))

    def governing(self, doc: int, index: int) -> Reading | None:
        """The pledge a filter judges a sentence by: its own, or the one it falls under."""
        pledge = self.pledges.get((doc, index))
        return pledge if pledge is not None else self.under(doc, index)

    def under(self, doc: int, index: int) -> Reading | None:
        """The pledge a talk or fact sentence falls under, if any."""
        reading = self.reading(doc, index)
        if reading is None or reading.under is None:
            return None
        return self.pledges.get((doc, reading.under))

    def candidates(self, place_id: str) -> list[Alternative]:
        """The places the words of ``place_id`` may mean: the chosen one first, then the alternatives."""
        place = self.place(place_id)
        if place is None:
            return []
        lon, lat = (place.geometry.x, place.geometry.y) if place.geometry.geom_type == "Point" else (None, None)
        chosen = Alternative(place.id, place.name, place.kind, place.country, lon, lat, 0, place.source)
        return [chosen, *place.alternatives]

    def place(self, place_id: str) -> Place | None:
        return self._index()[0].get(place_id)

    def unmapped_names(self) -> list[tuple[str, str, int]]:
        """Each unmapped name once: (its words as first written, why, how many mentions), in reading order."""
        rows: dict[str, list] = {}
        for u in self.unmapped:
            rows.setdefault(u.key, [u.surface, u.reason, 0])[2] += 1
        return [tuple(row) for row in rows.values()]

    def sentence(self, doc: int, index: int) -> Sentence:
        return self.documents[doc].sentences[index]

    def places_in_sentence(self, doc: int, index: int) -> list[Place]:
        return list({p.id: p for p, _ in self.mentions_in_sentence(doc, index)}.values())

    def mentions_in_sentence(self, doc: int, index: int) -> list[tuple[Place, Mention]]:
        return self._index()[1].get((doc, index), [])

    def index(self) -> None:
        """Make the lookups by id and by sentence now (a long text's take seconds: off the GUI thread)."""
        self._index()

    def _index(self) -> tuple[dict[str, Place], dict[tuple[int, int], list[tuple[Place, Mention]]]]:
        """Lookups by id and by sentence, built once: the panel asks per sentence,
        and a scan of every place per sentence is quadratic on large texts."""
        cached = self.__dict__.get("_lookup")
        if cached is None or cached[2] != len(self.places):
            with paused_gc():
                cached = self.__dict__["_lookup"] = self._build_index()
        return cached[0], cached[1]

    def _build_index(self) -> tuple[dict, dict, int]:
        by_id = {p.id: p for p in self.places}
        by_sentence: dict[tuple[int, int], list[tuple[Place, Mention]]] = {}
        for p in self.places:
            for r in p.refs:
                m = r.mention
                key = (r.doc, m.sentence)
                pairs = by_sentence.get(key)
                if pairs is None:
                    by_sentence[key] = [(p, m)]
                else:
                    pairs.append((p, m))
        for pairs in by_sentence.values():
            if len(pairs) > 1:  # most sentences name one place
                pairs.sort(key=lambda pm: pm[1].start)
        return by_id, by_sentence, len(self.places)
