"""Thousands of places: one canvas pass draws them, dense ones as clusters; clicks and filters still reach each one."""
from __future__ import annotations

import math
import random

import pytest

from mapviewer.core.pledges import PledgeFilter
from mapclicks import click, pixel
from shapely.geometry import LineString, Point, box

from mapviewer.core.atlas import Atlas, Place, Ref
from mapviewer.core.document import Document, Sentence
from mapviewer.core.geoparse import Mention
from mapviewer.core.pledges import Pledge

N = 1500  # points, above the page's CLOUD_MIN (1000): every place goes to the one-canvas layer
LINES = [f"r{i}" for i in range(4)]  # east of the points, alone: a click there can only mean them
AREAS = [f"z{i}" for i in range(4)]


def _atlas(n: int = N) -> Atlas:
    rng = random.Random(7)
    parts, sentences, places, pledges, pos = [], [], [], {}, 0
    for i in range(n):
        name = f"Depot {i}"
        text = f"Both sides will build {name}."
        sentences.append(Sentence(i, pos, pos + len(text), text))
        start = pos + text.index(name)
        places.append(Place(id=f"d{i}", name=name, kind="port" if i % 2 else "city", shape="point",
                            geometry=Point(round(rng.uniform(62, 78), 4), round(rng.uniform(24, 36), 4)),
                            precision="exact", source="test", refs=[Ref(0, Mention(f"d{i}", start, start + len(name), name, i, "name"))]))
        if i % 3 == 0:
            pledges[(0, i)] = Pledge(i, text, ("trade",), ("both",), "will", {})
        parts.append(text)
        pos += len(text) + 1
    for k in range(4):  # railways running north-east, and square zones below them
        for pid, name, kind, shape, geom in (
            (f"r{k}", f"Railway {k}", "railway", "line", LineString([(82 + 3 * k, 30), (83.5 + 3 * k, 33)])),
            (f"z{k}", f"Zone {k}", "zone", "area", box(82 + 3 * k, 24, 84 + 3 * k, 27)),
        ):
            i = len(sentences)
            text = f"Both sides will build {name}."
            sentences.append(Sentence(i, pos, pos + len(text), text))
            start = pos + text.index(name)
            places.append(Place(id=pid, name=name, kind=kind, shape=shape, geometry=geom, precision="exact", source="test",
                                refs=[Ref(0, Mention(pid, start, start + len(name), name, i, "name"))]))
            pledges[(0, i)] = Pledge(i, text, ("energy" if shape == "line" else "trade",), ("both",), "will", {})
            parts.append(text)
            pos += len(text) + 1
    return Atlas([Document("many.txt", " ".join(parts), sentences=sentences)], places, pledges)


@pytest.fixture(scope="module")
def many():
    return _atlas()


@pytest.fixture
def window(make_window, many):
    return make_window(many)


def test_every_point_is_placed_where_its_coordinates_say(window, many, page_state, run_js):
    state = page_state(window.map)
    assert len(state["features"]) == N + 8 and all(f["onMap"] for f in state["features"])
    # pixel positions follow the coordinates: east is right, north is up
    by_id = {f["id"]: f for f in state["features"]}
    points = [p for p in many.places if p.shape == "point"]
    west = min(points, key=lambda p: p.geometry.x)
    east = max(points, key=lambda p: p.geometry.x)
    north = max(points, key=lambda p: p.geometry.y)
    south = min(points, key=lambda p: p.geometry.y)
    assert by_id[west.id]["x"] < by_id[east.id]["x"] and by_id[north.id]["y"] < by_id[south.id]["y"]
    assert run_js(window.map, "document.querySelectorAll('canvas.mv-points').length") == 1
    # only a handful of DOM nodes for 1,500 points
    assert run_js(window.map, "document.getElementsByTagName('*').length") < 400


CELL = 64  # map.js CLUSTER_CELL: a cluster's points lie in one cell of this many pixels
INK = (0x26, 0x32, 0x38)  # map.js CLUSTER_INK: a cluster's ring and number, on white


def _near(c, rgb, tolerance=8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip((c.red(), c.green(), c.blue()), rgb))


def _in_view(f, view, margin=20) -> bool:
    return margin < f["x"] < view.width() - margin and margin < f["y"] < view.height() - margin


def _under_a_cluster(f, clusters) -> bool:
    return any((f["x"] - c["x"]) ** 2 + (f["y"] - c["y"]) ** 2 <= (c["r"] + 8) ** 2 for c in clusters)


def test_dense_points_are_drawn_as_clusters_of_the_points_around_them(window, page_state):
    state = page_state(window.map)
    clusters, points = state["clusters"], [f for f in state["features"] if f["type"] == "Point"]
    clustered = [f for f in points if f["clustered"]]
    assert clusters and len(clustered) > N / 4  # 1,500 points in 16 x 12 degrees: dense at this scale
    assert sum(c["n"] for c in clusters) == len(clustered)
    # more than fit side by side: 1,508 places shown get markers 16 pixels wide, 4 x 4 to a cell
    assert all(c["n"] > 16 for c in clusters)
    # each cluster sits at the middle of its points: every clustered point is
    # within one cell of a cluster no farther than a cell's diagonal
    for f in clustered:
        assert min(math.hypot(f["x"] - c["x"], f["y"] - c["y"]) for c in clusters) < CELL * math.sqrt(2)
    # the lines and areas to the east are not clustered
    assert not any(f["clustered"] for f in state["features"] if f["type"] != "Point")


def test_the_points_and_the_clusters_are_painted(window, many, page_state, picture):
    _, image = picture(window.map)
    ratio = image.width() / window.map.width()
    state = page_state(window.map)
    basemap = [(0xEF, 0xE9, 0xD8), (0xAA, 0xD3, 0xDF)]  # land, sea (map.js)
    fills = [(0xB7, 0x1C, 0x1C), (0x0D, 0x47, 0xA1), (0xFF, 0xFF, 0xFF)]  # city, port, the ring of a point on top

    def at(x, y):
        return image.pixelColor(round(x * ratio), round(y * ratio))

    loose = [f for f in state["features"] if f["type"] == "Point" and not f["clustered"]
             and _in_view(f, window.map) and not _under_a_cluster(f, state["clusters"])]
    assert len(loose) >= 10
    centres = [at(f["x"], f["y"]) for f in loose]
    assert not any(any(_near(c, b) for b in basemap) for c in centres)  # no lone point's centre shows bare land or sea
    assert sum(any(_near(c, rgb) for rgb in fills[:2]) for c in centres) >= 0.5 * len(centres)
    shown = [c for c in state["clusters"] if _in_view(c, window.map, 40)]
    assert shown
    for c in shown:  # a white disc, its ring in ink just inside its edge
        assert _near(at(c["x"] + c["r"] / 2, c["y"] + c["r"] / 2), (0xFF, 0xFF, 0xFF), 40)
        assert any(_near(at(c["x"] + dx, c["y"]), INK, 40) for dx in (c["r"] - 2, c["r"] - 1, c["r"]))


def test_a_click_on_a_cluster_zooms_in_until_its_points_come_apart(qtbot, window, page_state, run_js, rested):
    before = page_state(window.map)
    biggest = max((c for c in before["clusters"] if _in_view(c, window.map, 40)), key=lambda c: c["n"])
    click(run_js, window.map, biggest["x"], biggest["y"])
    qtbot.waitUntil(lambda: page_state(window.map)["zoom"] > before["zoom"], timeout=10_000)
    after = rested(window.map)  # the zoom's animation ends, then the canvas is drawn again
    assert after["selected"] is None and window.selected is None  # a cluster is no place: nothing is selected
    # its points now fill the view: more of them apart, and no cluster as big
    assert max((c["n"] for c in after["clusters"]), default=0) < biggest["n"]
    loose = lambda st: sum(1 for f in st["features"] if f["type"] == "Point" and not f["clustered"] and _in_view(f, window.map))
    assert loose(after) > loose(before)


def test_no_clusters_at_a_town_s_scale(window, page_state):
    assert page_state(window.map)["clusters"]
    assert window.map.api.ask("setView", [70, 30, 13]) is True  # map.js CLUSTER_ZOOM
    state = page_state(window.map)
    assert state["zoom"] == 13 and state["clusters"] == []
    assert not any(f["clustered"] for f in state["features"])


def test_a_click_on_a_point_shows_its_sentence(qtbot, window, many, page_state, run_js):
    state = page_state(window.map)
    target = next(f for f in state["features"] if f["type"] == "Point" and not f["clustered"]
                  and _in_view(f, window.map, 60) and not _under_a_cluster(f, state["clusters"]))
    with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
        click(run_js, window.map, target["x"], target["y"])
    place = many.place(shown.args[0])
    # the nearest point to the click: the target or one drawn on top of it
    assert abs(page_state(window.map)["features"][int(place.id[1:])]["x"] - target["x"]) < 12
    assert f"Both sides will build {place.name}." in window.panel.toPlainText()
    assert page_state(window.map)["selected"] == place.id


def test_a_filter_hides_points_on_the_canvas(qtbot, window, many, page_state, rested):
    window.set_filter(PledgeFilter(themes=frozenset({"trade"})))
    assert window.session.counts().places == len(range(0, N, 3)) + len(AREAS)
    state = rested(window.map)
    on = {f["id"] for f in state["features"] if f["onMap"]}
    assert on == {f"d{i}" for i in range(0, N, 3)} | set(AREAS)
    # clusters count only the places the filter lets through
    assert sum(c["n"] for c in state["clusters"]) == sum(1 for f in state["features"] if f["clustered"])
    assert all(f["onMap"] for f in state["features"] if f["clustered"])


@pytest.mark.parametrize("pid", ["r2", "z1"])
def test_a_click_on_a_line_or_an_area_in_the_cloud_shows_it(qtbot, window, many, page_state, run_js, pid):
    place = many.place(pid)
    # on the line, halfway along; inside the square, a quarter in from its corner
    lon, lat = place.geometry.interpolate(0.5, normalized=True).coords[0] if pid.startswith("r") else \
        (place.geometry.bounds[0] + 0.5, place.geometry.bounds[1] + 0.5)
    x, y = pixel(page_state(window.map), lon, lat)
    with qtbot.waitSignal(window.placeShown, timeout=10_000) as shown:
        click(run_js, window.map, x, y)
    assert shown.args[0] == pid and page_state(window.map)["selected"] == pid
    assert f"Both sides will build {place.name}." in window.panel.toPlainText()


def test_lines_and_areas_are_painted_and_filtered_on_the_canvas(qtbot, window, many, page_state, picture):
    def colours_at(pid: str) -> list:
        place = many.place(pid)
        state, image = picture(window.map)
        ratio = image.width() / window.map.width()
        x, y = pixel(state, *place.geometry.interpolate(0.5, normalized=True).coords[0])
        return [image.pixelColor(round((x + dx) * ratio), round((y + dy) * ratio)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]

    def railway_red(c) -> bool:  # KIND_STYLE.railway #c62828
        return abs(c.red() - 0xC6) < 30 and c.green() < 90 and c.blue() < 90

    assert any(railway_red(c) for c in colours_at("r1"))
    window.set_filter(PledgeFilter(themes=frozenset({"trade"})))  # railways carry energy pledges
    assert not any(railway_red(c) for c in colours_at("r1"))
    window.set_filter(PledgeFilter())
    assert any(railway_red(c) for c in colours_at("r1"))


def test_the_mouse_over_a_line_in_the_cloud_names_it(window, many, page_state, run_js):
    place = many.place("r3")
    x, y = pixel(page_state(window.map), *place.geometry.interpolate(0.3, normalized=True).coords[0])
    tip = run_js(window.map, "(function(){var c=document.querySelector('.leaflet-container'),r=c.getBoundingClientRect();"
                             "c.dispatchEvent(new MouseEvent('mousemove',{bubbles:true,clientX:r.left+%f,clientY:r.top+%f}));"
                             "var t=document.querySelector('.leaflet-tooltip');return t?t.textContent:null;})()" % (x, y))
    assert tip == "Railway 3"
    assert run_js(window.map, "document.querySelector('.leaflet-container').style.cursor") == "pointer"


def _lattice(cols: int = 40, rows: int = 25) -> Atlas:
    """Points far apart (a lattice of 1,000, in the cloud): each one alone on the map."""
    parts, sentences, places, pos = [], [], [], 0
    for i in range(cols * rows):
        name = f"Post {i}"
        text = f"Both sides will build {name}."
        sentences.append(Sentence(i, pos, pos + len(text), text))
        start = pos + text.index(name)
        lon, lat = 40 + (i % cols) * 1.8, (i // cols) * 1.8
        places.append(Place(id=f"p{i}", name=name, kind="port" if i % 2 else "city", shape="point",
                            geometry=Point(lon, lat), precision="exact", source="test",
                            refs=[Ref(0, Mention(f"p{i}", start, start + len(name), name, i, "name"))]))
        parts.append(text)
        pos += len(text) + 1
    return Atlas([Document("lattice.txt", " ".join(parts), sentences=sentences)], places, {})


def test_each_point_of_the_cloud_is_stamped_at_its_ownpixel(make_window, page_state, picture):
    """Every point's centre shows its kind's fill; between two points the map shows through."""
    atlas = _lattice()
    window = make_window(atlas)
    _, image = picture(window.map)
    ratio = image.width() / window.map.width()
    w, h = window.map.width(), window.map.height()
    state = page_state(window.map)
    fills = {"city": (0xB7, 0x1C, 0x1C), "port": (0x0D, 0x47, 0xA1)}
    kind = {p.id: p.kind for p in atlas.places}

    def rgb(x: float, y: float) -> tuple[int, int, int]:
        c = image.pixelColor(round(x * ratio), round(y * ratio))
        return c.red(), c.green(), c.blue()

    def near(c, want, tolerance=8):
        return all(abs(a - b) <= tolerance for a, b in zip(c, want))

    inside = [f for f in state["features"] if 10 < f["x"] < w - 10 and 10 < f["y"] < h - 10]
    assert len(inside) > 500
    assert all(near(rgb(f["x"], f["y"]), fills[kind[f["id"]]]) for f in inside)
    pitch = pixel(state, 41.8, 0)[0] - pixel(state, 40, 0)[0]  # one lattice step east, in pixels
    assert pitch > 16  # far enough apart for the gap to show the map
    gaps = [rgb(f["x"] + pitch / 2, f["y"]) for f in inside if f["x"] + pitch < w - 10]
    assert not any(near(c, fill) for c in gaps for fill in fills.values())
