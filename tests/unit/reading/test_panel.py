"""What the panel says: what a filter hides (and a way to show it), and long lists a page at a time."""
from __future__ import annotations

import re
from html import unescape

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.pledges import PledgeFilter
from mapviewer.reading import panel
from mapviewer.reading.links import ClearFilterLink, PageLink, href, parse

TEXT = (
    "China will strengthen security at Gwadar Port. "
    "Pakistan will expand trade through Gwadar Port and Karachi. "
    "The delegation visited Gwadar Port and Lahore."
)


@pytest.fixture(scope="module")
def atlas():
    return build_atlas([Document("a.txt", TEXT)])


def _plain(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_a_filter_says_what_it_hides_about_the_place_and_how_to_show_it(atlas):
    gwadar = atlas.place("gwadar-port")
    markup = panel.place_html(atlas, gwadar, PledgeFilter(themes=frozenset({"security"})))
    text = _plain(markup)
    assert "1 sentence · 1 pledge" in text
    assert "2 sentences about Gwadar Port are hidden by the filter · show all" in text
    assert f'href="{href(ClearFilterLink())}">show all</a>' in markup
    assert "China will strengthen security" in text and "expand trade" not in text


def test_a_place_whose_sentences_are_all_hidden_is_not_a_blank(atlas):
    lahore = atlas.place("lahore")
    text = _plain(panel.place_html(atlas, lahore, PledgeFilter(themes=frozenset({"security"}))))
    assert "0 sentences" in text and "1 sentence about Lahore is hidden by the filter · show all" in text


def test_nothing_hidden_nothing_said(atlas):
    gwadar = atlas.place("gwadar-port")
    for flt in (PledgeFilter(), PledgeFilter(document=0)):  # the one document: a filter that hides nothing
        assert "hidden" not in panel.place_html(atlas, gwadar, flt)
        page = _plain(panel.document_html(atlas, flt))
        assert "(filtered)" not in page and "hidden" not in page


def test_the_text_says_filtered_only_when_something_is(atlas):
    page = _plain(panel.document_html(atlas, PledgeFilter(themes=frozenset({"trade"}))))
    assert "2 of 3 sentences (filtered) · 1 hidden by the filter · show all" in page  # the visit falls under the trade pledge
    nothing = panel.document_html(atlas, PledgeFilter(themes=frozenset({"energy"})))
    assert "All 3 sentences are hidden by the filter · show all" in _plain(nothing)
    assert f'href="{href(ClearFilterLink())}"' in nothing


def test_a_place_named_in_many_sentences_is_shown_a_page_at_a_time(monkeypatch):
    monkeypatch.setattr(panel, "PAGE_SENTENCES", 4)
    text = " ".join(f"Talks number {n} were held at Gwadar Port." for n in range(1, 11))
    atlas = build_atlas([Document("long.txt", text)])
    gwadar = atlas.place("gwadar-port")
    first = panel.place_html(atlas, gwadar)
    assert "10 sentences" in _plain(first) and "sentences 1–4 of 10" in _plain(first)
    assert "number 4 " in first and "number 5 " not in first
    later = re.findall(r'href="([^"]+)">later', first)
    assert later and {parse(u) for u in later} == {PageLink(1, "gwadar-port")}  # above and below the list
    last = panel.place_html(atlas, gwadar, page=2)
    assert "number 9 " in last and "number 10 " in last and "number 8 " not in last
    assert "sentences 9–10 of 10" in _plain(last) and "later" not in last
