"""Names with more than one place: chosen by what the document is about, alternatives kept."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.core.geometry import distance_km


@pytest.fixture
def atlas(tmp_path):
    store = CorrectionStore(tmp_path / "c.json")
    return lambda text: build_atlas([Document("t", text)], corrections=store)


def _place(atlas, name):
    from mapviewer.core.gazetteer import normalize

    return next(p for p in atlas.places if normalize(p.name).startswith(normalize(name)))


def test_hyderabad_in_a_pakistan_text_is_in_sindh(atlas):
    a = atlas("Pakistan will upgrade the line between Karachi and Hyderabad.")
    hyd = _place(a, "Hyderabad")
    assert hyd.country == "PK" and distance_km((hyd.geometry.x, hyd.geometry.y), (68.37, 25.39)) < 10
    assert [x.country for x in hyd.alternatives] == ["IN"]
    assert "PK" in (hyd.chosen_because or "")


def test_hyderabad_in_an_india_text_is_in_telangana(atlas):
    a = atlas("India opened a new metro line in Hyderabad, the capital of Telangana.")
    hyd = _place(a, "Hyderabad")
    assert hyd.country == "IN" and distance_km((hyd.geometry.x, hyd.geometry.y), (78.47, 17.38)) < 20
    assert any(x.id == "hyderabad-pakistan" for x in hyd.alternatives)


def test_every_mention_of_a_name_gets_the_same_place(atlas):
    a = atlas("Hyderabad grew. Pakistan said Hyderabad would get a new station. Hyderabad again.")
    (hyd,) = [p for p in a.places if p.name == "Hyderabad"]
    assert len(hyd.refs) == 3


def test_raikot_on_the_karakoram_highway_even_when_india_is_named(atlas):
    a = atlas("India protested, but work on the Karakoram Highway went on near Raikot and Chilas.")
    raikot = _place(a, "Raikot")
    assert distance_km((raikot.geometry.x, raikot.geometry.y), (74.59, 35.49)) < 5  # Raikot Bridge, not Punjab
    assert any(x.country == "IN" for x in raikot.alternatives)
    assert "route" in raikot.chosen_because


def test_raikot_in_indian_punjab_when_the_text_is_about_it(atlas):
    a = atlas("Raikot is a town in Ludhiana district, Punjab, India.")
    raikot = _place(a, "Raikot")
    assert raikot.country == "IN" and distance_km((raikot.geometry.x, raikot.geometry.y), (75.6, 30.65)) < 20


def test_corridor_with_an_ambiguous_end_follows_the_route(atlas):
    a = atlas("The realignment of the Raikot–Thakot section of the Karakoram Highway was agreed.")
    section = next(p for p in a.places if p.shape == "line")
    assert section.precision == "exact" and section.id.startswith("karakoram-highway:")
    assert any(x.country == "IN" for x in section.alternatives)  # the other Raikot is still offered


def test_candidates_list_the_choice_first(atlas):
    a = atlas("Pakistan and Hyderabad.")
    hyd = _place(a, "Hyderabad")
    cands = a.candidates(hyd.id)
    assert cands[0].id == hyd.id and {c.country for c in cands} == {"PK", "IN"}
    assert all(c.lon is not None and c.source for c in cands)


def test_no_context_prefers_the_curated_place(atlas):
    hyd = _place(atlas("Hyderabad."), "Hyderabad")
    assert hyd.id == "hyderabad-pakistan" and hyd.alternatives
