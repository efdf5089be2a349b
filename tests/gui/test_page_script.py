"""The page script's pure parts (projection, columns), run on their own in a bare page.

They hold the maths every drawing and hit test rests on, so they are checked
against Python's own numbers: shapely's geometry columns decoded back, and Web
Mercator as Leaflet defines it.
"""
from __future__ import annotations

import json
import math

import pytest
from PySide6.QtWebEngineCore import QWebEnginePage

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.map.features import page_places
from mapviewer.map.script import join_parts

EXPOSE = "window.parts = {worldX: worldX, worldY: worldY, worldLonLat: worldLonLat, ringCentre: ringCentre, " \
         "insideRings: insideRings, lineMiddle: lineMiddle, placeFeatures: placeFeatures};"


@pytest.fixture
def page(qtbot):
    page = QWebEnginePage()
    with qtbot.waitSignal(page.loadFinished, timeout=30_000) as loaded:
        page.setHtml(f"<!doctype html><script>{join_parts(('projection', 'columns'), EXPOSE)}</script>")
    assert loaded.args == [True]
    yield page
    page.deleteLater()


def _eval(qtbot, page, code: str):
    box: list = []
    page.runJavaScript(f"JSON.stringify({code})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator at zoom 0 (a 256-pixel world), as Leaflet's EPSG:3857 defines it."""
    s = math.sin(math.radians(lat))
    return 128 + lon * 256 / 360, 128 - 128 * math.log((1 + s) / (1 - s)) / (2 * math.pi)


@pytest.mark.parametrize("lon, lat", [(0, 0), (62.33, 25.12), (-122.4, 37.8), (179.9, -60), (116.4, 39.9)])
def test_projection_is_web_mercator_and_inverts(qtbot, page, lon, lat):
    x, y = _eval(qtbot, page, f"[parts.worldX({lon}), parts.worldY({lat})]")
    assert (x, y) == pytest.approx(_mercator(lon, lat), abs=1e-9)
    assert _eval(qtbot, page, f"parts.worldLonLat({x}, {y})") == pytest.approx([lon, lat], abs=1e-9)


def test_a_ring_s_centre_and_inside(qtbot, page):
    square = [10, 10, 20, 10, 20, 20, 10, 20]  # a ring of zoom-0 pixels
    cx, cy, area = _eval(qtbot, page, f"parts.ringCentre({square})")
    assert (cx, cy, area) == pytest.approx((15, 15, 100))
    assert _eval(qtbot, page, f"[parts.insideRings(15, 15, [{square}]), parts.insideRings(25, 15, [{square}])]") == [True, False]
    hole = [12, 12, 14, 12, 14, 14, 12, 14]
    assert _eval(qtbot, page, f"parts.insideRings(13, 13, [{square}, {hole}])") is False  # even-odd: holes are outside
    assert _eval(qtbot, page, "parts.lineMiddle([[0, 0, 10, 0, 10, 10]])") == pytest.approx([10, 0])


def test_the_columns_decode_to_the_atlas_s_own_geometry(qtbot, page):
    text = "Pakistan will upgrade the ML-1 railway, expand Gwadar Port and work with China on Xinjiang."
    atlas = build_atlas([Document("t.txt", text)])
    features = _eval(qtbot, page, f"parts.placeFeatures({json.dumps(page_places(atlas))})")
    assert [f["properties"]["id"] for f in features] == [p.id for p in atlas.places]
    for feature, place in zip(features, atlas.places):
        geometry, kind = feature["geometry"], place.geometry.geom_type
        assert geometry["type"] == kind and feature["properties"]["kind"] == place.kind
        if kind == "Point":
            assert geometry["coordinates"] == pytest.approx([place.geometry.x, place.geometry.y], abs=1e-5)
        elif kind == "LineString":
            assert _flat(geometry["coordinates"]) == pytest.approx(_flat(place.geometry.coords), abs=1e-5)
        else:
            first = place.geometry if kind == "Polygon" else place.geometry.geoms[0]
            ring = geometry["coordinates"][0] if kind == "Polygon" else geometry["coordinates"][0][0]
            assert _flat(ring) == pytest.approx(_flat(first.exterior.coords), abs=1e-5)
            west, south, east, north = place.geometry.bounds
            assert feature["bbox"] == pytest.approx([west, south, east, north], abs=1e-5)


def _flat(coords) -> list[float]:
    return [v for xy in coords for v in xy]
