"""Pledge labels for every sentence of the seed, written down and checked."""
from __future__ import annotations

import pytest

from mapviewer.core.pledges import PledgeFilter, classify

# sentence index: (commitment, actors, themes); None = not a pledge.
SEED_LABELS = {
    0: None,  # photo caption: "welcome ceremony" is a noun, not a commitment
    1: ("reaffirmed", (), ("security", "cpec")),
    2: None, 3: None, 4: None, 5: None,
    6: ("ensuring", ("Pakistan",), ("security",)),
    7: ("reiterated", ("both",), ("security",)),
    8: ("will", ("Pakistan",), ("security",)),
    9: ("will", ("Pakistan",), ("security",)),  # "It will also…": the Pakistani side
    10: ("commended", ("China",), ("security",)),
    11: ("agreed", ("both",), ("cpec", "energy", "people")),
    12: ("committed", ("both",), ("cpec",)),  # "They also committed…"
    13: ("discussed", (), ("cpec", "trade")),
    14: ("expressed their willingness", ("both",), ("mining", "trade")),
    15: ("welcomed", ("Pakistan",), ("energy", "mining")),
    16: ("reaffirmed", ("both",), ("core",)),
    17: ("reiterated", ("Pakistan",), ("core",)),
    18: ("expressed full support", ("China",), ("core", "regional")),
    19: ("reaffirmed", ("China",), ("trade", "regional")),
    20: ("welcomed", ("Pakistan",), ("trade",)),
    21: ("underscored", ("both",), ("regional",)),
    22: ("reaffirmed", ("China",), ("core",)),
    23: ("discussed", ("both",), ("security", "regional")),
    24: None,
    25: ("agreed", ("China",), ("people",)),
    26: ("thanked", ("Pakistan",), ("energy",)),
    27: ("expressed strong support", ("Pakistan",), ("core",)),
    28: ("signed", ("both",), ("cpec", "trade", "people")),
    29: ("expressed appreciation", (), ()),
    30: ("agreed", ("both",), ("core",)),
}


def test_every_seed_sentence_has_its_written_label(seed_atlas):
    doc = seed_atlas.documents[0]
    assert len(doc.sentences) == len(SEED_LABELS)
    for s in doc.sentences:
        pledge = seed_atlas.pledges.get((0, s.index))
        got = None if pledge is None else (pledge.commitment, pledge.actors, pledge.themes)
        assert got == SEED_LABELS[s.index], (s.index, s.text)


def test_labels_say_which_words_triggered_them(seed_atlas):
    pledge = seed_atlas.pledges[(0, 15)]
    assert pledge.triggers["commitment"] == ["welcomed"]
    assert pledge.triggers["energy"] == ["gas", "oil"]
    assert "explorations" in pledge.triggers["mining"]


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Pakistan and China agreed to cooperate.", ("both",)),
        ("The two sides will meet.", ("both",)),
        ("China urged restraint.", ("China",)),
    ],
)
def test_actors_come_from_the_subject(text, actors):
    parties = [(text.find(n), n) for n in ("Pakistan", "China") if n in text]
    assert classify(0, text, parties).actors == actors


def test_security_council_is_not_security():
    p = classify(0, "China reaffirmed the UN Security Council resolutions.", [(0, "China")])
    assert p.themes == ("core",)


def test_filter_rule():
    p = classify(0, "Pakistan agreed to expand trade.", [(0, "Pakistan")])
    assert PledgeFilter(themes=frozenset({"trade"})).accepts(0, p)
    assert not PledgeFilter(themes=frozenset({"energy"})).accepts(0, p)
    assert not PledgeFilter(parties=frozenset({"China"})).accepts(0, p)
    assert not PledgeFilter(document=1).accepts(0, p)
    assert not PledgeFilter(themes=frozenset({"trade"})).accepts(0, None)
    assert PledgeFilter().accepts(0, None)
