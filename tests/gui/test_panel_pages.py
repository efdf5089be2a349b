"""A PDF in the window: page marks in the text view, pages cited for a place, search unchanged."""
from __future__ import annotations

import pytest
from pdfmaker import make_pdf

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.readers import read_document

GAZ = {
    "places": [
        {"id": "gwadar-port", "name": "Gwadar Port", "kind": "port", "point": [62.3396, 25.1105], "source": "t"},
    ]
}
PAGES = [
    ["Joint Statement on Trade.", "Both delegations met for two days."],
    ["They agreed to expand Gwadar Port.", "Work starts next year."],
    [],
    ["The talks ended with a dinner."],
]


def _window(qtbot, atlas):
    from mapviewer.ui.window import MainWindow

    win = MainWindow(atlas)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    return win


@pytest.fixture
def pdf_window(qtbot, tmp_path):
    path = tmp_path / "declaration.pdf"
    path.write_bytes(make_pdf(PAGES))
    win = _window(qtbot, build_atlas([read_document(path)], parse_gazetteer(GAZ)))
    yield win
    win.map.cleanup()


def test_the_text_view_shows_where_each_page_starts(pdf_window):
    pdf_window.show_document()
    text = pdf_window.panel.toPlainText()
    order = [text.index(x) for x in ("p. 1", "Joint Statement", "two days.", "p. 2", "expand Gwadar",
                                     "next year.", "p. 3 (no text)", "p. 4", "dinner")]
    assert order == sorted(order)
    assert text.count("p. ") == 4


def test_a_place_cites_its_page(pdf_window):
    pdf_window.show_place("gwadar-port")
    text = pdf_window.panel.toPlainText()
    assert "s. 3 · p. 2" in text and "They agreed to expand Gwadar Port." in text


def test_search_finds_sentences_not_broken_by_page_marks(pdf_window):
    pdf_window.show_document()
    pdf_window.toolbar.search.setText("expand Gwadar Port")
    assert pdf_window.search.find_next()
    assert pdf_window.panel.textCursor().selectedText() == "expand Gwadar Port"
    assert pdf_window.toolbar.search_info.text() == "1 of 1 hit"
    pdf_window.toolbar.search.setText("dinner")
    assert pdf_window.search.find_next() and pdf_window.panel.textCursor().selectedText() == "dinner"


def test_a_text_document_shows_no_page_marks(qtbot):
    atlas = build_atlas([Document("d.txt", "Joint Statement.\n\nThey agreed to expand Gwadar Port.")], parse_gazetteer(GAZ))
    win = _window(qtbot, atlas)
    try:
        win.show_document()
        assert 'class="pg"' not in win.panel_html and "p. 1" not in win.panel.toPlainText()
        win.show_place("gwadar-port")
        assert "¶ 2 · s. 2" in win.panel.toPlainText() and "p. " not in win.panel.toPlainText()
    finally:
        win.map.cleanup()
