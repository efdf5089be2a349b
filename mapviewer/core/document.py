"""A declaration as text plus its sentences, each with exact character offsets.

Offsets index the decoded text the panel shows, so a highlight of
``text[start:end]`` is always the very words that were matched.  A document
read from a PDF also knows where each of its pages starts in that text.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# Words that end in a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vs etc e.g i.e u.s u.k u.n jr sr gen col lt "
    "capt maj sgt rev hon govt dept approx fig art sec para jan feb mar apr jun "
    "jul aug sep sept oct nov dec inc ltd co corp est".split()
)
# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace,
# or at a line break; blank text between sentences is never part of one.
# The look-behind starts a match only at the first stop of a run, so a long
# run of stops ("......") is scanned once, not once per stop (quadratic).
_END = re.compile(r"""(?<![.!?])[.!?]+["'’”)\]]*(?=\s)|[。！？]+|\n""")
_WORD_BEFORE = re.compile(r"(\S+)$")
# A blank line (spaces allowed on it) ends a paragraph of a text or Markdown file;
# the HTML reader writes one between blocks.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0\f\v]*\n\s*")

# A long text is read a block of whole sentences at a time (about this many
# characters, a fraction of a second of work), so reading it can say how far
# it is and stop when asked; a declaration is one block.
BLOCK_CHARS = 200_000


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """A text with its sentences; ``name`` is what the user knows it by.

    ``pages`` is empty for a text without pages (txt, Markdown, HTML); for a
    PDF it holds, for each page in order, the offset in ``text`` where that
    page's text starts.  A page without text starts where the next page
    with text does (or at ``len(text)`` after the last one), so every page
    of the file is counted and the offsets never decrease.
    """

    name: str
    text: str
    path: Path | None = None
    sentences: list[Sentence] = field(default_factory=list)
    pages: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.sentences:
            self.sentences = split_sentences(self.text)
        self.pages = tuple(self.pages)
        if self.pages and (
            self.pages[0] != 0
            or any(b < a for a, b in zip(self.pages, self.pages[1:]))
            or self.pages[-1] > len(self.text)
        ):
            raise ValueError(f"{self.name}: page offsets must start at 0, never decrease and stay in the text")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def title(self) -> str:
        return self.name

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding character ``offset`` (binary search)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None

    @property
    def paged(self) -> bool:
        """True for a document read from pages (a PDF)."""
        return bool(self.pages)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``; None without pages.

        Empty pages hold no character, so they are never the answer: an
        offset in the blank between two pages belongs to the page before.
        ``len(text)`` (the end of the last sentence) counts as the last
        character's page; offsets outside the text give None.
        """
        if not self.pages or not 0 <= offset <= len(self.text):
            return None
        offset = min(offset, len(self.text) - 1)
        return max(1, bisect_right(self.pages, offset))

    def page_range(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last page of ``text[start:end]`` (a sentence, a mention); None without pages."""
        first = self.page_at(start)
        if first is None:
            return None
        last = self.page_at(max(start, end - 1))
        return first, first if last is None else last

    def page_label(self, start: int, end: int) -> str:
        """Where ``text[start:end]`` is in a PDF: "p. 3" or "pp. 3–4"; "" for a text without pages."""
        pages = self.page_range(start, end)
        if pages is None:
            return ""
        first, last = pages
        return f"p. {first}" if first == last else f"pp. {first}–{last}"

    @cached_property
    def _paragraph_starts(self) -> tuple[int, ...]:
        """Where each paragraph starts, when blank lines part the text into more than one.

        A PDF's text has a blank line at each page break and pypdf's text
        keeps no reliable trace of its paragraphs, so a PDF has none.
        """
        if self.pages:
            return ()
        starts = [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(self.text))]
        return tuple(starts) if len(starts) > 1 else ()

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs the text has (0: it has none to number)."""
        return len(self._paragraph_starts)

    def paragraph_of(self, index: int) -> int | None:
        """The 1-based paragraph of sentence ``index``; None for a text without paragraphs."""
        starts = self._paragraph_starts
        if not starts:
            return None
        return max(1, bisect_right(starts, self.sentences[index].start))

    def citation(self, index: int, page: bool = True) -> str:
        """How sentence ``index`` is cited, saying what each number counts:
        "s. 14", "¶ 3 · s. 14" where the text has paragraphs, "s. 14 · p. 2" in a PDF
        (``page=False``: without the page, where the page is shown otherwise)."""
        sentence = self.sentences[index]
        paragraph = self.paragraph_of(index)
        parts = [f"¶ {paragraph}"] if paragraph is not None else []
        parts.append(f"s. {index + 1}")
        where = self.page_label(sentence.start, sentence.end) if page else ""
        if where:
            parts.append(where)
        return " · ".join(parts)

    def blocks(self, size: int = BLOCK_CHARS) -> list[tuple[int, int]]:
        """The text cut into (start, end) runs of whole sentences of about ``size`` characters.

        They cover the whole text, end to end, and each cut is where a
        sentence starts: nothing read within a sentence (a name, its context)
        can tell which block it is in.
        """
        cuts = [0]
        for s in self.sentences:
            if s.start - cuts[-1] >= size:
                cuts.append(s.start)
        return list(zip(cuts, [*cuts[1:], len(self.text)]))

    def empty_pages(self) -> list[int]:
        """The 1-based pages that have no text (blank or scanned pages of a PDF)."""
        ends = (*self.pages[1:], len(self.text))
        return [n for n, (a, b) in enumerate(zip(self.pages, ends), 1) if not self.text[a:b].strip()]


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or initial."""
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot + 1)
    if not m:
        return False
    word = m.group(1).rstrip(".").lstrip("(\"'“‘").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_NEXT = re.compile(r"[ \t\u00a0]*(\S?)")


def _starts_sentence(text: str, pos: int) -> bool:
    """After a stop, a new sentence opens with a capital, digit, quote or line break.

    So "in 2025. — Reuters" and "e.g. the port" stay one sentence.
    """
    nxt = _NEXT.match(text, pos).group(1)
    return not nxt or not (nxt.islower() or nxt in ",;:—–-)]")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into trimmed sentences that keep their offsets.

    A rule-based splitter: declarations are edited prose, where a stop
    followed by a space ends a sentence unless it closes an abbreviation.
    """
    sentences: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        if m.group() != "\n" and not _starts_sentence(text, m.end()):
            continue
        if m.group().startswith(".") and len(m.group()) == 1 and _is_abbreviation(text, m.start()):
            continue
        _add(sentences, text, start, m.end())
        start = m.end()
    _add(sentences, text, start, len(text))
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not any(c.isalnum() for c in stripped):
        return
    s = start + (len(chunk) - len(chunk.lstrip()))
    e = s + len(stripped)
    out.append(Sentence(len(out), s, e, text[s:e]))
