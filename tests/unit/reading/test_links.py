"""The panel's links: written and read back by one module, never an error on odd text."""
from __future__ import annotations

import pytest

from mapviewer.reading.links import ClearFilterLink, FixLink, PageLink, PlaceLink, SentenceLink, href, parse


@pytest.mark.parametrize("link", [
    PlaceLink("gwadar-port"), PlaceLink('port"\'><img src=x>'), PlaceLink("geonames:1176615"), PlaceLink("a:b/c d%"),
    SentenceLink(0, 13), FixLink("choose", "hyderabad-pakistan"), FixLink("undo", "x:y"), PageLink(3), ClearFilterLink(),
])
def test_every_link_reads_back_as_itself(link):
    url = href(link)
    assert parse(url) == link
    assert not any(c in url for c in '"<> ')  # safe inside an href attribute


@pytest.mark.parametrize("url", ["", "place:", "sentence:1", "sentence:a:b", "fix:delete:x", "fix:choose:", "page:-1",
                                 "page:x", "javascript:alert(1)", "https://example.org/", "filter:all"])
def test_anything_else_is_no_link(url):
    assert parse(url) is None


def test_a_page_of_a_place_reads_back_too():
    for link in (PageLink(2, "gwadar-port"), PageLink(0, 'a:b"<x>')):
        assert parse(href(link)) == link
