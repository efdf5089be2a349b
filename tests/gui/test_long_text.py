"""A very long text: the panel shows it a page at a time, and search and links reach every page."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.reading import panel

P = panel.PAGE_SENTENCES
SENTENCES = 2 * P + P // 2


def _text() -> str:
    lines = [f"Item {i} of the plan concerns the port at Gwadar." for i in range(SENTENCES)]
    lines[SENTENCES - P // 5] = "A needle-word sentence about Karachi stands here."
    return " ".join(lines)


@pytest.fixture(scope="module")
def long_atlas(tmp_path_factory):
    store = CorrectionStore(tmp_path_factory.mktemp("c") / "corrections.json")
    return build_atlas([Document("long.txt", _text())], corrections=store)


def test_the_document_view_is_cut_into_pages(long_atlas):
    assert len(long_atlas.documents[0].sentences) == SENTENCES
    first = panel.document_html(long_atlas)
    last = panel.document_html(long_atlas, page=2)
    assert first.count('<p class="s">') == panel.PAGE_SENTENCES
    assert last.count('<p class="s">') == P // 2
    assert 'href="page:1"' in first and 'href="page:1"' in last and 'href="page:3"' not in last
    assert f"sentences {2 * P + 1:,}–{SENTENCES:,} of {SENTENCES:,}" in last
    assert "needle-word" in last and "needle-word" not in first
    # past the end: the last page
    assert panel.document_html(long_atlas, page=99) == last


def test_search_turns_to_the_page_that_has_the_words(make_window, long_atlas):
    from PySide6.QtCore import QUrl

    win = make_window(long_atlas)
    assert win.doc_page == 0
    win.toolbar.search.setText("needle-word")
    assert win.search.find_next()
    assert win.doc_page == 2 and win.panel.textCursor().selectedText() == "needle-word"
    win._on_link(QUrl("page:1"))
    assert win.doc_page == 1 and f"Item {P} " in win.panel.toPlainText()
