"""Find the places a text names by matching the gazetteer's names.

One pass over the tokens, longest name first, with a few rules that keep
ordinary words from becoming places: a name must be capitalised as the
gazetteer writes it, acronyms must be upper case, and the words of a
many-word name may be separated only by spaces, hyphens or apostrophes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from .document import Document
from .gazetteer import TOKEN, Gazetteer, name_key, normalize

# What may stand between two words of one name ("Raikot-Thakot", "People's").
_JOIN = re.compile(r"[ \t\u00a0\-\u2010-\u2014'\u2019]{0,3}")  # empty between CJK characters
# What joins the two ends of a corridor: a dash, "to", or "-" spaced out.
_CORRIDOR_JOIN = re.compile(r"\s*(?:[-\u2010-\u2015]|\bto\b)\s*$", re.IGNORECASE)
_CORRIDOR_END_KINDS = frozenset(
    {"city", "town", "locality", "port", "airport", "building", "pass", "dam", "zone", "station"}
)


class Token(NamedTuple):
    """A word's span and normalised form (a tuple: made a million times a megabyte)."""

    start: int
    end: int
    key: str


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

    @property
    def key(self) -> str:
        """The words as matched, normalised: one decision per name and document."""
        return " ".join(name_key(self.surface))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    new, make = tuple.__new__, Token  # tuple.__new__ is C: a NamedTuple's own __new__ is Python
    found = TOKEN.finditer(text, start, len(text) if end is None else end)
    return [new(make, (m.start(), m.end(), normalize(m.group()))) for m in found]


@lru_cache(maxsize=100_000)
def _words(spelling: str) -> list[str]:
    return TOKEN.findall(spelling)


def _case_ok(surface_tokens: list[str], spelling_tokens: list[str]) -> bool:
    """A capitalised name needs a capitalised surface; an acronym, upper case."""
    for i, (got, want) in enumerate(zip(surface_tokens, spelling_tokens)):
        if len(want) > 1 and want.isupper() and not got.isupper():
            return False
        if i == 0 and want[:1].isupper() and not got[:1].isupper():
            return False
    return True


# --- words around a name that say it is not a place ---------------------------
# "President Zardari", "Premier Li Qiang": a title makes the next names a person's.
TITLES = frozenset(
    """president premier mr mrs ms dr sir madam chairman chairwoman minister secretary ambassador governor
    senator prince princess king queen sheikh emir general marshal commander excellency vice chief justice
    comrade councillor mayor envoy spokesperson spokesman""".split()
)
# A capitalised name that ends in one of these is an organisation or an event:
# "Belt and Road Initiative", "UN Security Council", "Asian Winter Games".
ORG_WORDS = frozenset(
    """initiative council games party bank corporation company university institute forum committee group
    ministry agency authority fund organisation organization association league club government commission
    board society foundation federation congress assembly court tribune times daily""".split()
)
_CONNECTORS = frozenset({"and", "of", "the", "for", "on", "&"})


def _capitalised(text: str, tok: Token) -> bool:
    return text[tok.start : tok.start + 1].isupper()


def _spaced(text: str, a: Token, b: Token) -> bool:
    """Two tokens one name apart: only spaces, a hyphen or an apostrophe between them."""
    return _JOIN.fullmatch(text, a.end, b.start) is not None and a.end < b.start


def _not_a_place(text: str, tokens: list[Token], i: int, n: int, people: frozenset[str]) -> str | None:
    """Why tokens[i:i+n] name a person or an organisation, or None if they may be a place."""
    # A title or a personal name just before, within one capitalised run.
    j = i - 1
    while j >= 0 and i - j <= 4 and _spaced(text, tokens[j], tokens[j + 1]) and _capitalised(text, tokens[j]):
        if tokens[j].key in TITLES:
            return f"after the title {text[tokens[j].start:tokens[j].end]!r}"
        if tokens[j].key in people:
            return "part of a person's name"
        j -= 1
    k = i + n
    if k < len(tokens) and _spaced(text, tokens[k - 1], tokens[k]) and _capitalised(text, tokens[k]) and tokens[k].key in people:
        return "part of a person's name"
    # An organisation or event name running on after it.
    while k < len(tokens) and k - (i + n) < 6 and _JOIN.fullmatch(text, tokens[k - 1].end, tokens[k].start):
        tok = tokens[k]
        if tok.key in ORG_WORDS and _capitalised(text, tok):
            return f"part of the name {text[tokens[i].start:tok.end]!r}"
        if not (_capitalised(text, tok) or tok.key in _CONNECTORS):
            break
        k += 1
    return None


class Matcher:
    """Longest-match lookup of the gazetteer's names over a token stream.

    Curated names come first; GeoNames names (when the gazetteer has them)
    are tried at the same position, and a longer GeoNames name wins only if
    it passes the person/organisation checks. At equal length both kinds
    become candidates, to be chosen between by ``resolve``.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        from .geonames import ALWAYS

        self.gazetteer = gazetteer
        self._people = ALWAYS
        self._by_first: dict[str, list[tuple[tuple[str, ...], list[tuple[str, str]]]]] = {}
        for key, meanings in gazetteer.names.items():
            self._by_first.setdefault(key[0], []).append((key, meanings))
        for options in self._by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        # Most words of running text start in lower case, and no name does: skip them at once.
        self._lower_names = any(sp[:1].islower() for ms in gazetteer.names.values() for _, sp in ms)

    def find(self, document: Document, start: int = 0, end: int | None = None) -> list[Mention]:
        """The names in ``document.text[start:end]`` (whole sentences: ``Document.blocks``)."""
        text = document.text
        tokens = tokenize(text, start, end)
        mentions: list[Mention] = []
        i = 0
        skip_lower = not self._lower_names
        while i < len(tokens):
            if skip_lower and text[tokens[i].start].islower():
                i += 1
                continue
            hit = self._match_at(text, tokens, i)
            if hit is None:
                i += 1
                continue
            length, candidates = hit
            start, end = tokens[i].start, tokens[i + length - 1].end
            sentence = document.sentence_at(start)
            if sentence is not None and end <= sentence.end:
                place_id, via = candidates[0]
                ids = tuple(pid for pid, _ in candidates)
                mentions.append(Mention(place_id, start, end, text[start:end], sentence.index, via, ids))
            i += length
        return mentions

    def _joined(self, text: str, tokens: list[Token], i: int, n: int) -> bool:
        return all(_JOIN.fullmatch(text, tokens[i + k].end, tokens[i + k + 1].start) for k in range(n - 1))

    def _curated_at(self, text: str, tokens: list[Token], i: int) -> tuple[int, list[tuple[str, str]]] | None:
        for key, meanings in self._by_first.get(tokens[i].key, ()):
            n = len(key)
            if i + n > len(tokens) or any(tokens[i + k].key != key[k] for k in range(1, n)):
                continue
            if not self._joined(text, tokens, i, n):
                continue
            surface = [text[t.start : t.end] for t in tokens[i : i + n]]
            found = []
            for place_id, spelling in meanings:
                if _case_ok(surface, _words(spelling)):
                    entry = self.gazetteer[place_id]
                    via = "demonym" if spelling in entry.demonyms else ("name" if spelling == entry.name else "alias")
                    found.append((place_id, via))
            if found:
                return n, found
        return None

    def _geonames_at(self, text: str, tokens: list[Token], i: int, at_least: int) -> tuple[int, list[tuple[str, str]]] | None:
        index = self.gazetteer.geonames
        most = index.first.get(tokens[i].key) if index is not None else None
        if not most:
            return None
        if text[tokens[i].start].islower():
            return None  # a GeoNames name is written with a capital ("les Escaldes" too, in running text)
        limit = 1  # how many words run on from here without a comma or a stop between them
        while limit < most and i + limit < len(tokens) and _JOIN.fullmatch(text, tokens[i + limit - 1].end, tokens[i + limit].start):
            limit += 1
        names = index.names
        for n in range(limit, max(at_least, 1) - 1, -1):
            joined = " ".join([t.key for t in tokens[i : i + n]]) if n > 1 else tokens[i].key
            if joined not in names:
                continue
            meanings = index.meanings(tuple(joined.split(" ")))
            surface = [text[t.start : t.end] for t in tokens[i : i + n]]
            if n == 1 and len(surface[0]) > 1 and surface[0].isupper():
                continue  # "COSCO", "SCO": an acronym is an organisation, not the town "Cosco"
            found = []
            for place_id, spelling in meanings:
                if place_id in self.gazetteer.shadowed or not _case_ok(surface, _words(spelling)):
                    continue
                found.append((place_id, "name" if spelling == index.entry(place_id).name else "alias"))
            if found and _not_a_place(text, tokens, i, n, self._people) is None:
                return n, found
        return None

    def _match_at(self, text: str, tokens: list[Token], i: int) -> tuple[int, list[tuple[str, str]]] | None:
        curated = self._curated_at(text, tokens, i)
        if curated is not None and _not_a_place(text, tokens, i, curated[0], frozenset()) and not self._country(curated):
            curated = None  # "Shanghai Cooperation Organisation": an organisation's name, not the city
        geo = self._geonames_at(text, tokens, i, curated[0] if curated else 1)
        if geo is None:
            return curated
        if curated is None or geo[0] > curated[0]:
            return geo
        # Same words: curated first; GeoNames only where it is a real other place of that name.
        others = [(pid, via) for pid, via in geo[1] if via == "name"]
        return curated[0], curated[1] + others

    def _country(self, hit: tuple[int, list[tuple[str, str]]]) -> bool:
        """Country names and demonyms stay: "China-Pakistan Economic Corridor" is about both."""
        return any(self.gazetteer[pid].kind in ("country", "territory") for pid, _ in hit[1])


# --- choosing between places of one name ----------------------------------------


def _roughly_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance on a flat earth: good to a few per cent at 300 km, and 100 times faster than geodesic."""
    dx = (a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return 111.2 * math.hypot(dx, a[1] - b[1])


def resolve(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Choose one place per name and document, by what the document is about.

    Scores: a country the text names (+3), lying on or near a route the text
    names (+4), near a place named without ambiguity (+1.5), being curated
    (+2), matching by its own name rather than an alias (+1), and size (up to
    +1). Every mention of one name gets the same choice; the losers stay as
    candidates so the user can pick another.
    """
    from .geonames import population_weight
    from .geometry import route_section

    countries: set[str] = set()
    points: set[tuple[float, float]] = set()
    routes = {}
    for place_id in {m.place_id for m in mentions if len(m.candidates) <= 1}:
        entry = gazetteer[place_id]
        if entry.country:
            countries.add(entry.country)
        if entry.route:
            routes[entry.id] = entry
        elif entry.shape == "point" and entry.point:
            points.add(entry.point)

    decided: dict[str, tuple[tuple[str, ...], str]] = {}
    out = []
    for m in mentions:
        if len(m.candidates) <= 1:
            out.append(m)
            continue
        if m.key not in decided:
            scored = []
            for pid in m.candidates:
                e = gazetteer[pid]
                score, why = 0.0, []
                if e.country and e.country in countries:
                    score += 3
                    why.append(f"the text names {e.country}")
                if e.point and any(
                    e.within == r.id or route_section([(w.lon, w.lat) for w in r.route], e.point, e.point, 20) is not None
                    for r in routes.values()
                ):
                    score += 4
                    why.append("on a route the text names")
                if e.point and e.shape == "point" and any(_roughly_km(e.point, p) < 300 for p in points):
                    score += 1.5
                    why.append("near other places in the text")
                if e.origin == "curated":
                    score += 2
                if name_key(e.name) == name_key(m.surface):
                    score += 1  # its own name, not one of its aliases
                score += population_weight(e.population)
                scored.append((score, pid, why))
            scored.sort(key=lambda s: -s[0])
            best = scored[0]
            reason = ", ".join(best[2]) or ("curated entry" if gazetteer[best[1]].origin == "curated" else "the biggest place of that name")
            decided[m.key] = (tuple(pid for _, pid, _ in scored), reason)
        ids, reason = decided[m.key]
        via = m.via if ids[0] == m.place_id else "name"
        out.append(replace(m, place_id=ids[0], candidates=ids, via=via, reason=reason))
    return out


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
    between = text[route.end : a.start].strip()  # strip first: a regex over a long blank run is slow
    return between in ("", "(", ",", ":", "from", "section")


def _closing_bracket(text: str, pos: int) -> int:
    m = re.match(r"\s*\)", text[pos : pos + 3])
    return pos + m.end() if m else pos


def _from_before(text: str, pos: int) -> int:
    m = re.search(r"\bfrom\s+$", text[max(0, pos - 6) : pos], re.IGNORECASE)
    return pos - len(m.group()) if m else pos
