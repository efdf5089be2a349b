"""Country outlines from the bundled Natural Earth extract (public domain)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

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
    """The outline of one country by its ISO 3166-1 numeric id ("586").

    A text names a few countries, and parsing the whole 1.9 MB file takes
    ~60 ms: each is found in the file's text and only its feature parsed.
    A file laid out otherwise falls back to reading it all.
    """
    feature = _feature_in_text(country_id)
    if feature is None:
        feature = next((f for f in countries_geojson()["features"] if str(f.get("id")) == country_id), None)
    return shape(feature["geometry"]) if feature is not None else None


@lru_cache(maxsize=1)
def _countries_text() -> str:
    return resources.files("mapviewer.data").joinpath(COUNTRIES).read_text(encoding="utf-8")


def _feature_in_text(country_id: str) -> dict | None:
    """The feature of that id, parsed from where scripts/build_basemap.py writes it, or None."""
    try:
        text = _countries_text()
    except OSError:
        return None
    start = text.find('{"type":"Feature","id":' + json.dumps(country_id) + ",")
    if start < 0:
        return None
    try:
        feature, _end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return feature if isinstance(feature, dict) and str(feature.get("id")) == country_id else None
