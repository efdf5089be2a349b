"""Find the places a text names by matching the gazetteer's names.

One pass over the tokens, longest name first, with a few rules that keep
ordinary words from becoming places: a name must be capitalised as the
gazetteer writes it, acronyms must be upper case, and the words of a
many-word name may be separated only by spaces, hyphens or apostrophes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document
from .gazetteer import TOKEN, Gazetteer, normalize

# What may stand between two words of one name ("Raikot-Thakot", "People's").
_JOIN = re.compile(r"[ \t\u00a0\-\u2010-\u2014'\u2019]{0,3}")  # empty between CJK characters
# What joins the two ends of a corridor: a dash, "to", or "-" spaced out.
_CORRIDOR_JOIN = re.compile(r"\s*(?:[-\u2010-\u2015]|\bto\b)\s*$", re.IGNORECASE)
_CORRIDOR_END_KINDS = frozenset(
    {"city", "town", "locality", "port", "airport", "building", "pass", "dam", "zone", "station"}
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Mention:
    """A span of the text that names a place (or one end of a corridor)."""

    place_id: str
    start: int
    end: int
    surface: str
    sentence: int
    via: str = "name"  # name, alias or demonym


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), normalize(m.group())) for m in TOKEN.finditer(text)]


def _case_ok(surface_tokens: list[str], spelling_tokens: list[str]) -> bool:
    """A capitalised name needs a capitalised surface; an acronym, upper case."""
    for i, (got, want) in enumerate(zip(surface_tokens, spelling_tokens)):
        if len(want) > 1 and want.isupper() and not got.isupper():
            return False
        if i == 0 and want[:1].isupper() and not got[:1].isupper():
            return False
    return True


class Matcher:
    """Longest-match lookup of the gazetteer's names over a token stream."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._by_first: dict[str, list[tuple[tuple[str, ...], list[tuple[str, str]]]]] = {}
        for key, meanings in gazetteer.names.items():
            self._by_first.setdefault(key[0], []).append((key, meanings))
        for options in self._by_first.values():
            options.sort(key=lambda o: -len(o[0]))

    def find(self, document: Document) -> list[Mention]:
        text = document.text
        tokens = tokenize(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            hit = self._match_at(text, tokens, i)
            if hit is None:
                i += 1
                continue
            length, place_id, via = hit
            start, end = tokens[i].start, tokens[i + length - 1].end
            sentence = document.sentence_at(start)
            if sentence is not None and end <= sentence.end:
                mentions.append(Mention(place_id, start, end, text[start:end], sentence.index, via))
            i += length
        return mentions

    def _match_at(self, text: str, tokens: list[Token], i: int) -> tuple[int, str, str] | None:
        for key, meanings in self._by_first.get(tokens[i].key, ()):
            n = len(key)
            if i + n > len(tokens) or any(tokens[i + k].key != key[k] for k in range(1, n)):
                continue
            if not all(_JOIN.fullmatch(text, tokens[i + k].end, tokens[i + k + 1].start) for k in range(n - 1)):
                continue
            surface = [text[t.start : t.end] for t in tokens[i : i + n]]
            for place_id, spelling in meanings:
                if _case_ok(surface, TOKEN.findall(spelling)):
                    entry = self.gazetteer[place_id]
                    via = "demonym" if spelling in entry.demonyms else ("name" if spelling == entry.name else "alias")
                    return n, place_id, via
        return None


@dataclass(frozen=True)
class Corridor:
    """A stretch named by its two ends, optionally on a named route."""

    start: int
    end: int
    surface: str
    sentence: int
    ends: tuple[str, str]
    route_id: str | None
    parts: tuple[Mention, ...]


def find_corridors(document: Document, mentions: list[Mention], gazetteer: Gazetteer) -> list[Corridor]:
    """Pairs of point places joined by a dash or "to": "Raikot–Thakot", "Karachi to Peshawar".

    A route named just before, as in "Karakoram Highway (Raikot-Thakot)",
    becomes part of the corridor, which is then a section of that route.
    """
    text = document.text
    corridors: list[Corridor] = []
    used: set[int] = set()
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        if k in used or a.sentence != b.sentence or a.place_id == b.place_id:
            continue
        if not (_is_end(gazetteer, a) and _is_end(gazetteer, b)):
            continue
        if not _CORRIDOR_JOIN.match(text[a.end : b.start]):
            continue
        parts = [a, b]
        route = mentions[k - 1] if k > 0 and k - 1 not in used else None
        if route and route.sentence == a.sentence and gazetteer[route.place_id].route and _is_bracketed(text, route, a, b):
            parts.insert(0, route)
            start, end = route.start, _closing_bracket(text, b.end)
            route_id = route.place_id
        else:
            start = _from_before(text, a.start)
            end, route_id = b.end, None
        used.update({k, k + 1} | ({k - 1} if route_id else set()))
        corridors.append(
            Corridor(start, end, text[start:end], a.sentence, (a.place_id, b.place_id), route_id, tuple(parts))
        )
    return corridors


def _is_end(gazetteer: Gazetteer, m: Mention) -> bool:
    entry = gazetteer[m.place_id]
    return m.via != "demonym" and entry.shape == "point" and entry.kind in _CORRIDOR_END_KINDS


def _is_bracketed(text: str, route: Mention, a: Mention, b: Mention) -> bool:
    """True for "Route (A-B)" and "Route A-B": the ends follow the route's name."""
    between = text[route.end : a.start]
    return re.fullmatch(r"\s*(?:\(|,|\bfrom\b|\bsection\b|:)?\s*", between) is not None


def _closing_bracket(text: str, pos: int) -> int:
    m = re.match(r"\s*\)", text[pos : pos + 3])
    return pos + m.end() if m else pos


def _from_before(text: str, pos: int) -> int:
    m = re.search(r"\bfrom\s+$", text[max(0, pos - 6) : pos], re.IGNORECASE)
    return pos - len(m.group()) if m else pos
