"""The rules that tell a commitment from talk, and who commits: one document at a time.

``read_document`` reads a document's sentences in order. Each verb of
commitment or of talk found in a sentence ("agreed to", "will", "discussed",
"said") is read with its subject: the words before it back to the start of
its clause, resolved to parties (``parties`` knows the countries, their
capitals and demonyms, and the people the text names). The first pass over
the whole text counts the countries it names, so "both sides" are the two
most named around a sentence, and learns who each titled person speaks for.
What a reading holds, and the labels shown for it, are in ``pledges``.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, deque
from itertools import chain
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable

from .gcpause import paused_gc
from .parties import CAP_RUN, TITLE_WORDS, Lexicon, People, Person, key_tokens, lexicon
from .patterns import word_pattern
from .pledges import THEMES, Reading, parties_label, themes_of

if TYPE_CHECKING:
    from .document import Sentence

# --- the words of commitment and of talk ------------------------------------------

_COMMIT = (
    r"(?P<agree>agree(?:d|s)?|agreeing)(?= to\b| on\b| upon\b| not\b| that\b)"
    r"|(?P<verb>pledg(?:e|ed|es|ing)|vow(?:ed|s|ing)?|promis(?:e|ed|es|ing)|"
    r"commit(?:ted|s|ting)?(?= to\b| themselves\b| itself\b)|undert(?:ook|ake|akes|aking)(?= to\b)|"
    r"guarantee(?:d|s)?|assur(?:e|ed|es|ing)|decid(?:e|ed|es|ing)(?= to\b| that\b| not\b)|"
    r"resolv(?:e|ed|es|ing)(?= to\b| not\b)|offer(?:ed|s|ing)?(?= to\b)|"
    r"stand(?:s|ing)? ready|stood ready|supports|supported|supporting|"
    r"(?:firmly|fully|strongly|resolutely|always|continue to|jointly) support|"
    r"oppos(?:e|es|ed|ing)|reach(?:ed|es)? (?:an? |the )?(?:\w+ )?(?:agreement|consensus)(?= on\b| to\b| that\b))"
    r"|(?P<copula>(?:is|are|was|were|be|been|being|remain(?:s|ed)?|stay(?:s|ed)?)(?: not)?"
    r"(?: (?:fully|firmly|always|also|still|now|more than|very|highly))? "
    r"(?:ready|willing|prepared|committed|determined|resolved|keen) to)"
    r"|(?P<reaffirm>reaffirm(?:ed|s|ing)?|reiterat(?:e|ed|es|ing)|renew(?:ed|s|ing)?|confirm(?:ed|s|ing)?|"
    r"recommit(?:ted|s)?)"
    r"|(?P<express>express(?:ed|es|ing)?)"
    r"|(?P<modal>will|shall|would|won't|should)"
    r"|(?P<impersonal>it (?:was|has been|is|had been) (?:also |further )?(?:agreed|decided|resolved))"
)
_TALK = (
    r"(?P<speech>said|says|told|tell|tells|stated|states|announced|announces|added|adds|declared|remarked)"
    r"|(?P<talk>discuss(?:ed|es|ing)?|held (?:\w+ ){0,2}(?:talks|discussions|consultations|meetings?|"
    r"a meeting|a dialogue|(?:a )?(?:phone|video|telephone) (?:call|conversation))|met|meets?|"
    r"exchang(?:ed|es|ing) (?:[\w\-]+ )?views|thank(?:ed|s|ing)?|commend(?:ed|s|ing)?|prais(?:ed|es|ing)|"
    r"appreciat(?:ed|es|ing)|congratulat(?:ed|es|ing)|welcom(?:ed|es|ing)|sign(?:ed|s|ing)?|"
    r"witness(?:ed|es)|attend(?:ed|s)|visit(?:ed|s)|paid (?:a |an )?(?:\w+ )?visit|receiv(?:ed|es)|"
    r"host(?:ed|s)|brief(?:ed|s)|review(?:ed|s)|highlight(?:ed|s)|underscor(?:ed|es|ing)|"
    r"emphasi[sz](?:ed|es|ing)|stress(?:ed|es|ing)|not(?:ed|es)|recall(?:ed|s)|call(?:ed|s)? (?:for|on|upon)|"
    r"urg(?:ed|es|ing)|hop(?:ed|es)|look(?:ed|s)? forward|invit(?:ed|es)|described|acknowledg(?:ed|es)|"
    r"recogni[sz](?:ed|es)|condemn(?:ed|s)|mourn(?:ed|s)|declined|refused|rejected|questioned|"
    r"criticis(?:ed|es)|criticiz(?:ed|es)|complained)"
)
_CUE_RE = re.compile(rf"(?:{_COMMIT}|{_TALK})\b")
# The first words of every cue above: a sentence is scanned for these, and the full pattern tried only there.
_CUE_FIRST_WORDS = """agree agreed agrees agreeing pledge pledged pledges pledging vow vowed vows vowing promise promised
promises promising commit committed commits committing undertook undertake undertakes undertaking guarantee
guaranteed guarantees assure assured assures assuring decide decided decides deciding resolve resolved resolves
resolving offer offered offers offering stand stands standing stood supports supported supporting oppose opposes
opposed opposing reach reached reaches reaffirm reaffirmed reaffirms reaffirming reiterate
reiterated reiterates reiterating renew renewed renews renewing confirm confirmed confirms confirming recommit
recommitted recommits express expressed expresses expressing will shall would won't should said says told tell tells
stated states announced announces added adds declared remarked discuss discussed discusses discussing held met
meet meets exchanged exchanges exchanging thank thanked thanks thanking commend commended commends commending praised
praises praising appreciated appreciates appreciating congratulated congratulates congratulating welcomed welcomes
welcoming sign signed signs signing witnessed witnesses attended attends visited visits paid received receives
hosted hosts briefed briefs reviewed reviews highlighted highlights underscored underscores underscoring emphasised
emphasized emphasises emphasizes emphasising emphasizing stressed stresses stressing noted notes recalled recalls
called calls call urged urges urging hoped hopes look looked looks invited invites described acknowledged
acknowledges recognised recognized recognises recognizes condemned condemns mourned mourns declined refused rejected
questioned criticised criticized criticises criticizes complained""".split()
_CUE_START_RE = re.compile(
    r"\b(?:" + word_pattern(_CUE_FIRST_WORDS) + r")\b"
    r"|\b(?:firmly|fully|strongly|resolutely|always|continue to|jointly)(?= support\b)"
    r"|\b(?:is|are|was|were|be|been|being|remain|remains|remained|stay|stays|stayed)(?= (?:not )?(?:\w+ )?"
    r"(?:ready|willing|prepared|committed|determined|resolved|keen) to\b)"
    r"|\bit(?= (?:was|has been|is|had been) (?:also |further )?(?:agreed|decided|resolved)\b)"
)
# "Pakistan's commitment to ...", "China's offer to ...": a commitment named as a thing someone holds.
# The owner is looked for in the few words before the "'s" (a bounded look, so a long run of names stays linear).
_NOMINAL_RE = re.compile(
    r"['’]s[ \u00a0](?:[a-z\-]+[ \u00a0]){0,2}?"
    r"(?P<what>commitment|pledge|promise|offer|readiness|willingness|decision|undertaking|intention|determination)"
    r"[ \u00a0]to\b"
)
_OWNER_RE = re.compile(r"(?:^|[^\w\-.])((?:[A-Z][\w\-.]*[ \u00a0]){0,4}[A-Z][\w\-.]*)$")
_NOMINAL_HINT_RE = re.compile(
    r"\b(?:commitment|pledge|promise|offer|readiness|willingness|decision|undertaking|intention|determination) to\b"
)
_REAFFIRMED = re.compile(
    r"\s+(?:that\b|(?:(?:its|their|his|her|our|the|a|an|this)\s+)?(?:[\w\-]+\s+){0,3}?"
    r"(?:commitment|commitments|support|adherence|determination|resolve|readiness|willingness|position|stance|"
    r"opposition|intention|pledge|policy|principle|desire|dedication|backing|respect)\b)"
)
_EXPRESSED = re.compile(
    r"\s+(?:(?:its|their|his|her|our|the|a|an)\s+)?(?:[\w\-]+\s+){0,2}?"
    r"(?P<what>readiness|willingness|commitment|determination|support|resolve|desire to|intention to)\b"
)
_EXPRESSED_TALK = re.compile(r"\s+(?:(?:its|their|his|her|our|the|a|an)\s+)?(?:[\w\-]+\s+){0,2}?(?P<what>[a-z\-]+)")
_DETERMINERS = frozenset("a an the its their his her our this that these those my your political good free own mutual".split())
_DENIED_BEFORE = re.compile(r"\b(?:not|n't|never|no longer|yet to|neither|nor|hardly)\s+(?:\w+\s+)?$")
_NEGATED_AFTER = re.compile(r"^\s*(?:not|never|n't)\b")
_MODAL_ANY = re.compile(r"\b(?:should|will|would|shall|must|need to|is to|are to)\b")
_QUESTION_END = re.compile(r"\?[\"'”’)\]]*\s*$")
_HEADLINE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_HEADLINE_TO = re.compile(r"^(?P<subject>[^:;]+?)\s+to\s+(?P<verb>[a-z]+)\b")
_CONDITION_RE = re.compile(
    r"\b(?:if|unless|provided(?: that)?|providing that|on condition that|as long as|so long as|in case|"
    r"subject to|once(?! again| more))\b[^,;]*|^\s*(?:should|were|had)\s[^,;]+,",
)
_LEADING_CONDITION_RE = re.compile(
    r"^\s*(?:if|unless|should|were|had|once|provided|providing|as long as|so long as|in case|subject to)\b[^,;]*,\s*",
    re.IGNORECASE,
)
_CONDITION_HINT_RE = re.compile(r"if|unless|provid|condition|long as|in case|subject to|once|^\s*(?:should|were|had) ")

# --- subjects -------------------------------------------------------------------

_BOTH_RE = re.compile(
    r"^(?:(?:both|the two|the|neither|each|either|all)\s+)?(?:sides?|countries|nations|leaders|presidents|premiers|"
    r"prime ministers|heads of state|heads of government|governments|parties|ministers|foreign ministers|"
    r"delegations|two)$|^(?:both|neither|each|either)\s+(?:side|country|nation|government|party|leader)$|"
    r"^(?:the two heads of state|the two leaders|both)$"
)
_PRONOUN_RE = re.compile(r"^(?:it|they|he|she|we|i|this side|that side|its side|our side|the side)$")
_POSS_PRONOUN_RE = re.compile(r"^(?:its|their|his|her|our|my)\s+(?P<head>.+)$")
_LEADING_RE = re.compile(
    r"^\s*(?:(?:and|but|also|additionally|moreover|furthermore|meanwhile|however|separately|further|then|so|"
    r"thus|therefore|in addition|in turn|in return|for (?:its|his|her|their) part|on (?:its|his|her|their) part)\b"
    r"[\s,]*)+",
    re.IGNORECASE,
)
_INTRO_RE = re.compile(
    r"^\s*(?:(?:during|under|in|on|at|after|before|following|with|according to|as|by|for|from|upon|regarding|"
    r"on behalf of|speaking|addressing|earlier|later|today|yesterday|last|this|over|since|within|despite|amid|"
    r"through)\b[^,]*,\s*)+",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(r"^\s*[A-Z][A-Z .'\-]+(?:,[ A-Za-z.]+)?\s*(?:\([^)]*\)\s*)?[—–\-]+\s*")
_PARENTHETICAL_RE = re.compile(r",\s*[a-z][^,]{0,200},|\s*\([^)]{0,200}\)|\s*[—–]\s[^—–]{0,200}[—–]\s")
# Words between a subject and its verb: "Belgrade also committed", "The Bank of China has agreed".
_TRAILING_WORDS = frozenset(
    """has have had is are was were also further jointly firmly fully now then already again still therefore thus
    today too both each always formally publicly would will did does do not never strongly resolutely solemnly
    finally recently previously earlier later repeatedly clearly unanimously together once""".split()
)
_BOUNDARY_RE = re.compile(
    r"(?:\bthat\s+|;\s*|:\s*|,\s*(?:and|but|while|whereas)\s+|\s(?:while|whereas|but)\s+|"
    r"\b(?:under|by|in|through) which\s+|\bwhereby\s+)"
)
# "Mirziyoyev, who promised ...": a relative pronoun's subject is the name before it.
_RELATIVE_RE = re.compile(r"(?:^|\s)((?:[A-Z][\w\-’']*\s+)*[A-Z][\w\-’']*),\s*(?:who|which)\s*$")
# "..., the Mongolian prime minister said.": a speaker named after the words.
_TRAILING_SPEAKER_RE = re.compile(
    r",\s*(?P<who>[^,]{2,80}?)\s+(?:said|says|told \w+|added|stated|announced|declared)\W*$"
)
_SPLIT_CONJ_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+as well as\s+)\s*")
GOV_HEADS = frozenset(
    """side sides government governments leadership authorities administration delegation delegations state
    cabinet ministry ministries parliament president presidents premier premiers minister ministers leader leaders
    country countries nation nations republic embassy army military navy officials official ambassador envoy
    spokesman spokesperson spokeswoman chancellor king queen emir sultan adviser advisor secretary governor
    chairman head people team""".split()
)
ORG_HEADS = frozenset(
    """company companies firm firms enterprise enterprises corporation corporations bank banks group groups fund
    funds investors investor contractor contractors operator operators university universities authority agency
    agencies organisation organization organisations organizations association union institute institutes
    consortium partners developer developers lenders lender""".split()
)
_LIST_WORDS = frozenset("the a an of and both two side sides government governments leadership".split())
# A capitalised name that ends in one of these is a programme, a project or a place, which commits nobody.
NAME_NOT_AGENT = frozenset(
    """belt corridor initiative initiatives railway railways rail line port airport highway road roads motorway
    expressway zone zones park project projects programme program plan strategy vision dam bridge sea river city
    agreement treaty declaration statement summit forum games canal tunnel terminal station pipeline""".split()
)
@dataclass(frozen=True)
class Subject:
    """Who a clause is about: the parties, and whether it names an agent at all."""

    parties: tuple[str, ...]  # party names as shown (countries by name, others as written)
    agent: bool
    words: str
    person: Person | None = None
    both: bool = False


_NOBODY = Subject((), False, "")


@dataclass
class _Cue:
    start: int
    end: int
    kind: str
    words: str


class DocumentReader:
    """Reads the sentences of one document in order, keeping what the next sentence needs.

    The document's countries (counted in a window of sentences around each
    one) say who "both sides" are; its titled people say which country a
    leader speaks for; the previous sentence's subject says who "it" and
    "they" are.
    """

    WINDOW = 30  # sentences before and after whose countries decide "both sides"
    BLOCK = 8

    def __init__(self, text: str, sentences: list[tuple[int, int]], lex: Lexicon | None = None,
                 tick: Callable[[int], None] | None = None) -> None:
        self.text = text
        self.spans = sentences
        self.lex = lex or lexicon()
        self.refs: list[list[str]] = self._country_refs()
        if tick is not None:  # each scan of the whole text takes a second or two on a 50 MB text
            tick(0)
        totals = Counter(c for refs in self.refs for c in refs)
        self.first_seen: dict[str, int] = {}
        for i, refs in enumerate(self.refs):
            for c in refs:
                self.first_seen.setdefault(c, i)
        self.people = People()
        self.people.learn(text, self.lex, sentences, self._ordered(totals))
        self._mains: dict[int, tuple[str, ...]] = {}
        self.previous: Subject = _NOBODY
        self.last_person: Person | None = None
        self._names: dict[str, bool] = {}
        self._fixed: dict[str, Subject] = {}  # subjects that mean the same wherever they are written
        self._phrases: dict[tuple[str, bool], Subject] = {}  # the same, by the words before the verb
        self._volatile = False  # set while reading a phrase whose meaning depends on where it is
        self.themes: tuple = ((), {}, ())  # the last sentence's themes_of()
        self._codes = {name: code for code, name in self.lex.names.items()}

    def _country_refs(self) -> list[list[str]]:
        """The country codes each sentence names, in one scan of the whole text."""
        out: list[list[str]] = [[] for _ in self.spans]
        starts = [s for s, _ in self.spans]
        forms = self.lex.forms
        for m in self.lex.scanner.finditer(self.text):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0:
                out[i].append(forms[m.group()][0])
        return out

    def _ordered(self, counts: Counter) -> tuple[str, ...]:
        """The two most counted, the first named first (ties: the first named wins)."""
        top = sorted(counts, key=lambda c: (-counts[c], self.first_seen.get(c, 0)))[:2]
        return tuple(sorted(top, key=lambda c: self.first_seen.get(c, 0)))

    def mains(self, index: int) -> tuple[str, ...]:
        """The two countries most named around sentence ``index``, in order of first mention.

        Worked out once per block of ``BLOCK`` sentences, over the block and
        ``WINDOW`` sentences on each side.
        """
        block = index // self.BLOCK
        found = self._mains.get(block)
        if found is None:
            lo = max(0, block * self.BLOCK - self.WINDOW)
            counts = Counter(chain.from_iterable(self.refs[lo : (block + 1) * self.BLOCK + self.WINDOW]))
            found = self._mains[block] = self._ordered(counts)
        return found

    # --- one sentence ---

    def read(self, index: int, text: str) -> Reading | None:
        """The reading of sentence ``index`` (None for a fact with nothing to say)."""
        themes, words, programmes = self.themes = themes_of(text)
        low = text.lower()
        conditions = list(_CONDITION_RE.finditer(low)) if _CONDITION_HINT_RE.search(low) else []
        cues = self._cues(text, low, conditions)
        state = _SentenceState()
        if cues:
            trailing = _TRAILING_SPEAKER_RE.search(text)
            if trailing:
                state.speaker = self._noun_phrase(index, trailing.group("who"), _SentenceState())
        for cue in cues:
            self._cue(index, text, low, cue, state)
        if not state.commitments and not _HEADLINE_END.search(text):
            self._headline(index, text, state)
        for m in (_NOMINAL_RE.finditer(text) if ("'s " in text or "’s " in text) and _NOMINAL_HINT_RE.search(low) else ()):
            owner = _OWNER_RE.search(text, max(0, m.start() - 80), m.start())
            subject = self._noun_phrase(index, owner.group(1), state) if owner else _NOBODY
            if subject.parties:
                state.commitments.append((m.group("what") + " to", subject, False))
        if state.main is not None and state.main.agent:
            self.previous = state.main  # "It will also ...": a sentence without a subject keeps the one before
        if _QUESTION_END.search(text):
            state.commitments.clear()
            state.talk = state.talk or "asked"
        if not state.commitments and not state.talk:
            return None
        self._learn_speakers(state)
        triggers: dict[str, list[str]] = {}
        parties = _parties(state)
        if state.commitments:
            triggers["commitment"] = list(dict.fromkeys(w for w, _, _ in state.commitments))
            who = [s.words for _, s, _ in state.commitments if s.words and s.parties]
            if who:
                triggers["parties"] = list(dict.fromkeys(who))
        if state.talk:
            triggers["talk"] = [state.talk]
        negated = any(n for _, _, n in state.commitments)
        if negated:
            triggers["negation"] = [state.negation]
        condition = ""
        if state.commitments and conditions:
            condition = text[conditions[0].start() : conditions[0].end()].strip(" ,")
            triggers["condition"] = [condition]
        for key in themes:
            triggers[key] = words[key]
        if programmes:
            triggers["programme"] = list(programmes)
        return Reading(
            sentence=index,
            text=text,
            themes=themes,
            actors=parties if state.commitments else (state.main.parties if state.main else ()),
            commitment=", ".join(triggers.get("commitment", ())),
            triggers=triggers,
            pledge=bool(state.commitments),
            talk=state.talk,
            negated=negated,
            condition=condition,
            programmes=programmes,
        )

    def _learn_speakers(self, state: _SentenceState) -> None:
        """A person whose country is unknown who says or assures that a country will act speaks for it."""
        people = [s.person for _, s, _ in state.commitments[:1]] + [state.speaker.person if state.speaker else None]
        for person in people:
            if person is None or person.country:
                continue
            for _, subject, _ in state.commitments:
                codes = [self._codes.get(p) for p in subject.parties]
                if subject.person is not person and len(codes) == 1 and codes[0]:
                    person.country = codes[0]
                    break
        fixed = []
        for words, subject, negated in state.commitments:
            if subject.person is not None and subject.person.country and subject.parties != (self.lex.name(subject.person.country),):
                subject = replace(subject, parties=(self.lex.name(subject.person.country),))
            fixed.append((words, subject, negated))
        state.commitments[:] = fixed

    def _cues(self, text: str, low: str, conditions: list[re.Match]) -> list[_Cue]:
        inside = [(m.start(), m.end()) for m in conditions]
        cues = []
        end = 0
        for start in _CUE_START_RE.finditer(low):
            if start.start() < end:
                continue
            m = _CUE_RE.match(low, start.start())
            if m is None or any(a <= m.start() < b for a, b in inside):
                continue
            end = m.end()
            kind = m.lastgroup or "talk"
            if kind in ("verb", "modal", "talk") and not _is_verb(low, m):
                continue
            cues.append(_Cue(m.start(), m.end(), kind, text[m.start() : m.end()]))
        return cues

    def _cue(self, index: int, text: str, low: str, cue: _Cue, state: _SentenceState) -> None:
        segment = text[state.end : cue.start]
        subject = self._subject(index, segment, state)
        state.end = cue.end
        if cue.kind == "speech":
            state.speaker = subject
            state.set_main(subject)
            state.reported = True
            if subject.person is not None:
                self.last_person = subject.person
            return
        if cue.kind == "impersonal":
            both = self._both(index)
            state.commitments.append((cue.words, Subject(both, True, "it was agreed", both=True), False))
            state.reported = True
            return
        state.set_main(subject)
        if subject.person is not None:
            self.last_person = subject.person
        after = low[cue.end :]
        if cue.kind in ("talk",):
            state.talk = state.talk or cue.words
            state.reported = state.reported or cue.words.lower() in ("told", "tells") or after.lstrip().startswith("that ")
            return
        if cue.kind == "express":
            m = _EXPRESSED.match(after)
            if m is None:
                talk = _EXPRESSED_TALK.match(after)
                state.talk = state.talk or (f"{cue.words} {talk.group('what')}" if talk else cue.words)
                return
            words = f"{cue.words} {m.group('what')}"
        elif cue.kind == "reaffirm":
            if _REAFFIRMED.match(after) is None:
                state.talk = state.talk or cue.words
                return
            words = cue.words + (" that" if after.lstrip().startswith("that") else "")
        elif cue.kind == "agree" and after.startswith(" that"):
            clause = after[5:]
            if not _MODAL_ANY.search(clause.split(";")[0]):
                state.talk = state.talk or cue.words
                return
            words = cue.words + " that"
        elif cue.kind == "modal":
            if cue.words.lower() == "would" and not state.reported:
                return  # a hypothetical, not a commitment
            if cue.words.lower() == "should" and not (subject.both or subject.words.lower() == "we"):
                return  # advice or a wish, unless the sides say it of themselves ("The two sides should ...")
            if not subject.agent:
                return
            words = cue.words
        else:
            words = cue.words + (" to" if after.startswith(" to ") and cue.kind in ("agree", "verb") else "")
        before = low[max(0, cue.start - 24) : cue.start]
        if cue.kind != "modal" and _DENIED_BEFORE.search(before) and not before.rstrip().endswith(("neither", "nor")):
            state.talk = state.talk or f"{_DENIED_BEFORE.search(before).group().strip()} {cue.words}"
            return
        if cue.kind == "copula" and " not " in f" {cue.words.lower()} ":
            state.talk = state.talk or cue.words
            return
        negated = bool(_NEGATED_AFTER.match(after)) or cue.words.lower() == "won't" or subject.words.lower().startswith(("neither", "no "))
        if negated:
            state.negation = (cue.words + " " + after.split()[0]) if _NEGATED_AFTER.match(after) else subject.words or cue.words
        if not subject.parties and not subject.agent and cue.kind != "modal":
            subject = state.main_or(subject)
        state.commitments.append((words, subject, negated))
        state.reported = state.reported or _opens_clause(cue, after)

    def _headline(self, index: int, text: str, state: _SentenceState) -> None:
        """A headline's "X to do Y" is how news says "X will do Y"."""
        if len(text.split()) > 20:
            return
        m = _HEADLINE_TO.match(text)
        if m is None:
            return
        subject = self._noun_phrase(index, m.group("subject"), state)
        if subject.parties and subject.agent:
            state.commitments.append((f"to {m.group('verb')}", subject, False))
            state.set_main(subject)

    # --- subjects ---

    def _subject(self, index: int, segment: str, state: _SentenceState) -> Subject:
        """The subject of the clause that ends with ``segment`` (the words before a verb).

        After a boundary ("that", "; ", ", and ...") the words after it are
        a new subject; right after "said" they are too ("Li said Beijing
        would ..."); otherwise they are the object of the verb before, and
        the clause's subject goes on ("commended ... and expressed readiness").
        """
        if state.end == 0:
            original = segment.lstrip()
            segment = _DATELINE_RE.sub("", segment, count=1)
            segment = _LEADING_CONDITION_RE.sub("", segment, count=1)
            segment = _INTRO_RE.sub("", segment.lstrip(" ,"), count=1).lstrip(" ,")
            cut = _last_clause(segment)
            if cut:
                return self._noun_phrase(index, segment[cut:], state)
            subject = self._noun_phrase(index, segment, state, at_start=len(segment) == len(original))
            before = _before_verb(segment)
            if not subject.agent and before:  # "The two sides exchanged views and reached ...": the words before a verb
                return self._noun_phrase(index, before, state, at_start=len(segment) == len(original))
            return subject
        relative = _RELATIVE_RE.search(segment)
        if relative:
            return self._noun_phrase(index, relative.group(1), state)
        cut = _last_clause(segment)
        if cut is not None:
            return self._noun_phrase(index, segment[cut:], state)
        if state.reported and segment.strip(" ,"):
            return self._noun_phrase(index, segment, state)
        return state.main_or(_NOBODY)

    def _noun_phrase(self, index: int, words: str, state: _SentenceState, at_start: bool = False) -> Subject:
        key = (words, at_start)
        known = self._phrases.get(key)
        if known is not None:
            return known
        self._volatile = False
        subject = self._read_phrase(index, words, state, at_start)
        if not self._volatile:
            self._phrases[key] = subject
        return subject

    def _read_phrase(self, index: int, words: str, state: _SentenceState, at_start: bool) -> Subject:
        phrase = _LEADING_RE.sub("", words) + " "
        if "," in phrase or "(" in phrase or "—" in phrase or "–" in phrase:
            phrase = _PARENTHETICAL_RE.sub(" ", phrase)
        phrase = _drop_trailing(phrase).strip(" ,\u00a0")
        if not phrase:
            self._volatile = True
            return state.main_or(_NOBODY)
        low = phrase.lower()
        if _BOTH_RE.match(low):
            return self._both_subject(index, phrase)
        if _PRONOUN_RE.match(low):
            return self._pronoun(low, phrase, state)
        m = _POSS_PRONOUN_RE.match(low)
        if m and m.group("head").split()[-1] in GOV_HEADS:
            owner = self._pronoun({"its": "it", "their": "they", "our": "we", "my": "i"}.get(low.split()[0], "he"), phrase, state)
            return Subject(owner.parties, True, phrase, owner.person)
        if self._is_single_name(phrase):
            return self._one(index, phrase, state, at_start)
        parts = [p for p in _SPLIT_CONJ_RE.split(phrase) if p]
        if len(parts) > 1:
            subjects = [self._one(index, p, state) for p in parts]
            if all(s.agent for s in subjects):
                parties = tuple(dict.fromkeys(p for s in subjects for p in s.parties))
                return Subject(parties, True, phrase)
            shared = parts[-1].split()[-1].lower()
            if shared in GOV_HEADS or shared in ORG_HEADS:  # "the Kenyan and Chinese governments"
                subjects = [self._one(index, f"{p} {shared}", state) for p in parts[:-1]] + [subjects[-1]]
                if all(s.agent for s in subjects):
                    return Subject(tuple(dict.fromkeys(p for s in subjects for p in s.parties)), True, phrase)
        return self._one(index, phrase, state, at_start)

    def _is_single_name(self, phrase: str) -> bool:
        """One capitalised name, perhaps with "and" inside ("China Road and Bridge Corporation")."""
        m = CAP_RUN.fullmatch(phrase.removeprefix("the ").removeprefix("The "))
        if m is None:
            return False
        last = key_tokens(phrase)[-1:] or ("",)
        return last[0] in ORG_HEADS or (" and " not in phrase and "," not in phrase)

    def _one(self, index: int, phrase: str, state: _SentenceState, at_start: bool = False) -> Subject:
        """One conjunct: a country, a person, a government, an organisation, or no agent."""
        phrase = phrase.strip(" ,")
        words = phrase.split()
        if words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words:
            return _NOBODY
        text = " ".join(words)
        low = text.lower()
        if _BOTH_RE.match(low):
            return self._both_subject(index, phrase)
        if _PRONOUN_RE.match(low):
            return self._pronoun(low, phrase, state)
        known = self._fixed.get(text)
        if known is not None:
            return known
        subject, fixed = self._resolve(index, text, words, low, phrase, state, at_start)
        if fixed:
            self._fixed[text] = subject
        else:
            self._volatile = True
        return subject

    def _resolve(
        self, index: int, text: str, words: list[str], low: str, phrase: str, state: _SentenceState, at_start: bool
    ) -> tuple[Subject, bool]:
        """The subject ``text`` stands for, and whether that holds wherever it is written (to keep it)."""
        code = self.lex.country(text)
        if code:  # "Pakistan", "Islamabad", "the United States"
            return Subject((self.lex.name(code),), True, phrase), True
        owner = re.match(r"^(?P<owner>.+?)['’]s (?P<rest>[A-Z][\w\-]+(?: [A-Z][\w\-]+){0,2})$", text)
        if owner and self.lex.country(owner.group("owner")) and key_tokens(owner.group("rest"))[-1] not in ORG_HEADS:
            return Subject((self.lex.name(self.lex.country(owner.group("owner"))),), True, phrase), True  # "Hungary's Orban"
        person = self._person(words)
        if person is not None:
            self.last_person = person
            return Subject((self.lex.name(person.country),) if person.country else (person.name,), True, phrase, person), False
        head = key_tokens(words[-1])[-1] if key_tokens(words[-1]) else ""
        of = low.find(" of ")
        if of > 0:  # "the Government of Kenya", "the Export-Import Bank of China"
            head = key_tokens(text[:of].split()[-1])[-1] if text[:of].split() else head
        refs = self.lex.refs(text)
        countries = list(dict.fromkeys(self.lex.name(r.code) for r in refs))
        capitalised = CAP_RUN.fullmatch(text) is not None
        if head in GOV_HEADS or head in TITLE_WORDS:
            if countries and not (capitalised and head in ("people",)):
                return Subject(tuple(countries), True, phrase), True
            named = [r.group() for r in CAP_RUN.finditer(text) if key_tokens(r.group())[-1:] != (head,)]
            if named and len(" ".join(named)) > 2:  # "the Balochistan government"
                return Subject((" ".join(named),), True, phrase), True
            if head in TITLE_WORDS and head in self.people.last_by_title:  # "the ambassador"
                person = self.people.last_by_title[head]
                if person.country:
                    return Subject((self.lex.name(person.country),), True, phrase, person), False
            if state.speaker is not None and state.speaker.parties and head in ("government", "side", "country", "authorities"):
                return Subject(state.speaker.parties, True, phrase), False
            return Subject((), True, phrase), False
        if head in ORG_HEADS:
            return Subject((_as_written(text),), True, phrase), True
        if capitalised and head in NAME_NOT_AGENT:
            return Subject((), False, phrase), True  # "the Silk Road Economic Belt would bring ..."
        if capitalised and (len(words) > 1 or words[0].isupper() or not at_start):
            return Subject((_as_written(text),), True, phrase), True  # a province, a company, an organisation
        if capitalised and self._name_only(words[0], index):
            return Subject((_as_written(text),), True, phrase), False
        return Subject((), False, phrase), not capitalised

    def _name_only(self, word: str, index: int) -> bool:
        """Whether a capitalised word at a sentence's start is a name: never written in lower case nearby."""
        known = self._names.get(word)
        if known is None:
            start = self.spans[index][0] if index < len(self.spans) else 0
            near = self.text[max(0, start - 20_000) : start + 20_000]
            known = self._names[word] = re.search(rf"\b{re.escape(word.lower())}\b", near) is None
        return known

    def _person(self, words: list[str]) -> Person | None:
        """A person this text named with a title, by any of their names."""
        names = [w for w in words if w[:1].isupper() and w.lower().strip(",") not in TITLE_WORDS]
        titled = words[0].lower() in TITLE_WORDS and len(names) < len(words)
        if not names or len(names) < len(words) - 3 or any(self.lex.country(w) for w in names):
            return None
        for w in reversed(names):
            person = self.people.find(key_tokens(w)[-1] if key_tokens(w) else w.lower())
            if person is not None:
                return person
        if titled and names:
            return Person(" ".join(names), words[0])
        return None

    def _pronoun(self, low: str, phrase: str, state: _SentenceState) -> Subject:
        self._volatile = True
        if low in ("he", "she", "i"):
            person = (state.speaker.person if state.speaker and state.speaker.person else None) or self.last_person
            if state.main is not None and state.main.person is not None:
                person = state.main.person
            if person is not None and person.country:
                return Subject((self.lex.name(person.country),), True, f"{phrase} (= {person.name})", person)
            if state.speaker is not None and state.speaker.parties:
                return Subject(state.speaker.parties, True, f"{phrase} (= {state.speaker.words})")
            return Subject((), True, phrase)
        if low == "we" and state.speaker is not None and state.speaker.parties:
            return Subject(state.speaker.parties, True, f"{phrase} (= {state.speaker.words})")
        here = state.main if state.main is not None and state.main.agent else None
        source = here or self.previous
        words = f"{phrase} (= {source.words})" if source.words else phrase
        return Subject(source.parties, source.agent, words, source.person, source.both)

    def _both_subject(self, index: int, phrase: str) -> Subject:
        """ "The two sides": the two countries the text names most around here."""
        both = self._both(index)
        return Subject(both, True, f"{phrase} (= {parties_label(both)}, the countries most named here)", both=True)

    def _both(self, index: int) -> tuple[str, ...]:
        self._volatile = True
        return tuple(self.lex.name(c) for c in self.mains(index))


@dataclass
class _SentenceState:
    """What the verbs read so far in one sentence have found."""

    end: int = 0  # where the last verb read ends
    main: Subject | None = None
    speaker: Subject | None = None
    reported: bool = False
    talk: str = ""
    negation: str = ""
    commitments: list[tuple[str, Subject, bool]] = field(default_factory=list)

    def set_main(self, subject: Subject) -> None:
        if self.main is None or not self.main.agent:
            self.main = subject

    def main_or(self, default: Subject) -> Subject:
        return self.main if self.main is not None else default


def _parties(state: _SentenceState) -> tuple[str, ...]:
    """The committing parties: those of each commitment's subject.

    A commitment reported inside another ("It was agreed that the committee
    would meet", "Sharif assured Xi that Pakistan would ...") adds its own
    subject only when that is a country-level party or the outer one has none.
    """
    out: list[str] = []
    outer: tuple[str, ...] = ()
    for i, (_, subject, _) in enumerate(state.commitments):
        if i == 0 or not outer:
            out += subject.parties
            outer = outer or subject.parties
        elif subject.both or subject.person is not None or _all_countries(subject.parties):
            out += subject.parties
    return tuple(dict.fromkeys(out))


def _last_clause(segment: str) -> int | None:
    """Where the last clause of ``segment`` starts (after "that", "; ", ", and" ...), or None.

    ", and" ends a clause only after one ("The network is poor, and the
    Bank will ..."), not inside a list of names ("Kenya, Uganda, and China agreed").
    """
    cut = None
    for m in _BOUNDARY_RE.finditer(segment):
        if m.group().lstrip(" ,").startswith("and") and _is_list(segment[: m.start()]):
            continue
        cut = m.end()
    return cut


def _is_list(words: str) -> bool:
    """Names, and the words that make a party of them ("the Chinese side, Kenya"), only."""
    return all(w[:1].isupper() or w.lower() in _LIST_WORDS for w in re.findall(r"[\w’'\-]+", words))


_PAST_VERB_RE = re.compile(
    r"\s(?:[a-z]+ed|held|met|made|took|gave|saw|began|led|sent|won|spoke|told|said|set|paid|went|came|laid|"
    r"launched|opened)\b"
)
_NOT_VERBS = frozenset("united limited red bed need speed seed feed indeed".split())


def _before_verb(segment: str) -> str:
    """The words before the first verb of a segment that holds one ("The two sides" of "The two sides exchanged views and")."""
    for m in _PAST_VERB_RE.finditer(segment):
        if m.group().strip() not in _NOT_VERBS and m.start() > 0:
            return segment[: m.start()]
    return ""


def _drop_trailing(phrase: str) -> str:
    """The phrase without the adverbs and auxiliaries that end it ("China has also")."""
    words = phrase.split()
    n = len(words)
    while n and words[n - 1].lower().strip(",") in _TRAILING_WORDS:
        n -= 1
    if n and n > 1 and words[n - 1].lower().endswith("day") and words[n - 2].lower() == "on":  # "on Tuesday"
        n -= 2
    return phrase if n == len(words) else " ".join(words[:n])


def _opens_clause(cue: _Cue, after: str) -> bool:
    """Whether a verb of commitment reports a clause ("pledged that Serbia would ...", "assured Xi Pakistan would")."""
    if after.lstrip().startswith("that"):
        return True
    return cue.kind == "verb" and cue.words.lower().startswith(("assur", "promis", "pledg", "vow", "guarant")) and not re.match(
        r"\s+(?:to|not|never)\b", after
    )


def _all_countries(parties: Iterable[str]) -> bool:
    lex = lexicon()
    names = set(lex.names.values())
    parties = list(parties)
    return bool(parties) and all(p in names for p in parties)


def _as_written(text: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" ,")
    return text[4:] if text.lower().startswith("the ") else text


def _is_verb(low: str, m: re.Match) -> bool:
    """Whether an ambiguous word is used as a verb here ("will" not "political will", "signed" not "the signing")."""
    before = low[max(0, m.start() - 20) : m.start()].split()
    prev = before[-1] if before else ""
    word = m.group()
    if prev in _DETERMINERS or prev.endswith(("'s", "’s")):
        return False
    if word in ("will", "would", "shall"):
        nxt = low[m.end() : m.end() + 12].split()
        return bool(nxt) and nxt[0] not in ("of", "and", "to", ",", "be") or (bool(nxt) and nxt[0] == "be" and prev not in ("", ))
    return True


TICK = 500  # sentences read between two calls of ``tick`` (a tenth of a second at most)


def read_document(text: str, sentences: list[Sentence], tick: Callable[[int], None] | None = None) -> dict[int, Reading]:
    """Every sentence of one document that says something: pledges, talk, and facts under a pledge.

    ``tick(offset)``, if given, is called every ``TICK`` sentences with where the reading is.
    """
    with paused_gc():  # hundreds of thousands of readings that all live on
        return _read_all(text, sentences, tick)


def _read_all(text: str, sentences: list[Sentence], tick: Callable[[int], None] | None = None) -> dict[int, Reading]:
    if tick is not None:
        tick(0)
    reader = DocumentReader(text, [(s.start, s.end) for s in sentences], tick=tick)
    out: dict[int, Reading] = {}
    recent: deque[Reading] = deque(maxlen=2)  # the pledges of the last two sentences
    for s in sentences:
        if tick is not None and s.index % TICK == 0:
            tick(s.start)
        reading = reader.read(s.index, s.text)
        if recent and (reading is None or not reading.pledge):
            reading = _link(s.index, s.text, reading, recent, reader.themes)
        if reading is not None:
            out[s.index] = reading
            if reading.pledge:
                recent.append(reading)
        while recent and recent[0].sentence < s.index - 1:
            recent.popleft()
    return out


def _link(
    index: int, text: str, reading: Reading | None, recent: deque[Reading], found: tuple
) -> Reading | None:
    """A talk or fact sentence that elaborates a pledge just before it falls under that pledge.

    It elaborates when it shares two themes with the pledge, or one of the
    pledge's very words, or (a list or a fact, whose subject is no party)
    one theme. A headline opens a new story and falls under nothing.
    """
    if not recent or not _HEADLINE_END.search(text):
        return reading
    themes, words, programmes = found
    if not themes:
        return reading
    agent = reading is not None and bool(reading.actors)
    best, best_score, best_shared = None, 0, []
    for pledge in recent:
        shared = [t for t in themes if t in pledge.themes]
        same_words = {w.lower() for t in shared for w in words[t]} & {w.lower() for t in shared for w in pledge.triggers.get(t, [])}
        if not (len(shared) >= 2 or same_words or (shared and not agent)):
            continue
        score = len(shared) + len(same_words)
        if score > best_score or (score == best_score and best is not None and pledge.sentence > best.sentence):
            best, best_score, best_shared = pledge, score, shared
    if best is None:
        return reading
    gap = index - best.sentence
    why = (f"same theme{'s' if len(best_shared) > 1 else ''} ({'; '.join(THEMES[t] for t in best_shared)}), "
           f"{gap} sentence{'s' if gap > 1 else ''} before")
    if reading is None:
        reading = Reading(index, text, themes, (), "", {k: words[k] for k in themes}, pledge=False, programmes=programmes)
    return replace(reading, under=best.sentence, under_reason=why)
