"""Find the places a text names by matching the gazetteer's names.

One pass over the tokens, longest name first, with a few rules that keep
ordinary words from becoming places: a name must be capitalised as the
gazetteer writes it, acronyms must be upper case, and the words of a
many-word name may be separated only by spaces, hyphens or apostrophes.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, NamedTuple

from .document import Document
from .flatearth import KM_PER_DEGREE
from .flatearth import distance_km as roughly_km
from .gazetteer import TOKEN, Entry, Gazetteer, name_key, normalize
from .model import Mention
from .namewords import COMPANY_WORDS, ORG_WORDS, TITLES

# What may stand between two words of one name ("Raikot-Thakot", "People's").
_JOIN = re.compile(r"[ \t\u00a0\-\u2010-\u2014'\u2019]{0,3}")  # empty between CJK characters
# What stands between two words of a person's or an organisation's name.
_NAME_GAP = re.compile(r"[ \t\u00a0]{1,3}|[-\u2010\u2011'\u2019]")
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
_CONNECTORS = frozenset({"and", "of", "the", "for", "on", "&"})


def _capitalised(text: str, tok: Token) -> bool:
    return text[tok.start : tok.start + 1].isupper()


def _spaced(text: str, a: Token, b: Token) -> bool:
    """Two tokens one name apart: only spaces, or a hyphen or an apostrophe, between them ("Friday — Nigeria" is two)."""
    return _NAME_GAP.fullmatch(text, a.end, b.start) is not None


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


def _firm(text: str, tokens: list[Token], k: int) -> bool:
    """The capitalised name running on from tokens[k] ends in a business's word ("... Corporation")."""
    stop = min(len(tokens), k + 6)
    while k < stop and _JOIN.fullmatch(text, tokens[k - 1].end, tokens[k].start):
        tok = tokens[k]
        if tok.key in COMPANY_WORDS and _capitalised(text, tok):
            return True
        if not (_capitalised(text, tok) or tok.key in _CONNECTORS):
            return False
        k += 1
    return False


# A name followed by one of these, capitalised, is part of a longer name ("Jhelum River",
# "Panama Canal"); one preceded by "Gulf of", "Strait of"... too ("Strait of Malacca").
_LONGER_AFTER = frozenset(
    """river canal strait straits gulf bay sea lake valley delta basin desert mountains hills plateau
    peninsula island islands falls glacier range""".split()
)
_LONGER_BEFORE = re.compile(r"\b(?:Gulf|Strait|Straits|Bay|Sea|Lake|Isle|Cape|Mount)\s+of\s+$|\b(?:Lake|Mount|Cape)\s+$")
_TOWN_KINDS = frozenset({"city", "town", "locality"})
WATER_KINDS = frozenset({"sea", "gulf", "bay", "strait", "channel", "sound", "ocean", "river", "canal", "lake"})
_WATER_WORDS = frozenset({"sea", "gulf", "bay", "strait", "straits", "channel", "sound", "ocean", "river", "canal", "lake"})
_DIRECTIONS = frozenset(
    """central north south east west northern southern eastern western northeast northwest southeast southwest
    north-east north-west south-east south-west inner outer upper lower greater""".split()
)
_LONGER_LAST = frozenset({"of", "lake", "mount", "cape"})
_DATELINE_AFTER = re.compile(r",|\s+\(|:\s|\s+[-\u2013\u2014]\s")  # "NAIROBI, 14 March", "ATHENS — ", not "GIL-bound"


def _inside_a_longer_name(text: str, tokens: list[Token], i: int, n: int) -> bool:
    k = i + n
    if k < len(tokens) and tokens[k].key in _LONGER_AFTER and _capitalised(text, tokens[k]) and _spaced(text, tokens[k - 1], tokens[k]):
        return True
    if i == 0 or tokens[i - 1].key not in _LONGER_LAST:
        return False  # most names: no regex at all
    return _LONGER_BEFORE.search(text, max(0, tokens[i].start - 12), tokens[i].start) is not None


def _dateline(text: str, tok: Token) -> bool:
    """An upper-case town at the head of a line, before a comma or a dash: "NAIROBI, 14 March —"."""
    line_start = text.rfind("\n", 0, tok.start) + 1
    return not text[line_start : tok.start].strip() and _DATELINE_AFTER.match(text, tok.end) is not None


# After a name: what says the capitalised words are someone ("..., a spokesperson", "... said").
_WHO_FOLLOWS = re.compile(r",\s+(?:a|an|the)\s+\w|\s+(?:said|says|told|added|stated|noted|declined|announced)\b")
_NAME_WORDS = 4  # a person's or a firm's name runs at most this many words beside a place's
# Words that make a capitalised name a thing on the ground, not someone.
_THING_WORDS = frozenset(
    """expressway highway motorway road railway railways line corridor pipeline bridge tunnel port airport station dam
    barrage zone park river canal lake sea gulf bay strait valley province region district state city county
    harbour harbor terminal plant project""".split()
) - {"railways"}
# Capitalised words that open a sentence or a heading without being part of a name ("In Córdoba, the ...").
_FUNCTION_WORDS = frozenset("in at on of the a an and for from to by with as near via into across after before".split())
_TITLE_DOT = re.compile(r"\.\s{1,2}$")


def _a_person_or_firm(text: str, tokens: list[Token], i: int, n: int) -> bool:
    """The name is one word of a longer capitalised name that speaks or is described as someone:
    "Georgia Smith, an analyst", "Jordan Henderson, a diplomat", "Malaysia Rail Link said";
    or it follows a title and a full stop: "Dr. Santa Cruz"."""
    k = i + n
    prev_close = i > 0 and tokens[i].start - tokens[i - 1].end <= 2
    next_close = k < len(tokens) and tokens[k].start - tokens[k - 1].end == 1
    if not ((prev_close and text[tokens[i - 1].start].isupper()) or (next_close and text[tokens[k].start].isupper())):
        return False  # no capitalised word beside it (a title is one): most names
    if i > 0 and tokens[i - 1].key in TITLES and _TITLE_DOT.match(text, tokens[i - 1].end, tokens[i].start):
        return True
    first, last = i, i + n - 1
    while first > max(0, i - _NAME_WORDS) and _spaced(text, tokens[first - 1], tokens[first]) and _capitalised(text, tokens[first - 1]):
        if tokens[first - 1].key in _FUNCTION_WORDS:
            break
        first -= 1
    end = min(len(tokens) - 1, i + n - 1 + _NAME_WORDS)
    while last < end and _spaced(text, tokens[last], tokens[last + 1]) and _capitalised(text, tokens[last + 1]):
        if tokens[last + 1].key in _FUNCTION_WORDS:
            break
        last += 1
    if first == i - _NAME_WORDS or last == end and end == i + n - 1 + _NAME_WORDS:
        return False  # a long run of capitals (a heading, a list): no one's name
    if (first, last) == (i, i + n - 1):
        return False
    if any(tokens[k].key in _THING_WORDS for k in range(first, last + 1)):
        return False  # "Nairobi Expressway, the first toll road": a thing named after the town
    return _WHO_FOLLOWS.match(text, tokens[last].end) is not None


# Words before a name that put a place there: "in Split", "the Port of Bar", "Belgrade–Bar".
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|near|of|from|to|via|In|At|Near)\s+|[-\u2010-\u2015]\s*)$")


# "Gilgit-Baltistan (GB)": an acronym the text defines for a place, then uses alone.
_DEFINED = re.compile(r"\s*\(([A-Z]{2,6})\)")


def _with_acronyms(text: str, document: Document, mentions: list[Mention]) -> list[Mention]:
    """Later uses of an acronym the text defines right after a place's name, as mentions of it."""
    defined: dict[str, Mention] = {}
    for m in mentions:
        if "(" not in text[m.end : m.end + 3]:
            continue
        d = _DEFINED.match(text, m.end)
        if d and d.group(1) not in defined:
            defined[d.group(1)] = m
    if not defined:
        return mentions
    starts = [m.start for m in mentions]  # in reading order, and they never overlap
    extra = []
    for acronym, m in defined.items():
        for hit in re.finditer(rf"\b{acronym}\b", text[m.end :]):
            start, end = m.end + hit.start(), m.end + hit.end()
            sentence = document.sentence_at(start)
            k = bisect_right(starts, start)
            if sentence is None or (k and mentions[k - 1].end > start) or (k < len(starts) and starts[k] < end):
                continue
            extra.append(Mention(m.place_id, start, end, acronym, sentence.index, "alias", m.candidates, "an acronym the text defines"))
    return sorted(mentions + extra, key=lambda x: x.start) if extra else mentions


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
        weak_words = self.gazetteer.geonames.weak if self.gazetteer.geonames is not None else {}
        folded = self.gazetteer.geonames.folded if self.gazetteer.geonames is not None else {}
        after_the = self.gazetteer.geonames.after_the if self.gazetteer.geonames is not None else {}
        while i < len(tokens):
            if skip_lower and text[tokens[i].start].islower():
                i += 1
                continue
            hit = self._match_at(text, tokens, i)
            if hit is None:
                key = tokens[i].key
                if key in weak_words:
                    weak = self._weak_at(document, tokens, i)
                    if weak is not None:
                        mentions.append(weak)
                elif len(key) >= 5 and folded and (other := self._folded_at(document, tokens, i)) is not None:
                    mentions.append(other)
                i += 1
                continue
            length, candidates = hit
            start, end = tokens[i].start, tokens[i + length - 1].end
            sentence = document.sentence_at(start)
            if sentence is not None and end <= sentence.end and not _a_person_or_firm(text, tokens, i, length):
                place_id, via = candidates[0]
                ids = tuple(pid for pid, _ in candidates)
                the = text[max(0, start - 4) : start] in ("the ", "The ")
                if the and length == 1 and tokens[i].key in after_the:  # "the Paraná": the river too
                    ids += (after_the[tokens[i].key].split("|", 1)[0],)
                the = the and len(ids) > 1
                mentions.append(Mention(place_id, start, end, text[start:end], sentence.index, via, ids, "", the))
            i += length
        return _with_acronyms(text, document, mentions)

    def _folded_at(self, document: Document, tokens: list[Token], i: int) -> Mention | None:
        """Another romanisation of a big town's name ("Kashghar", "Urumchi"), as an alias of it."""
        text = document.text
        tok = tokens[i]
        if not _capitalised(text, tok) or text[tok.start : tok.end].isupper():
            return None
        found = self.gazetteer.geonames.folded_meaning(tok.key)
        if found is None or found[0] in self.gazetteer.shadowed and not self._shadowing(found[0]):
            return None
        sentence = self._lone_word_sentence(document, tokens, i)
        if sentence is None:
            return None
        place_id = self._shadowing(found[0]) or found[0]
        return Mention(place_id, tok.start, tok.end, text[tok.start : tok.end], sentence, "alias", (place_id,),
                       f"another spelling of {found[1]}")

    def _shadowing(self, geonames_id: str) -> str | None:
        """The curated entry that stands for a GeoNames place, if one does (Kashgar's own entry)."""
        entry = self.gazetteer.geonames.entry(geonames_id)
        if entry is None:
            return None
        for pid, _ in self.gazetteer.names.get(name_key(entry.name), ()):
            if self.gazetteer[pid].country == entry.country:
                return pid
        return None

    def _weak_at(self, document: Document, tokens: list[Token], i: int) -> Mention | None:
        """A town named like an English word ("Split", "Bar", "Colón"), as a mention for ``resolve`` to judge.

        Its reason says whether it stands where a place does: after "in", "at",
        "of"..., at a dash, or as a dateline.
        """
        index = self.gazetteer.geonames
        tok = tokens[i]
        if index is None or tok.key not in index.weak:
            return None
        text = document.text
        if not _capitalised(text, tok):
            return None
        sentence = self._lone_word_sentence(document, tokens, i)
        if sentence is None:
            return None
        ids = tuple(pid for pid, _ in index.weak_meanings(tok.key))
        before = text[max(0, tok.start - 8) : tok.start]
        placed = bool(_PLACE_BEFORE.search(before)) or _dateline(text, tok)
        return Mention(ids[0], tok.start, tok.end, text[tok.start : tok.end], sentence, "weak", ids, "placed" if placed else "")

    def _lone_word_sentence(self, document: Document, tokens: list[Token], i: int) -> int | None:
        """The sentence of the one-word name at ``tokens[i]``, unless it is part of a person's or a firm's name."""
        text = document.text
        if _not_a_place(text, tokens, i, 1, self._people) or _a_person_or_firm(text, tokens, i, 1):
            return None
        sentence = document.sentence_at(tokens[i].start)
        return None if sentence is None else sentence.index

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
        if limit > 1:  # no name starts with these two words: try the one word alone
            limit = min(limit, index.second.get(f"{tokens[i].key} {tokens[i + 1].key}", 1))
        names = index.names
        for n in range(limit, max(at_least, 1) - 1, -1):
            joined = " ".join([t.key for t in tokens[i : i + n]]) if n > 1 else tokens[i].key
            if joined not in names:
                continue
            meanings = index.meanings(tuple(joined.split(" ")))
            surface = [text[t.start : t.end] for t in tokens[i : i + n]]
            if n == 1 and len(surface[0]) > 1 and surface[0].isupper() and not _dateline(text, tokens[i]):
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
        hit = self._longest_at(text, tokens, i)
        if hit is not None and _inside_a_longer_name(text, tokens, i, hit[0]):
            return None  # "Panama" in "Panama Canal", "Suez" in "Gulf of Suez": the longer name's business
        if hit is not None and i > 0 and tokens[i - 1].key in _DIRECTIONS and _capitalised(text, tokens[i - 1]) \
                and _spaced(text, tokens[i - 1], tokens[i]) and all(self.gazetteer[p].kind == "continent" for p, _ in hit[1]):
            return None  # "Central Europe" that no gazetteer knows is not the whole of Europe
        return hit

    def _longest_at(self, text: str, tokens: list[Token], i: int) -> tuple[int, list[tuple[str, str]]] | None:
        curated = self._curated_at(text, tokens, i)
        if curated is not None:
            why = _not_a_place(text, tokens, i, curated[0], frozenset())
            if why and (not self._country(curated) or _firm(text, tokens, i + curated[0])):
                curated = None  # "Shanghai Cooperation Organisation", "China Road and Bridge Corporation"
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


_TICK_EVERY = 2_000  # mentions between two calls of a long loop's tick (~0.1 s)


def resolve(mentions: list[Mention], gazetteer: Gazetteer, tick: Callable[[], None] | None = None) -> list[Mention]:
    """Choose one place per name and document, by what the document is about.

    Scores: a country the text names (+3), lying on or near a route the text
    names (+4), near a place named without ambiguity (+1.5), being curated
    (+2), matching by its own name rather than an alias (+1), and size (up to
    +1). Every mention of one name gets the same choice; the losers stay as
    candidates so the user can pick another. ``tick`` is called every few
    thousand mentions: a long text's caller may stop there.
    """
    from .geonames import population_weight
    from .geometry import route_section

    countries: set[str] = set()
    points: set[tuple[float, float]] = set()
    areas: list[Entry] = []
    routes = {}
    for place_id in {m.place_id for m in mentions if len(m.candidates) <= 1 and m.via != "weak"}:
        entry = gazetteer[place_id]
        if entry.country:
            countries.add(entry.country)
        if entry.route:
            routes[entry.id] = entry
        elif entry.shape == "point" and entry.point:
            points.add(entry.point)
        elif entry.kind not in ("country", "territory", "continent") and entry.shape == "area" and entry.point \
                and entry.precision != "approximate":
            areas.append(entry)  # a province, a sea: not a macro-region, whose limits are a convention
    weak = [m for m in mentions if m.via == "weak"]
    mentions = [m for m in mentions if m.via != "weak"] if weak else mentions

    decided: dict[str, tuple[tuple[str, ...], str]] = {}
    out = []
    for n, m in enumerate(mentions):
        if tick is not None and n % _TICK_EVERY == _TICK_EVERY - 1:
            tick()
        if len(m.candidates) <= 1:
            out.append(m)
            continue
        if m.key not in decided:
            scored = []
            towns = any(gazetteer[pid].kind in _TOWN_KINDS for pid in m.candidates)
            land = any(gazetteer[pid].kind not in WATER_KINDS for pid in m.candidates)
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
                if e.point and e.shape == "point" and any(roughly_km(e.point, p) < 300 for p in points):
                    score += 1.5
                    why.append("near other places in the text")
                inside = next((a for a in areas if e.point and _within(e.point, a)), None)
                if inside is not None:
                    score += 3
                    why.append(f"in or beside {inside.name}, which the text names")
                if e.kind in ("country", "territory") and towns:
                    score += 3  # "Georgia", "Lebanon": the country, unless the text says otherwise
                    why.append("a country before a town of its name")
                if e.kind in WATER_KINDS and land and (m.article or name_key(m.surface)[-1] in _WATER_WORDS):
                    score += 4  # "the Red Sea", "on the Paraná": the water, not a province named after it
                    why.append("the sea or river, not a place on land named after it")
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
    if weak:
        named = {gazetteer[m.place_id].country for m in out if gazetteer[m.place_id].kind in ("country", "territory")}
        out = sorted(out + _judge_weak(weak, gazetteer, countries | named), key=lambda m: m.start)
    return out


@lru_cache(maxsize=256)
def _area_outline(place_id: str):
    from . import shapes

    return shapes.outline(place_id)


def _within(point: tuple[float, float], area: Entry) -> bool:
    """Inside the area's outline or within 50 km of it (a port on a sea); without an outline,
    inside the circle of its size round its label point."""
    outline = _area_outline(area.id)
    if outline is not None and not outline.geom_type.endswith("LineString"):
        from shapely.geometry import Point

        return outline.distance(Point(point)) * KM_PER_DEGREE < 50
    if not area.area_km2:
        return False
    radius = (area.area_km2 / 3.14159) ** 0.5
    return roughly_km(point, area.point) < 1.1 * radius + 25


def _judge_weak(mentions: list[Mention], gazetteer: Gazetteer, countries: set[str]) -> list[Mention]:
    """Keep a town named like a word only where the text says it is a place and names its country.

    "In Split, officials from Croatia" keeps Split; "the Nice weather" in a text
    that never names France does not. One decision per name: "Bar is Montenegro's
    port" follows "the Port of Bar" in the same text.
    """
    chosen: dict[str, str | None] = {}
    for m in mentions:
        if m.reason != "placed" or chosen.get(m.key):
            chosen.setdefault(m.key, None)
            continue
        chosen[m.key] = next((pid for pid in m.candidates if gazetteer[pid].country in countries), None)
    out = []
    for m in mentions:
        if chosen.get(m.key):
            pid = chosen[m.key]
            why = f"a town named like a word, in {gazetteer[pid].country}, a country the text names"
            out.append(replace(m, place_id=pid, via="name", candidates=(pid,), reason=why))
    return out


@dataclass(frozen=True)
class Corridor:
    """A stretch named by its ends (two or more stops), optionally on a named route.

    ``kind`` is what the words around it say it is (railway, highway, pipeline,
    power line...), or None when only a known route makes it a line.
    """

    start: int
    end: int
    surface: str
    sentence: int
    ends: tuple[str, ...]
    route_id: str | None
    parts: tuple[Mention, ...]
    kind: str | None = None
    keeps_ends: bool = False  # "the railway from A to B" names the towns too; "the A–B railway" does not


# The head noun of a line's name and the kind it gives: "Abuja–Kaduna railway",
# "the pipeline from X to Y", "Colombo–Kandy expressway".
LINE_NOUNS: dict[str, str] = {
    "railway": "railway", "railways": "railway", "railroad": "railway", "rail": "railway", "line": "railway",
    "track": "railway", "branch": "railway", "spur": "railway", "sgr": "railway", "metro": "railway", "tramway": "railway",
    "road": "highway", "highway": "highway", "expressway": "highway", "motorway": "highway", "freeway": "highway",
    "pipeline": "pipeline", "pipelines": "pipeline",
    "corridor": "corridor", "link": "corridor", "section": "corridor", "stretch": "corridor", "route": "corridor",
    "interconnector": "power line", "canal": "canal", "cable": "cable",
}
# Words between the ends and the head noun, or before the head noun: "standard gauge", "high-speed", "gas".
LINE_MODIFIERS = frozenset(
    """standard gauge high speed high-speed double single track light rail railway road gas oil power transmission
    electric electrified cross border cross-border kv new proposed planned old existing freight passenger
    natural crude fibre fiber optic optical submarine motorway highway expressway economic""".split()
)
# Kinds a modifier gives over the head noun's: "transmission line" is not a railway.
_MODIFIER_KINDS = {"transmission": "power line", "power": "power line", "gas": "pipeline", "oil": "pipeline",
                   "rail": "railway", "railway": "railway", "road": "highway", "motorway": "highway"}
# Words that say a stretch is a programme or a relation, not a line on the ground.
_NOT_A_LINE = frozenset({"economic", "friendship", "partnership", "cooperation", "trade", "strategic", "talks", "ties"})
# Words a line's name does not start with: "a new railway from..." is named "railway from...".
_NOT_A_NAME = frozenset({"the", "a", "an", "and", "of", "new", "proposed", "planned", "old", "existing"})
_BEFORE_ENDS = re.compile(r"(?:from|between|linking|connecting|joining)\s+$", re.IGNORECASE)
_DASH = re.compile(r"\s*[-\u2010-\u2015]\s*$")
_TO = re.compile(r"\s+(?:to|and|with)\s+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def find_corridors(document: Document, mentions: list[Mention], gazetteer: Gazetteer) -> list[Corridor]:
    """Stretches named by their ends: "Abuja–Kaduna railway", "the pipeline from X to Y",
    "Kunming–Vientiane–Bangkok rail link", "Karakoram Highway (Raikot-Thakot)".

    Two or more places joined by dashes, or "from A to B" / "between A and B", make
    a line when the words say so: a line's noun after the ends or before "from"
    ("railway", "expressway", "pipeline", "transmission line"...), or a known route
    named just before them, or ends that lie on a known route. Countries may be
    ends only with such a noun ("the Iran–Turkey pipeline"), never of a programme
    ("China–Pakistan Economic Corridor"). Without any of these, "flights from
    Beijing to Islamabad" name two cities, not a line.
    """
    text = document.text
    corridors: list[Corridor] = []
    memo: dict[tuple[str, ...], bool] = {}
    k = 0
    while k < len(mentions) - 1:
        chain, joins = _chain(text, mentions, k, gazetteer)
        if len(chain) < 2:
            k += 1
            continue
        found = _corridor(text, mentions, k, chain, joins, gazetteer, memo)
        if found is None:
            k += 1
            continue
        corridors.append(found)
        k += len(chain)
    return _merged(text, corridors)


def _chain(text: str, mentions: list[Mention], k: int, gazetteer: Gazetteer) -> tuple[list[Mention], list[str]]:
    """The run of ends from mentions[k] joined by dashes (or one "to"/"and"): the stops named in a row."""
    chain, joins = [mentions[k]], []
    if not _is_end(gazetteer, mentions[k]):
        return chain, joins
    j = k
    while j + 1 < len(mentions):
        a, b = mentions[j], mentions[j + 1]
        if b.sentence != a.sentence or b.place_id == a.place_id or not _is_end(gazetteer, b):
            break
        between = text[a.end : b.start]
        if len(between) > 6:
            break
        if _DASH.match(between):
            joins.append("-")
        elif _TO.match(between) and not joins:
            joins.append(between.strip().lower())
        else:
            break
        chain.append(b)
        j += 1
        if joins[-1] != "-":
            break
    return chain, joins


def _corridor(
    text: str, mentions: list[Mention], k: int, chain: list[Mention], joins: list[str], gazetteer: Gazetteer, memo: dict
) -> Corridor | None:
    first, last = chain[0], chain[-1]
    countries = any(gazetteer[m.place_id].kind in ("country", "territory") for m in chain)
    after_end, after_kind, after_words = _noun_after(text, last.end)
    before_start, before_kind, before_words = _noun_before(text, first.start)
    words = {w.lower() for w in after_words + before_words}
    if words & _NOT_A_LINE:
        return None
    route = mentions[k - 1] if k > 0 else None
    if route is not None and route.sentence == first.sentence and gazetteer[route.place_id].route and _is_bracketed(text, route, first, last):
        if countries:
            return None
        start, end = route.start, _closing_bracket(text, last.end)
        return Corridor(start, end, text[start:end], first.sentence, _ids(chain), route.place_id, (route, *chain), gazetteer[route.place_id].kind)
    dash = joins[0] == "-"
    if after_kind and (dash or before_kind is None) and joins[0] != "and":
        start = first.start if dash else _from_before(text, first.start)
        end, kind = after_end, after_kind
    elif before_kind and not dash and joins[0] in ("to", "and", "with"):
        if joins[0] == "and" and not _BEFORE_ENDS.search(text[max(0, first.start - 12) : first.start]):
            return None
        if countries and before_kind == "corridor":
            return None
        return Corridor(before_start, last.end, text[before_start : last.end], first.sentence, _ids(chain), None, tuple(chain), before_kind, True)
    elif dash and not countries and _on_a_route(chain, gazetteer, memo):
        start, end, kind = first.start, last.end, None
    else:
        return None
    if countries and (kind in (None, "corridor") or after_kind is None and before_kind is None):
        return None  # "the China–Pakistan corridor": a programme between countries, not a line
    return Corridor(start, end, text[start:end], first.sentence, _ids(chain), None, tuple(chain), kind)


def _ids(chain: list[Mention]) -> tuple[str, ...]:
    return tuple(m.place_id for m in chain)


def _noun_after(text: str, pos: int) -> tuple[int, str | None, list[str]]:
    """(end, kind, words) of a line's noun phrase right after ``pos``: " standard gauge railway"."""
    words: list[str] = []
    p = pos
    for _ in range(5):
        m = _WORD.match(text, p + 1) if text[p : p + 1] in (" ", "\u00a0") else None
        if m is None:
            break
        word = m.group()
        low = word.lower()
        head = LINE_NOUNS.get(low)
        words.append(word)
        if head:
            end = m.end()
            more = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if more is not None and more.group().lower() in LINE_NOUNS:  # "rail link", "railway line"
                words.append(more.group())
                end = more.end()
            kind = next((_MODIFIER_KINDS[w.lower()] for w in words if w.lower() in _MODIFIER_KINDS), None)
            return end, kind or LINE_NOUNS[words[-1].lower()], words
        if not (low in LINE_MODIFIERS or all(part in LINE_MODIFIERS for part in low.split("-"))):
            break
        p = m.end()
    return pos, None, words


def _noun_before(text: str, pos: int) -> tuple[int, str | None, list[str]]:
    """(start, kind, words) of "railway from", "pipelines between", "power line from" just before ``pos``."""
    m = _BEFORE_ENDS.search(text, max(0, pos - 12), pos)
    if m is None:
        return pos, None, []
    preceding = list(_WORD.finditer(text, max(0, m.start() - 80), m.start()))
    if not preceding or text[preceding[-1].end() : m.start()].strip():
        return pos, None, []
    head = preceding[-1]
    kind = LINE_NOUNS.get(head.group().lower())
    if kind is None:
        return pos, None, []
    start, words = head.start(), [head.group()]
    for w in reversed(preceding[:-1]):
        if text[w.end() : start].strip():
            break
        low = w.group().lower()
        if low in _NOT_A_NAME:
            break
        if low in LINE_MODIFIERS or w.group()[:1].isupper():
            start = w.start()
            words.insert(0, w.group())
            continue
        break
    kind = next((_MODIFIER_KINDS[x.lower()] for x in words if x.lower() in _MODIFIER_KINDS), kind)
    if kind == "corridor" and len(words) == 1 and words[0].lower() in ("section", "stretch", "route"):
        kind = "corridor"
    return start, kind, words


def _on_a_route(chain: list[Mention], gazetteer: Gazetteer, memo: dict[tuple[str, ...], bool]) -> bool:
    """All the stops lie on one known route (within 20 km): "Raikot–Thakot" on the Karakoram Highway.

    Worked out once per set of stops (``memo``): a text may name one stretch thousands of times.
    """
    ids = tuple(m.place_id for m in chain)
    if ids not in memo:
        memo[ids] = _stops_on_a_route(ids, gazetteer)
    return memo[ids]


def _stops_on_a_route(ids: tuple[str, ...], gazetteer: Gazetteer) -> bool:
    from .geometry import route_section

    points = [gazetteer[pid].point for pid in ids]
    if any(p is None for p in points):
        return False
    for route in gazetteer.routes():
        line = [(w.lon, w.lat) for w in route.route]
        if all(route_section(line, p, p, 20) is not None for p in points):
            return True
    return False


def _merged(text: str, corridors: list[Corridor]) -> list[Corridor]:
    """"The Tanzania–Zambia railway from Dar es Salaam to Kapiri Mposhi": one line, through the towns."""
    out: list[Corridor] = []
    for c in corridors:
        prev = out[-1] if out else None
        if prev is not None and prev.sentence == c.sentence and prev.end > c.start:
            out[-1] = replace(c, start=prev.start, surface=text[prev.start : c.end], parts=prev.parts + c.parts)
            continue
        out.append(c)
    return out


def _is_end(gazetteer: Gazetteer, m: Mention) -> bool:
    entry = gazetteer[m.place_id]
    if m.via == "demonym" or entry.point is None:
        return False
    return entry.kind in ("country", "territory") or (entry.shape == "point" and entry.kind in _CORRIDOR_END_KINDS)


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
