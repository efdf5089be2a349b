"""The map page: all places in it, nothing fetched from the web, text kept as data."""
from __future__ import annotations

import json
import re

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.map.page import DATA_ELEMENT_ID, PageOptions, build_page

# Things a browser would fetch: src=, <link href=>, CSS url() and @import.
# (Plain <a href> links, like Leaflet's attribution, fetch nothing.)
RESOURCE = re.compile(
    r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//|<link[^>]*href\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
    re.I,
)


def page_data(html: str) -> dict:
    m = re.search(rf'<script type="application/json" id="{DATA_ELEMENT_ID}">(.*?)</script>', html, re.S)
    data = json.loads(m.group(1))
    b = re.search(rf'<script type="application/json" id="{DATA_ELEMENT_ID}-basemap">(.*?)</script>', html, re.S)
    data["basemap"] = json.loads(b.group(1))
    return data


def test_every_place_is_in_the_page_at_its_coordinates(seed_atlas):
    html = build_page(seed_atlas)
    features = {f["properties"]["id"]: f for f in page_data(html)["features"]}
    assert set(features) == {p.id for p in seed_atlas.places}
    port = next(p for p in seed_atlas.places if p.name == "Gwadar Port")
    lon, lat = features[port.id]["geometry"]["coordinates"]
    assert abs(lon - port.geometry.x) < 1e-4 and abs(lat - port.geometry.y) < 1e-4


def test_page_references_no_web_resource(seed_atlas):
    html = build_page(seed_atlas)
    assert not RESOURCE.search(html), RESOURCE.search(html).group()
    assert "<script src" not in html and "<link" not in html
    assert "L.map(" in html and "mapviewer.init(" in html  # folium's skeleton, our layer


def test_basemap_is_bundled_and_optional(seed_atlas):
    assert page_data(build_page(seed_atlas))["basemap"]["features"]
    assert page_data(build_page(seed_atlas, PageOptions(basemap=False)))["basemap"] is None


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
    assert page_data(html)["features"][0]["properties"]["name"] == "Gwadar"
