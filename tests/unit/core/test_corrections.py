"""The user's corrections: typed, saved atomically per document, applied on the next build and in exports."""
from __future__ import annotations

import json
import subprocess
import sys

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import Choose, Coordinates, CorrectionStore, NotAPlace, from_json, to_json
from mapviewer.core.document import Document
from mapviewer.core.geojson import atlas_to_geojson
from mapviewer.reading.corrections import correct_place

TEXT = "Hyderabad is linked to Karachi. The Hall of Fame in Lahore opened."


def _store(tmp_path):
    return CorrectionStore(tmp_path / "corrections.json")


def test_choose_another_candidate_survives_a_restart(tmp_path):
    doc = Document("t", TEXT)
    atlas = build_atlas([doc], corrections=_store(tmp_path))
    hyd = atlas.place("hyderabad-pakistan")
    other = next(a for a in atlas.candidates(hyd.id) if a.country == "IN")
    correct_place(_store(tmp_path), atlas, hyd.id, Choose(other.id))
    # A new process reads the file: the choice holds, and the old one is offered back.
    code = (
        "from mapviewer.core.atlas import build_atlas; from mapviewer.core.document import Document;"
        "from mapviewer.core.corrections import CorrectionStore; import sys, pathlib;"
        f"a = build_atlas([Document('t', {TEXT!r})], corrections=CorrectionStore(pathlib.Path(sys.argv[1])));"
        "p = a.places[0]; print(p.id, p.country, p.chosen_because, [x.id for x in p.alternatives])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "corrections.json")], capture_output=True, text=True, check=True)
    pid, country, *rest = out.stdout.split()
    assert pid == other.id and country == "IN" and "hyderabad-pakistan" in out.stdout and "user" in out.stdout


def test_typed_coordinates_and_reject(tmp_path):
    doc = Document("t", TEXT)
    store = _store(tmp_path)
    atlas = build_atlas([doc], corrections=store)
    correct_place(store, atlas, "karachi", Coordinates(67.1, 24.9))
    correct_place(store, atlas, "lahore", NotAPlace())
    again = build_atlas([doc], corrections=_store(tmp_path))
    karachi = again.place("karachi")
    assert (karachi.geometry.x, karachi.geometry.y) == (67.1, 24.9)
    assert karachi.precision == "exact" and "user" in karachi.source and karachi.origin == "user"
    assert again.place("lahore") is None
    assert [(m.surface, type(c)) for _, m, c in again.rejected] == [("Lahore", NotAPlace)]


def test_corrections_are_keyed_by_content(tmp_path):
    store = _store(tmp_path)
    atlas = build_atlas([Document("a", TEXT)], corrections=store)
    correct_place(store, atlas, "lahore", NotAPlace())
    # Same text under another name: still corrected. Other text: untouched.
    assert build_atlas([Document("b.txt", TEXT)], corrections=_store(tmp_path)).place("lahore") is None
    assert build_atlas([Document("c", TEXT + " ")], corrections=_store(tmp_path)).place("lahore") is not None


def test_file_is_json_and_written_atomically(tmp_path):
    store = _store(tmp_path)
    store.set("abc", "karachi", Coordinates(1, 2))
    data = json.loads((tmp_path / "corrections.json").read_text(encoding="utf-8"))
    assert data["documents"]["abc"]["karachi"]["lon"] == 1.0
    assert not list(tmp_path.glob("*.part"))


def test_corrupt_file_is_set_aside_with_a_note(tmp_path):
    (tmp_path / "corrections.json").write_text("{oops", encoding="utf-8")
    store = _store(tmp_path)
    atlas = build_atlas([Document("t", TEXT)], corrections=store)
    assert atlas.place("lahore") is not None
    assert atlas.notes and "could not be read" in atlas.notes[0]
    assert list(tmp_path.glob("corrections.json.corrupt-*"))
    store.set("abc", "x", NotAPlace())
    assert json.loads((tmp_path / "corrections.json").read_text(encoding="utf-8"))["documents"]["abc"]


def test_bad_corrections_are_refused():
    import pytest

    for bad in ({"action": "move"}, {"action": "coords", "lon": 500, "lat": 0}, {"action": "choose"},
                {"action": "coords", "lon": "east"}, ["reject"]):
        with pytest.raises(ValueError):
            from_json(bad)
    with pytest.raises(ValueError):
        Coordinates(0, 91)


def test_the_file_form_reads_back_as_the_same_correction():
    for correction in (Choose("geonames:1", note="n"), Coordinates(67.1, 24.9, source="s", name="K"), NotAPlace()):
        assert from_json(to_json(correction)) == correction
    assert to_json(NotAPlace(saved="2026-01-01T00:00:00")) == {"action": "reject", "saved": "2026-01-01T00:00:00"}


def test_a_file_of_the_older_untyped_form_still_reads(tmp_path):
    (tmp_path / "corrections.json").write_text(json.dumps({"version": 1, "documents": {"abc": {
        "karachi": {"action": "coords", "lon": 67.1, "lat": 24.9, "saved": "2025-01-01T10:00:00"},
        "name:x": {"action": "reject"}}}}), encoding="utf-8")
    fixes = _store(tmp_path).for_document("abc")
    assert fixes["karachi"] == Coordinates(67.1, 24.9, saved="2025-01-01T10:00:00")
    assert isinstance(fixes["name:x"], NotAPlace)


def test_default_store_is_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPVIEWER_HOME", str(tmp_path / "home"))
    store = CorrectionStore()
    assert store.path == tmp_path / "home" / "data" / "corrections.json"


def test_exports_use_corrections(tmp_path):

    store = _store(tmp_path)
    doc = Document("t", TEXT)
    correct_place(store, build_atlas([doc], corrections=store), "karachi", Coordinates(67.1, 24.9))
    gj = atlas_to_geojson(build_atlas([doc], corrections=_store(tmp_path)))
    feature = next(f for f in gj["features"] if f["properties"]["id"] == "karachi")
    assert list(feature["geometry"]["coordinates"]) == [67.1, 24.9]
