"""Country outlines from the bundled Natural Earth extract (public domain)."""
from __future__ import annotations

from functools import lru_cache

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .gazetteer import load_json_resource

COUNTRIES = "naturalearth/countries.geojson"
OVERVIEW = "naturalearth/countries-overview.geojson"  # generalised, for zoom 5 and less


@lru_cache(maxsize=1)
def countries_geojson() -> dict:
    """The basemap as GeoJSON, read once: the page draws it as it is."""
    return load_json_resource(COUNTRIES)


def overview_geojson() -> dict:
    """The small-scale basemap (read once per page build, never by the Atlas)."""
    return load_json_resource(OVERVIEW)


@lru_cache(maxsize=None)
def outline(country_id: str) -> BaseGeometry | None:
    """The outline of one country by its ISO 3166-1 numeric id ("586")."""
    for feature in countries_geojson()["features"]:
        if str(feature.get("id")) == country_id:
            return shape(feature["geometry"])
    return None
