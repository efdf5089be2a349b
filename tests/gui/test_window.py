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
def test_a_click_at_a_pixel_of_a_line_or_an_area_shows_that_place(qtbot, window, seed_atlas, page_state, run_js, name, where):
    place = next(p for p in seed_atlas.places if p.name == name)
    others = [p.geometry for p in seed_atlas.places if p.name != name and p.name != "China"]
    if where == "middle":
        lon, lat = place.geometry.interpolate(0.5, normalized=True).coords[0]
    else:  # a point inside that no smaller place covers
        spot = place.geometry.buffer(-0.3) if name == "China" else place.geometry
        for other in others:
            spot = spot.difference(other.buffer(0.5))
        lon, lat = spot.representative_point().coords[0]
    x, y = pixel(page_state(window.map), lon, lat)
    with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
        click(run_js, window.map, x, y)
    assert shown.args == [place.id] and page_state(window.map)["selected"] == place.id


def test_labels_sit_on_their_places(window, run_js):
    """An area's name is centred on it, a point's is written to its right, level with it."""
    labels = run_js(window.map, """JSON.stringify((function () {
      var map = null, out = [], box = document.querySelector('.leaflet-container').getBoundingClientRect();
      for (var k in window) { if (k.indexOf('map_') === 0 && window[k] && window[k].getZoom) { map = window[k]; } }
      map.eachLayer(function (layer) {
        var tip = layer.getTooltip && layer.getTooltip();
        if (!tip || !tip.options.permanent || !tip.getElement()) { return; }
        var at = map.latLngToContainerPoint(layer.getCenter ? layer.getCenter() : layer.getLatLng());
        var r = tip.getElement().firstChild.getBoundingClientRect();
        out.push({ text: r.width > 0 && tip.getElement().textContent, direction: tip.options.direction, x: at.x, y: at.y,
                   left: r.left - box.left, cx: (r.left + r.right) / 2 - box.left, cy: (r.top + r.bottom) / 2 - box.top });
      });
      return out;
    })())""")
    assert len(labels) >= 10 and all(label["text"] for label in labels)
    for label in labels:
        assert abs(label["cy"] - label["y"]) <= 1.5, label
        if label["direction"] == "center":
            assert abs(label["cx"] - label["x"]) <= 1.5, label
        else:  # to the right of the point, clear of its 7 px marker
            assert 4 <= label["left"] - label["x"] <= 14, label


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
