"""The search box's rule: every hit in every open document, whatever the panel shows."""
from __future__ import annotations

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.pledges import PledgeFilter
from mapviewer.reading import panel
from mapviewer.reading.search import TextSearch, find_hits
from mapviewer.reading.session import ReadingSession

A = "China will strengthen security at Gwadar Port. The port of GWADAR grows. Kashmir was discussed."
B = "Pakistan will expand trade in Karachi. Nothing about ports here. Gwadar again, and gwadar."


def _atlas():
    return build_atlas([Document("a.txt", A), Document("b.txt", B)])


def test_hits_are_found_in_every_document_in_reading_order_with_their_place_in_the_sentence():
    atlas = _atlas()
    result = find_hits(atlas, "gwadar")
    assert [(h.doc, h.sentence, h.nth) for h in result.hits] == [(0, 0, 0), (0, 1, 0), (1, 2, 0), (1, 2, 1)]
    for h in result.hits:
        assert atlas.documents[h.doc].text[h.start : h.end].lower() == "gwadar"
    assert result.per_document == (2, 2) and result.hidden == 0
    assert result.summary(0, ["a.txt", "b.txt"]) == "1 of 4 hits · a.txt 2 · b.txt 2"


def test_a_filter_hides_hits_and_says_so():
    atlas = _atlas()
    only_b = find_hits(atlas, "gwadar", PledgeFilter(document=1))
    assert [h.doc for h in only_b.hits] == [1, 1] and only_b.hidden == 2
    assert only_b.summary(1, ["a.txt", "b.txt"]) == "2 of 2 hits · a.txt 0 · b.txt 2 · 2 more hidden by the filter"
    none = find_hits(atlas, "kashmir", PledgeFilter(themes=frozenset({"trade"})))
    assert none.hits == () and none.hidden == 1
    assert none.summary(-1, ["a.txt", "b.txt"]) == "1 hit, hidden by the filter"
    assert find_hits(atlas, "no such words").summary(-1, ["a.txt"]) == "not found"


def test_words_with_regex_characters_are_words():
    atlas = build_atlas([Document("c.txt", "The (new) port costs $5.2 billion. Then [more].")])
    assert len(find_hits(atlas, "(new)").hits) == 1 and len(find_hits(atlas, "$5.2").hits) == 1
    assert find_hits(atlas, "").hits == ()


def test_the_search_steps_through_the_hits_and_wraps():
    atlas = _atlas()
    search = TextSearch()
    search.run(atlas, "gwadar")
    seen = [search.step(+1) for _ in range(5)]
    assert [(h.doc, h.sentence, h.nth) for h in seen] == [(0, 0, 0), (0, 1, 0), (1, 2, 0), (1, 2, 1), (0, 0, 0)]
    back = search.step(-1)
    assert (back.doc, back.sentence, back.nth) == (1, 2, 1)
    search.run(atlas, "gwadar")  # the same words again: the place in the hits stays
    assert search.current == 3
    search.run(atlas, "kashmir")  # new words: from the start
    assert search.current == -1 and search.step(+1).sentence == 2


def test_the_session_moves_the_panel_to_a_hit_whatever_it_showed(monkeypatch):
    monkeypatch.setattr(panel, "PAGE_SENTENCES", 2)
    atlas = _atlas()
    session = ReadingSession(atlas)
    session.select("gwadar-port")  # a place is open: the hit is in the whole text anyway
    hit = find_hits(atlas, "kashmir").hits[0]
    session.show_hit(hit)
    assert session.showing_document and session.document_page == 1  # sentence 3 of document a: the second page
    assert session.selected == "gwadar-port"  # the map keeps its selection
    later = find_hits(atlas, "and gwadar").hits[0]
    session.show_hit(later)
    assert session.document_page == 2


def test_a_new_atlas_forgets_the_old_hits():
    atlas = _atlas()
    session = ReadingSession(atlas)
    session.search.run(atlas, "gwadar")
    session.search.step(+1)
    other = build_atlas([Document("c.txt", "Gwadar. Gwadar. Gwadar.")])
    session.set_atlas(other)
    assert session.search.result is None and session.search.current == -1
    assert len(session.search.run(other, "gwadar").hits) == 3
