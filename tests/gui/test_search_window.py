"""Search in the window: every open document whatever the panel shows, the hit centred, counts per document."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document

A = "China will strengthen security at Gwadar Port. The port of GWADAR grows. Kashmir was discussed."
B = "Pakistan will expand trade in Karachi. Gwadar again."


def test_search_finds_words_the_open_place_does_not_show(qtbot, window, seed_atlas):
    window.show_place("gwadar-port")
    assert "Kashmir" not in window.panel.toPlainText()
    window.toolbar.search.setText("Kashmir")
    assert window.search.find_next()
    assert window.session.showing_document and window.panel.textCursor().selectedText() == "Kashmir"
    hits = sum(s.text.lower().count("kashmir") for s in seed_atlas.documents[0].sentences)
    assert window.toolbar.search_info.text() == f"1 of {hits} hit{'s' if hits > 1 else ''}"
    assert window.selected == "gwadar-port"  # the map keeps its place


def test_a_hit_is_scrolled_to_the_middle_of_the_panel(qtbot, make_window):
    lines = [f"Item {i} of the plan concerns the port at Gwadar." for i in range(300)]
    lines[150] = "A needle-word sentence about Karachi stands here."
    win = make_window(build_atlas([Document("long.txt", " ".join(lines))]))
    win.toolbar.search.setText("needle-word")
    assert win.search.find_next()
    assert win.panel.textCursor().selectedText() == "needle-word"
    middle = win.panel.viewport().height() / 2
    assert abs(win.panel.cursorRect().center().y() - middle) <= 20
    assert win.panel.verticalScrollBar().value() > 0


def test_hits_are_counted_per_document_and_counted_again_when_documents_change(qtbot, make_window):
    win = make_window(build_atlas([Document("a.txt", A), Document("b.txt", B)]))
    win.toolbar.search.setText("gwadar")
    assert win.search.find_next()
    assert win.toolbar.search_info.text() == "1 of 3 hits · a.txt 2 · b.txt 1"
    for expected in ((0, 1), (1, 1)):  # the second hit, then the third, in the other document
        assert win.search.find_next()
    assert win.panel.textCursor().selectedText() == "Gwadar" and "Pakistan will expand" in win.panel.toPlainText()
    with qtbot.waitSignal(win.atlasLoaded, timeout=60_000):
        win.map_documents([Document("c.txt", "Gwadar, Gwadar and Gwadar. Nothing else.")])
    assert win.toolbar.search_info.text() == "3 hits"  # the new document's, not the old ones'
    assert win.search.find_next() and win.toolbar.search_info.text() == "1 of 3 hits"


def test_a_filter_says_how_many_hits_it_hides(qtbot, make_window):
    win = make_window(build_atlas([Document("a.txt", A), Document("b.txt", B)]))
    win.toolbar.doc_box.setCurrentIndex(win.toolbar.doc_box.findData(1))  # only b.txt
    win.toolbar.search.setText("gwadar")
    assert win.search.find_next()
    assert win.toolbar.search_info.text() == "1 of 1 hit · a.txt 0 · b.txt 1 · 2 more hidden by the filter"


class _ClaimsLikeX11:
    """What a QLineEdit does on X11 (the xcb platform binds "end of line" to Ctrl+E and "delete" to Ctrl+D;
    the offscreen platform binds neither): it claims those keys when Qt asks before a shortcut."""

    def __init__(self):
        from PySide6.QtCore import QEvent, QObject, Qt

        class Claim(QObject):
            def eventFilter(self, watched, event):  # noqa: N802
                if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() == Qt.KeyboardModifier.ControlModifier \
                        and event.key() in (Qt.Key.Key_E, Qt.Key.Key_D):
                    event.accept()  # as QLineEdit::event does: the key is the field's
                return False

        self.filter = Claim()

    def install(self, window, field):
        """Under the window's own filter, as the field's own handling is."""
        field.removeEventFilter(window.shortcuts)
        field.installEventFilter(self.filter)
        window.shortcuts.watch(field)


@pytest.mark.parametrize("key", ["E", "D"])
def test_the_window_shortcuts_work_while_the_search_box_has_the_focus(qtbot, window, key):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialog

    claims = _ClaimsLikeX11()
    claims.install(window, window.toolbar.search)
    window.activateWindow()
    window.show_place("gwadar-port")
    window.tabs.setCurrentWidget(window.places_tab)
    window.toolbar.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.toolbar.search, timeout=5_000)
    qtbot.keyClick(window.toolbar.search, getattr(Qt.Key, f"Key_{key}"), Qt.KeyboardModifier.ControlModifier)
    if key == "E":  # File › Export snapshot…
        dialogs = [d for d in window.findChildren(QDialog) if d.isVisible()]
        assert [d.windowTitle() for d in dialogs] == ["Export snapshot"]
        for d in dialogs:
            d.reject()
    else:  # View › Whole declaration
        assert window.session.showing_document and window.tabs.currentWidget() is window.panel
