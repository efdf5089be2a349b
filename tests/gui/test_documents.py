"""Open replaces, Add adds (menu, Ctrl+Shift+O, a drop with Ctrl), the Documents tab lists and removes."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

A = "Islamabad, 5 February 2025\n\nBoth sides agreed to expand Gwadar Port."
B = "Joint statement of 12 March 2024\n\nPakistan will build a railway to Peshawar. It was discussed in Karachi."


def _files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(A, encoding="utf-8")
    b.write_text(B, encoding="utf-8")
    return a, b


def _names(window) -> list[str]:
    return [d.name for d in window.atlas.documents]


def test_open_replaces_and_add_adds_and_the_list_shows_each_with_its_date(qtbot, window, tmp_path):
    a, b = _files(tmp_path)
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        assert window.open_files([a])
    assert _names(window) == ["a.txt"]
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        assert window.add_files([b])
    assert _names(window) == ["a.txt", "b.txt"]
    assert {"gwadar-port", "karachi"} <= {p.id for p in window.atlas.places}
    rows = window.documents_tab.rows()
    assert [r[:2] for r in rows] == [("a.txt", "5 February 2025"), ("b.txt", "12 March 2024")]
    assert rows[0][3] == "2 paragraphs" and rows[1][2] == "3"
    assert window.add_files([b])  # already open: nothing to map again
    assert window.loader is None or not window.loader.isRunning()
    assert "open already" in window.statusBar().currentMessage()
    assert window.settings.last_files == [str(a.resolve()), str(b.resolve())]


def test_a_document_can_be_removed_and_the_others_stay(qtbot, window, tmp_path):
    a, b = _files(tmp_path)
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        window.open_files([a, b])
    tab = window.documents_tab
    assert not tab.remove_button.isEnabled()  # nothing chosen yet
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    assert tab.remove_button.isEnabled()
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert _names(window) == ["b.txt"] and "gwadar-port" not in {p.id for p in window.atlas.places}
    assert [r[0] for r in tab.rows()] == ["b.txt"]
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    assert not tab.remove_button.isEnabled()  # the last one stays
    assert window.settings.last_files == [str(b.resolve())]


def _drop(window, paths, modifiers):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, modifiers)
    window.dropEvent(event)


def test_a_drop_opens_and_a_drop_with_ctrl_adds(qtbot, window, tmp_path):
    a, b = _files(tmp_path)
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        _drop(window, [a], Qt.KeyboardModifier.NoModifier)
    assert _names(window) == ["a.txt"]
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        _drop(window, [b], Qt.KeyboardModifier.ControlModifier)
    assert _names(window) == ["a.txt", "b.txt"]
    with qtbot.waitSignal(window.atlasLoaded, timeout=60_000):
        _drop(window, [b], Qt.KeyboardModifier.NoModifier)
    assert _names(window) == ["b.txt"]


def test_file_menu_has_add_document(window):
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["Add document…"] == "Ctrl+Shift+O" and shortcuts["Open…"] == "Ctrl+O"
