"""Fixing a place from the window: saved, applied to the map, and kept for next time."""
from __future__ import annotations

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from fakenominatim import serve

from mapviewer.reading.corrections import Choose, Coordinates, NotAPlace, parse_coordinates


def _window(qtbot, atlas, store, tmp_path):
    from PySide6.QtCore import QSettings

    from mapviewer.ui.settings import Settings
    from mapviewer.ui.window import MainWindow

    win = MainWindow(atlas, Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), store)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    return win


TEXT = "Pakistan agreed to link Hyderabad and Gwadar Port by rail."


def test_typed_coordinates_move_the_place_and_survive_a_restart(qtbot, tmp_path, page_state):
    store = CorrectionStore(tmp_path / "corrections.json")
    atlas = build_atlas([Document("t.txt", TEXT)], corrections=store)
    win = _window(qtbot, atlas, store, tmp_path)
    win.show_place("gwadar-port")
    with qtbot.waitSignal(win.mapDrawn, timeout=60_000):
        assert win.corrector.apply("gwadar-port", parse_coordinates("25.0, 62.0"))
    port = win.atlas.place("gwadar-port")
    assert (port.geometry.x, port.geometry.y) == (62.0, 25.0) and port.origin == "user"
    assert win.selected == "gwadar-port" and "corrected by you" in win.panel_html  # the panel stays on the place
    drawn = {f["id"]: f for f in page_state(win.map)["features"]}
    assert drawn["gwadar-port"]["onMap"]
    # next run: a new store object on the same file, a new Atlas
    again = build_atlas([Document("t.txt", TEXT)], corrections=CorrectionStore(tmp_path / "corrections.json"))
    assert (again.place("gwadar-port").geometry.x, again.place("gwadar-port").geometry.y) == (62.0, 25.0)


def test_not_a_place_removes_it_and_undo_is_possible(qtbot, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    atlas = build_atlas([Document("t.txt", TEXT)], corrections=store)
    win = _window(qtbot, atlas, store, tmp_path)
    with qtbot.waitSignal(win.atlasLoaded, timeout=30_000):
        win.corrector.apply("gwadar-port", NotAPlace())
    assert win.atlas.place("gwadar-port") is None
    assert any(m.surface == "Gwadar Port" for _, m, _ in win.atlas.rejected)


def test_choosing_another_candidate(qtbot, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    atlas = build_atlas([Document("t.txt", TEXT)], corrections=store)
    hyd = next(p for p in atlas.places if p.name == "Hyderabad")
    assert hyd.country == "PK"  # a Pakistan text means the Hyderabad in Sindh
    other = next(a for a in atlas.candidates(hyd.id) if a.country == "IN")
    win = _window(qtbot, atlas, store, tmp_path)
    win.show_place(hyd.id)
    assert "fix:choose:" in win.panel_html and "other places of that name" in win.panel_html
    with qtbot.waitSignal(win.atlasLoaded, timeout=30_000):
        win.corrector.apply(hyd.id, Choose(other.id))
    now = next(p for p in win.atlas.places if p.name == "Hyderabad")
    assert now.country == "IN" and abs(now.geometry.y - 17.38) < 0.1


def test_bad_coordinates_are_refused_in_one_line():
    assert parse_coordinates("north of here") is None
    assert parse_coordinates("95, 10") is None
    parsed = parse_coordinates("25.1; 62.3")
    assert isinstance(parsed, Coordinates) and (parsed.lon, parsed.lat) == (62.3, 25.1)


def _nominatim(mode: str):
    gwadar = {"lat": "25.2", "lon": "62.25", "display_name": "Gwadar Port, Balochistan, Pakistan",
              "class": "harbour", "type": "port"}
    return serve(lambda _query: (200, [gwadar]) if mode == "ok" else (int(mode), None))


def test_online_lookup_applies_its_answer_or_falls_back_and_says_so(qtbot, tmp_path, no_proxy):
    from mapviewer.core.geocoding import GeocodeCache

    store = CorrectionStore(tmp_path / "corrections.json")
    win = _window(qtbot, build_atlas([Document("t.txt", TEXT)], corrections=store), store, tmp_path)
    assert not win.corrector.look_up_online("gwadar-port")  # off by default: nothing leaves the machine
    for mode, moved in (("500", False), ("ok", True)):
        server = _nominatim(mode)
        win.corrector.set_online_geocoding(True, domain=f"127.0.0.1:{server.server_address[1]}", scheme="http",
                                 timeout=2, min_delay_seconds=0, cache=GeocodeCache(tmp_path / f"cache-{mode}.json"))
        with qtbot.waitSignal(win.corrector.lookupDone, timeout=20_000) as done:
            assert win.corrector.look_up_online("gwadar-port")
        result = done.args[0]
        if moved:
            qtbot.waitUntil(lambda: win.atlas.place("gwadar-port").origin == "user", timeout=30_000)
            assert (win.atlas.place("gwadar-port").geometry.x, win.atlas.place("gwadar-port").geometry.y) == (62.25, 25.2)
        else:
            assert result.status and "online geocoder" in result.status  # fell back, and says so
            assert win.atlas.place("gwadar-port").origin != "user"
            assert "online geocoder" in win.statusBar().currentMessage()
        server.shutdown()
    win.corrector.set_online_geocoding(False)


# --- a position by a click on the map; another place found in the whole gazetteer --------------

PORTS = "Pakistan agreed to expand Gwadar Port. Trade through Karachi will grow."


def _pixel(page_state, win, place_id):
    feature = next(f for f in page_state(win.map)["features"] if f["id"] == place_id)
    return round(feature["x"]), round(feature["y"])


def test_a_place_is_set_by_a_click_on_the_map(qtbot, tmp_path, page_state, rested):
    from PySide6.QtCore import QPoint, Qt

    store = CorrectionStore(tmp_path / "corrections.json")
    win = _window(qtbot, build_atlas([Document("t.txt", PORTS)], corrections=store), store, tmp_path)
    rested(win.map)
    karachi = win.atlas.place("karachi").geometry
    x, y = _pixel(page_state, win, "karachi")
    win.show_place("gwadar-port")
    assert "Set coordinates…" in win.panel_html
    dialog = win.corrector.ask_position("Gwadar Port", lambda c: win.corrector.apply("gwadar-port", c))
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.picker.active and "Click the map" in win.statusBar().currentMessage()
    with qtbot.waitSignal(dialog.picker.picked, timeout=10_000) as picked:
        qtbot.mouseClick(win.map.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    lon, lat = picked.args
    degrees_per_pixel = 360 / (256 * 2 ** page_state(win.map)["zoom"])
    assert abs(lon - karachi.x) < 2 * degrees_per_pixel and abs(lat - karachi.y) < 2 * degrees_per_pixel
    assert dialog.isVisible() and dialog.field.text() == f"{lat:.5f}, {lon:.5f}"  # the box, to check or adjust
    assert win.selected == "gwadar-port"  # the click never reached the page: Karachi was not selected
    with qtbot.waitSignal(win.atlasLoaded, timeout=30_000):
        dialog.accept()
    port = win.atlas.place("gwadar-port")
    assert port.origin == "user" and (round(port.geometry.x, 5), round(port.geometry.y, 5)) == (round(lon, 5), round(lat, 5))


def test_esc_while_picking_goes_back_to_the_box(qtbot, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    win = _window(qtbot, build_atlas([Document("t.txt", PORTS)], corrections=store), store, tmp_path)
    dialog = win.corrector.ask_position("Gwadar Port", lambda c: None)
    dialog.pick()
    assert dialog.picker.active and not dialog.isVisible()
    win.cancel_loading()  # what Esc does
    assert not dialog.picker.active and dialog.isVisible()
    dialog.reject()


def test_a_place_without_alternatives_can_be_chosen_from_the_whole_gazetteer(qtbot, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    win = _window(qtbot, build_atlas([Document("t.txt", PORTS)], corrections=store), store, tmp_path)
    port = win.atlas.place("gwadar-port")
    assert not port.alternatives
    win.show_place("gwadar-port")
    assert "Choose another place…" in win.panel_html
    dialog = win.corrector.ask_choice("gwadar-port")
    dialog.field.setText("Pasni")
    dialog.search_now()
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert rows and rows[0].startswith("Pasni, PK")
    with qtbot.waitSignal(win.atlasLoaded, timeout=30_000):
        dialog.accept()
    moved = next(p for p in win.atlas.places if any(r.mention.surface == "Gwadar Port" for r in p.refs))
    assert moved.name == "Gwadar Port" and moved.country == "PK" and abs(moved.geometry.x - 63.47) < 0.1
    assert moved.correction == Choose(moved.id) and moved.chosen_because == "chosen by the user"
