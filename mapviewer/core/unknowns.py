"""Names that look like places but that no gazetteer knows.

The matcher finds the names the gazetteers know; this module finds the
capitalised phrases around them that a text uses *as* place names, so the
online geocoder (when the user has switched it on) can be asked about them.
Every candidate costs a request to a public service that allows one a
second, so the rules prefer missing a place to asking about a person.

A phrase is a candidate when it is a run of capitalised words (joined only by
spaces, hyphens or apostrophes, within one sentence) that either

- follows a locative preposition directly: "in Kyaukphyu", "near Zorvakand",
  "from Kashgar to Osh", "between Sost and Karimabad", and the rest of a list
  opened that way ("in Sost, Passu and Karimabad"); or the phrase "port of",
  "capital of", "city of"... ("the capital of Telangana"). After "to" and
  "from" (which take people too: "a letter from ...") only one word is taken;
- or ends with a word for a kind of place, after at least one word of its
  own: "Zorvakand Dry Port", "Rashakai Special Economic Zone", "Hunza
  Valley", or starts with one: "Lake Saiful Muluk", "Mount Rakaposhi",
  "Gulf of Oman".

and none of its words is a title, a personal name, a month or a day, an
organisation word ("Authority", "Bank", "Initiative"...), a generic political
word ("Republic", "Nations", "Government"...), a continent, a language, an
acronym, or a word the same text also writes in lower case (an ordinary word
capitalised at the start of a sentence or in a heading). Words the text uses
for people ("President X", "X said") are never places. Phrases overlapping a
name the matcher found are the matcher's business, and are left alone.

One pass over the words, so it is linear in the text's length.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from .document import Document
from .gazetteer import name_key, normalize
from .namewords import MONTHS, ORG_WORDS, PERSONAL_NAMES, TITLES, WEEKDAYS

# A word: letters and digits, with inner apostrophes ("Xi'an"); hyphens join words.
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
# What may stand between two words of one name.
_NAME_GAP = re.compile(r"(?: |\u00a0|-|\u2010|\u2011|\u2013)")

# Prepositions after which a capitalised word is a place ("in", "near").
LOCATIVE = frozenset(
    "in at near into across within inside outside around through via towards toward beyond between to from".split()
)
# After these only a single word is taken: they take people as well as places.
_SINGLE_WORD_AFTER = frozenset({"to", "from"})
# A lower-case noun then "of" introduces a place name: "the port of Chabahar", "the capital of Telangana".
_OF_NOUNS = frozenset(
    "port city town village province region district island islands valley county capital harbour harbor "
    "airport state prefecture municipality oblast governorate emirate".split()
)

# The last word of a place name that says what kind of place it is, and the kind it becomes.
PLACE_WORDS: dict[str, str] = {
    "port": "port", "seaport": "port", "harbour": "port", "harbor": "port", "terminal": "port",
    "airport": "airport", "airfield": "airport", "airbase": "airport",
    "dam": "dam", "barrage": "dam",
    "valley": "valley",
    "district": "region", "province": "region", "region": "region", "prefecture": "region", "county": "region",
    "governorate": "region", "oblast": "region", "tehsil": "region", "division": "region", "desert": "region",
    "basin": "region", "plateau": "region", "peninsula": "region",
    "zone": "zone", "park": "zone",
    "station": "station",
    "pass": "pass",
    "bay": "sea", "gulf": "sea", "strait": "sea", "straits": "sea", "sea": "sea",
    "river": "river", "canal": "river",
    "lake": "lake", "reservoir": "lake",
    "island": "island", "islands": "island",
    "mountains": "mountain", "mountain": "mountain", "hills": "mountain", "glacier": "mountain",
    "corridor": "corridor",
}
# Words that start a place name and say its kind: "Lake Saiful Muluk", "Mount Rakaposhi", "Gulf of Oman".
LEADING_PLACE_WORDS: dict[str, str] = {"lake": "lake", "mount": "mountain", "port": "port", "cape": "place"}
_LEADING_OF = frozenset("gulf bay strait straits sea isle island port".split())

# Descriptive words that do not make a name of their own: "Special Economic Zone" names nothing.
GENERIC = frozenset(
    """special economic free trade industrial export processing international national new old dry deep water main
    central middle north south east west northern southern eastern western upper lower great greater high technology
    science space power police railway rail bus metro border joint pilot development strategic cooperation key
    major first second third global regional local autonomous administrative capital federal tribal coastal
    maritime logistics energy solar wind hydropower hydroelectric nuclear coal container cargo fishing smart green
    digital blue silk grand modern model demonstration project projects tech hi agricultural agriculture mining
    oil gas petroleum chemical textile software innovation research education health medical tourism tourist
    cultural heritage friendship peace military naval air army security customs transit transport commercial
    business financial finance services service shipping information communication marine ocean economy
    the a an this that these those our their its his her both all each every some many most""".split()
) | frozenset(PLACE_WORDS) | frozenset(LEADING_PLACE_WORDS)

# Words that make a phrase an institution, an event, a document or a political entity, never a place to look up.
NOT_PLACE_WORDS = ORG_WORDS | frozenset(
    """republic kingdom nations united union government islamic democratic people people's peoples federation
    state states emirates commonwealth sultanate caliphate administration parliament senate cabinet secretariat
    embassy consulate mission delegation office department bureau programme program plan agreement treaty
    declaration statement charter summit conference convention dialogue partnership strategy vision framework
    policy railways airlines airways holdings technologies limited ltd inc corp plc news post force forces navy
    police guard guards front movement alliance community cooperation organization organisation partners
    conglomerate consortium project projects act law code protocol memorandum accord accords communique
    communiqué expo exhibition festival olympics cup championship award prize trust chamber commerce""".split()
)

# Continents and world regions: an online answer for them is a whole continent or nothing useful.
CONTINENTS = frozenset(
    "europe asia africa america americas oceania antarctica arctic eurasia eurasian asian african european "
    "american levant maghreb balkans caucasus scandinavia".split()
)
LANGUAGES = frozenset(
    """english urdu arabic persian farsi dari pashto punjabi sindhi balochi baloch hindi bengali bangla mandarin
    cantonese chinese uyghur uighur tibetan russian french german spanish portuguese italian japanese korean
    turkish swahili amharic malay indonesian thai vietnamese latin hebrew greek kazakh uzbek kyrgyz tajik turkmen
    mongolian nepali sinhala tamil telugu kannada marathi gujarati burmese khmer lao dutch polish""".split()
)
# News agencies and feasts: capitalised, after "from"/"in", and not places.
OTHER_NAMES = frozenset(
    """reuters xinhua bloomberg dawn tass bernama anadolu kyodo yonhap ramadan eid christmas easter diwali nowruz
    islam christianity buddhism hinduism god allah""".split()
) | frozenset(
    # "In Conclusion", "At Present", "To Date": set phrases that a heading or a habit capitalises
    """conclusion addition particular total future general summary short fact brief principle practice turn
    return response contrast comparison order case view light accordance line support favour favor detail depth
    part full sum present date retrospect time force effect essence reality theory""".split()
)
# Plurals of place words name a kind of place, never one: "Special Technology Zones".
_PLURAL_PLACE_WORDS = frozenset(
    "ports airports dams valleys districts provinces regions zones parks stations passes bays rivers lakes corridors "
    "terminals harbours harbors canals seas".split()
)
# Endings of English common nouns and adjectives that place names hardly have ("Intelligence", "Cooperation").
_COMMON_ENDINGS = (
    "tion", "sion", "ment", "ness", "ity", "ence", "ance", "ogy", "ics", "ical", "ial", "ive", "ous", "ful", "less",
    "able", "ible", "ship", "ism", "ist", "ists",
)
# Words that mark a phrase as a person, a title or a date (and the words never taken for a town).
_PERSON_WORDS = PERSONAL_NAMES | TITLES | WEEKDAYS | MONTHS | frozenset({"asia", "africa", "europe", "victoria", "belt", "union"})
# Words after which the capitalised words before are a person: "Zhao said".
_SPEECH = re.compile(r"\s+(?:said|says|told|stated|added|noted|remarked|announced|stressed|urged)\b")
# Small words a Title Case heading keeps in lower case.
_SMALL = frozenset("a an the of and or in on at to for by with from as into via nor but per vs".split())
_BREAK = _SMALL | LOCATIVE
MAX_WORDS = 6
_NUMBERED = re.compile(r"[ \u00a0-]?(?:\d|[IVX]+\b|No\b)")


@dataclass(frozen=True)
class Candidate:
    """A phrase of a document that names a place no gazetteer knows (or may)."""

    surface: str
    start: int
    end: int
    sentence: int
    rule: str  # why: "after 'in'", "place word 'Port'"...
    kind: str = "place"  # what the phrase says the place is (port, valley...), else "place"

    @property
    def key(self) -> str:
        """The words, normalised: one look-up per name."""
        return " ".join(name_key(self.surface))


@dataclass
class _Run:
    words: list[tuple[int, int]]  # (start, end) of each word, in the text
    sentence: int
    possessive: bool = False  # ends in "'s"
    trigger: str = ""  # the preposition (or "port of") just before, if any
    initial: bool = False  # starts its sentence


def find_candidates(
    document: Document, known: Iterable[tuple[int, int]] = (),
    blocks: Sequence[tuple[int, int]] | None = None, tick: Callable[[int], None] | None = None,
) -> list[Candidate]:
    """The phrases of ``document`` that look like place names, in reading order.

    ``known`` are the (start, end) spans the matcher found (places, and the
    names it refused as people or organisations): a candidate never overlaps one.

    ``blocks`` (``Document.blocks``) reads a long text a block at a time:
    what the whole text says (the words it writes in lower case, its
    headings, the words it uses for people) is gathered block by block,
    with the few runs that may name a place, and those are judged by it at
    the end, so the candidates are the same as in one block.  ``tick(end)``
    is called after each block (progress, and a chance to stop).
    """
    text = document.text
    sentences = document.sentences
    if not sentences:
        return []
    starts_of = [s.start for s in sentences]
    lower_vocab: set[str] = set()
    headings: set[int] = set()
    person: set[str] = set()
    kept: list[_Run] = []
    for start, end in blocks or [(0, len(text))]:
        first = bisect_left(starts_of, start)
        words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
        lower, heads = _vocabulary(text, words, sentences, first)
        lower_vocab |= lower
        headings |= heads
        runs = _runs(text, words, sentences, first)
        person |= _person_words(text, runs)
        _triggers(text, words, runs)
        kept += (run for run in runs if _may_name_a_place(text, run))
        if tick is not None:
            tick(end)
    spans = sorted(known)
    starts = [s for s, _ in spans]
    ends_max = _running_max([e for _, e in spans])
    vocab, people, heads = frozenset(lower_vocab), frozenset(person), frozenset(headings)
    out: list[Candidate] = []
    for n, run in enumerate(kept):
        if tick is not None and n % 5_000 == 4_999:
            tick(len(text))
        cand = _judge(text, run, vocab, people, heads)
        if cand is not None and not _overlaps(cand.start, cand.end, starts, ends_max):
            out.append(cand)
    return out


def _may_name_a_place(text: str, run: _Run) -> bool:
    """Whether ``_judge`` could take the run: it follows a preposition or holds a word for a kind of place."""
    return bool(run.trigger) or any(
        (k := normalize(text[s:e])) in PLACE_WORDS or k in LEADING_PLACE_WORDS or k in _LEADING_OF for s, e in run.words
    )


# --- the pass over the words ---------------------------------------------------------


def _vocabulary(text: str, words: list[tuple[int, int]], sentences, s: int = 0) -> tuple[set[str], set[int]]:
    """Words the text writes in lower case, and the sentences written as Title Case headings.

    ``s``: the sentence the first of ``words`` may be in (a block's first).
    """
    lower: set[str] = set()
    has_lower: set[int] = set()
    counted: dict[int, int] = {}
    for start, end in words:
        while s < len(sentences) and sentences[s].end <= start:
            s += 1
        if s == len(sentences):
            break
        ch = text[start]
        if ch.islower():
            w = normalize(text[start:end])
            lower.add(w)
            if w not in _SMALL:
                has_lower.add(s)
        if ch.isalpha():
            counted[s] = counted.get(s, 0) + 1
    headings = {i for i, n in counted.items() if n >= 4 and i not in has_lower}
    return lower, headings


def _runs(text: str, words: list[tuple[int, int]], sentences, s: int = 0) -> list[_Run]:
    """Maximal runs of capitalised words within a sentence, joined by a space or a hyphen.

    A capitalised small word ("In", "The", "Of") ends a run and opens the next,
    so "In Split" is read as a preposition and a name. "of" joins only after a
    leading place word ("Gulf of Oman").
    """
    runs: list[_Run] = []
    cur: _Run | None = None
    for start, end in words:
        while s < len(sentences) and sentences[s].end <= start:
            s += 1
        if s == len(sentences) or start < sentences[s].start:
            cur = None
            continue
        capital = text[start].isupper()
        if cur is not None and cur.sentence == s and not cur.possessive:
            prev_end = cur.words[-1][1]
            gap = text[prev_end:start]
            if len(gap) == 1 and _NAME_GAP.fullmatch(gap):
                key = normalize(text[start:end])
                if capital and key not in _BREAK:
                    cur.words.append((start, end))
                    _mark_possessive(text, cur)
                    continue
                if not capital and _inner_lower(text, cur, key, gap, end):
                    cur.words.append((start, end))
                    continue
        if capital:
            cur = _Run([(start, end)], s, initial=_at_start(text, sentences[s].start, start))
            _mark_possessive(text, cur)
            runs.append(cur)
        else:
            cur = None
    for run in runs:  # a run cannot end in "of" or a particle
        while len(run.words) > 1 and not text[run.words[-1][0]].isupper():
            run.words.pop()
    return runs


_PARTICLES = frozenset({"e", "i", "ul", "ud", "al", "el", "de", "da", "o"})


def _inner_lower(text: str, run: _Run, key: str, gap: str, end: int) -> bool:
    """A lower-case word inside a name: "Gulf of Oman", "Mazar-e-Sharif", "Dar-ul-Aman"."""
    if key == "of" and gap == " " and len(run.words) == 1:
        return normalize(text[run.words[0][0] : run.words[0][1]]) in _LEADING_OF
    return gap == "-" and key in _PARTICLES and end < len(text) and text[end] == "-"


def _mark_possessive(text: str, run: _Run) -> None:
    start, end = run.words[-1]
    m = _POSSESSIVE.search(text, start, end)
    if m:
        run.words[-1] = (start, m.start())
        run.possessive = True


def _at_start(text: str, sentence_start: int, start: int) -> bool:
    """Nothing but quotes, brackets or dashes between the sentence's start and this word."""
    return start - sentence_start <= 4 and not any(c.isalnum() for c in text[sentence_start:start])


def _person_words(text: str, runs: list[_Run]) -> frozenset[str]:
    """Words this text uses for people: after a title or a known name, or before "said"."""
    out: set[str] = set()
    for run in runs:
        keys = [normalize(text[s:e]) for s, e in run.words]
        for i, k in enumerate(keys):
            if k in _PERSON_WORDS:
                out.update(x for x in keys[i:] if x not in _PERSON_WORDS)
                break
        end = run.words[-1][1]
        if not run.possessive and _SPEECH.match(text, end):
            out.update(keys[-2:])
    return frozenset(out)


def _triggers(text: str, words: list[tuple[int, int]], runs: list[_Run]) -> None:
    """Set each run's trigger: the preposition just before, or the list it belongs to."""
    word_at = {start: i for i, (start, _) in enumerate(words)}
    for run in runs:
        first = word_at[run.words[0][0]]
        word = normalize(text[run.words[0][0] : run.words[0][1]])
        if word in LOCATIVE and len(run.words) > 1:
            # "In Split, ...": a capitalised preposition opens the run
            run.trigger = word
            run.words = run.words[1:]
            run.initial = False
            continue
        if first > 0:
            ps, pe = words[first - 1]
            gap = text[pe : run.words[0][0]]
            if gap in (" ", "\u00a0") and text[ps].islower():
                prev = normalize(text[ps:pe])
                if prev in LOCATIVE:
                    run.trigger = prev
                    continue
                if prev == "of" and first > 1:
                    ns, ne = words[first - 2]
                    noun = normalize(text[ns:ne])
                    if noun in _OF_NOUNS and text[ns].islower() and text[ne:ps] in (" ", "\u00a0"):
                        run.trigger = f"{noun} of"
                        continue
    _lists(text, runs)


_LIST_LINK = re.compile(r"\s*(?:,\s*(?:(and|or)\s+)?|(and|or)\s+)$")


def _lists(text: str, runs: list[_Run]) -> None:
    """The rest of a list a preposition opens: "between Sost and Karimabad", "in A, B and C".

    A list joined by commas counts only when "and" or "or" closes it, so
    "in Beijing, Reuters reported" does not make Reuters a place.
    """
    i = 0
    while i < len(runs):
        j = i
        closed = False
        links: list[str] = []
        while j + 1 < len(runs) and runs[j + 1].sentence == runs[i].sentence and not runs[j].possessive:
            gap = text[runs[j].words[-1][1] : runs[j + 1].words[0][0]]
            m = _LIST_LINK.match(gap) if len(gap) <= 8 else None
            if not m:
                break
            links.append("and" if (m.group(1) or m.group(2)) else ",")
            j += 1
            if links[-1] == "and":
                closed = True
                break
        if runs[i].trigger and runs[i].trigger in LOCATIVE and j > i and closed:
            for r in runs[i + 1 : j + 1]:
                if not r.trigger:
                    r.trigger = f"{runs[i].trigger} (list)"
        i = j + 1 if j > i and closed else i + 1


# --- judging one run -------------------------------------------------------------------


def _judge(text: str, run: _Run, lower_vocab: frozenset[str], person: frozenset[str], headings: frozenset[int]) -> Candidate | None:
    words = list(run.words)
    if not words or len(words) > MAX_WORDS:
        return None
    keys = [normalize(text[s:e]) for s, e in words]
    if run.initial and not run.trigger and (keys[0] in GENERIC or keys[0] in lower_vocab):
        words, keys = words[1:], keys[1:]  # "Both ...", "Key ...": an ordinary word opening the sentence
    while keys and keys[0] in _SMALL:
        words, keys = words[1:], keys[1:]  # "The" of a Title Case heading
    if not words:
        return None
    surfaces = [text[s:e] for s, e in words]
    for k, w in zip(keys, surfaces, strict=True):
        if (
            k in _PERSON_WORDS or k in person or k in NOT_PLACE_WORDS or k in _PLURAL_PLACE_WORDS
            or k in CONTINENTS or k in LANGUAGES or k in OTHER_NAMES
        ):
            return None
        if len(w) > 1 and w.isupper():
            return None  # an acronym: an organisation or a programme more often than a place
        if any(c.isdigit() for c in w):
            return None
    distinctive = [
        k for k in keys if k not in GENERIC and k not in lower_vocab and k not in _SMALL and not k.endswith(_COMMON_ENDINGS)
    ]
    kind, rule = _place_word(keys, surfaces)
    if kind is not None:
        named = [k for k in distinctive if k not in PLACE_WORDS and k not in LEADING_PLACE_WORDS]
        if not named:
            return None
    elif run.trigger and run.sentence not in headings:
        if not distinctive or len(keys) > 4:
            return None
        if run.trigger.split(" ")[0] in _SINGLE_WORD_AFTER and len(keys) > 1:
            return None
        if len(keys) == 1 and (len(surfaces[0]) < 3 or _demonym_like(keys[0])):
            return None
        kind, rule = "place", f"after {run.trigger!r}"
    else:
        return None
    start, end = words[0][0], words[-1][1]
    if _NUMBERED.match(text, end):
        return None  # "Block 7", "Article 5", "Zone III": a label, not a name
    return Candidate(text[start:end], start, end, run.sentence, rule, kind)


def _place_word(keys: list[str], surfaces: list[str]) -> tuple[str | None, str]:
    """The kind a place word gives the phrase ("Hunza Valley", "Lake Saiful Muluk"), if it has one."""
    if len(keys) >= 2 and keys[-1] in PLACE_WORDS:
        return PLACE_WORDS[keys[-1]], f"place word {surfaces[-1]!r}"
    if len(keys) >= 3 and keys[1] == "of" and keys[0] in _LEADING_OF:
        return PLACE_WORDS[keys[0]], f"place word {surfaces[0]!r}"
    if len(keys) >= 2 and keys[0] in LEADING_PLACE_WORDS:
        return LEADING_PLACE_WORDS[keys[0]], f"place word {surfaces[0]!r}"
    return None, ""


def _demonym_like(word: str) -> bool:
    """"Japanese", "Turkish", "Marxism": words for peoples, tongues and creeds."""
    return word.endswith(("ese", "ish", "ism", "ist", "ists"))


# --- spans ---------------------------------------------------------------------------


def _running_max(values: list[int]) -> list[int]:
    out, best = [], -1
    for v in values:
        best = max(best, v)
        out.append(best)
    return out


def _overlaps(start: int, end: int, starts: list[int], ends_max: list[int]) -> bool:
    """Whether [start, end) overlaps any known span (sorted by start; ends as a running maximum)."""
    i = bisect_right(starts, end - 1)  # spans starting before our end
    return i > 0 and ends_max[i - 1] > start
