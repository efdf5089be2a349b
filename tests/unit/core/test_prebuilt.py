"""What ships in data/prebuilt/ is current, equals what the app would build, and is never trusted blindly."""
from __future__ import annotations

import json
import pickle
import re
import zlib
from pathlib import Path

import pytest

from mapviewer.core import atlascache, firstrun, geonames, prebuilt
from mapviewer.core.corrections import Coordinates, CorrectionStore
from mapviewer.core.readers import read_document
from mapviewer.map import shell

ROOT = Path(__file__).resolve().parents[3]
REBUILD = "run: .venv/bin/python scripts/build_prebuilt.py (and commit data/prebuilt/)"
BUNDLED = [read_document(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
ARTEFACTS = {
    geonames.PREBUILT: geonames.prebuilt_key,
    shell.BASEMAP_PREBUILT: shell.basemap_key,
    shell.PAGE_PREBUILT: shell.page_key,
    **{atlascache.shipped_name([doc]): (lambda doc=doc: atlascache.shipped_key([doc])) for doc in BUNDLED},
}


@pytest.mark.parametrize("name", sorted(ARTEFACTS))
def test_every_shipped_file_is_current(name):
    """Its key equals the key of what the code, the data and the installed packages are now."""
    diff = prebuilt.differences(prebuilt.stored_key(name), ARTEFACTS[name]())
    assert not diff, f"data/prebuilt/{name} is stale:\n  " + "\n  ".join(diff) + f"\n{REBUILD}"


def test_the_shipped_index_equals_a_fresh_build():
    """The key stands for the code by its SCHEMA number: a change to the filters that forgot to bump it shows here."""
    shipped = prebuilt.load(geonames.PREBUILT, geonames.prebuilt_key())
    assert shipped is not None, REBUILD
    fresh = geonames.build_index().__getstate__()
    for field in geonames.STATE_FIELDS:
        assert shipped[field] == fresh[field], f"the shipped index's {field!r} differs from a fresh build; {REBUILD}"


def test_the_shipped_basemap_equals_a_fresh_build():
    from mapviewer.map.context import context_json
    from mapviewer.map.outlines import detail_json

    shipped = prebuilt.load(shell.BASEMAP_PREBUILT, shell.basemap_key())
    assert shipped == {"outlines": detail_json(), "context": context_json()}, REBUILD


def _without_random_names(html: str) -> str:
    """folium names each element with a random hex id, and the page's policy hashes its scripts."""
    html = re.sub(r"_[0-9a-f]{32}\b", "_ID", html)
    return re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "'sha256-HASH'", html)


def test_the_shipped_page_equals_a_fresh_build_but_for_its_random_names():
    shipped = prebuilt.load(shell.PAGE_PREBUILT, shell.page_key())
    assert shipped is not None, REBUILD
    fresh = shell.build_parts()["html"]
    assert _without_random_names(shipped["html"]) == _without_random_names(fresh), REBUILD
    assert "mapviewer.init(" in shipped["html"] and "Content-Security-Policy" in shipped["html"]


def _places(atlas):
    return [(p.id, p.name, p.geometry.wkt, [(r.doc, r.mention.start, r.mention.end) for r in p.refs]) for p in atlas.places]


def test_the_shipped_places_of_each_bundled_text_equal_a_fresh_build(tmp_path):
    from mapviewer.core.atlas import build_atlas

    assert BUNDLED
    for doc in BUNDLED:
        data = prebuilt.load(atlascache.shipped_name([doc]), atlascache.shipped_key([doc]))
        assert isinstance(data, bytes), REBUILD
        shipped = prebuilt.app_loads(data)
        fresh = build_atlas([doc], corrections=CorrectionStore(tmp_path / "none.json"))
        assert _places(shipped) == _places(fresh), REBUILD
        assert shipped.pledges.keys() == fresh.pledges.keys() and shipped.readings.keys() == fresh.readings.keys()


def test_the_packages_the_keys_name_are_pinned_to_those_versions():
    """A fresh install (``make test``) gets the versions the files were built with, so it uses them."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for requirement in project["dependencies"]:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*([^;\s]+)", requirement.strip())
        if m:
            pins[m.group(1).lower()] = m.group(2)
    for name, key_of in ARTEFACTS.items():
        for package, version in (prebuilt.stored_key(name) or {}).get("packages", {}).items():
            if package == "airportsdata" and version == "none":
                continue
            assert pins.get(package.lower()) == version, f"pyproject.toml must pin {package}=={version} ({name})"


def test_the_shipped_files_are_modest():
    sizes = {p.name: p.stat().st_size for p in (ROOT / "data" / prebuilt.FOLDER).glob("*.bin")}
    assert set(sizes) == set(ARTEFACTS)
    packed = sum(len(zlib.compress((ROOT / "data" / prebuilt.FOLDER / n).read_bytes(), 1)) for n in sizes)
    assert packed < 10_000_000  # as git and the wheel store them


# --- never trusted blindly ---------------------------------------------------------------------


@pytest.fixture
def shipped_in(tmp_path, monkeypatch):
    """Shipped files read from ``tmp_path`` instead of the package."""
    monkeypatch.setattr(prebuilt, "shipped_path", lambda name: tmp_path / name)
    return tmp_path


def test_a_file_naming_any_class_is_refused_and_runs_nothing(shipped_in, tmp_path):
    class Boom:
        def __reduce__(self):
            return (Path.touch, (tmp_path / "ran",))

    key = {"artefact": "test"}
    prebuilt.write(shipped_in / "evil.bin", key, {"rows": Boom()})
    assert prebuilt.load("evil.bin", key) is None
    assert not (tmp_path / "ran").exists()
    with pytest.raises(pickle.UnpicklingError):
        prebuilt.safe_loads(pickle.dumps({"a": Path("x")}))
    assert prebuilt.safe_loads(prebuilt.dumps({"a": [1, 2.5, "x", (3,), {4}, b"y", None, True]}))["a"][2] == "x"


def test_a_stale_corrupt_or_missing_file_gives_nothing(shipped_in):
    key = {"artefact": "test", "schema": 2}
    assert prebuilt.load("none.bin", key) is None
    prebuilt.write(shipped_in / "old.bin", {"artefact": "test", "schema": 1}, {"a": 1})
    assert prebuilt.load("old.bin", key) is None
    assert prebuilt.differences(prebuilt.stored_key("old.bin"), key) == ["schema: 1 -> 2"]
    good = prebuilt.write(shipped_in / "cut.bin", key, {"a": "b" * 1000})
    (shipped_in / "cut.bin").write_bytes((shipped_in / "cut.bin").read_bytes()[: good - 20])
    assert prebuilt.load("cut.bin", key) is None
    (shipped_in / "junk.bin").write_bytes(b"\x00" * 100)
    assert prebuilt.load("junk.bin", key) is None
    prebuilt.write(shipped_in / "ok.bin", key, {"a": 1}, compress=False)
    assert prebuilt.load("ok.bin", key) == {"a": 1}


@pytest.fixture
def fresh_index(tmp_path, monkeypatch):
    """A fresh cache folder; the index built by a stand-in that counts its calls (the real one takes seconds)."""
    real = geonames.load_index()
    monkeypatch.setenv("MAPVIEWER_HOME", str(tmp_path / "home"))
    builds = []

    def build():
        builds.append(1)
        return real

    monkeypatch.setattr(geonames, "build_index", build)
    heard = []
    stop = firstrun.listen(lambda what, seconds: heard.append((what, seconds)))
    geonames.load_index.cache_clear()
    yield builds, heard
    stop()
    geonames.load_index.cache_clear()


def test_a_first_run_reads_the_shipped_index_and_builds_nothing(fresh_index):
    builds, heard = fresh_index
    index = geonames.load_index()
    assert index is not None and index.lookup("Gwadar")[0].country == "PK"
    assert builds == [] and heard == []
    assert not list(geonames._cache_file().parent.glob("geonames-*.pickle"))  # read in place, no copy


@pytest.mark.parametrize("spoil", ["stale", "corrupt", "switched off"])
def test_a_stale_or_corrupt_shipped_index_is_built_instead_and_said(fresh_index, monkeypatch, tmp_path, spoil):
    builds, heard = fresh_index
    if spoil == "stale":
        key = geonames.prebuilt_key
        monkeypatch.setattr(geonames, "prebuilt_key", lambda: {**key(), "schema": -1})
    elif spoil == "corrupt":
        bad = tmp_path / geonames.PREBUILT
        head = prebuilt.MAGIC + json.dumps({"key": prebuilt.normal(geonames.prebuilt_key()), "zlib": False}).encode()
        bad.write_bytes(head + b"\n" + b"\x80\x05not a pickle")
        monkeypatch.setattr(prebuilt, "shipped_path", lambda name: tmp_path / name)
    else:
        monkeypatch.setenv("MAPVIEWER_PREBUILT", "0")
    index = geonames.load_index()
    assert index is not None and index.lookup("Gwadar")
    assert builds == [1]
    assert [seconds is None for what, seconds in heard] == [True, False]
    assert heard[0][0].startswith("Building the GeoNames index")
    geonames.load_index.cache_clear()
    geonames.load_index()  # the next start reads what the first one kept
    assert builds == [1]


def test_a_corrupt_cache_is_rebuilt(fresh_index, monkeypatch):
    builds, _ = fresh_index
    monkeypatch.setenv("MAPVIEWER_PREBUILT", "0")
    geonames._cache_file().write_bytes(b"not a pickle")
    assert geonames.load_index().lookup("Gwadar")
    assert builds == [1]
    assert prebuilt.safe_loads(geonames._cache_file().read_bytes())["rows"]


def test_a_listener_that_fails_does_not_stop_the_work():
    heard = []

    def broken(what, seconds):
        raise RuntimeError("a closed window")

    stops = [firstrun.listen(broken), firstrun.listen(lambda what, seconds: heard.append(seconds))]
    try:
        with firstrun.building("Building something (once)…"):
            pass
    finally:
        for stop in stops:
            stop()
    assert heard[0] is None and heard[1] >= 0
    with firstrun.building("unheard"):
        pass
    assert len(heard) == 2


# --- the bundled text's places --------------------------------------------------------------


@pytest.fixture
def fresh_places(tmp_path, monkeypatch):
    """An empty places cache; the builder's calls counted."""
    from mapviewer.core import atlas as atlas_module

    monkeypatch.setattr(atlascache, "cache_dir", lambda: tmp_path / "cache")
    builds = []
    real = atlas_module.build_atlas

    def counting(documents, **kw):
        builds.append(len(documents))
        return real(documents, **kw)

    monkeypatch.setattr(atlas_module, "build_atlas", counting)
    return builds, CorrectionStore(tmp_path / "corrections.json")


def test_a_bundled_text_opened_first_reads_its_shipped_places(fresh_places):
    builds, store = fresh_places
    doc = BUNDLED[0]
    atlas, keep = atlascache.open_or_build([doc], store)
    assert builds == [] and keep is not None
    gwadar = next(p for p in atlas.places if p.name == "Gwadar Port")
    assert gwadar.geometry.x == pytest.approx(62.33, abs=0.1) and gwadar.geometry.y == pytest.approx(25.1, abs=0.1)
    assert any("reaffirmed" in r.text for r in atlas.readings.values())  # the sentences put back from the text
    keep()
    again, keep_again = atlascache.open_or_build([doc], store)
    assert keep_again is None and builds == [] and _places(again) == _places(atlas)


@pytest.mark.parametrize("spoil", ["stale", "corrected", "another text", "switched off"])
def test_shipped_places_are_used_only_when_they_fit(fresh_places, monkeypatch, spoil):
    builds, store = fresh_places
    doc = BUNDLED[0]
    if spoil == "stale":
        key = atlascache.shipped_key
        monkeypatch.setattr(atlascache, "shipped_key", lambda documents: {**key(documents), "geonames": "other"})
    elif spoil == "corrected":
        place = next(p for p in atlascache.open_or_build([doc], CorrectionStore(store.path.with_name("x.json")))[0].places
                     if p.name == "Gwadar Port")
        store.set(doc.sha256, place.correction_key or place.id, Coordinates(62.4, 25.2))
    elif spoil == "another text":
        doc = read_document(ROOT / "tests/data/labelled/bangladesh_padma.txt")
    else:
        monkeypatch.setenv("MAPVIEWER_PREBUILT", "0")
    builds.clear()
    atlas, _keep = atlascache.open_or_build([doc], store)
    assert builds == [1] and atlas.places


def test_the_places_unpickler_takes_the_cores_records_and_nothing_else(tmp_path):
    import pickle

    class Boom:
        def __reduce__(self):
            return (Path.touch, (tmp_path / "ran",))

    with pytest.raises(pickle.UnpicklingError):
        prebuilt.app_loads(pickle.dumps([Boom()]))
    with pytest.raises(pickle.UnpicklingError):
        prebuilt.app_loads(pickle.dumps(atlascache.open_or_build))  # a function of the core
    assert not (tmp_path / "ran").exists()
    doc = BUNDLED[0]
    data = prebuilt.load(atlascache.shipped_name([doc]), atlascache.shipped_key([doc]))
    assert type(prebuilt.app_loads(data)).__name__ == "Atlas"
