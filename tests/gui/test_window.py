"""The window on the seed declaration, driven as a user would, offscreen."""
from __future__ import annotations

import re

import pytest
from mapclicks import click, pixel
from PySide6.QtCore import QUrl



def test_the_map_draws_every_place_and_connects_the_bridge(window, page_state, seed_atlas):
    state = page_state(window.map)
    assert state["ready"] is True
    assert sorted(f["id"] for f in state["features"]) == sorted(p.id for p in seed_atlas.places)
    assert all(f["onMap"] for f in state["features"])
    assert window.map.is_ready


def test_loading_the_page_makes_no_network_request(window):
    assert window.map.guard.refused == []
    assert window.map.guard.allowed  # the interceptor saw the page itself
    assert all(u.startswith(("file:", "data:", "qrc:", "about:", "blob:")) for u in window.map.guard.allowed)


def test_no_javascript_errors(window):
    assert window.map.map_page.js_errors == []


def test_click_on_a_feature_shows_exactly_its_sentences(qtbot, window, seed_atlas, page_state, run_js):
    port = next(p for p in seed_atlas.places if p.name == "Gwadar Port")
    with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
        run_js(window.map, f"mapviewer.fireClick({port.id!r})")
    assert shown.args == [port.id]
    panel = window.panel.toPlainText()
    expected = [seed_atlas.sentence(d, i).text for d, i in port.sentence_keys()]
    assert expected and all(" ".join(s.split()) in " ".join(panel.split()) for s in expected)
    # each sentence opens with its citation ("¶ 9 · s. 12"); "under the pledge of ¶ 9 · s. 12" cites another
    shown_count = len(re.findall(r"^(?:¶ \d+ · )?s\. \d+", panel, re.MULTILINE))
    assert shown_count == len(expected)
    # the place's own words are highlighted in the panel
    assert '<span class="hit">Gwadar Port</span>' in window.panel_html
    assert page_state(window.map)["selected"] == port.id


def _port_atlas(seed_atlas):
    from mapviewer.core.model import Atlas

    return Atlas(seed_atlas.documents, [seed_atlas.place("gwadar-port")], seed_atlas.pledges)


def test_a_map_opened_zoomed_in_is_ready_only_with_the_detailed_outlines(make_window, seed_atlas, page_state, monkeypatch):
    from PySide6.QtCore import QTimer

    from mapviewer.ui.webview import MapView

    send = MapView._send_outlines  # answered late: "ready" must still wait for them
    monkeypatch.setattr(MapView, "_send_outlines", lambda self: QTimer.singleShot(1500, lambda: send(self)))
    window = make_window(_port_atlas(seed_atlas))  # one point: the view fits it at zoom 9
    state = page_state(window.map)
    assert state["zoom"] >= 6 and state["ready"] is True
    assert state["basemap"] == "detail"  # asked for through the bridge, and drawn before "ready"


def test_without_the_detailed_outlines_the_map_keeps_the_overview_and_is_ready(make_window, seed_atlas, page_state,
                                                                               tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("mapviewer.ui.webview.outlines_file", lambda page: tmp_path / "gone.outlines.json")
    window = make_window(_port_atlas(seed_atlas))
    state = page_state(window.map)
    assert state["zoom"] >= 6 and state["ready"] is True and state["basemap"] == "overview"
    assert "detailed outlines unreadable" in caplog.text
    assert window.map.map_page.js_errors == []


@pytest.mark.parametrize("name, where", [
    ("ML-1 railway", "middle"),  # a line over the country it crosses
    ("Xinjiang", "inside"),  # a smaller area over the larger one around it
    ("China", "inside"),  # away from the regions drawn over it
    ("Taiwan", "inside"),
])
def test_a_click_at_a_pixel_of_a_line_or_an_area_shows_that_place(qtbot, window, seed_atlas, page_state, run_js, rested,
                                                                  name, where):
    place = next(p for p in seed_atlas.places if p.name == name)
    window.map.api.focus([place.id])  # the first view frames the pledges' places: bring this one into view
    rested(window.map)
    others = [p.geometry for p in seed_atlas.places if p.name != name and p.name != "China"]
    if where == "middle":
        lon, lat = place.geometry.interpolate(0.5, normalized=True).coords[0]
    else:  # a point inside that no smaller place covers
        spot = place.geometry.buffer(-0.3) if name == "China" else place.geometry
        for other in others:
            spot = spot.difference(other.buffer(0.5))
        lon, lat = _free_spot(spot, page_state(window.map))
    x, y = pixel(page_state(window.map), lon, lat)
    with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
        click(run_js, window.map, x, y)
    assert shown.args == [place.id] and page_state(window.map)["selected"] == place.id


def _free_spot(area, state: dict) -> tuple[float, float]:
    """A point of ``area`` in view and under no name (a click on a name selects the name's place)."""
    from shapely.geometry import Point, box

    names = [box(*f["label"]["box"]).buffer(4) for f in state["features"] if f["label"]]
    west, south, east, north = area.bounds
    candidates = [area.representative_point().coords[0]] + [
        (west + (east - west) * i / 8, south + (north - south) * j / 8) for i in range(1, 8) for j in range(1, 8)]
    for lon, lat in candidates:
        x, y = pixel(state, lon, lat)
        if area.contains(Point(lon, lat)) and 20 < x < 800 and 20 < y < 700 and not any(n.contains(Point(x, y)) for n in names):
            return lon, lat
    raise AssertionError("no free point of the area in view")


def test_every_label_belongs_to_the_place_it_touches(window, page_state, seed_atlas):
    """A point's name is beside its own marker and touches no other; a line's is on or beside the
    line; an area's is inside the area; no name covers another, a marker or a control."""
    from shapely.geometry import Point, box

    state = page_state(window.map)
    labels = {f["id"]: f for f in state["features"] if f["label"]}
    assert len(labels) >= 10
    markers = {f["id"]: (f["x"], f["y"]) for f in state["features"] if f["type"] == "Point" and f["onMap"]}
    boxes = [box(*f["label"]["box"]) for f in labels.values()]
    for k, (pid, f) in enumerate(labels.items()):
        label = boxes[k]
        assert not any(label.intersects(other) for other in boxes[:k] + boxes[k + 1:]), f["name"]
        assert not any(label.intersects(box(*c).buffer(-1)) for c in state["controls"]), f["name"]
        for other, (x, y) in markers.items():
            if other != pid:  # another place's marker: never under this name
                assert label.distance(Point(x, y)) > 6, (f["name"], other)
        place = seed_atlas.place(pid)
        if place.shape == "point":
            assert label.distance(Point(f["x"], f["y"])) <= 12, f["name"]  # beside its own marker
            assert label.distance(Point(f["x"], f["y"])) >= 5, f["name"]  # and not over it
        elif place.shape == "line":
            line = [pixel(state, lon, lat) for lon, lat in place.geometry.coords]
            from shapely.geometry import LineString

            assert label.distance(LineString(line)) <= 8, f["name"]
        else:
            centre = label.centroid
            lonlat = _lonlat(state, centre.x, centre.y)
            assert place.geometry.buffer(0.2).contains(Point(*lonlat)), f["name"]


def _lonlat(state: dict, x: float, y: float) -> tuple[float, float]:
    """The inverse of mapclicks.pixel: where a container pixel lies."""
    import math

    scale = 256 * 2 ** state["zoom"]
    lon0, lat0 = state["topLeft"]
    s0 = math.sin(math.radians(lat0))
    x0 = (lon0 + 180) / 360 * scale
    y0 = (0.5 - math.log((1 + s0) / (1 - s0)) / (4 * math.pi)) * scale
    lon = (x + x0) / scale * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + y0) / scale))))
    return lon, lat


def test_markers_on_the_same_pixels_are_spread_and_each_clickable(qtbot, window, page_state, run_js, rested):
    """At the first view Gwadar Port and its airport (25 km apart), and Beijing and the Great Hall,
    fall on the same pixels: each is drawn apart, with a leader to its true place, and a click on
    its marker, or on its name, selects it and no other."""
    state = page_state(window.map)
    drawn = {f["id"]: f for f in state["features"]}
    port, airport = drawn["gwadar-port"], drawn["new-gwadar-international-airport"]
    assert abs(port["trueX"] - airport["trueX"]) < 13 and abs(port["trueY"] - airport["trueY"]) < 13  # the same pixels
    assert abs(port["x"] - airport["x"]) >= 16 or abs(port["y"] - airport["y"]) >= 16  # drawn apart
    assert port["label"] and airport["label"]
    for pid in (port["id"], airport["id"]):
        for what in ("marker", "name"):
            window.fit_all()  # back to the first view: a popup opened by the last click may have moved the map
            f = {g["id"]: g for g in rested(window.map)["features"]}[pid]
            left, top, right, bottom = f["label"]["box"] if what == "name" else (f["x"], f["y"], f["x"], f["y"])
            with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
                click(run_js, window.map, (left + right) / 2, (top + bottom) / 2)
            assert shown.args == [pid], what


def test_click_on_a_sentence_brings_the_map_to_its_places(qtbot, window, seed_atlas, page_state):
    doc = seed_atlas.documents[0]
    index = next(s.index for s in doc.sentences if "ML-1" in s.text)
    before = page_state(window.map)
    window.panel.anchorClicked.emit(QUrl(f"sentence:0:{index}"))
    expected = {p.id for p in seed_atlas.places_in_sentence(0, index)}
    assert {"Gwadar Port", "New Gwadar International Airport"} <= {seed_atlas.place(i).name for i in expected}

    def moved():
        s = page_state(window.map)
        return s["center"] != before["center"] or s["zoom"] != before["zoom"]

    qtbot.waitUntil(moved, timeout=10_000)
    state = page_state(window.map)
    size = window.map.size()
    for f in state["features"]:
        if f["id"] in expected and f["type"] == "Point":
            assert 0 <= f["x"] <= size.width() and 0 <= f["y"] <= size.height()


def test_bridge_ignores_unknown_ids(qtbot, window):
    window.map.bridge.featureClicked("not-a-place")
    window.map.bridge.featureClicked("<script>")
    assert window.selected is None


def test_the_map_never_navigates_away(qtbot, window, run_js, monkeypatch):
    opened = []
    monkeypatch.setattr("mapviewer.ui.dialogs.QDesktopServices.openUrl", lambda url: opened.append(url.toString()))
    with qtbot.waitSignal(window.map.map_page.linkRequested, timeout=10_000):
        run_js(window.map, "location.href = 'https://example.org/'; 1")
    assert run_js(window.map, "typeof window.mapviewer") == "object"  # still our page
    box = window.link_box
    assert "https://example.org/" in box.text() and opened == []  # asks first
    box.accept()
    assert opened == ["https://example.org/"]
    run_js(window.map, "window.open('https://example.org/popup'); 1")
    assert window.map.guard.refused == []  # nothing was fetched


def _land_share(window) -> float:
    image = window.map.grab().toImage()
    samples = [image.pixelColor(x, y).name() for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)]
    return samples.count("#efe9d8") / len(samples)


def test_outlines_are_generalised_at_small_scales_and_detailed_when_zoomed_in(qtbot, window, page_state, run_js):
    state = page_state(window.map)
    assert state["zoom"] < 6 and state["basemap"] == "overview"
    assert _land_share(window) > 0.2  # Asia's land, drawn in the window's own view (not only in exports)
    window.map.api.focus(["gwadar-port"])
    qtbot.waitUntil(lambda: page_state(window.map)["zoom"] >= 6, timeout=10_000)
    qtbot.waitUntil(lambda: page_state(window.map)["basemap"] == "detail", timeout=10_000)
    qtbot.waitUntil(lambda: 0.1 < _land_share(window) < 0.9, timeout=5_000)  # the coast at Gwadar: land and sea


@pytest.mark.parametrize("size", [(640, 420), (400, 300)])
def test_a_small_window_keeps_the_map_and_folds_the_legend(qtbot, window, page_state, rested, size):
    """The map keeps priority over the text; the legend folds away; nothing vanishes."""
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() <= max(size[0], window.minimumWidth()) + 1, timeout=5_000)
    state = rested(window.map)
    assert window.map.width() >= 0.55 * window.width() and window.map.height() >= 120
    assert window.tabs.width() >= 100 and window.tabs.isVisible()  # the text is still there
    legend = state["legend"]
    assert legend["folded"] and legend["kinds"] == []
    left, top, right, bottom = legend["box"]
    assert (right - left) * (bottom - top) < 0.1 * window.map.width() * window.map.height()
    # a click unfolds it, and it lists only the kinds the map shows
    window.map.api.wait_for("document.querySelector('.mv-legend-head').click(), true")
    state = rested(window.map)
    shown = {f["kind"] for f in state["features"] if f["onMap"] and 0 <= f["x"] <= window.map.width()
             and 0 <= f["y"] <= window.map.height()}
    assert not state["legend"]["folded"] and set(state["legend"]["kinds"]) - {"dashed: approximate or disputed"} <= \
        {f["kind"] for f in state["features"] if f["onMap"]}
    assert shown & set(state["legend"]["kinds"])
