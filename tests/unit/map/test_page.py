"""The map page: all places in it, nothing fetched from the web, text kept as data."""
from __future__ import annotations

import json
import re
from itertools import accumulate

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.naturalearth import countries_geojson, overview_geojson
from mapviewer.map import outlines
from mapviewer.map.features import SCALE, geometry_columns
from mapviewer.map.page import DATA_ELEMENT_ID, PageOptions, build_page
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, shape

# Things a browser would fetch: src=, <link href=>, CSS url() and @import.
# (Plain <a href> links, like Leaflet's attribution, fetch nothing.)
RESOURCE = re.compile(
    r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//|<link[^>]*href\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
    re.I,
)


def decode_geometry(columns: dict, i: int) -> dict:
    """Place ``i``'s geometry from features.geometry_columns, decoded independently of map.js."""
    for family in ("points", "lines", "areas"):
        group = columns.get(family)
        if group is None or i not in group["i"]:
            continue
        j, xy, o = group["i"].index(i), group["xy"], group["o"]

        def run(a: int, b: int) -> list:
            return [(xy[2 * k] / SCALE, xy[2 * k + 1] / SCALE) for k in range(a, b)]

        if family == "points":
            return {"type": "Point", "coordinates": run(j, j + 1)[0]}
        if family == "lines":
            return {"type": "MultiLineString", "coordinates": [run(o[0][n], o[0][n + 1]) for n in range(o[1][j], o[1][j + 1])]}
        return {"type": "MultiPolygon", "coordinates": [[run(o[0][r], o[0][r + 1]) for r in range(o[1][q], o[1][q + 1])]
                                                        for q in range(o[2][j], o[2][j + 1])]}
    other = columns["other"]
    return other["geometry"][other["i"].index(i)]


def page_features(data: dict) -> dict[str, dict]:
    """The page's places by id: their column values (a Table's looked up) and decoded geometry."""
    places = data["places"]
    names = [k for k in places if k not in ("geometry", "parts")]

    def value(column, i: int):
        return column["values"][column["index"][i]] if isinstance(column, dict) else column[i]

    return {
        pid: {"geometry": decode_geometry(places["geometry"], i), **{k: value(places[k], i) for k in names}}
        for i, pid in enumerate(places["id"])
    }


def page_data(html: str) -> dict:
    m = re.search(rf'<script type="application/json" id="{DATA_ELEMENT_ID}">(.*?)</script>', html, re.S)
    data = json.loads(m.group(1))
    b = re.search(rf'<script type="application/json" id="{DATA_ELEMENT_ID}-basemap">(.*?)</script>', html, re.S)
    data["basemap"] = json.loads(b.group(1))
    return data


def test_every_place_is_in_the_page_at_its_coordinates(seed_atlas):
    html = build_page(seed_atlas)
    features = page_features(page_data(html))
    assert set(features) == {p.id for p in seed_atlas.places}
    port = next(p for p in seed_atlas.places if p.name == "Gwadar Port")
    lon, lat = features[port.id]["geometry"]["coordinates"]
    assert abs(lon - port.geometry.x) < 1e-4 and abs(lat - port.geometry.y) < 1e-4
    for place in seed_atlas.places:  # lines and areas too, every vertex within the rounding
        geometry = shape(features[place.id]["geometry"])
        assert geometry.geom_type.replace("Multi", "") == place.geometry.geom_type.replace("Multi", ""), place.id
        assert geometry.hausdorff_distance(place.geometry) < 1e-4, place.id
        assert features[place.id]["name"] == place.name and features[place.id]["kind"] == place.kind
        assert features[place.id]["precision"] == place.precision and features[place.id]["extent"] == place.extent
        keys = place.sentence_keys()
        pledged = [seed_atlas.pledges[k] for k in keys if k in seed_atlas.pledges]
        assert features[place.id]["themes"] == sorted({t for p in pledged for t in p.themes})
        assert features[place.id]["docs"] == sorted({d for d, _ in keys})


def test_a_divided_area_carries_its_parts(seed_atlas):
    """Jammu and Kashmir: the page gets each part, who administers and who claims it, and its outline."""
    data = page_data(build_page(seed_atlas))
    ids = data["places"]["id"]
    parts = data["places"]["parts"]
    assert [ids[i] for i in parts["i"]] == ["jammu-and-kashmir"]
    (kashmir,) = parts["parts"]
    by_admin = {}
    for part in kashmir:
        by_admin.setdefault(part["administered_by"], []).append(part["name"])
        assert shape(part["geometry"]).area > 0 and part["status"].startswith(("administered by", "administration"))
    assert {"India", "Pakistan", "China"} <= set(by_admin)


def test_geometry_columns_keep_every_part_and_ring():
    shapes = [
        Point(62.3, 25.1),
        LineString([(60, 20), (61, 21), (62, 20.5)]),
        MultiLineString([[(70, 30), (71, 31)], [(72, 32), (73, 33), (74, 32)]]),
        Polygon([(80, 10), (84, 10), (84, 14), (80, 14)], [[(81, 11), (82, 11), (82, 12)]]),
        MultiPolygon([Polygon([(90, 0), (91, 0), (91, 1)]), Polygon([(95, 5), (96, 5), (96, 6), (95, 6)])]),
        Point(),  # empty: sent as GeoJSON, not lost
        Point(100.123456, -5.5),
    ]
    columns = geometry_columns(shapes)
    assert columns["points"]["i"] == [0, 6] and columns["other"]["i"] == [5]
    assert decode_geometry(columns, 5) is None  # the page leaves it off the map
    for i, original in enumerate(shapes):
        if not original.is_empty:
            assert shape(decode_geometry(columns, i)).hausdorff_distance(original) < 1e-5, i
    assert len(decode_geometry(columns, 3)["coordinates"][0]) == 2  # the polygon keeps its hole
    assert len(decode_geometry(columns, 4)["coordinates"]) == 2  # and a multipolygon both parts


def test_page_references_no_web_resource(seed_atlas):
    html = build_page(seed_atlas)
    assert not RESOURCE.search(html), RESOURCE.search(html).group()
    assert "<script src" not in html and "<link" not in html
    assert "L.map(" in html and "mapviewer.init(" in html  # folium's skeleton, our layer


def test_basemap_is_bundled_and_optional(seed_atlas):
    assert len(page_data(build_page(seed_atlas))["basemap"]["shapes"]) == len(countries_geojson()["features"])
    assert page_data(build_page(seed_atlas, PageOptions(basemap=False)))["basemap"] is None
    # The desktop's shell leaves the detailed outlines out; the page asks the bridge for them.
    assert page_data(build_page(None, PageOptions(detail_inline=False)))["basemap"] == "bridge"


def _unpacked(packed: dict) -> list[list[list[tuple[float, float]]]]:
    """map/outlines.pack undone independently of map.js: per country, rings of (lon, lat)."""
    steps, shapes = packed["steps"], []
    for rings in packed["shapes"]:
        out = []
        for d in rings:
            xs, ys = accumulate(d[0::2]), accumulate(d[1::2])
            out.append([(x / steps, y / steps) for x, y in zip(xs, ys)])
        shapes.append(out)
    return shapes


def test_packed_outlines_keep_every_vertex_of_the_bundled_basemap():
    for geojson, steps in ((countries_geojson(), outlines.DETAIL_STEPS), (overview_geojson(), outlines.OVERVIEW_STEPS)):
        shapes = _unpacked(json.loads(json.dumps(outlines.pack(geojson, steps))))
        for feature, rings in zip(geojson["features"], shapes, strict=True):
            g = feature["geometry"]
            want = g["coordinates"] if g["type"] == "Polygon" else [r for p in g["coordinates"] for r in p]
            assert len(rings) == len(want)
            for ring, original in zip(rings, want):
                assert len(ring) == len(original)
                assert max(max(abs(x - a), abs(y - b)) for (x, y), (a, b) in zip(ring, original)) < 1e-9


def test_document_text_cannot_break_out_of_the_data_block():
    gaz = parse_gazetteer(
        {"places": [{"id": "x", "name": "Gwadar", "kind": "city", "point": [62.3, 25.1], "source": "t"}]}
    )
    evil = 'Gwadar–Gwadar </script><script>window.pwned=1</script> & "q" \u2028'
    text = f"At Gwadar. {evil}"
    atlas = build_atlas([Document("evil", text)], gaz)
    html = build_page(atlas, PageOptions(basemap=False, title='</title><script>x()</script>'))
    assert "window.pwned" not in html.split(f'id="{DATA_ELEMENT_ID}">')[0]
    assert html.count("<script>window.pwned") == 0
    assert "<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in html
    assert page_data(html)["places"]["name"] == ["Gwadar"]


def test_set_data_json_holds_the_same_places_as_the_page(seed_atlas):
    """The window's data (columns made once, then put in as text) equals the page's own."""
    from mapviewer.map import features

    handed = json.loads(features.data_json(seed_atlas, places=features.places_json(seed_atlas)))
    page = json.loads(json.dumps(features.page_data(seed_atlas)))
    assert handed == page
    assert handed["places"]["name"] == [p.name for p in seed_atlas.places]
    assert handed["documents"] == [{"name": d.name} for d in seed_atlas.documents]
