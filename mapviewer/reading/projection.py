"""Where a pixel of the map is: Web Mercator as Leaflet draws it (a 256-pixel world at zoom 0).

A click on the map in "pick a position" mode is a pixel of the view; with
the coordinates of the view's top-left corner and its zoom (the page's own
account, ``mapviewer.state()``) it is a longitude and latitude, worked out
here rather than asked of the page.
"""
from __future__ import annotations

import math

MAX_LAT = 85.0511287798  # where Web Mercator stops


def world_pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    size = 256 * 2**zoom
    s = math.sin(math.radians(max(-MAX_LAT, min(MAX_LAT, lat))))
    return (lon + 180) / 360 * size, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size


def lonlat_at(x: float, y: float, top_left: tuple[float, float], zoom: float) -> tuple[float, float]:
    """The (lon, lat) at pixel (x, y) of a view whose corner (0, 0) is at ``top_left`` (lon, lat)."""
    size = 256 * 2**zoom
    x0, y0 = world_pixel(*top_left, zoom)
    wx, wy = x0 + x, y0 + y
    lon = (wx / size * 360 - 180 + 180) % 360 - 180  # a world repeated sideways: back to -180..180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy / size))))
    return lon, lat
