"""Finding words in the open documents: the search box's rule, whatever the panel shows.

Every document's whole text is searched (not what the panel happens to
show), case aside, and each hit is placed in its sentence.  Hits in
sentences the filter hides are counted apart: the panel cannot show them
until the filter is cleared.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..core.pledges import PledgeFilter

if TYPE_CHECKING:
    from ..core.model import Atlas

MAX_HITS = 100_000  # listed; a word found more often than that is said to be


@dataclass(frozen=True)
class Hit:
    """One place the words were found: ``text[start:end]`` of a document, the ``nth`` hit of its sentence."""

    doc: int
    sentence: int
    start: int
    end: int
    nth: int


@dataclass(frozen=True)
class SearchResult:
    needle: str
    hits: tuple[Hit, ...]  # in reading order, in the sentences the filter shows
    per_document: tuple[int, ...]  # of those, how many in each document
    hidden: int  # hits in sentences the filter hides
    truncated: bool = False  # more than MAX_HITS: only the first are listed

    def summary(self, current: int, names: Sequence[str]) -> str:
        """What the search box says: "3 of 12 hits · a.txt 5 · b.txt 7", "not found"…"""
        n = len(self.hits)
        if not n:
            if not self.hidden:
                return "not found"
            return "1 hit, hidden by the filter" if self.hidden == 1 else f"{self.hidden} hits, all hidden by the filter"
        total = f"{n:,}+" if self.truncated else f"{n:,}"
        said = f"{current + 1:,} of {total} hit{'s' if n != 1 else ''}" if current >= 0 else f"{total} hit{'s' if n != 1 else ''}"
        if len(names) > 1:
            said += "".join(f" · {name} {count:,}" for name, count in zip(names, self.per_document))
        if self.hidden:
            said += f" · {self.hidden:,} more hidden by the filter"
        return said


def find_hits(atlas: Atlas, needle: str, flt: PledgeFilter = PledgeFilter()) -> SearchResult:
    """Every hit of ``needle`` (any case) within a sentence of the open documents."""
    hits: list[Hit] = []
    per_document = [0] * len(atlas.documents)
    hidden = 0
    if not needle:
        return SearchResult(needle, (), tuple(per_document), 0)
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    whole = not (flt.themes or flt.parties)  # every sentence of a document passes, or none does
    for d, document in enumerate(atlas.documents):
        sentences = document.sentences
        ends = [s.end for s in sentences]
        shown_document = flt.document is None or flt.document == d
        last, nth = -1, 0
        for m in pattern.finditer(document.text):
            i = bisect_right(ends, m.start())
            if i == len(sentences) or m.start() < sentences[i].start or m.end() > sentences[i].end:
                continue  # between sentences, or over two
            nth = nth + 1 if i == last else 0
            last = i
            if not shown_document or not (whole or flt.accepts(d, atlas.governing(d, i))):
                hidden += 1
                continue
            if len(hits) == MAX_HITS:
                return SearchResult(needle, tuple(hits), tuple(per_document), hidden, truncated=True)
            hits.append(Hit(d, i, m.start(), m.end(), nth))
            per_document[d] += 1
    return SearchResult(needle, tuple(hits), tuple(per_document), hidden)


class TextSearch:
    """The last search and which of its hits the panel shows (``current``; -1: none yet)."""

    def __init__(self) -> None:
        self.result: SearchResult | None = None
        self.current = -1
        self._asked: tuple | None = None

    def run(self, atlas: Atlas, needle: str, flt: PledgeFilter = PledgeFilter()) -> SearchResult:
        """The hits of ``needle``; asked again with the same words, documents and filter, the place in them stays."""
        asked = (id(atlas), needle, flt)
        if self.result is None or asked != self._asked:
            self.result = find_hits(atlas, needle, flt)
            self._asked = asked
            self.current = -1
        return self.result

    def step(self, direction: int) -> Hit | None:
        """The next (+1) or previous (-1) hit, wrapping around; None when there is none."""
        if self.result is None or not self.result.hits:
            return None
        n = len(self.result.hits)
        self.current = (self.current + direction) % n if self.current >= 0 or direction > 0 else n - 1
        return self.result.hits[self.current]
