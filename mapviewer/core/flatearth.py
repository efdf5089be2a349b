"""Distance on a flat earth, for the many comparisons where geodesic precision is wasted.

Good to a few per cent at 300 km and some 100 times faster than the geodesic
of ``geometry`` (and it imports neither shapely nor geographiclib).
"""
from __future__ import annotations

import math

KM_PER_DEGREE = 111.2


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Kilometres between two (lon, lat) points, the longitude scaled at their mean latitude."""
    dx = (a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return KM_PER_DEGREE * math.hypot(dx, a[1] - b[1])
