"""The place-less map page is built once and then read from the cache folder."""
from __future__ import annotations

import json
import re

from mapviewer.core.naturalearth import countries_geojson, overview_geojson
from mapviewer.map import basemaps, page, shell


def _data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="mapviewer-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def _block(html: str, suffix: str):
    block = re.search(rf'<script type="application/json" id="mapviewer-data-{suffix}">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_the_shell_has_the_overview_and_no_places_and_the_details_wait_beside_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    path = shell.shell_page()
    html = path.read_text(encoding="utf-8")
    assert _data(html)["places"] is None  # places come later, through mapviewer.setData
    assert len(_block(html, "basemap-overview")["shapes"]) == len(overview_geojson()["features"])
    assert _block(html, "basemap") == "bridge"  # asked for through the bridge once zoomed in
    detail = json.loads(shell.outlines_file(path).read_text(encoding="utf-8"))
    assert len(detail["shapes"]) == len(countries_geojson()["features"])
    assert "Content-Security-Policy" in html


def test_a_missing_outlines_file_builds_the_shell_again(tmp_path, monkeypatch):
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    path = shell.shell_page()
    shell.outlines_file(path).unlink()
    assert shell.shell_page() == path and shell.outlines_file(path).is_file()


def test_a_second_start_reads_the_file_without_building(tmp_path, monkeypatch):
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    first = shell.shell_page()

    def no_build(*_a, **_k):
        raise AssertionError("the page was built again")

    monkeypatch.setattr(page, "build_page", no_build)
    assert shell.shell_page() == first


def test_other_tiles_or_other_code_make_another_page(tmp_path, monkeypatch):
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    offline = shell.shell_page()
    online = shell.shell_page(basemaps.online_specs("OpenStreetMap"))
    assert online != offline
    assert "tile.openstreetmap.org" in online.read_text(encoding="utf-8")
    monkeypatch.setattr(shell, "__version__", "0-test")
    assert shell.shell_page() != offline


def test_an_unwritable_cache_still_gives_a_page(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setattr(shell, "cache_dir", lambda: blocked)
    path = shell.shell_page()
    assert path.is_file() and _data(path.read_text(encoding="utf-8"))["places"] is None
    assert shell.outlines_file(path).is_file()
    path.unlink()
    shell.outlines_file(path).unlink()


def test_an_edited_file_changes_the_stamp(tmp_path):
    """Caches are keyed by their files' stats (reading them cost more than the key saves)."""
    import hashlib
    import os

    from mapviewer.core.paths import stamp

    def key(path):
        h = hashlib.blake2b()
        stamp(h, path)
        return h.hexdigest()

    f = tmp_path / "map.js"
    f.write_text("var a = 1;")
    before = key(f)
    assert key(f) == before
    f.write_text("var a = 2;")  # same size: the time tells
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 1_000_000))
    assert key(f) != before


# --- the shipped page (data/prebuilt/, scripts/build_prebuilt.py) ---------------------------------


def _never_built(monkeypatch):
    def fail(*_a, **_k):
        raise AssertionError("the page was built")

    monkeypatch.setattr(shell, "build_parts", fail)


def test_a_first_start_unpacks_the_shipped_page_and_builds_nothing(tmp_path, monkeypatch):
    from mapviewer.core import prebuilt

    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    _never_built(monkeypatch)
    path = shell.shell_page()
    assert path.parent == tmp_path
    shipped = prebuilt.load(shell.BASEMAP_PREBUILT, shell.basemap_key())
    assert shell.outlines_file(path).read_text(encoding="utf-8") == shipped["outlines"]
    assert shell.context_file(path).read_text(encoding="utf-8") == shipped["context"]
    html = path.read_text(encoding="utf-8")
    assert _data(html)["places"] is None and _block(html, "basemap") == "bridge"


def test_a_warm_start_reads_no_file_content(tmp_path, monkeypatch):
    """The content keys are computed only when the cache misses: a warm start costs a few stats."""
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    first = shell.shell_page()
    for name in ("page_key", "basemap_key"):
        monkeypatch.setattr(shell, name, lambda: (_ for _ in ()).throw(AssertionError("a content key was computed")))
    _never_built(monkeypatch)
    assert shell.shell_page() == first and shell.cached_shell() == first


def test_a_stale_shipped_page_is_built_and_said(tmp_path, monkeypatch):
    from mapviewer.core import firstrun

    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    key = shell.page_key
    monkeypatch.setattr(shell, "page_key", lambda: {**key(), "code": {"mapviewer.map.page": "edited"}})
    assert shell.cached_shell() is None  # the window builds it on a thread (MainWindow.load_map_page)
    heard = []
    stop = firstrun.listen(lambda what, seconds: heard.append((what, seconds)))
    try:
        path = shell.shell_page()
    finally:
        stop()
    assert [what for what, _ in heard] == ["Building the map page (once)…"] * 2 and heard[1][1] > 0
    assert _data(path.read_text(encoding="utf-8"))["places"] is None
    assert shell.cached_shell() == path  # kept: the next start builds nothing


def test_an_online_basemap_is_never_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(shell, "cache_dir", lambda: tmp_path)
    assert shell.cached_shell(basemaps.online_specs("OpenStreetMap")) is None
    assert shell.cached_shell() is not None
