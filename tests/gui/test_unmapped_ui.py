"""Names no gazetteer knows, in the window: listed, placed by hand, or looked up once the user allows it."""
from __future__ import annotations

import pytest
from fakenominatim import serve

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.reading.corrections import parse_coordinates

TEXT = (
    "Pakistan and China agreed to build the Zorvakand Dry Port near Gwadar. "
    "Trucks from Karachi will reach the Zorvakand Dry Port within a day."
)


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from mapviewer.ui.settings import Settings
    from mapviewer.ui.window import MainWindow

    store = CorrectionStore(tmp_path / "corrections.json")
    atlas = build_atlas([Document("t.txt", TEXT)], corrections=store)
    win = MainWindow(atlas, Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), store)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    yield win
    win.map.cleanup()


def _drawn(page_state, win) -> dict:
    return {f["name"]: f for f in page_state(win.map)["features"]}


def test_an_unknown_name_is_listed_and_can_be_placed_by_hand(qtbot, window, page_state, run_js):
    tab = window.places_tab
    assert tab.unmapped_list.count() == 1
    assert tab.unmapped_list.item(0).text().startswith("Zorvakand Dry Port")
    assert "Not on the map: 1" in tab.unmapped_label.text()
    assert "Zorvakand Dry Port" not in _drawn(page_state, window)
    with qtbot.waitSignal(window.mapDrawn, timeout=60_000):
        assert window.corrector.place_unmapped("Zorvakand Dry Port", parse_coordinates("25.43, 63.12"))
    place = next(p for p in window.atlas.places if p.name == "Zorvakand Dry Port")
    assert (place.geometry.x, place.geometry.y) == (63.12, 25.43) and len(place.refs) == 2
    assert "Zorvakand Dry Port" in _drawn(page_state, window)
    assert tab.unmapped_list.count() == 0


def _zorvakand(query: dict):
    found = {"lat": "25.4321", "lon": "63.1234", "display_name": "Zorvakand Dry Port, Pakistan",
             "class": "landuse", "type": "industrial"}
    return 200, [found] if "Zorvakand" in query.get("q", "") else []


def test_switching_the_online_geocoder_on_maps_the_unknown_name(qtbot, window, page_state, tmp_path, no_proxy):
    from mapviewer.core.geocoding import GeocodeCache

    server = serve(_zorvakand)
    try:
        with qtbot.waitSignal(window.atlasLoaded, timeout=30_000):
            window.corrector.set_online_geocoding(True, domain=f"127.0.0.1:{server.server_port}", scheme="http", timeout=2,
                                        min_delay_seconds=0, cache=GeocodeCache(tmp_path / "geocode.json"))
        qtbot.waitSignal(window.mapDrawn, timeout=60_000).wait()
    finally:
        server.shutdown()
        server.server_close()
    place = next(p for p in window.atlas.places if p.name == "Zorvakand Dry Port")
    assert place.origin == "online" and (place.geometry.x, place.geometry.y) == pytest.approx((63.1234, 25.4321))
    assert "Zorvakand Dry Port" in _drawn(page_state, window)
    assert len(server.hits) == 1 and window.places_tab.unmapped_list.count() == 0
    window.corrector.set_online_geocoding(False)
