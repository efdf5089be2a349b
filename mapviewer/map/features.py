"""What the map page draws, as plain data: no folium, no Qt.

The desktop window hands these to a page that is already loaded
(``mapviewer.setData``), so it needs them without building a page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.gcpause import paused_gc
from ..core.geojson import rfc7946_geometry
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
    online layers, only when the user asked for them.
    """

    basemap: bool = True
    label_limit: int = 60
    title: str = ""
    standalone: bool = False
    tiles: tuple[TileSpec, ...] = ()


def page_features(atlas: Atlas, with_sentences: bool = False) -> list[dict[str, Any]]:
    """Features as the page needs them: geometry plus the fields filters use."""
    out = []
    for place in atlas.places:
        keys = place.sentence_keys()
        pledges = [atlas.pledges[k] for k in keys if k in atlas.pledges]
        props: dict[str, Any] = {
            "id": place.id,
            "name": place.name,
            "kind": place.kind,
            "precision": place.precision,
            "mentions": len(place.refs),
            "pledges": len(pledges),
            "themes": sorted({t for p in pledges for t in p.themes}),
            "parties": sorted({a for p in pledges for a in p.actors}),
            "docs": sorted({d for d, _ in keys}),
        }
        if with_sentences:
            props["sentences"] = [list(k) for k in keys]
        if place.extent:
            props["extent"] = place.extent
        out.append({"type": "Feature", "geometry": rfc7946_geometry(place.geometry), "properties": props})
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
        "features": page_features(atlas, options.standalone) if atlas is not None else None,
        "labelLimit": options.label_limit,
        "documents": [{"name": d.name} for d in atlas.documents] if atlas is not None else [],
        "sentences": sentence_table(atlas) if atlas is not None and options.standalone else None,
        "tiles": [t.as_page_data() for t in options.tiles],
    }


def data_json(atlas: Atlas, options: PageOptions = PageOptions()) -> str:
    """The places as one JSON string for ``mapviewer.setData`` (no page rebuilt)."""
    with paused_gc():
        return json.dumps(page_data(atlas, options), ensure_ascii=False, separators=(",", ":"))


