"""Outlines of areas and lines (regions, seas, rivers, disputed areas), read one at a time.

``data/outlines/outlines.jsonl`` holds one GeoJSON geometry per line and
``data/outlines/index.json`` maps a place id to the bytes of its line, so a
place's outline is read (a seek and a few kB) only when it is drawn: neither
the gazetteer's load nor the start of the app pays for the rest. Both files
are made by ``scripts/build_outlines.py`` (see ``data/README.md``).

An area divided between administrations (Jammu and Kashmir) lists its
``parts``: each part's name, who administers it and who claims it, after
Natural Earth's disputed-areas layer; each part's outline is in the store
under the part's own id.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .errors import DataError

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

log = logging.getLogger(__name__)

INDEX = "outlines/index.json"
LINES = "outlines/outlines.jsonl"


@dataclass(frozen=True)
class Part:
    """One part of a divided area: its outline is ``outline(id)``."""

    id: str
    name: str
    administered_by: str | None  # None: no one administration (Natural Earth: "indeterminate")
    claimed_by: tuple[str, ...]

    def describe(self) -> str:
        """"administered by India; claimed by Pakistan", as the panel and the exports say it."""
        by = f"administered by {self.administered_by}" if self.administered_by else "administration indeterminate"
        return f"{by}; claimed by {' and '.join(self.claimed_by)}" if self.claimed_by else by


@lru_cache(maxsize=1)
def _index() -> dict:
    """The store's index (~0.2 MB), read on the first outline asked for; empty if it is missing."""
    try:
        raw = resources.files("mapviewer.data").joinpath(INDEX).read_bytes()
    except OSError:
        log.warning("%s is missing: areas are drawn as points", INDEX)
        return {"outlines": {}, "parts": {}}
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc.get("outlines"), dict):
            raise ValueError("no 'outlines' table")
        return doc
    except ValueError as exc:
        raise DataError(f"bundled data {INDEX} is unreadable: {exc}") from None


def has_outline(place_id: str) -> bool:
    return place_id in _index()["outlines"]


def source(place_id: str) -> str | None:
    """Where the outline of ``place_id`` comes from, or None if there is none."""
    row = _index()["outlines"].get(place_id)
    return row[2] if row else None


@lru_cache(maxsize=256)
def outline(place_id: str) -> BaseGeometry | None:
    """The outline (or course, for a river) of ``place_id``, or None if the data has none."""
    row = _index()["outlines"].get(place_id)
    if row is None:
        return None
    offset, length = int(row[0]), int(row[1])
    from shapely.geometry import shape

    try:
        with resources.files("mapviewer.data").joinpath(LINES).open("rb") as f:
            f.seek(offset)
            return shape(json.loads(f.read(length)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"bundled data {LINES}: outline of {place_id} is unreadable: {exc}") from None


def parts(place_id: str) -> tuple[Part, ...]:
    """The parts of a divided area (Jammu and Kashmir), in Natural Earth's order; () for any other place."""
    return tuple(
        Part(p["id"], p["name"], p.get("administered_by"), tuple(p.get("claimed_by") or ()))
        for p in _index().get("parts", {}).get(place_id, ())
    )
