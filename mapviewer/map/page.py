"""One self-contained HTML page per Atlas, built with folium, offline.

folium writes the skeleton (the map div, the L.map call, the scale bar);
Leaflet comes inline from the ``xstatic-leaflet`` package instead of a
CDN, and the places go in as one JSON block that the page's script (``map/script.py``)
draws on a canvas.  The page loads nothing from anywhere: it works from a
file, in the Qt view and in any browser.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import xstatic.pkg.leaflet as xleaflet
from branca.element import Element, MacroElement
from jinja2 import Template

from .features import (
    PageOptions,
    data_json,
    page_data,
    page_places,
    script_json,
    sentence_table,
)
from .context import context_json
from .outlines import detail_json, overview_json
from .script import map_script
from .shell import resource_text, write_page

if TYPE_CHECKING:
    from ..core.atlas import Atlas

__all__ = ["PageOptions", "build_page", "resource_text", "write_page", "data_json", "page_data", "page_places", "script_json", "sentence_table"]

DATA_ELEMENT_ID = "mapviewer-data"


@lru_cache(maxsize=None)
def leaflet_asset(name: str) -> str:
    return Path(xleaflet.BASE_DIR, name).read_text(encoding="utf-8")


def _inline(tag: str, body: str) -> str:
    # A stray "</" in a vendored file must not close the element early.
    safe = body.replace("</" + tag, "<\\/" + tag)
    return f"<{tag}>{safe}</{tag}>"


class OfflineLeaflet(Element):
    """Leaflet's CSS and JS written into the page, from the PyPI package.

    The code is a value of the template, not the template: Jinja would
    otherwise compile 150 kB of JavaScript on every page.
    """

    _template = Template("{{ this.body }}")

    def __init__(self) -> None:
        super().__init__()
        self.body = leaflet_inline()


@lru_cache(maxsize=1)
def leaflet_inline() -> str:
    return _inline("style", leaflet_asset("leaflet.css")) + _inline("script", leaflet_asset("leaflet.js"))


class Raw(Element):
    """Markup put into the page as a value.

    branca turns the output of a MacroElement's macros back into Jinja
    templates, so a document's "{{ ... }}" would run as Python there;
    a value rendered by "{{ this.body }}" is never parsed again.
    """

    _template = Template("{{ this.body }}")

    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body


def add_atlas_layer(fmap: folium.Map, data: dict[str, Any], options: PageOptions) -> None:
    """The Atlas as data plus the script that draws it, on folium's map."""
    root = fmap.get_root()
    root.header.add_child(Raw(_inline("style", resource_text("map.css")) + _inline("script", map_script())),
                          name="mapviewer_code")
    detail = (detail_json() if options.detail_inline else '"bridge"') if options.basemap else "null"
    context = (context_json() if options.detail_inline else '"bridge"') if options.basemap else "null"
    blocks = (
        f'<script type="application/json" id="{DATA_ELEMENT_ID}">{script_json(data)}</script>\n'
        f'<script type="application/json" id="{DATA_ELEMENT_ID}-basemap">{detail}</script>\n'
        f'<script type="application/json" id="{DATA_ELEMENT_ID}-basemap-overview">'
        f'{overview_json() if options.basemap else "null"}</script>\n'
        f'<script type="application/json" id="{DATA_ELEMENT_ID}-context">{context}</script>'
    )
    root.html.add_child(Raw(blocks), name="mapviewer_data")
    fmap.add_child(InitCall())


class InitCall(MacroElement):
    """``mapviewer.init(map, …)`` after folium's own map script.

    A macro, so folium orders it after the L.map call; it carries no
    document text, so branca's re-parsing of macro output is harmless.
    """

    _template = Template(
        '{% macro script(this, kwargs) %}mapviewer.init({{ this._parent.get_name() }}, "'
        + DATA_ELEMENT_ID
        + '");{% endmacro %}'
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "InitCall"


def build_page(atlas: Atlas | None, options: PageOptions = PageOptions()) -> str:
    """The whole page as one HTML string (a shell when ``atlas`` is None)."""
    fmap = folium.Map(location=[30, 70], zoom_start=4, tiles=None, prefer_canvas=True, control_scale=True)
    fmap.default_js = []  # on the instance: folium's class lists name CDNs
    fmap.default_css = []
    root = fmap.get_root()
    root.header.add_child(OfflineLeaflet(), name="offline_leaflet")
    if options.title:
        root.header.add_child(Raw(f"<title>{_escape(options.title)}</title>"), name="title")
    add_atlas_layer(fmap, page_data(atlas, options), options)
    return with_csp(root.render(), [t.origin for t in options.tiles])


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def with_csp(html: str, tile_origins: list[str]) -> str:
    """Add a Content-Security-Policy that allows only this page's own scripts.

    Each inline script is allowed by its SHA-256, so nothing a document
    smuggles in could run even if it escaped the JSON block; nothing may
    be fetched but the online tiles the user switched on.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    images = " ".join(["data:", *tile_origins])
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src {images}; "
        "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html.replace("<head>", "<head>\n" + meta, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
