"""Names no gazetteer knows: the phrases worth one online request each, and the traps that are not."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mapviewer.core.document import Document
from mapviewer.core.gazetteer import full_gazetteer
from mapviewer.core.geoparse import Matcher
from mapviewer.core.unknowns import find_candidates

LABELLED = Path(__file__).resolve().parents[2] / "data" / "labelled"


@pytest.fixture(scope="module")
def matcher():
    return Matcher(full_gazetteer())


def candidates(text: str, matcher=None) -> list[str]:
    doc = Document("t", text)
    known = [(m.start, m.end) for m in matcher.find(doc)] if matcher is not None else []
    return [c.surface for c in find_candidates(doc, known)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Trucks will stop at Zorvakand before the border.", ["Zorvakand"]),
        ("The plant is near Qarshindar, they said.", ["Qarshindar"]),
        ("In Zorvakand, officials met the delegation.", ["Zorvakand"]),
        ("Goods will go from Zorvakand to Qarshindar by road.", ["Zorvakand", "Qarshindar"]),
        ("A road between Zorvakand and Qarshindar is planned.", ["Zorvakand", "Qarshindar"]),
        ("Schools opened in Zorvakand, Qarshindar and Ulmabad last year.", ["Zorvakand", "Qarshindar", "Ulmabad"]),
        ("Work on the Zorvakand Dry Port will start soon.", ["Zorvakand Dry Port"]),
        ("Zorvakand Dry Port will open in the spring.", ["Zorvakand Dry Port"]),
        ("Both sides praised the Rashakai Special Economic Zone.", ["Rashakai Special Economic Zone"]),
        ("Tourists visit the Hunza Valley and Lake Saiful Muluk.", ["Hunza Valley", "Lake Saiful Muluk"]),
        ("Ships cross the Gulf of Zorvak every week.", ["Gulf of Zorvak"]),
        ("He lives in the capital of Qarshindar province.", ["Qarshindar"]),
        ("Traders in Qila-e-Zorvak were pleased.", ["Qila-e-Zorvak"]),
        ("It was built in Zorvakand’s old town.", ["Zorvakand"]),
    ],
)
def test_place_like_phrases_are_found(text, expected):
    assert candidates(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # people: titles, known personal names, and words the text itself uses for people
        ("The minister spoke to President Zardari and Premier Li Qiang.", []),
        ("A letter from Xi Jinping was read out.", []),
        ("Minister Zorvak Ulman arrived. The road to Ulman was closed.", []),
        ("Ulman said the talks went well. They met at Ulman on Sunday.", []),
        # months, days, feasts
        ("The committee met in March, in September and again on Friday.", []),
        ("Talks resumed from Monday after Ramadan.", []),
        # organisations, events, programmes, political entities
        ("Both sides backed the Belt and Road Initiative.", []),
        ("They thanked the People's Republic and the United Nations.", []),
        ("The Joint Cooperation Committee met in Zorvakand Chamber of Commerce.", []),
        ("A seminar at Tsinghua University and the Qarshindar Port Authority followed.", []),
        ("Athletes came to the Asian Winter Games.", []),
        ("Rules of the Special Economic Zone apply.", []),
        ("Work continued in Phase II under CPEC.", []),
        ("Drilling began in Block 7 and in Sector-4 as set out in Annex III.", []),
        ("They will invest in Special Technology Zones and cooperate in Artificial Intelligence.", []),
        ("Progress at the Zorvak Hydropower Project and the Jinnah Convention Centre was praised.", []),
        ("They signed deals in ZORVAKAND.", []),
        # continents, languages, set phrases
        ("Trade with Europe and Asia grew, and links to Central Asia too.", []),
        ("The texts were issued in English and Urdu.", []),
        ("In Conclusion, both sides agreed.", []),
        # sentence-initial ordinary words and generic capitals
        ("Key projects were discussed. Both parties agreed.", []),
        ("Both will strengthen ties. Security cooperation will continue to Strengthen ties.", []),
        # a list opened by a preposition but not closed by "and": the rest is not a place
        ("He spoke in Zorvakand, Reuters reported.", ["Zorvakand"]),
    ],
)
def test_traps_are_not_candidates(text, expected):
    assert candidates(text) == expected


def test_names_the_gazetteer_knows_are_left_to_the_matcher(matcher):
    text = "Trucks go from Karachi to Gwadar Port and on to Zorvakand, near Islamabad."
    assert candidates(text, matcher) == ["Zorvakand"]
    assert "Karachi" in candidates(text)  # without the matcher's spans it would have been one


def test_offsets_and_sentences_hold(matcher):
    text = "Pakistan signed. Trucks will reach the Zorvakand Dry Port soon. Then they go to Qarshindar."
    doc = Document("t", text)
    found = find_candidates(doc, [(m.start, m.end) for m in matcher.find(doc)])
    assert [(c.surface, c.sentence, c.kind) for c in found] == [("Zorvakand Dry Port", 1, "port"), ("Qarshindar", 2, "place")]
    for c in found:
        assert text[c.start : c.end] == c.surface
        assert doc.sentences[c.sentence].start <= c.start < c.end <= doc.sentences[c.sentence].end
    assert found[0].key == "zorvakand dry port"


def test_the_seed_declaration_has_no_unknown_names(seed_document, matcher):
    known = [(m.start, m.end) for m in matcher.find(seed_document)]
    assert find_candidates(seed_document, known) == []


@pytest.mark.parametrize("path", sorted(LABELLED.glob("*.txt")), ids=lambda p: p.stem)
def test_on_labelled_texts_every_candidate_is_a_labelled_place(path, matcher):
    labels = json.loads(path.with_suffix("").with_suffix(".labels.json").read_text(encoding="utf-8"))
    places = {p["name"] if isinstance(p, dict) else p for p in labels["places"]}
    traps = {t if isinstance(t, str) else t["text"] for t in labels.get("traps", ())}
    found = candidates(path.read_text(encoding="utf-8"), matcher)
    assert set(found) <= places, set(found) - places
    assert not set(found) & traps


def test_labelled_texts_recover_names_the_gazetteers_miss(matcher):
    """Labelled places the gazetteers miss, written after "at", "in" or "capital of", become candidates."""
    missed, found = set(), set()
    for path in LABELLED.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        matched = {m.surface for m in matcher.find(Document("t", text))}
        labels = json.loads(path.with_suffix("").with_suffix(".labels.json").read_text(encoding="utf-8"))
        missed |= {p["name"] if isinstance(p, dict) else p for p in labels["places"]} - matched
        found |= set(candidates(text, matcher))
    expected = {"Kyaukphyu", "Telangana", "Split"} & missed  # as the gazetteers grow, fewer are missed
    assert expected <= found


def test_long_texts_are_linear():
    unit = "Trucks from Zorvakand reach the Qarshindar Dry Port, said Minister Ulman in March. "
    text = unit * (200_000 // len(unit))
    start = time.perf_counter()
    found = find_candidates(Document("t", text))
    assert time.perf_counter() - start < 2.0
    assert {c.surface for c in found} == {"Zorvakand", "Qarshindar Dry Port"}
