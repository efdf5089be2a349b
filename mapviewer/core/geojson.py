"""The Atlas as RFC 7946 GeoJSON: one Feature per place (see DESIGN.md).

A place's ``pledges`` are its sentences with the columns of the pledge
table (``csvexport.PLEDGE_COLUMNS``): ``pledge`` true or false, ``parties``,
``themes`` and ``places`` as lists, and ``under``, the sentence of the
pledge a talk sentence falls under; ``actors`` repeats ``parties`` under the
name the GeoJSON contract (DESIGN.md) gives them.

Longitude first, WGS84, exterior rings counter-clockwise, no ``crs``.
The same features, trimmed, are what the map page draws.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from .atlas import Atlas, Place
from .csvexport import sentence_record
from .output import DATA_SOURCES, provenance, write_atomic_chunks

__all__ = [
    "DATA_SOURCES", "atlas_to_geojson", "geojson_bytes", "geojson_chunks", "parts_properties", "place_properties",
    "rfc7946_geometry", "write_geojson",
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


def _mentions(atlas: Atlas, place: Place) -> list[dict[str, Any]]:
    return [
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


def _pledge(atlas: Atlas, doc: int, index: int) -> dict[str, Any]:
    """The columns of the pledge table (csvexport.PLEDGE_COLUMNS) in JSON's own types,
    and the sentence of the pledge a talk sentence falls under."""
    record = sentence_record(atlas, doc, index)
    reading = atlas.reading(doc, index)
    record["under"] = reading.under if reading is not None else None
    record["actors"] = record["parties"]  # the name DESIGN.md's contract gives them
    return record


def _head(atlas: Atlas, place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "precision": place.precision,
        "source": place.source,
        "mentions": _mentions(atlas, place),
    }


def _tail(place: Place) -> dict[str, Any]:
    tail: dict[str, Any] = {}
    if place.length_km is not None:
        tail["length_km"] = place.length_km
    if place.note:
        tail["note"] = place.note
    if place.parts:
        tail["parts"] = parts_properties(place)
    return tail


def place_properties(atlas: Atlas, place: Place) -> dict[str, Any]:
    """Everything a GIS user needs to trace a feature back to the text."""
    pledges = [_pledge(atlas, doc, index) for doc, index in place.sentence_keys()]
    return {**_head(atlas, place), "pledges": pledges, **_tail(place)}


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


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # no indent: the C encoder (indent makes it pure Python)


def geojson_chunks(atlas: Atlas) -> Iterator[bytes]:
    """``atlas_to_geojson`` as UTF-8 JSON text, a feature and a sentence at a time.

    A place named in 150,000 sentences of a long text has them all in its
    ``pledges``: writing them one by one keeps memory to one sentence, and
    each is encoded once however many places it names.  One feature and
    one sentence per line.
    """
    encoded: dict[tuple[int, int], str] = {}
    yield b'{"type": "FeatureCollection", "features": [\n'
    for n, place in enumerate(atlas.places):
        feature = _dump({"type": "Feature", "id": place.id, "geometry": rfc7946_geometry(place.geometry)})
        head = _dump(_head(atlas, place))
        parts = [",\n" if n else "", feature[:-1], ', "properties": ', head[:-1], ', "pledges": [']
        yield "".join(parts).encode("utf-8")
        for k, key in enumerate(place.sentence_keys()):
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = _dump(_pledge(atlas, *key))
            yield ((",\n" if k else "\n") + text).encode("utf-8")
        tail = _dump(_tail(place))
        yield ("]" + (", " + tail[1:] if len(tail) > 2 else "}") + "}").encode("utf-8")
    # A foreign member (RFC 7946 section 6.1): readers that do not know it skip it.
    yield ('\n],\n"mapviewer": ' + _dump(provenance(atlas)) + "}\n").encode("utf-8")


def geojson_bytes(atlas: Atlas) -> bytes:
    """UTF-8 JSON text, the media type RFC 7946 registers (no BOM)."""
    return b"".join(geojson_chunks(atlas))


def write_geojson(atlas: Atlas, out: str | Path) -> Path:
    return write_atomic_chunks(out, geojson_chunks(atlas))
