"""A user's first window: it builds nothing while the shipped files are current, and says what it builds when not."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def first_run(qtbot, tmp_path, monkeypatch):
    """A fresh account (empty cache) in this process; what the status bar is told of one-time work."""
    from mapviewer.core import geonames
    from mapviewer.core.gazetteer import full_gazetteer
    from mapviewer.ui.settings import Settings
    from mapviewer.ui.statusbar import StatusBar

    index = geonames.load_index()
    monkeypatch.setenv("MAPVIEWER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAPVIEWER_ATLAS_CACHE", "0")
    geonames.load_index.cache_clear()
    full_gazetteer.cache_clear()
    shown = []
    original = StatusBar.show_one_time

    def spy(self, what, seconds):
        original(self, what, seconds)
        shown.append((what, seconds, self.one_time.text(), self.one_time.isVisible() and self.one_time_bar.isVisible()))

    monkeypatch.setattr(StatusBar, "show_one_time", spy)
    windows = []

    def start():
        from mapviewer.ui.app import open_window

        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        window = open_window([], settings)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield start, shown, index
    for window in windows:
        window.close()
    geonames.load_index.cache_clear()
    full_gazetteer.cache_clear()


def test_a_first_window_with_the_shipped_files_builds_nothing(qtbot, first_run):
    start, shown, _ = first_run
    window = start()
    with qtbot.waitSignal(window.mapDrawn, timeout=60_000):
        pass
    assert "Gwadar Port" in {p.name for p in window.atlas.places}
    assert shown == []
    assert not window.statusBar().one_time.isVisible()


def test_a_first_window_that_must_build_says_so_in_the_status_bar(qtbot, first_run, monkeypatch):
    """Without the shipped files (as if stale) the page and the index are built on threads while
    the window shows, each named in the status bar with a busy bar until it is done."""
    from mapviewer.core import geonames
    from mapviewer.map import shell

    start, shown, index = first_run
    monkeypatch.setenv("MAPVIEWER_PREBUILT", "0")
    build_parts = shell.build_parts

    def slow_parts(tiles=()):  # long enough to be seen whatever the machine's speed
        time.sleep(0.5)
        return build_parts(tiles)

    def slow_index():  # the real build takes seconds: the index already loaded stands in
        time.sleep(0.5)
        return index

    monkeypatch.setattr(shell, "build_parts", slow_parts)
    monkeypatch.setattr(geonames, "build_index", slow_index)
    window = start()
    assert window.isVisible()  # shown before the page is built
    with qtbot.waitSignal(window.mapDrawn, timeout=60_000):
        pass
    assert "Gwadar Port" in {p.name for p in window.atlas.places}
    for what in ("Building the map page (once)…", "Building the GeoNames index (once, a few seconds)…"):
        started = [s for s in shown if s[0] == what and s[1] is None]
        ended = [s for s in shown if s[0] == what and s[1] is not None]
        assert len(started) == 1 and len(ended) == 1, shown
        assert what in started[0][2] and started[0][3]  # the label says it, the busy bar runs
        assert ended[0][1] >= 0.5
    assert shown[-1][2:] == ("", False)  # all done: label and bar gone
    assert not window.statusBar().one_time.isVisible()
    assert shell.cached_shell() is not None  # kept: the next start shows the page at once
