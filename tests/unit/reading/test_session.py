"""The reading session's one rule: map, counts, tour and panel agree on what a filter shows."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.pledges import PledgeFilter
from mapviewer.reading import panel
from mapviewer.reading.session import ReadingSession

# Gwadar Port: a security pledge by China and a trade pledge by Pakistan; Karachi: a
# trade pledge by Pakistan; Lahore: a sentence that is no pledge.
TEXT = (
    "China will strengthen security at Gwadar Port. "
    "Pakistan will expand trade through Gwadar Port and Karachi. "
    "The delegation visited Lahore."
)
OTHER = "China will build a railway to Peshawar."


@pytest.fixture(scope="module")
def atlas():
    return build_atlas([Document("a.txt", TEXT), Document("b.txt", OTHER)])


def _ids(session: ReadingSession) -> set[str]:
    return set(session.visible_ids())


def _tour(session: ReadingSession) -> list[str]:
    seen: list[str] = []
    for _ in range(len(session.atlas.places) + 1):
        place = session.tour_step(+1)
        if place is None or place in seen:
            break
        seen.append(place)
    return seen


def test_the_atlas_holds_the_pledges_the_tests_rely_on(atlas):
    pledges = {k: (p.themes, p.actors) for k, p in atlas.pledges.items()}
    assert any("security" in t and "China" in a for t, a in pledges.values())
    assert any("trade" in t and "Pakistan" in a for t, a in pledges.values())
    assert {"gwadar-port", "karachi", "lahore", "peshawar"} <= {p.id for p in atlas.places}


def test_two_filters_together_are_one_rule_for_map_counts_tour_and_panel(atlas):
    """Theme security and party Pakistan: no single pledge is both, so Gwadar Port is hidden
    everywhere, although it has a security pledge (China's) and a pledge by Pakistan (trade)."""
    session = ReadingSession(atlas)
    session.set_filter(PledgeFilter(themes=frozenset({"security"}), parties=frozenset({"Pakistan"})))
    assert "gwadar-port" not in _ids(session)
    indexes = session.visible_indexes()
    assert indexes is not None and {atlas.places[i].id for i in indexes} == _ids(session)
    assert session.counts().places == len(indexes) and session.counts().pledges == 0
    assert _tour(session) == [p.id for p in atlas.places if p.id in _ids(session)]
    gwadar = atlas.place("gwadar-port")
    assert session.place_counts(gwadar).sentences == 0 and session.place_counts(gwadar).hidden == 2
    assert "0 sentences" in panel.place_html(atlas, gwadar, session.filter)


def test_theme_and_party_that_meet_in_one_pledge_show_its_places(atlas):
    session = ReadingSession(atlas)
    session.set_filter(PledgeFilter(themes=frozenset({"trade"}), parties=frozenset({"Pakistan"})))
    assert _ids(session) == {"gwadar-port", "pakistan", "karachi"}  # the places of that one pledge
    assert session.counts().places == 3 and session.counts().pledges == 1
    assert _tour(session) == ["gwadar-port", "pakistan", "karachi"]  # in the order the text names them


def test_theme_and_document_together(atlas):
    session = ReadingSession(atlas)
    session.set_filter(PledgeFilter(themes=frozenset({"security"}), document=1))
    assert _ids(session) == set()  # the second text's one pledge is about a railway, not security
    assert session.counts().places == 0 and session.tour_step(+1) is None
    session.set_filter(PledgeFilter(document=1))
    assert _ids(session) == {p.id for p in atlas.places if any(r.doc == 1 for r in p.refs)}
    assert "lahore" not in _ids(session)


def test_no_filter_shows_every_place_and_sends_no_list(atlas):
    session = ReadingSession(atlas)
    assert session.visible_indexes() is None
    assert session.counts().places == len(atlas.places)


def test_selection_and_tour(atlas):
    session = ReadingSession(atlas)
    assert session.select("no-such-place") is None and session.selected is None
    session.select("karachi")
    assert session.selected == "karachi" and not session.showing_document
    assert session.select("no-such-place") is None and session.selected == "karachi"  # unknown: nothing changes
    order = [p.id for p in atlas.places]
    assert session.tour_step(+1) == order[order.index("karachi") + 1]  # the tour goes on from the chosen place
    session.select(None)
    assert session.selected is None
    session.tour_index = -1
    assert session.tour_step(-1) == order[-1]  # backwards from the start: the last place
    assert session.tour_position() == (len(order), len(order))


def test_a_new_atlas_keeps_the_selection_only_when_asked(atlas):
    session = ReadingSession(atlas)
    session.select("karachi")
    session.set_atlas(atlas, keep_selection=True)
    assert session.selected == "karachi"
    session.set_atlas(atlas)
    assert session.selected is None and session.showing_document


def test_talk_that_falls_under_a_pledge_passes_with_it(seed_atlas):
    """The seed's Gwadar Port is named only in talk ("projects discussed included…"), which
    falls under the infrastructure pledge beside it: a theme filter on that pledge shows it."""
    session = ReadingSession(seed_atlas)
    gwadar = seed_atlas.place("gwadar-port")
    (key,) = gwadar.sentence_keys()
    under = seed_atlas.under(*key)
    assert key not in seed_atlas.pledges and under is not None
    session.set_filter(PledgeFilter(themes=frozenset(under.themes[:1])))
    assert session.visible(gwadar) and session.place_counts(gwadar).sentences == 1
    session.set_filter(PledgeFilter(themes=frozenset({"security"}) - set(under.themes)))
    assert not session.visible(gwadar)


def test_the_panel_says_who_administers_and_who_claims_each_part_of_kashmir(seed_atlas):
    kashmir = seed_atlas.place("jammu-and-kashmir")
    html = panel.place_html(seed_atlas, kashmir)
    assert kashmir.parts and "In parts" in html
    for part in kashmir.parts:
        assert part.name in html and part.describe() in html
    assert any("administered by India" in p.describe() for p in kashmir.parts)
    assert any("administered by Pakistan" in p.describe() for p in kashmir.parts)
