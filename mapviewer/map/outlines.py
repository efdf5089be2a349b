"""The basemap's country outlines, packed for the page.

GeoJSON's nested pairs cost the page a small array per vertex to parse
and walk; the page only needs rings.  Each country goes as a list of
rings, each ring one flat list of integer steps (the first vertex, then
the difference to the one before) in units of the data's own grid, so
nothing is lost and the numbers are one or two digits long: the overview
goes from 552 kB to 236 kB, the detailed outlines from 1.9 MB to 0.84 MB.
``resources/map.js`` (``unpackOutlines``) undoes it.
"""
from __future__ import annotations

from functools import lru_cache

from ..core.naturalearth import countries_geojson, overview_geojson
from .features import script_json

# Steps per degree: the grids scripts/build_basemap.py rounds to (0.01 and 0.001 degree).
OVERVIEW_STEPS = 100
DETAIL_STEPS = 1000


def pack(geojson: dict, steps: int) -> dict:
    """``{"steps": n, "shapes": [[ring, ...] per country]}``; a ring is [x0, y0, dx1, dy1, ...]."""
    return {"steps": steps, "shapes": [_rings(f.get("geometry") or {}, steps) for f in geojson.get("features", ())]}


def _rings(geometry: dict, steps: int) -> list[list[int]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    rings = coords if kind == "Polygon" else [r for polygon in coords for r in polygon] if kind == "MultiPolygon" else []
    return [_steps(ring, steps) for ring in rings]


def _steps(ring: list, steps: int) -> list[int]:
    out: list[int] = []
    x0 = y0 = 0
    for lon, lat, *_ in ring:
        x, y = round(lon * steps), round(lat * steps)
        out += (x - x0, y - y0)
        x0, y0 = x, y
    return out


@lru_cache(maxsize=1)
def overview_json() -> str:
    """The generalised outlines the page shows until the reader zooms in."""
    return script_json(pack(overview_geojson(), OVERVIEW_STEPS))


@lru_cache(maxsize=1)
def detail_json() -> str:
    """The detailed outlines, for zoom 6 and more, serialised once per process."""
    return script_json(pack(countries_geojson(), DETAIL_STEPS))
