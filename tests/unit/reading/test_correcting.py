"""Corrections from the reading layer: one place in every document naming it, undone, or a name placed."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.reading.corrections import Coordinates, NotAPlace, correct_place, parse_coordinates, place_unmapped, undo_correction

TEXT = "Pakistan will expand Gwadar Port. The Zorvakand Dry Port will open soon."


@pytest.mark.parametrize("text, want", [("25.12, 62.33", (62.33, 25.12)), ("25.12 62.33", (62.33, 25.12)),
                                        ("-33.9;18.4", (18.4, -33.9)), (" +1 , -2 ", (-2.0, 1.0))])
def test_coordinates_as_maps_print_them(text, want):
    parsed = parse_coordinates(text)
    assert (parsed.lon, parsed.lat) == want


@pytest.mark.parametrize("text", ["", "north", "25.1", "91, 0", "0, 181", "1, 2, 3", "1e400, 0"])
def test_anything_else_is_not_a_position(text):
    assert parse_coordinates(text) is None


def test_a_correction_applies_in_every_document_and_can_be_undone(tmp_path):
    store = CorrectionStore(tmp_path / "c.json")
    docs = [Document("a.txt", TEXT), Document("b.txt", "Gwadar Port is deep.")]
    atlas = build_atlas(docs, corrections=store)
    shas = correct_place(store, atlas, "gwadar-port", NotAPlace())
    assert shas == sorted(d.sha256 for d in docs)
    again = build_atlas(docs, corrections=store)
    assert again.place("gwadar-port") is None
    restored = build_atlas(docs, corrections=store)
    assert not undo_correction(store, restored, "pakistan")  # nothing to undo
    correct_place(store, restored, "pakistan", Coordinates(70.0, 30.0))
    moved = build_atlas(docs, corrections=store)
    assert undo_correction(store, moved, "pakistan")
    assert build_atlas(docs, corrections=store).place("pakistan").origin != "user"


def test_a_name_no_gazetteer_knows_is_placed_by_hand(tmp_path):
    store = CorrectionStore(tmp_path / "c.json")
    atlas = build_atlas([Document("a.txt", TEXT)], corrections=store)
    assert [u.surface for u in atlas.unmapped] == ["Zorvakand Dry Port"]
    assert not place_unmapped(store, atlas, "Nowhere", Coordinates(1, 2))
    assert place_unmapped(store, atlas, "Zorvakand Dry Port", Coordinates(63.1, 25.4))
    place = next(p for p in build_atlas([Document("a.txt", TEXT)], corrections=store).places if p.name == "Zorvakand Dry Port")
    assert (place.geometry.x, place.geometry.y) == (63.1, 25.4) and place.origin == "user"
