"""Geodesic measures and shapes on the WGS84 ellipsoid (geographiclib + shapely).

geographiclib is what geopy's ``geodesic`` runs on; called directly it
spares every start-up geopy's geocoder modules (and ``requests``).

Coordinates are (longitude, latitude) everywhere, as in GeoJSON.
"""
from __future__ import annotations

from typing import Sequence

from geographiclib.geodesic import Geodesic
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

LonLat = tuple[float, float]
KM_PER_DEGREE = 111.32
_WGS84 = Geodesic.WGS84


def distance_km(a: LonLat, b: LonLat) -> float:
    return _WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.DISTANCE)["s12"] / 1000.0


def line_length_km(coords: Sequence[LonLat]) -> float:
    """Length of a polyline along the ellipsoid, summed segment by segment."""
    return sum(distance_km(a, b) for a, b in zip(coords, coords[1:]))


def geometry_length_km(geom: BaseGeometry) -> float:
    if geom.geom_type == "LineString":
        return line_length_km(list(geom.coords))
    if geom.geom_type == "MultiLineString":
        return sum(line_length_km(list(g.coords)) for g in geom.geoms)
    return 0.0


def route_section(route: Sequence[LonLat], a: LonLat, b: LonLat, tolerance_km: float = 30.0) -> LineString | None:
    """The part of ``route`` between the points nearest ``a`` and ``b``.

    None when either end lies farther than ``tolerance_km`` from the route,
    so a corridor is never drawn along a road it is not on.
    """
    line = LineString(route)
    for p in (a, b):
        nearest = line.interpolate(line.project(Point(p)))
        if distance_km(p, (nearest.x, nearest.y)) > tolerance_km:
            return None
    da, db = line.project(Point(a)), line.project(Point(b))
    section = substring(line, min(da, db), max(da, db))
    if section.geom_type != "LineString" or section.length == 0:
        return None
    coords = list(section.coords)
    if da > db:
        coords.reverse()  # keep the order the text names the ends in
    return LineString(coords)
