"""What a sentence of a declaration is: a pledge, talk, or a fact, and the labels shown for it.

A pledge is a commitment: a party commits to, or reaffirms its commitment
to, a future action, support or stance ("will", "agreed to", "pledged",
"reaffirmed its support", "expressed readiness to", "China's offer to"),
also when a report says so indirectly ("Li said Beijing would ..."), when
it is negative ("will not allow") or conditional ("if ..., China will").
Talk (meetings, thanks, praise, welcomes, signatures, calls on others),
facts, numbers, questions and a commitment denied ("did not agree") are
not pledges; talk is read too and marked as what it is. The rules that
read sentences are in ``commitments``.

Every label keeps the words that gave it (``Reading.triggers``). The one
vocabulary of labels (``THEMES``, ``label_parts``, ``evidence``) is here,
for the window, the PDF and the exports alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from .patterns import LazyPattern, word_pattern

if TYPE_CHECKING:
    from .document import Sentence

THEMES: dict[str, str] = {
    "security": "Security",
    "infrastructure": "Infrastructure and connectivity",
    "energy": "Energy",
    "mining": "Mining",
    "trade": "Trade, finance and industry",
    "sovereignty": "Sovereignty and core interests",
    "regional": "Regional and global affairs",
    "people": "People-to-people, education and technology",
}

# The words that give each theme, lower-case, as texts write them (phrases and word forms spelt out).
_THEME_TERMS: dict[str, str] = {
    "security": """terrorism terrorist terrorists counter-terrorism counterterrorism anti-terrorism security safety
    military militaries defence defense police policing extremism extremist extremists separatism separatist
    separatists militant militants militancy attack attacks armed forces law enforcement perpetrators weapons
    naval navy army troops three evil forces cybersecurity""",
    "infrastructure": """infrastructure railway railways rail road roads highway highways motorway motorways expressway
    expressways bridge bridges port ports seaport seaports airport airports corridor corridors connectivity
    logistics transport transportation shipping tunnel tunnels terminal terminals metro subway high-speed freight
    container containers cpec belt and road bri sgr ecrl construction transit flights flight dry port""",
    "energy": """energy power electricity hydropower hydroelectric solar wind power wind farm oil gas lng coal nuclear
    renewable renewables grid pipeline pipelines refinery refineries transmission line barrels power plant
    power plants""",
    "mining": """mining mine mines mineral minerals lithium copper nickel cobalt iron ore bauxite rare earth rare earths
    geological exploration explorations smelter smelters""",
    "trade": """trade trading finance financing financial financed fiscal investment investments invest investors
    investor loan loans lend lending credit debt currency currencies industry industries industrial
    industrialisation industrialization economic economy business businesses market markets export exports
    import imports tariff tariffs customs agriculture agricultural farming farmers manufacturing venture ventures
    commerce commercial e-commerce supply chain supply chains""",
    "sovereignty": """sovereignty sovereign territorial integrity one-china taiwan xinjiang xizang tibet hong kong
    macao south china sea core interests core national interests internal affairs interfere interference
    interfering non-interference reunification national unity kashmir dispute disputes human rights""",
    "regional": """regional region peace peaceful strategic stability afghan afghanistan un united nations
    security council multilateral multilateralism global development global security global civilisation
    global civilization global governance global challenges international issues international affairs
    international community international order international law international situation international cooperation
    international relations sco brics asean g20 apec wto climate climate change gaza ceasefire ukraine middle east
    south asia central asia humanitarian""",
    "people": """people-to-people culture cultural education educational student students scholarship scholarships
    university universities school schools training vocational youth tourism tourist tourists media journalists
    think tank think tanks health healthcare medical medicine hospital hospitals vaccine vaccines science
    scientific technology technologies technological technicians artificial intelligence big data digital
    telecommunications telecom 5g internet space satellite satellites research laboratory laboratories genetics
    exchanges livelihood livelihoods poverty sport sports housing""",
}
# Phrases spelt out above, as words joined by single spaces; a single word may not be also in another theme.
_PHRASES = ("armed forces", "law enforcement", "three evil forces", "belt and road", "dry port", "wind power",
            "wind farm", "transmission line", "power plant", "power plants", "iron ore", "rare earth", "rare earths",
            "supply chain", "supply chains", "territorial integrity", "hong kong", "south china sea", "core interests",
            "core national interests", "internal affairs", "national unity", "human rights", "strategic stability",
            "united nations", "security council", "global development", "global security", "global civilisation",
            "global civilization", "global governance", "global challenges", "international issues",
            "international affairs", "international community", "international order", "international law",
            "international situation", "international cooperation", "international relations", "climate change",
            "middle east", "south asia", "central asia", "think tank", "think tanks", "artificial intelligence",
            "big data")


def _theme_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for theme, terms in _THEME_TERMS.items():
        text = " ".join(terms.split())
        for phrase in _PHRASES:
            if f" {phrase} " in f" {text} ":
                index[phrase] = theme
                text = f" {text} ".replace(f" {phrase} ", " ").strip()
        for word in text.split():
            index.setdefault(word, theme)
    return index


_THEME_OF = _theme_index()
_THEME_RE = LazyPattern(lambda: r"(?<![\w\-])(?:" + word_pattern(_THEME_OF) + r")(?![\w\-])")
# "food security" is not security, nor "Security Council" (regional) or "the power of" energy.
_NOT_THEME_BEFORE = {"security": ("food ", "energy ", "water ", "global ", "social ", "job ", "data ")}
_NOT_THEME_AFTER = {"security": (" council", " initiative"), "power": (" of", "s of"), "space": (" for", " to")}
_EXCEPTIONS = frozenset(_NOT_THEME_BEFORE) | frozenset(_NOT_THEME_AFTER)
_ACRONYMS = frozenset("cpec bri sgr ecrl un sco brics asean g20 apec wto lng 5g".split())

# Named programmes, shown as a sub-label of their theme.
_PROGRAMME_RE = LazyPattern(
    r"\bCPEC(?: 2\.0)?|China[\-–]Pakistan Economic Corridor|\bBelt and Road(?: Initiative)?|\bBRI\b|"
    r"\b(?:[A-Z][\w\-]*[ \-–]){1,4}Economic Corridor|\b(?:Digital|Health|Green|Polar|Maritime) Silk Road|"
    r"China[\-–]Europe Railway Express|\bStandard Gauge Railway|\bSGR\b|\bECRL\b|\bEast Coast Rail Link|"
    r"\bGlobal (?:Development|Security|Civili[sz]ation) Initiatives?"
)

_PROGRAMME_HINT_RE = LazyPattern(
    r"CPEC|Corridor|Belt and Road|BRI|Silk Road|Railway Express|SGR|Standard Gauge|ECRL|East Coast Rail|Initiative"
)


def _programme_theme(name: str) -> str:
    return "regional" if name.startswith("Global ") else "infrastructure"


@dataclass(frozen=True, slots=True)
class Reading:
    """How one sentence reads: a pledge (a commitment), talk, or a fact linked to a pledge.

    ``commitment`` holds the words of commitment of a pledge; ``talk`` what a
    talk sentence is ("discussed", "welcomed"); ``actors`` the parties who
    commit (for talk: whose talk it is); ``under`` the pledge sentence a talk
    or fact sentence falls under (``under_reason`` says why).
    """

    sentence: int
    text: str
    themes: tuple[str, ...]
    actors: tuple[str, ...]
    commitment: str
    triggers: dict[str, list[str]] = field(default_factory=dict)
    pledge: bool = True
    talk: str = ""
    negated: bool = False
    condition: str = ""
    programmes: tuple[str, ...] = ()
    under: int | None = None
    under_reason: str = ""

    @property
    def label(self) -> str:
        """What the sentence is, as the reader is told: "PLEDGE", or the talk ("DISCUSSED")."""
        if self.pledge:
            return "PLEDGE"
        return (self.talk or "related").upper()


Pledge = Reading  # a Reading whose ``pledge`` is True: what ``Atlas.pledges`` holds


def themes_of(text: str) -> tuple[tuple[str, ...], dict[str, list[str]], tuple[str, ...]]:
    """(theme keys in the fixed order of ``THEMES``, the words behind each, named programmes).

    A programme's own words count for its theme only ("Economic" in
    "China-Pakistan Economic Corridor" is no trade).
    """
    low = text.lower()
    programmes: tuple[str, ...] = ()
    if _PROGRAMME_HINT_RE.search(text) is not None:
        spans = [(m.start(), m.end(), " ".join(m.group().split())) for m in _PROGRAMME_RE.finditer(text)]
        programmes = tuple(dict.fromkeys(name for _, _, name in spans))
        if spans and len(low) == len(text):
            for start, end, _ in spans:
                low = low[:start] + " " * (end - start) + low[end:]
    words = _THEME_RE.findall(low)
    if not words and not programmes:
        return (), {}, ()
    found: dict[str, set[str]] = {}
    theme_of = _THEME_OF
    for word in words:
        found.setdefault(theme_of[word], set()).add(word)
    for word in _EXCEPTIONS.intersection(words):
        if all(_excluded(low, m) for m in re.finditer(rf"(?<![\w\-]){word}(?![\w\-])", low)):
            theme = theme_of[word]
            found[theme].discard(word)
            if not found[theme]:
                del found[theme]
    for p in programmes:
        found.setdefault(_programme_theme(p), set()).add(p)
    themes = tuple(k for k in THEMES if k in found)
    return themes, {k: sorted((w.upper() if w in _ACRONYMS else w for w in found[k]), key=str.lower) for k in themes}, programmes


def _excluded(low: str, m: re.Match) -> bool:
    word = m.group()
    before, after = _NOT_THEME_BEFORE.get(word), _NOT_THEME_AFTER.get(word)
    return bool(before and low[max(0, m.start() - 7) : m.start()].endswith(before)) or bool(
        after and low.startswith(after, m.end())
    )


def read_sentences(text: str, sentences: list[Sentence], tick: Callable[[int], None] | None = None) -> dict[int, Reading]:
    """Every sentence of one document that says something: pledges, talk, and facts under a pledge.

    The rules are in ``commitments``; see there.  ``tick(offset)`` is told
    how far the reading is, every few thousand sentences.
    """
    from .commitments import read_document

    return read_document(text, sentences, tick)


# --- the labels, one vocabulary for the window, the PDF and the exports --------------


def theme_label(key: str, programmes: Iterable[str] = ()) -> str:
    """A theme's human label, with the named programme it covers: "Infrastructure and connectivity (CPEC)"."""
    named = [p for p in programmes if _programme_theme(p) == key]
    return f"{THEMES[key]} ({', '.join(named)})" if named else THEMES[key]


def themes_label(reading: Reading | None) -> str:
    """Every theme of a reading, "; " between them ("" for none)."""
    if reading is None:
        return ""
    return "; ".join(theme_label(t, reading.programmes) for t in reading.themes)


def parties_label(parties: Iterable[str]) -> str:
    """"Pakistan and China", "Kenya, Uganda and China", or "unstated"."""
    names = list(parties)
    if not names:
        return "unstated"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def commitment_label(reading: Reading) -> str:
    """How a pledge commits ("agreed to", "will, negative: will not", "will, if ..."), or what talk is."""
    if not reading.pledge:
        return reading.talk
    parts = [reading.commitment]
    if reading.negated:
        parts.append(f"negative: {reading.triggers.get('negation', ['not'])[0]}")
    if reading.condition:
        parts.append(f"condition: {reading.condition}")
    return "; ".join(p for p in parts if p)


def under_label(reading: Reading, pledge: Reading | None, cite: str | None = None) -> str:
    """"under the pledge of s. 12 by Pakistan and China (same theme (...), 2 sentences before)".

    ``cite``: how the document cites the pledge's sentence (``Document.citation``).
    """
    if pledge is None or reading.under is None:
        return ""
    cited = cite or f"s. {pledge.sentence + 1}"
    return f"under the pledge of {cited} by {parties_label(pledge.actors)} ({reading.under_reason})"


def label_parts(reading: Reading, under: Reading | None = None, cite: str | None = None) -> list[str]:
    """A reading's labels in reading order, as the panel, the PDF and the exports show them.

    A pledge: "PLEDGE", how it commits, by whom, its themes. Talk:
    "DISCUSSED" (what it is), "not a pledge", its themes, and the pledge it
    falls under. A fact under a pledge: its themes and that pledge.
    """
    parts: list[str] = []
    if reading.pledge:
        parts += ["PLEDGE", commitment_label(reading), f"by {parties_label(reading.actors)}"]
    elif reading.talk:
        parts += [reading.talk.upper(), "not a pledge"]
    if reading.themes:
        parts.append(themes_label(reading))
    if under is not None:
        parts.append(under_label(reading, under, cite))
    return [p for p in parts if p]


def evidence(reading: Reading) -> list[tuple[str, str]]:
    """(label, the words that gave it) for each label of a reading, in reading order."""
    names = {
        "commitment": "pledge", "talk": "talk", "parties": "who", "negation": "negative",
        "condition": "condition", "programme": "programme",
    }
    out = []
    for key, words in reading.triggers.items():
        if key == "programme":
            continue  # shown with its theme
        label = THEMES.get(key) or names.get(key, key)
        out.append((label, ", ".join(f"“{w}”" for w in words)))
    return out


def evidence_line(reading: Reading) -> str:
    """The evidence as one line: "pledge: “agreed to” · who: “Both countries” · Energy: “solar”"."""
    return " · ".join(f"{label}: {words}" for label, words in evidence(reading))


# --- filtering --------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeFilter:
    """The reader's choice of themes, parties and document; empty means all.

    The page applies the same rule to its features (see ``setFilter`` in
    resources/map.js), so the map and the text always agree.
    """

    themes: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()
    document: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.themes or self.parties) or self.document is not None

    def accepts(self, doc: int, pledge: Reading | None) -> bool:
        if self.document is not None and doc != self.document:
            return False
        if not (self.themes or self.parties):
            return True
        if pledge is None or not pledge.pledge:
            return False
        return (not self.themes or bool(self.themes & set(pledge.themes))) and (
            not self.parties or bool(self.parties & set(pledge.actors))
        )

    def as_page(self) -> dict:
        return {"themes": sorted(self.themes), "parties": sorted(self.parties), "document": self.document}
