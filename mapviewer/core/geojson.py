"""The Atlas as RFC 7946 GeoJSON: one Feature per place (see DESIGN.md).

Longitude first, WGS84, exterior rings counter-clockwise, no ``crs``.
The same features, trimmed, are what the map page draws.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from .atlas import Atlas, Place
from .output import DATA_SOURCES, provenance, write_atomic

__all__ = [
    "DATA_SOURCES", "atlas_to_geojson", "geojson_bytes", "parts_properties", "place_properties", "rfc7946_geometry",
    "write_geojson",
]


def rfc7946_geometry(geom: BaseGeometry, digits: int = 5) -> dict[str, Any]:
    """GeoJSON geometry with rounded coordinates and right-hand-rule rings.

    Rounding comes first and orientation second, so no ring can change
    its direction after it was checked (RFC 7946 section 3.1.6).
    """
    if geom.geom_type == "Point":  # most features: no array round trip
        return {"type": "Point", "coordinates": (round(geom.x, digits), round(geom.y, digits))}
    geom = shapely.transform(geom, lambda xy: xy.round(digits))
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = type(geom)([orient(p, 1.0) for p in geom.geoms])
    return mapping(geom)


def place_properties(atlas: Atlas, place: Place) -> dict[str, Any]:
    """Everything a GIS user needs to trace a feature back to the text."""
    mentions = [
        {
            "document": r.doc,
            "sentence": r.mention.sentence,
            "start": r.mention.start,
            "end": r.mention.end,
            "text": r.mention.surface,
            "page": atlas.documents[r.doc].page_at(r.mention.start),  # a PDF's page, else null
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
    if place.parts:
        props["parts"] = parts_properties(place)
    return props


def parts_properties(place: Place) -> list[dict[str, Any]]:
    """The parts of a divided area (Jammu and Kashmir), each with who administers and who claims it.

    A part's ``geometry`` is a GeoJSON geometry of its own, inside the
    feature's (which is their union), so a reader can draw the lines between them.
    """
    from . import shapes

    out = []
    for part in place.parts:
        geometry = shapes.outline(part.id)
        out.append({
            "id": part.id,
            "name": part.name,
            "administered_by": part.administered_by,
            "claimed_by": list(part.claimed_by),
            "status": part.describe(),
            "geometry": rfc7946_geometry(geometry) if geometry is not None else None,
        })
    return out


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
        # A foreign member (RFC 7946 section 6.1): readers that do not know it skip it.
        "mapviewer": provenance(atlas),
    }


def geojson_bytes(atlas: Atlas) -> bytes:
    """UTF-8 JSON text, the media type RFC 7946 registers (no BOM)."""
    return json.dumps(atlas_to_geojson(atlas), ensure_ascii=False, indent=1).encode("utf-8")


def write_geojson(atlas: Atlas, out: str | Path) -> Path:
    return write_atomic(out, geojson_bytes(atlas))
