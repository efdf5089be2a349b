"""The full gazetteer: GeoNames names, other spellings and scripts, and the traps that are not places."""
from __future__ import annotations

import time

import pytest

from mapviewer.core import geonames, prebuilt
from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import full_gazetteer
from mapviewer.core.geoparse import Matcher


@pytest.fixture(scope="module")
def gaz():
    return full_gazetteer()


def names(gaz, text):
    return [(m.surface, m.place_id) for m in Matcher(gaz).find(Document("t", text))]


def places(text, tmp_path):
    atlas = build_atlas([Document("t", text)], corrections=CorrectionStore(tmp_path / "c.json"))
    return [p.name for p in atlas.places]


def test_full_gazetteer_has_geonames_behind_the_curated(gaz):
    assert gaz.geonames is not None and len(gaz.geonames.rows) > 50_000
    assert gaz.lookup("Gwadar")[0].id == "gwadar"  # curated first
    assert gaz["geonames:1172451"].name == "Lahore" and "geonames:1172451" in gaz.shadowed
    assert gaz.lookup("Ludhiana")[0].origin == "geonames"


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Trade through Gawadar grew.", "Gawadar"),
        ("بندرگاہ گوادر ہے۔", "گوادر"),
        ("中巴经济走廊的瓜达尔。", "瓜达尔"),
        ("The mayor of Sukkur spoke.", "Sukkur"),
        ("Officials in Dera Ismail Khan agreed.", "Dera Ismail Khan"),
        ("Ships sail to Chittagong and Colombo.", "Chittagong"),
        ("Trains reach Ürümqi and Urumqi.", "Ürümqi"),
    ],
)
def test_aliases_scripts_and_geonames_towns(gaz, text, surface):
    assert surface in [s for s, _ in names(gaz, text)]


@pytest.mark.parametrize(
    "text",
    [
        "It is a matter Of course.",
        "Split the costs. Mobile phones. Reading the text. A Bath. Male and female. Nice work.",
        "President Asif Ali Zardari met President Xi Jinping and Premier Li Qiang.",
        "Chairman Zhao Leji spoke on Wednesday in the Hall.",
        "The Belt and Road Initiative and the Road and Belt Union.",
        "Victoria said the Union was strong.",
        "The Asian Winter Games opened. The UN Security Council met.",
    ],
)
def test_false_places_are_not_found(gaz, text):
    from mapviewer.core.geoparse import resolve

    assert [m.surface for m in resolve(Matcher(gaz).find(Document("t", text)), gaz)] == []


def test_a_macro_region_is_a_place(gaz):
    """South Asia is an area (its SAARC members' outlines), not a false place."""
    assert names(gaz, "a peaceful and stable South Asia") == [("South Asia", "macro:south-asia")]


def test_building_is_not_a_town(tmp_path):
    assert places("They met at the Great Hall of the People in Beijing.", tmp_path) == ["Great Hall of the People", "Beijing"]


def test_organisation_named_after_a_city_is_not_the_city(gaz):
    assert names(gaz, "The Shanghai Cooperation Organisation met.") == []
    assert names(gaz, "Shanghai Port is busy.") == [("Shanghai Port", "port:shanghai")]  # the port, not the city


def test_dashes_hyphens_and_to_make_corridors(tmp_path):
    text = ("The Karachi-Hyderabad section. The railway from Karachi to Peshawar. The road from Kashgar to Gwadar. "
            "The Multan–Sukkur motorway. Flights from Kashgar to Peshawar.")
    atlas = build_atlas([Document("t", text)], corrections=CorrectionStore(tmp_path / "c.json"))
    lines = {p.name: p for p in atlas.places if p.shape == "line"}
    assert lines["Karachi-Hyderabad section"].precision == "exact"
    assert lines["railway from Karachi to Peshawar"].precision == "exact"
    assert lines["road from Kashgar to Gwadar"].precision == "approximate"
    assert lines["Multan–Sukkur motorway"].kind == "highway"  # beside the ML-1 railway, not a section of it
    assert len(lines) == 4  # flights name two towns, not a line
    assert {"Kashgar", "Peshawar"} <= {p.name for p in atlas.places if p.shape == "point"}


def test_geonames_places_carry_source_and_precision(tmp_path):
    atlas = build_atlas([Document("t", "Ludhiana and Nepal.")], corrections=CorrectionStore(tmp_path / "c.json"))
    lud = atlas.place("geonames:1264728")
    assert lud.precision == "exact" and lud.source.startswith("GeoNames 1264728") and lud.origin == "geonames"
    nepal = next(p for p in atlas.places if p.name == "Nepal")
    assert nepal.precision == "area" and nepal.shape == "area"


def test_the_index_loads_fast(tmp_path, monkeypatch):
    """The shipped index (tests/unit/core/test_prebuilt.py), read as every start reads it."""
    key = geonames.prebuilt_key()
    assert geonames.SCHEMA and geonames._package_version() in geonames._cache_file(key).name
    start = time.perf_counter()
    index = geonames._from_pickle(prebuilt.raw(geonames.PREBUILT, key))
    assert time.perf_counter() - start < 1.0  # ~0.2 s on a laptop; generous for CI
    assert index.lookup("Hyderabad")


def test_alias_filter_keeps_names_not_codes():
    assert geonames.keep_alias("Gawadar", 70_000)
    assert geonames.keep_alias("گوادر", 70_000)
    assert not geonames.keep_alias("aisakaladesa-inagoradani", 70_000)
    assert not geonames.keep_alias("KHI", 70_000)
    assert not geonames.keep_alias("Xi", 70_000)
