"""First-level regions and seas in the full gazetteer: found, placed, drawn as areas, and never invented."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from mapviewer.core import geonames
from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import full_gazetteer
from mapviewer.core.geometry import distance_km
from mapviewer.core.geoparse import Matcher, resolve


@pytest.fixture(scope="module")
def gaz():
    return full_gazetteer()


def found(gaz, text):
    """(surface, place id) of every mention, after choosing between places of one name."""
    return [(m.surface, m.place_id) for m in resolve(Matcher(gaz).find(Document("t", text)), gaz)]


def atlas_of(text, tmp_path):
    return build_atlas([Document("t", text)], corrections=CorrectionStore(tmp_path / "c.json"))


# Published centres, written here by hand so the test does not read them from the file it checks:
# English Wikipedia infobox coordinates (Telangana 18°N 79°E; Sichuan 30°08′N 102°56′E;
# Bay of Bengal 15°N 88°E) and areas (112,077; 485,000; 2,172,000 km²).
PUBLISHED = {
    "Telangana": ((79.0, 18.0), 112_077),
    "Sichuan": ((102.933, 30.133), 485_000),
    "Bay of Bengal": ((88.0, 15.0), 2_172_000),
}


def _area_km2(geom) -> float:
    import numpy as np
    import shapely

    r = 6371.0088
    return shapely.transform(geom, lambda xy: np.column_stack([np.radians(xy[:, 0]) * r, np.sin(np.radians(xy[:, 1])) * r])).area


def test_regions_and_seas_are_found_placed_and_drawn_as_areas(tmp_path):
    atlas = atlas_of("Ministers from Telangana and Sichuan met on a ship in the Bay of Bengal.", tmp_path)
    places = {p.name: p for p in atlas.places}
    assert set(places) == set(PUBLISHED)
    for name, (centre, area) in PUBLISHED.items():
        place = places[name]
        c = place.geometry.centroid
        assert distance_km((c.x, c.y), centre) < 300, name
        assert place.source and place.origin == "regions", name
        if name == "Telangana":  # no outline in the data (DCW-GMT's Andhra Pradesh predates it): its point, approximate
            assert place.shape == "point" and place.precision == "approximate" and place.extent is None
            continue
        # the outline has the region's area, within a quarter of the published figure
        assert place.shape == "area" and place.precision == "area" and place.extent == "outline", name
        assert 0.75 * area < _area_km2(place.geometry) < 1.25 * area, name
    assert places["Telangana"].country == "IN" and places["Sichuan"].country == "CN"
    assert places["Telangana"].source.startswith("GeoNames admin1 IN.")
    assert "DCW-GMT" in places["Sichuan"].source and "GeoNames admin1 CN." in places["Sichuan"].source
    assert "Natural Earth" in places["Bay of Bengal"].source


@pytest.mark.parametrize(
    "text, surface, kind, country",
    [
        ("Investors from Yunnan arrived.", "Yunnan", "region", "CN"),
        ("Farmers in Bavaria protested.", "Bavaria", "region", "DE"),
        ("Fires burned in California.", "California", "region", "US"),  # the state, not California, Maryland
        ("Olive growers of Andalusia.", "Andalusia", "region", "ES"),  # not Andalusia, Alabama
        ("Trade across the Caspian Sea grew.", "Caspian Sea", "sea", None),
        ("Migrants crossed the Mediterranean.", "Mediterranean", "sea", None),
        ("Tankers left the Persian Gulf through the Strait of Hormuz.", "Persian Gulf", "gulf", None),
        ("Tankers left the Persian Gulf through the Strait of Hormuz.", "Strait of Hormuz", "strait", None),
        ("Quetta is the capital of Baluchistan.", "Baluchistan", "region", "PK"),
        ("Muzaffarabad is in Azad Kashmir.", "Azad Kashmir", "region", "PK"),
        ("四川省和云南的代表团。", "四川省", "region", "CN"),
        ("四川省和云南的代表团。", "云南", "region", "CN"),
        ("船只驶入孟加拉湾。", "孟加拉湾", "bay", None),
    ],
)
def test_named_regions_and_seas(gaz, text, surface, kind, country):
    hits = dict(found(gaz, text))
    assert surface in hits, hits
    entry = gaz[hits[surface]]
    assert (entry.kind, entry.country) == (kind, country)
    assert entry.shape == "area"


def test_punjab_follows_the_document(gaz):
    pk = dict(found(gaz, "Pakistan and China agreed that Punjab will host the new zone."))
    assert pk["Punjab"] == "punjab-pakistan"  # the curated entry, Pakistan's
    india = dict(found(gaz, "India said that farmers in Punjab and Haryana will benefit."))
    assert gaz[india["Punjab"]].country == "IN" and gaz[india["Punjab"]].kind == "region"
    # either way the other Punjab stays a candidate the user can pick
    m = resolve(Matcher(gaz).find(Document("t", "Pakistan's Punjab.")), gaz)
    punjab = next(x for x in m if x.surface == "Punjab")
    assert any(gaz[c].country == "IN" for c in punjab.candidates[1:])


def test_curated_regions_are_not_offered_twice(gaz):
    for name, curated in [
        ("Xinjiang", "xinjiang"),
        ("Tibet", "xizang"),
        ("Balochistan", "balochistan"),
        ("Sindh", "sindh"),
        ("Gilgit-Baltistan", "gilgit-baltistan"),
        ("Khyber Pakhtunkhwa", "khyber-pakhtunkhwa"),
        ("Jammu and Kashmir", "jammu-and-kashmir"),  # no country in the curated file: shadowed by distance
    ]:
        assert [e.id for e in gaz.lookup(name)] == [curated], name
    # Pakistan's Punjab is curated; India's is another place of that name
    assert [e.id for e in gaz.lookup("Punjab")][0] == "punjab-pakistan"
    assert [e.country for e in gaz.lookup("Punjab")][1:] == ["IN"]


@pytest.mark.parametrize(
    "text",
    [
        "The Centre said the Central government and the Federal Capital would act.",
        "North, East, West and South. The Capital. The Islands. The Coast.",
        "The Eastern Province and the Northern Territory. The Western Region. Upper East.",
        "The Sea was calm. Red was the colour. The Gulf, the Bay and the Ocean.",
        "Victoria said the Union was strong.",
    ],
)
def test_common_words_are_not_regions(gaz, text):
    assert [s for s, pid in found(gaz, text) if pid.startswith(("region:", "sea:"))] == []


def test_a_city_keeps_its_name_from_its_province(gaz):
    """Kabul, Tehran, Lagos: the province of the same name is not offered at all."""
    for name in ("Kabul", "Tehran", "Lagos", "Islamabad"):
        ids = [e.id for e in gaz.lookup(name)]
        assert ids and not any(i.startswith("region:") for i in ids), (name, ids)
    # a country outranks a region of its name elsewhere unless the text is about that region's country
    assert found(gaz, "Georgia signed.")[0][1] == "geonames:614540"
    assert gaz[found(gaz, "The United States said Georgia signed.")[1][1]].country == "US"


def test_data_file_has_provenance_and_stays_small():
    raw = resources.files("mapviewer.data").joinpath("regions.json").read_bytes()
    assert len(raw) < 1_000_000
    doc = json.loads(raw)
    assert "GeoNames" in doc["licences"]["geonames"] and "CC BY 4.0" in doc["licences"]["geonames"]
    assert "public domain" in doc["licences"]["naturalearth"]
    ids = [p["id"] for p in doc["places"]]
    assert len(ids) == len(set(ids)) and len(ids) > 2500
    for p in doc["places"]:
        assert p["source"] and p["kind"] == "region", p["id"]
        lon, lat = p["point"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90, p["id"]
        assert p["kind"] != "region" or (p["country"] and p["area_km2"] > 0), p["id"]


def test_cache_is_keyed_by_the_regions_file():
    assert f"-s{geonames.SCHEMA}-r" in geonames._cache_file().name
    index = geonames.load_index()
    assert "region:IN.40" in index and index.entry("region:IN.40").name == "Telangana"
    assert index.entry("geonames:1176615").source.startswith("GeoNames 1176615")  # towns keep theirs


def test_region_traps():
    assert geonames._is_region_trap(("centre",))
    assert geonames._is_region_trap(("north", "west"))
    assert geonames._is_region_trap(("eastern", "province"))
    assert geonames._is_region_trap(("federal", "capital", "territory"))
    assert not geonames._is_region_trap(("west", "bengal"))
    assert not geonames._is_region_trap(("north", "sea"), "sea")
    assert geonames._is_region_trap(("sea",), "sea")
