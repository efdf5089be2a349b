"""Desktop behaviour: settings survive a restart, menus, online tiles that fail soft."""
from __future__ import annotations

import http.server
import threading

import pytest
from PySide6.QtCore import QSettings

from mapviewer.map import basemaps
from mapviewer.ui.settings import Settings


def _window(qtbot, atlas, settings):
    from mapviewer.ui.window import MainWindow

    win = MainWindow(atlas, settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    return win


def test_settings_round_trip_through_a_restart(qtbot, tmp_path, seed_atlas, seed_path):
    ini = str(tmp_path / "mapviewer.ini")
    first = _window(qtbot, seed_atlas, Settings(QSettings(ini, QSettings.Format.IniFormat)))
    first.resize(760, 580)
    first.toolbar.theme_box.setCurrentIndex(first.toolbar.theme_box.findData("energy"))
    with qtbot.waitSignal(first.atlasLoaded, timeout=30_000):
        assert first.open_files([seed_path])
    first.close()

    second = _window(qtbot, seed_atlas, Settings(QSettings(ini, QSettings.Format.IniFormat)))
    second.restore_filters()
    assert (second.width(), second.height()) == (760, 580)
    assert second.toolbar.theme_box.currentData() == "energy"
    assert second.settings.recent == [str(seed_path.resolve())]
    assert [a.toolTip() for a in second.recent_menu.actions()] == [str(seed_path.resolve())]
    assert second.settings.last_files == [str(seed_path.resolve())]
    second.close()


def test_a_damaged_settings_file_is_rebuilt_with_a_note(tmp_path):
    ini = tmp_path / "broken.ini"
    ini.write_bytes(b"[window]\ngeometry=@ByteArray(\x00\xff\xfe" + bytes(range(256)) + b"\n[[[")
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    if settings.note:  # Qt flagged it: set aside, not lost
        assert (tmp_path / "broken.ini.broken").exists()
    settings.set("view/basemap", basemaps.OFFLINE)
    settings.sync()
    assert Settings(QSettings(str(ini), QSettings.Format.IniFormat)).text("view/basemap") == basemaps.OFFLINE


def test_menus_have_the_standard_entries(window):
    menus = {m.title().replace("&", ""): [a.text().replace("&", "") for a in m.actions() if a.text()]
             for m in (a.menu() for a in window.menuBar().actions()) if m}
    assert {"File", "Edit", "View", "Go", "Help"} <= set(menus)
    assert {"Open…", "Open Recent", "Export snapshot…", "Quit"} <= set(menus["File"])
    assert {"Zoom In", "Zoom Out", "Fit to all places", "Full screen", "Basemap"} <= set(menus["View"])
    assert "About and data sources" in menus["Help"]


def test_zoom_action_zooms_the_map(qtbot, window, page_state):
    before = page_state(window.map)["zoom"]
    next(a for a in window.actions() if a.text() == "Zoom &In").trigger()
    qtbot.waitUntil(lambda: page_state(window.map)["zoom"] == before + 1, timeout=5_000)


def test_about_names_versions_and_sources():
    from mapviewer.ui.about import about_html

    html = about_html()
    for word in ("QtWebEngine", "Python", "Natural Earth", "GeoNames", "Leaflet", "OpenStreetMap", "public domain", "CC BY 4.0"):
        assert word in html


class _FailingTiles(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _FailingTiles.hits.append(self.path)
        self.send_error(500)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FailingTiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_online_tiles_that_fail_leave_the_offline_map(qtbot, window, page_state, tile_server, monkeypatch):
    spec = basemaps.TileSpec("OpenStreetMap", tile_server + "/{z}/{x}/{y}.png", "test tiles")
    monkeypatch.setattr(basemaps, "online_specs", lambda chosen: (spec,))
    with qtbot.waitSignal(window.map.bridge.ready, timeout=60_000):
        window.set_basemap("OpenStreetMap")
    assert window.basemap == "OpenStreetMap"
    qtbot.waitUntil(lambda: page_state(window.map)["tileFailed"] == "OpenStreetMap", timeout=15_000)
    qtbot.waitUntil(lambda: "tiles unavailable" in window.network.text(), timeout=5_000)
    assert _FailingTiles.hits  # the page really asked the tile server
    assert window.map.guard.refused == []  # and nothing else
    assert window.settings.text("view/basemap") == "OpenStreetMap"

    def land_pixels():
        image = window.map.grab().toImage()
        return sum(image.pixelColor(x, y).name() == "#efe9d8" for x in range(0, image.width(), 9) for y in range(0, image.height(), 9))

    qtbot.waitUntil(lambda: land_pixels() > 50, timeout=10_000)  # the Natural Earth outlines are still drawn
    window.set_basemap(basemaps.OFFLINE)


def test_open_reads_now_and_maps_in_the_background(qtbot, window, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n")
    assert window.open_files([bad]) is False
    assert "no text" in window.statusBar().currentMessage()
    good = tmp_path / "note.txt"
    good.write_text("Pakistan welcomed progress at Gwadar Port and on the ML-1.", encoding="utf-8")
    with qtbot.waitSignal(window.atlasLoaded, timeout=30_000):
        assert window.open_files([good])
        assert window.loader.isRunning() or window.loader.isFinished()
    assert {p.name for p in window.atlas.places} == {"Pakistan", "Gwadar Port", "ML-1"}  # the text's own words
    assert window.windowTitle().startswith("note.txt")
    with qtbot.waitSignal(window.map.bridge.ready, timeout=60_000):
        pass
    assert window.places_tab.model.rowCount() == 3
