"""The Atlas as RFC 7946 GeoJSON: one Feature per place (see DESIGN.md).

Longitude first, WGS84, exterior rings counter-clockwise, no ``crs``.
The same features, trimmed, are what the map page draws.
"""
from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from .. import __version__
from .atlas import Atlas, Place

DATA_SOURCES = [
    {"name": "Natural Earth country outlines (via npm world-atlas 2.0.2)", "licence": "public domain"},
    {"name": "Curated gazetteer (data/gazetteer.json), sources per entry", "licence": "see each entry's source"},
]


def rfc7946_geometry(geom: BaseGeometry, digits: int = 5) -> dict[str, Any]:
    """GeoJSON geometry with rounded coordinates and right-hand-rule rings."""
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = type(geom)([orient(p, 1.0) for p in geom.geoms])
    return mapping(shapely.transform(geom, lambda xy: xy.round(digits)))


def place_properties(atlas: Atlas, place: Place) -> dict[str, Any]:
    """Everything a GIS user needs to trace a feature back to the text."""
    mentions = [
        {
            "document": r.doc,
            "sentence": r.mention.sentence,
            "start": r.mention.start,
            "end": r.mention.end,
            "text": r.mention.surface,
        }
        for r in place.refs
    ]
    pledges = []
    for doc, index in place.sentence_keys():
        pledge = atlas.pledges.get((doc, index))
        pledges.append(
            {
                "document": doc,
                "sentence": index,
                "text": atlas.sentence(doc, index).text,
                "pledge": pledge is not None,
                "themes": list(pledge.themes) if pledge else [],
                "actors": list(pledge.actors) if pledge else [],
                "commitment": pledge.commitment if pledge else None,
            }
        )
    props: dict[str, Any] = {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "precision": place.precision,
        "source": place.source,
        "mentions": mentions,
        "pledges": pledges,
    }
    if place.length_km is not None:
        props["length_km"] = place.length_km
    if place.note:
        props["note"] = place.note
    return props


def atlas_to_geojson(atlas: Atlas) -> dict[str, Any]:
    """The FeatureCollection written by ``mapviewer export --geojson``."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": place.id,
                "geometry": rfc7946_geometry(place.geometry),
                "properties": place_properties(atlas, place),
            }
            for place in atlas.places
        ],
        "mapviewer": {
            "version": __version__,
            "documents": [{"name": d.name, "sha256": d.sha256} for d in atlas.documents],
            "sources": DATA_SOURCES,
        },
    }
