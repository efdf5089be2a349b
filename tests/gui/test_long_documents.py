"""A long file in the window: read and mapped on the loader's thread, with progress within it, and a Cancel that stops it."""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mapviewer.ui.files import READ_AT_ONCE

ROOT = Path(__file__).resolve().parents[2]


def _long_file(path: Path, megabytes: float) -> Path:
    """The seed and the labelled texts over and over: places, pledges and talk all along (a first line of its own)."""
    texts = [next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/labelled").glob("*.txt"))]
    base = "\n\n".join(texts) + "\n\n"
    path.write_text(f"{path.name}\n\n" + base * int(megabytes * 2**20 / len(base) + 1), encoding="utf-8")
    assert path.stat().st_size > READ_AT_ONCE
    return path


def test_a_long_file_is_read_and_mapped_with_progress_within_it(qtbot, window, tmp_path):
    path = _long_file(tmp_path / "long.txt", 2.5)
    seen: list[tuple[int, int, str]] = []
    window.files.progress.connect(lambda done, total, what: seen.append((done, total, what)))
    with qtbot.waitSignal(window.atlasLoaded, timeout=180_000):
        assert window.open_files([path])  # at once: the file is read on the loader's thread
        qtbot.waitUntil(lambda: "Finding" in window.statusBar().currentMessage(), timeout=60_000)
        assert window.progress.isVisible() and window.cancel_button.isVisible()  # beside the message
    assert seen[0] == (0, 0, "Reading long.txt…")  # how far is unknown while it is read: Qt's busy bar
    finding = [(done, total) for done, total, what in seen if what == "Finding places in long.txt…"]
    assert len(finding) > 5 and all(0 <= done < total for done, total in finding)  # within the one document
    assert any(what == "Reading the pledges of long.txt…" for _d, _t, what in seen)
    done = [d for d, total, _w in seen if total]
    assert done == sorted(done)
    assert [d.name for d in window.atlas.documents] == ["long.txt"] and len(window.atlas.pledges) > 1000
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()


def test_cancel_stops_a_long_file_within_a_second_or_two(qtbot, window, tmp_path):
    path = _long_file(tmp_path / "longer.txt", 4)
    before = window.atlas
    loaded: list[object] = []
    window.atlasLoaded.connect(lambda: loaded.append(1))
    assert window.open_files([path])
    qtbot.waitUntil(lambda: "Finding" in window.statusBar().currentMessage(), timeout=60_000)
    assert window.files.running()
    start = time.perf_counter()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.progress.isVisible() and window.loader is None  # the window lets go at once
    qtbot.waitUntil(lambda: not window.files.running(), timeout=5_000)  # and the thread stops soon after
    assert time.perf_counter() - start < 2.0
    QApplication.processEvents()  # anything the stopped loader had queued would arrive now
    assert window.atlas is before and not loaded
    assert window.statusBar().currentMessage() == "Mapping cancelled"
