"""Pledges: commitments told apart from talk, who commits, themes, and the seed read by hand.

Each rule has a test of its own, through the Atlas (what the window and
the exports read); the texts are short and invented.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import default_gazetteer
from mapviewer.core.pledges import PledgeFilter

ROOT = Path(__file__).resolve().parents[3]


def _atlas(*lines: str):
    """One document, one sentence a line."""
    return build_atlas([Document("t.txt", "\n".join(lines))], default_gazetteer(), corrections=None, max_online_requests=0)


def _pledge(*lines: str):
    """The last line's pledge (None if it is not one), read after the lines before it."""
    return _atlas(*lines).pledges.get((0, len(lines) - 1))


def _parties(*lines: str) -> set[str]:
    pledge = _pledge(*lines)
    assert pledge is not None, lines[-1]
    return set(pledge.actors)


# --- the seed, every sentence labelled by hand ------------------------------------------

# sentence index -> the committing parties of a pledge; absent = not a pledge.
SEED_PLEDGES = {
    1: {"Pakistan", "China"},  # "Islamabad and Beijing reaffirmed their commitment ..."
    6: {"Pakistan"},  # "... was Pakistan's commitment to ensuring the safety ..."
    7: {"Pakistan", "China"},
    8: {"Pakistan"},
    9: {"Pakistan"},  # "It will also ...": the Pakistani side
    10: {"China"},  # commended (talk), and expressed readiness to provide (a pledge)
    11: {"Pakistan", "China"},
    12: {"Pakistan", "China"},  # "They also committed ..."
    14: {"Pakistan", "China"},
    16: {"Pakistan", "China"},
    17: {"Pakistan"},
    18: {"China"},
    19: {"China"},
    22: {"China"},  # reaffirmed its stance on Kashmir
    25: {"China"},
    26: {"Pakistan"},  # thanked (talk), agreeing to strengthen (a pledge)
    27: {"Pakistan"},
    30: {"Pakistan", "China"},
}
# Sentences that are talk, marked as what they are.
SEED_TALK = {4: "held extensive discussions", 5: "met", 13: "discussed", 15: "welcomed", 20: "welcomed",
             21: "underscored", 23: "discussed", 24: "highlighted", 28: "signed", 29: "expressed appreciation"}


def test_every_seed_sentence_reads_as_labelled(seed_atlas):
    doc = seed_atlas.documents[0]
    assert len(doc.sentences) == 31
    for s in doc.sentences:
        pledge = seed_atlas.pledges.get((0, s.index))
        got = None if pledge is None else set(pledge.actors)
        assert got == SEED_PLEDGES.get(s.index), (s.index, s.text)


def test_seed_talk_is_marked_as_what_it_is(seed_atlas):
    for index, talk in SEED_TALK.items():
        reading = seed_atlas.reading(0, index)
        assert reading is not None and not reading.pledge and reading.talk == talk, index


def test_the_projects_discussed_fall_under_the_pledge_on_cpec(seed_atlas):
    """Sentence 14 lists Gwadar Port, ML-1 and the Karakoram Highway as discussed; sentence 12 is the pledge they fall under."""
    for place_id in ("gwadar-port", "ml-1-railway"):
        keys = seed_atlas.place(place_id).sentence_keys()
        assert keys == [(0, 13)], place_id
    reading = seed_atlas.reading(0, 13)
    assert reading.talk == "discussed" and not reading.pledge
    assert reading.under == 11 and "Infrastructure and connectivity" in reading.under_reason
    assert "2 sentences before" in reading.under_reason
    assert set(seed_atlas.under(0, 13).actors) == {"Pakistan", "China"}


def test_labels_say_which_words_gave_them(seed_atlas):
    pledge = seed_atlas.pledges[(0, 11)]
    assert pledge.triggers["commitment"] == ["agreed to"]
    assert pledge.triggers["parties"][0].startswith("Both countries")
    assert "CPEC 2.0" in pledge.triggers["infrastructure"] and pledge.programmes == ("CPEC 2.0",)
    assert pledge.triggers["energy"] == ["energy", "renewable"]


# --- commitment or talk -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "China agreed to provide 500 million yuan in grant aid for housing.",
        "Pakistan will continue to protect Chinese workers.",
        "The two sides reaffirmed their firm support for each other on core interests.",
        "Kenya expressed readiness to import more Chinese machinery.",
        "Egypt reaffirmed that it firmly supports China's position on Taiwan.",
        "The Chinese side is prepared to increase imports of Uzbek cherries.",
        "Beijing pledges $50 billion for Africa over three years",
        "China, Uzbekistan to build railway through Kyrgyzstan",
        "The statement recorded Serbia's commitment to protect Chinese investments.",
    ],
)
def test_a_commitment_is_a_pledge(text):
    assert _pledge(text) is not None


@pytest.mark.parametrize(
    "text, talk",
    [
        ("The two leaders discussed connectivity and trade.", "discussed"),
        ("Pakistan thanked China for its support.", "thanked"),
        ("China commended Pakistan's counterterrorism efforts.", "commended"),
        ("Kenya welcomed the visit of a Chinese trade delegation.", "welcomed"),
        ("The two sides signed twelve agreements on trade and media.", "signed"),
        ("The two sides called for a ceasefire in Gaza.", "called for"),
        ("Both countries underscored the importance of a stable South Asia.", "underscored"),
        ("President Zardari also met Premier Li Qiang, reaffirming the strength of relations.", "met"),
    ],
)
def test_talk_is_not_a_pledge_and_says_what_it_is(text, talk):
    atlas = _atlas(text)
    assert atlas.pledges == {}
    assert atlas.reading(0, 0).talk == talk and atlas.reading(0, 0).label == talk.upper()


@pytest.mark.parametrize(
    "text",
    [
        "Belt and Road: ten years of infrastructure in Central Asia",
        "Trade between the two countries reached 13.8 billion dollars in 2024.",
        "The new container terminal will be able to handle 1.2 million containers a year.",
        "Will the railway to Budapest be finished before 2026?",
        "Critics say the deals could deepen Brazil's reliance on commodity exports.",
    ],
)
def test_facts_numbers_questions_and_topics_are_not_pledges(text):
    assert _pledge(text) is None


def test_welcoming_an_offer_is_the_offerer_s_pledge_welcoming_a_visit_is_talk():
    assert _parties("Ethiopia welcomed China's offer to train 1,000 railway technicians.") == {"China"}
    assert _pledge("Ethiopia welcomed the visit of a Chinese delegation to Addis Ababa.") is None


# --- negation and conditions -------------------------------------------------------------


def test_a_negative_commitment_is_a_pledge_marked_negative():
    for text in ("Neither side will allow its territory to be used against the other.",
                 "Malaysia will not renegotiate the rail contract again.",
                 "The two countries agreed not to let any external force disrupt cooperation."):
        pledge = _pledge(text)
        assert pledge is not None and pledge.negated, text


@pytest.mark.parametrize(
    "text",
    [
        "Serbia did not agree to a Chinese proposal to route the expressway through the park.",
        "China has not committed to any new loans for the project.",
        "The sides did not reach agreement on the tariff for the coal plant.",
        "Greece and China are not expected to sign any new agreements.",
    ],
)
def test_a_commitment_denied_is_not_a_pledge(text):
    assert _pledge(text) is None


def test_a_conditional_commitment_is_a_pledge_that_says_its_condition():
    pledge = _pledge("Should the feasibility study be completed by June, China will consider financing the railway.")
    assert pledge is not None and pledge.condition.startswith("Should the feasibility study")
    pledge = _pledge("COSCO Shipping has pledged to invest 300 million euros if the Greek authorities approve its plan.")
    assert pledge.condition.startswith("if the Greek authorities") and pledge.actors == ("COSCO Shipping",)


def test_words_of_commitment_inside_a_condition_commit_nobody():
    assert _pledge("If the financing terms are agreed, construction will begin in March.") is None
    assert _pledge("If approved, the expansion would make Piraeus the largest port in the Mediterranean.") is None


def test_would_is_a_pledge_only_when_reported():
    assert _parties("Li said Beijing would keep encouraging Chinese companies to invest in Serbia.") == {"China"}
    assert _pledge("A second line would cost about 2 billion dollars.") is None


# --- who commits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, parties",
    [
        ("Pakistan and China agreed to cooperate on mining.", {"Pakistan", "China"}),
        ("Islamabad and Beijing reaffirmed their commitment to the partnership.", {"Pakistan", "China"}),
        ("Astana and Beijing vowed to raise bilateral trade.", {"Kazakhstan", "China"}),
        ("The Chinese side promised to share hydrological data.", {"China"}),
        ("The Pakistani leadership pledged to clear the dues of power producers.", {"Pakistan"}),
        ("The Government of Kenya will provide land for the terminal.", {"Kenya"}),
        ("The Kazakh government will not levy additional fees on transit cargo.", {"Kazakhstan"}),
        ("Bangladesh's foreign adviser pledged to speed up the economic zone.", {"Bangladesh"}),
        ("China, in turn, commended Pakistan's efforts and expressed readiness to provide assistance.", {"China"}),
    ],
)
def test_countries_capitals_governments_and_sides_are_their_country(text, parties):
    assert _parties(text) == parties


def test_leaders_named_in_the_text_are_their_country():
    lines = ["Kazakh President Kassym-Jomart Tokayev received Chinese Foreign Minister Wang Yi in Astana.",
             "Tokayev pledged to guarantee the transit of freight trains."]
    assert _parties(*lines) == {"Kazakhstan"}
    lines = ["President Shavkat Mirziyoyev of Uzbekistan held talks with President Xi Jinping.",
             "Mirziyoyev vowed to begin work on the railway this year."]
    assert _parties(*lines) == {"Uzbekistan"}


def test_a_leader_met_by_one_side_is_of_the_other():
    lines = ["President Asif Ali Zardari and Chinese President Xi Jinping met in Beijing.",
             "Pakistan and China are old friends.",
             "President Zardari pledged to protect Chinese workers."]
    assert _parties(*lines) == {"Pakistan"}


def test_a_speaker_of_a_country_speaks_for_it():
    lines = ["Ethiopian Prime Minister Abiy Ahmed held talks with Chinese Premier Li Qiang in Beijing.",
             "Abiy said his government would give priority to the industrial parks."]
    assert _parties(*lines) == {"Ethiopia"}
    assert _parties("We will double coal deliveries to China, the Mongolian prime minister said.") == {"Mongolia"}


def test_both_sides_are_the_text_s_two_countries_not_pakistan_and_china():
    lines = ["Kenyan President William Ruto paid a state visit to China.",
             "Kenya and China have worked together on railways since 2014.",
             "Both sides agreed to extend the standard gauge railway to Malaba."]
    assert _parties(*lines) == {"Kenya", "China"}
    lines = ["Sri Lankan President Anura Kumara Dissanayake visited Beijing.",
             "The leaders pledged to conclude the free trade agreement early."]
    assert _parties(*lines) == {"Sri Lanka", "China"}


def test_pronouns_take_the_previous_subject():
    lines = ["Kenya thanked China for the food aid.", "It also undertook to protect Chinese investors."]
    assert _parties(*lines) == {"Kenya"}
    lines = ["The two leaders exchanged views on regional issues, Indonesia and China said.",
             "They agreed to strengthen maritime cooperation."]
    assert _parties(*lines) == {"Indonesia", "China"}
    lines = ["Colombo reaffirmed that it will not allow its territory to be used against China."]
    assert _parties(*lines) == {"Sri Lanka"}


@pytest.mark.parametrize(
    "text, party",
    [
        ("The Asian Development Bank, however, agreed to co-finance the line.", "Asian Development Bank"),
        ("Under the agreement, Sinopec will build and operate the refinery.", "Sinopec"),
        ("The Balochistan government has promised to provide land for a school.", "Balochistan"),
        ("The Export-Import Bank of China has agreed to lend 600 million euros.", "Export-Import Bank of China"),
        ("Djibouti, which handles most of Ethiopia's trade, has agreed to expand the terminal.", "Djibouti"),
    ],
)
def test_a_third_party_is_itself(text, party):
    assert _parties(text) == {party}


# --- themes ---------------------------------------------------------------------------------


def test_themes_fit_any_text_and_a_named_programme_is_a_sub_label():
    sri_lanka = _pledge("China agreed to build the Hambantota port and a highway to Colombo.")
    assert sri_lanka.themes == ("infrastructure",) and sri_lanka.programmes == ()
    cpec = _pledge("Both countries agreed to advance CPEC 2.0 and the China-Pakistan Economic Corridor.")
    assert cpec.programmes == ("CPEC 2.0", "China-Pakistan Economic Corridor")
    from mapviewer.core.pledges import themes_label

    assert themes_label(cpec) == "Infrastructure and connectivity (CPEC 2.0, China-Pakistan Economic Corridor)"


def test_the_security_council_and_food_security_are_not_security():
    pledge = _pledge("China reaffirmed its support for the UN Security Council resolutions on food security.")
    assert "security" not in pledge.themes and "regional" in pledge.themes


# --- the filter ------------------------------------------------------------------------------


def test_filter_rule():
    p = _pledge("Pakistan agreed to expand trade.")
    assert PledgeFilter(themes=frozenset({"trade"})).accepts(0, p)
    assert not PledgeFilter(themes=frozenset({"energy"})).accepts(0, p)
    assert not PledgeFilter(parties=frozenset({"China"})).accepts(0, p)
    assert PledgeFilter(parties=frozenset({"Pakistan"})).accepts(0, p)
    assert not PledgeFilter(document=1).accepts(0, p)
    assert not PledgeFilter(themes=frozenset({"trade"})).accepts(0, None)
    assert PledgeFilter().accepts(0, None)


def test_a_joint_pledge_passes_the_filter_of_either_party():
    p = _pledge("Kenya and China agreed to expand trade.")
    assert PledgeFilter(parties=frozenset({"Kenya"})).accepts(0, p)
    assert PledgeFilter(parties=frozenset({"China"})).accepts(0, p)


# --- the labelled sets ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["labelled.txt", "heldout.txt"])
def test_the_labelled_sets_are_read_well(name):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from eval_pledges import evaluate
    finally:
        sys.path.pop(0)
    result = evaluate(ROOT / "tests" / "data" / "pledges" / name)
    assert result["sentences"] >= 60
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9 and result["party_accuracy"] >= 0.9, result["mistakes"]


# --- long and hostile texts, and the cache ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kenya " * 20_000 + "s commitment to build. China's commitment to " + "Aaa " * 20_000,
        "China will " + "( " * 30_000 + "build, which it will ( do",
        "The " + ", b" * 30_000 + " will build.",
        "Aaa " * 30_000 + ", who will build.",
        "President " * 30_000 + "Xi said China will build.",
        "if " * 30_000 + "China will build.",
    ],
)
def test_a_hostile_sentence_is_read_in_bounded_time(text):
    import time

    from mapviewer.core.pledges import read_sentences

    doc = Document("h.txt", text)
    start = time.perf_counter()
    read_sentences(doc.text, doc.sentences)
    assert time.perf_counter() - start < 5.0  # each was minutes when a pattern backtracked


def test_readings_come_back_from_the_cache_with_their_text(tmp_path, monkeypatch):
    from mapviewer.core import atlascache
    from mapviewer.core.corrections import CorrectionStore

    monkeypatch.setattr(atlascache, "cache_dir", lambda: tmp_path / "cache")
    text = "Kenya and China agreed to extend the railway to Malaba.\nThe two leaders discussed the railway and the port."
    store = CorrectionStore(tmp_path / "c.json")
    first = atlascache.build_atlas_cached([Document("k.txt", text)], corrections=store)
    again = atlascache.build_atlas_cached([Document("k.txt", text)], corrections=store)
    assert again.cache_key and again.readings.keys() == first.readings.keys() == {(0, 0), (0, 1)}
    assert [r.text for r in again.readings.values()] == [r.text for r in first.readings.values()]
    assert again.reading(0, 1).talk == "discussed" and again.under(0, 1).sentence == 0
