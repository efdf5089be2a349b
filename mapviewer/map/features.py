"""What the map page draws, as plain data: no folium, no Qt.

The desktop window hands these to a page that is already loaded
(``mapviewer.setData``), so it needs them without building a page.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.gcpause import paused_gc
from ..core.paths import stamp
from .basemaps import TileSpec

if TYPE_CHECKING:
    from ..core.atlas import Atlas


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "\u2028", "\\u2028"
    ).replace("\u2029", "\\u2029")


@dataclass(frozen=True)
class PageOptions:
    """What the page shows; the defaults are the offline desktop view.

    ``standalone`` puts the sentence texts in the page so its popups can
    show the pledges without Python (the HTML export).  ``tiles`` are
    online layers, only when the user asked for them.  Without
    ``detail_inline`` the detailed outlines stay out of the page, which
    asks the Qt bridge for them once zoomed in (the desktop's shell: 0.84
    MB of 1.3, ~20 ms of every start).
    """

    basemap: bool = True
    detail_inline: bool = True
    label_limit: int = 60
    title: str = ""
    standalone: bool = False
    tiles: tuple[TileSpec, ...] = ()


SCALE = 100_000  # coordinates travel as integers of 1e-5 degree (about 1 m), as RFC 7946 exports round them
_LINES = (1, 5)  # shapely type ids: LineString, MultiLineString
_AREAS = (3, 6)  # Polygon, MultiPolygon


def page_places(atlas: Atlas, with_sentences: bool = False) -> dict[str, Any]:
    """The places as the page needs them, in columns: one list per field.

    At 100k places one GeoJSON Feature each cost ~1.4 s of Python and
    28 MB for the page to parse; plain columns, and coordinates made in
    bulk by shapely as integers, cost a fraction of both.  One pass over
    the places fills every column (ten passes took ~0.4 s at 100k, one
    ~0.25 s).  Fields with few distinct values (kind, themes, ...) go as
    ``table`` columns.  map.js turns them back into features (``placeFeatures``).
    ``parts``, only when a place is divided between administrations, is
    ``{"i": [place indexes], "parts": [[part, ...] per place]}``, each part as
    the GeoJSON export writes it (id, name, administered_by, claimed_by,
    status, geometry).
    """
    names = ("id", "name", "kind", "precision", "extent", "mentions", "pledges", "themes", "parties", "docs")
    cols: dict[str, Any] = {name: [] for name in names}
    ids, labels, kinds, precisions, extents, mentions, counts, themes, parties, docs = (cols[n] for n in names)
    sentences: list = []
    for place in atlas.places:
        ids.append(place.id)
        labels.append(place.name)
        kinds.append(place.kind)
        precisions.append(place.precision)
        extents.append(place.extent)
        mentions.append(len(place.refs))
        keys = place.sentence_keys()
        pledged = [p for p in map(atlas.pledges.get, keys) if p is not None]
        counts.append(len(pledged))
        themes.append(tuple(sorted({t for p in pledged for t in p.themes})) if pledged else ())
        parties.append(tuple(sorted({a for p in pledged for a in p.actors})) if pledged else ())
        docs.append((keys[0][0],) if len(keys) == 1 else tuple(sorted({d for d, _ in keys})))
        if with_sentences:
            sentences.append([list(k) for k in keys])
    for name in ("kind", "precision", "extent", "themes", "parties", "docs"):
        cols[name] = table(cols[name])
    if with_sentences:
        cols["sentences"] = sentences
    divided = [i for i, place in enumerate(atlas.places) if place.parts]
    if divided:  # Jammu and Kashmir: the page draws the lines between its parts
        from ..core.geojson import parts_properties

        cols["parts"] = {"i": divided, "parts": [parts_properties(atlas.places[i]) for i in divided]}
    cols["geometry"] = geometry_columns([place.geometry for place in atlas.places])
    return cols


def table(values: list) -> dict[str, list]:
    """A column of few distinct values as ``{"values": [...], "index": [...]}``: at 100k places
    the page's data is a quarter smaller, and quicker to send and parse (tuples go as lists)."""
    codes: dict[Any, int] = {}
    index = [codes.setdefault(v, len(codes)) for v in values]
    return {"values": [list(v) if isinstance(v, tuple) else v for v in codes], "index": index}


def geometry_columns(geometries: list) -> dict[str, Any]:
    """Points, lines and areas as flat integer coordinates plus offsets (shapely's ragged arrays).

    ``lines``: ``o`` = [coordinate offsets of each line, line offsets of
    each place]; ``areas``: [of each ring, ring offsets of each polygon,
    polygon offsets of each place]; ``i``: the places' indexes.  Anything
    else goes as a GeoJSON geometry under ``other`` (null when empty: the
    page leaves it off the map).
    """
    import numpy as np
    import shapely

    geoms = np.fromiter(geometries, dtype=object, count=len(geometries))  # 5x quicker than slice assignment at 100k
    types = shapely.get_type_id(geoms)
    usable = ~shapely.is_empty(geoms)
    out: dict[str, Any] = {}
    for family, ids, levels in (("points", (0,), 0), ("lines", _LINES, 2), ("areas", _AREAS, 3)):
        index = np.flatnonzero(np.isin(types, ids) & usable)
        if not len(index):
            continue
        if family == "points":  # one coordinate each, no offsets: 2x quicker than to_ragged_array
            coords, offsets = shapely.get_coordinates(geoms[index]), []
        else:
            _, coords, offsets = shapely.to_ragged_array(geoms[index])
            offsets = list(offsets)
        while len(offsets) < levels:  # all single lines or polygons: one part each
            offsets.append(np.arange(len(offsets[-1])))
        out[family] = {
            "i": index.tolist(),
            "xy": np.rint(coords * SCALE).astype(np.int64).ravel().tolist(),
            "o": [o.tolist() for o in offsets],
        }
    rest = np.flatnonzero(~(np.isin(types, (0, *_LINES, *_AREAS)) & usable))
    if len(rest):
        from ..core.geojson import rfc7946_geometry

        out["other"] = {"i": rest.tolist(),
                        "geometry": [None if geometries[i].is_empty else rfc7946_geometry(geometries[i]) for i in rest]}
    return out


def sentence_table(atlas: Atlas) -> dict[str, str]:
    """Texts of the sentences any place refers to, keyed "doc:index"."""
    keys = {k for place in atlas.places for k in place.sentence_keys()}
    return {f"{d}:{i}": atlas.sentence(d, i).text for d, i in sorted(keys)}


def page_data(atlas: Atlas | None, options: PageOptions = PageOptions()) -> dict[str, Any]:
    """What map.js draws: the places, their documents and, standalone, the sentences.

    With no Atlas the page is a shell: map, outlines and tiles, waiting for
    ``mapviewer.setData`` (the desktop window loads it once and hands each
    document set over as data).
    """
    return {
        "places": page_places(atlas, options.standalone) if atlas is not None else None,
        "labelLimit": options.label_limit,
        "documents": [{"name": d.name} for d in atlas.documents] if atlas is not None else [],
        "sentences": sentence_table(atlas) if atlas is not None and options.standalone else None,
        "tiles": [t.as_page_data() for t in options.tiles],
    }


def places_json(atlas: Atlas) -> str:
    """``page_places`` as JSON: the costly part of ``data_json``, kept beside a cached Atlas."""
    with paused_gc():
        return json.dumps(page_places(atlas), ensure_ascii=False, separators=(",", ":"))


def places_json_name() -> str:
    """The name ``places_json`` is kept under: it changes with this module, so an edit never reads old columns."""
    from .. import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=6)
    stamp(h, Path(__file__))
    return f"page-places-{h.hexdigest()}.json"


def data_json(atlas: Atlas, options: PageOptions = PageOptions(), places: str | None = None) -> str:
    """The places as one JSON string for ``mapviewer.setData`` (no page rebuilt).

    ``places``: ``places_json(atlas)`` made before (kept by a cache), put in as is.
    """
    if options.standalone:  # the sentences go inside the columns
        with paused_gc():
            return json.dumps(page_data(atlas, options), ensure_ascii=False, separators=(",", ":"))
    rest = page_data(None, options)
    del rest["places"]
    rest["documents"] = [{"name": d.name} for d in atlas.documents]
    columns = places if places is not None else places_json(atlas)
    return '{"places":' + columns + "," + json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:]


def cached_data_json(atlas: Atlas, options: PageOptions = PageOptions()) -> str:
    """``data_json``, with the columns kept beside a cached Atlas: made once, they
    need neither shapely nor numpy again (``atlascache.derived``)."""
    from ..core.atlascache import derived

    if options.standalone:
        return data_json(atlas, options)
    return data_json(atlas, options, places=derived(atlas, places_json_name(), lambda: places_json(atlas)))
