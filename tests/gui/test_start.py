"""The app's own start: window first, places found on a thread, one page for every document set."""
from __future__ import annotations

import pytest


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    from mapviewer.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_the_window_shows_the_text_at_once_and_the_places_when_found(qtbot, settings, page_state, seed_atlas):
    from mapviewer.ui.app import open_window

    win = open_window([], settings)
    qtbot.addWidget(win)
    # Before the places are found: the declaration is readable, nothing is drawn yet.
    assert win.atlas.places == [] and "Gwadar" in win.panel.toPlainText()
    qtbot.waitSignal(win.mapDrawn, timeout=60_000).wait()
    assert [p.id for p in win.atlas.places] == [p.id for p in seed_atlas.places]
    drawn = {f["id"]: f for f in page_state(win.map)["features"]}
    assert set(drawn) == {p.id for p in seed_atlas.places}
    assert all(f["onMap"] for f in drawn.values())
    assert win.map.guard.refused == []
    win.map.cleanup()


def test_a_bad_file_fails_at_once_with_no_window(qtbot, settings, tmp_path):
    """The files are read on a thread while the page commits; their error still reaches the caller."""
    from PySide6.QtWidgets import QApplication

    from mapviewer.core.errors import MapViewerError
    from mapviewer.ui.app import open_window

    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    for bad in (tmp_path / "missing.txt", empty):
        with pytest.raises(MapViewerError) as error:
            open_window([bad], settings)
        assert bad.name in str(error.value) and "\n" not in str(error.value)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in before]  # none of its own


def test_another_document_is_drawn_on_the_same_page(qtbot, window, page_state, tmp_path):
    """Opening a file hands the page new data; Leaflet and the outlines are not reloaded."""
    loads: list[bool] = []
    window.map.loadFinished.connect(loads.append)
    other = tmp_path / "other.txt"
    other.write_text("Both sides welcomed the new container terminal at Karachi Port and the Lahore ring road.", encoding="utf-8")
    with qtbot.waitSignal(window.mapDrawn, timeout=60_000):
        assert window.open_files([other])
    names = {f["name"] for f in page_state(window.map)["features"]}
    assert any("Karachi" in n for n in names) and any("Lahore" in n for n in names)
    assert not any("Gwadar" in n for n in names)  # the seed's places are gone from the map
    assert loads == []  # no page load: the same page drew the new places


def test_a_basemap_change_reloads_the_page_and_redraws_the_same_places(qtbot, window, page_state, seed_atlas):
    from mapviewer.map import basemaps

    name = next(n for n in basemaps.NAMES if n != basemaps.OFFLINE)
    with qtbot.waitSignal(window.map.bridge.ready, timeout=60_000):
        window.set_basemap(name)
    assert {f["id"] for f in page_state(window.map)["features"]} == {p.id for p in seed_atlas.places}


def test_the_page_is_committed_before_the_window_is_built(qtbot):
    """The commit needs Qt's main thread: ``wait_committed`` lets it happen
    before the window's build holds that thread (the page then loads in its
    own process meanwhile)."""
    from mapviewer.map import basemaps
    from mapviewer.map.shell import shell_page
    from mapviewer.ui.webview import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.load_shell(basemaps.OFFLINE)
    assert view.url().isEmpty()  # asked for, not yet committed
    view.wait_committed(timeout_ms=30_000)
    assert view.url().toLocalFile() == str(shell_page())
    view.cleanup()


def test_a_long_file_at_start_shows_the_window_at_once_and_is_read_on_the_loaders_thread(qtbot, settings, tmp_path):
    from mapviewer.ui.app import open_window
    from mapviewer.ui.files import READ_AT_ONCE

    long = tmp_path / "long.txt"
    line = "Both sides agreed to expand Gwadar Port and the road to Karachi.\n\n"
    long.write_text(line * (READ_AT_ONCE // len(line) + 100), encoding="utf-8")
    win = open_window([long], settings)
    qtbot.addWidget(win)
    try:
        assert win.atlas.documents == [] and win.isVisible()  # not read yet: the window did not wait for it
        with qtbot.waitSignal(win.atlasLoaded, timeout=120_000):
            pass
        assert [d.name for d in win.atlas.documents] == ["long.txt"]
        assert {"gwadar-port", "karachi"} <= {p.id for p in win.atlas.places}
        assert win.documents_tab.rows()[0][0] == "long.txt"
    finally:
        win.map.cleanup()
