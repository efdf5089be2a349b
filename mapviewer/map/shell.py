"""The map page without places, built with folium once and kept on disk.

Leaflet, the country outlines and the page's script are the same for every
document, so the desktop window does not build them at each start: the
first start writes the page to the cache folder, later starts load that
file (and skip importing folium).  The file's name is a digest of all that
goes into it, so a new version of any part builds a new page.  The
detailed outlines wait beside it (``outlines_file``) until the page asks
for them through the bridge.
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
from ..core.output import write_atomic
from ..core.paths import cache_dir, stamp
from .basemaps import TileSpec
from .script import PARTS, part_file

log = logging.getLogger(__name__)

_RESOURCES = ("map.css",)
_PACKAGES = ("folium", "branca", "jinja2", "xstatic.pkg.leaflet")


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
    for module in (__name__, "mapviewer.map.page", "mapviewer.map.outlines", "mapviewer.map.script", "mapviewer.map.context"):
        stamp(h, Path(find_spec(module).origin))
    for package in _PACKAGES:  # an upgrade changes the installed files' size or time
        spec = find_spec(package)
        if spec is not None and spec.origin:
            st = Path(spec.origin).stat()
            h.update(f"{package}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def shell_page(tiles: tuple[TileSpec, ...] = ()) -> Path:
    """The shell page's file, built and cached on first use, its ``outlines_file`` beside it."""
    path = cache_dir() / f"map-shell-{_digest(tiles)}.html"
    if path.is_file() and outlines_file(path).is_file() and context_file(path).is_file():
        return path
    from .context import context_json
    from .outlines import detail_json
    from .page import PageOptions, build_page

    html = build_page(None, PageOptions(tiles=tiles, detail_inline=False))
    try:
        write_atomic(outlines_file(path), detail_json().encode("utf-8"))
        write_atomic(context_file(path), context_json().encode("utf-8"))
        write_atomic(path, html.encode("utf-8"))
    except OSError as exc:  # a read-only cache: a page in a temporary file still works
        log.warning("map page not cached (%s)", exc)
        page = write_page(html)
        outlines_file(page).write_text(detail_json(), encoding="utf-8")
        context_file(page).write_text(context_json(), encoding="utf-8")
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
