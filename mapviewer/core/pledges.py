"""Which sentences commit someone to something, about what, and who commits.

Plain keyword rules, so every label can be explained by the words that
triggered it (kept in ``Pledge.triggers``) and checked in tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

THEMES: dict[str, str] = {
    "security": "Security and counter-terrorism",
    "cpec": "CPEC and infrastructure",
    "energy": "Energy",
    "mining": "Mining and resources",
    "trade": "Trade, finance and industry",
    "core": "Core interests and diplomacy",
    "regional": "Regional security",
    "people": "People-to-people, education and technology",
}

_THEME_WORDS: dict[str, str] = {
    "security": r"terroris\w*|counter-?terror\w*|(?<!Global )securit(?:y|ies)(?! Council)|safety|perpetrators|attacks?|extremis\w*|militan\w*",
    "cpec": r"CPEC|corridor|infrastructure|railways?|highways?|ports?|airports?|connectivity|Belt and Road|realignment|ML-1|Gwadar",
    "energy": r"energy|power|renewable|electricity|hydropower|oil|gas|solar|coal",
    "mining": r"mining|minerals?|geological|explorations?|resources",
    "trade": r"trade|financ\w*|fiscal|investments?|industr\w*|economic|business|markets?|ventures",
    "core": r"sovereignty|territorial integrity|one-China|core (?:national )?interests|UN Charter|Security Council|dispute|stance|"
    r"diplomat\w*|Global (?:Development|Security|Civilisation|Civilization) Initiatives?",
    "regional": r"regional|region|South Asia|Afghan\w*|peace(?:ful)?|stability",
    "people": r"people-to-people|scholarships?|students?|educat\w*|cultur\w*|vocational|artificial intelligence|big data|technolog\w*|media|livelihoods?|youth|tourism",
}
_THEME_RE = {k: re.compile(rf"\b(?:{v})\b", re.IGNORECASE) for k, v in _THEME_WORDS.items()}

# Verbs of commitment, in the forms declarations use; the first one found
# ends the subject, whose named parties are the ones committing.
_COMMIT_RE = re.compile(
    r"\b(reaffirm(?:ed|s)?|reiterat(?:ed|es?)|agree[ds]?|pledg(?:ed|es?|ing)|commit(?:ted|s)?|will|shall|"
    r"welcom(?:ed|es)|welcome(?! ceremony| dinner| banquet| reception| address| speech)|"
    r"support(?:ed|s)?|urg(?:ed|es?|ing)|call(?:ed)? (?:on|upon)|discussed|"
    r"expressed (?:\w+ ){0,2}(?:readiness|willingness|support|appreciation|concern|hope|satisfaction)|"
    r"encourag(?:ed|es?)|commend(?:ed|s)?|thank(?:ed|s)?|underscor(?:ed|es?)|emphasi[sz](?:ed|es?)|"
    r"stress(?:ed|es)?|decid(?:ed|es?)|sign(?:ed|s)?|resolv(?:ed|es?)|vow(?:ed|s)?|promis(?:ed|es?)|"
    r"ensur(?:e|ed|es|ing))\b",
    re.IGNORECASE,
)
_BOTH_RE = re.compile(r"\b(both|two) (sides|countries|nations|leaders|parties|governments)\b|\bthe sides\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pledge:
    """A sentence read as a commitment, with the words behind each label."""

    sentence: int
    text: str
    themes: tuple[str, ...]
    actors: tuple[str, ...]
    commitment: str
    triggers: dict[str, list[str]] = field(default_factory=dict)


_PRONOUN_SUBJECT = re.compile(r"^\s*(?:it|they|he|she|this side|the side)\b", re.IGNORECASE)


def classify(
    sentence: int, text: str, parties: list[tuple[int, str]], previous: Pledge | None = None
) -> Pledge | None:
    """Read one sentence; None when it commits nobody to anything.

    ``parties`` are the countries the geoparser found in the sentence, as
    (offset in the sentence, name); those before the verb are the actors.
    A subject that is only a pronoun ("It will also…") takes the actors of
    the ``previous`` pledge, which is how declarations are written.
    """
    verb = _COMMIT_RE.search(text)
    if verb is None:
        return None
    subject = text[: verb.start()]
    triggers: dict[str, list[str]] = {"commitment": [verb.group()]}
    themes = []
    for key, rx in _THEME_RE.items():
        words = sorted({m.group() for m in rx.finditer(text)}, key=str.lower)
        if words:
            themes.append(key)
            triggers[key] = words
    both = _BOTH_RE.search(subject)
    actors = list(dict.fromkeys(name for offset, name in parties if offset < verb.start()))
    if both:
        triggers["actors"] = [both.group()]
        actors = ["both"]
    elif len(actors) > 1:
        actors = ["both"] if len(actors) == 2 else actors
    elif not actors and previous is not None and _PRONOUN_SUBJECT.match(subject):
        actors = list(previous.actors)
        triggers["actors"] = [subject.split()[0], f"(as in sentence {previous.sentence + 1})"]
    return Pledge(sentence, text, tuple(themes), tuple(actors), verb.group().lower(), triggers)



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

    def accepts(self, doc: int, pledge: Pledge | None) -> bool:
        if self.document is not None and doc != self.document:
            return False
        if not (self.themes or self.parties):
            return True
        if pledge is None:
            return False
        return (not self.themes or bool(self.themes & set(pledge.themes))) and (
            not self.parties or bool(self.parties & set(pledge.actors))
        )

    def as_page(self) -> dict:
        return {"themes": sorted(self.themes), "parties": sorted(self.parties), "document": self.document}
