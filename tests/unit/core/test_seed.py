"""The Feb 2025 Pakistan–China declaration: every place found, nothing invented."""
from __future__ import annotations

from mapviewer.core.geometry import distance_km

EXPECTED = {
    # name as the declaration writes it: (kind, shape)
    "Gwadar Port": ("port", "point"),
    "New Gwadar International Airport": ("airport", "point"),
    "ML-1 railway": ("railway", "line"),
    "Karakoram Highway (Raikot-Thakot)": ("highway", "line"),
    "Beijing": ("city", "point"),
    "Great Hall of the People": ("building", "point"),
    "Islamabad": ("city", "point"),
    "Xinjiang": ("region", "area"),
    "Xizang": ("region", "area"),
    "Taiwan": ("territory", "area"),
    "Hong Kong": ("territory", "area"),
    "South China Sea": ("sea", "area"),
    "Jammu and Kashmir": ("region", "area"),
    "Afghanistan": ("country", "area"),
    "Pakistan": ("country", "area"),
    "China": ("country", "area"),
    "South Asia": ("region", "area"),  # "a peaceful and stable South Asia": a macro-region, approximate
}

# Published positions (Wikipedia infoboxes / GeoNames), written here by hand
# so the test does not read them from the file it checks.
REFERENCE = {
    "Gwadar Port": (62.3397, 25.1106),
    "New Gwadar International Airport": (62.5008, 25.2975),
    "Beijing": (116.3972, 39.9075),
    "Islamabad": (73.0479, 33.7215),
    "Great Hall of the People": (116.3875, 39.9033),
}


def test_every_place_is_found_and_nothing_else(seed_atlas):
    found = {p.name: (p.kind, p.shape) for p in seed_atlas.places}
    assert found == EXPECTED


def test_points_are_where_the_sources_put_them(seed_atlas):
    for name, ref in REFERENCE.items():
        place = next(p for p in seed_atlas.places if p.name == name)
        assert distance_km((place.geometry.x, place.geometry.y), ref) < 3, name


def test_ml1_runs_karachi_to_peshawar_with_its_length(seed_atlas):
    ml1 = next(p for p in seed_atlas.places if p.name == "ML-1 railway")
    coords = list(ml1.geometry.coords)
    assert distance_km(coords[0], (67.01, 24.86)) < 10  # Karachi
    assert distance_km(coords[-1], (71.57, 34.01)) < 10  # Peshawar
    for town in [(68.37, 25.39), (68.90, 27.69), (71.47, 30.20), (74.34, 31.55), (73.05, 33.60)]:
        assert min(distance_km(c, town) for c in coords) < 10  # Hyderabad, Rohri, Multan, Lahore, Rawalpindi
    # The track is 1,726 km; straight lines between 36 stations cut ~7 % of it.
    assert 1550 < ml1.length_km < 1800
    assert ml1.length_km == round(ml1.length_km, 1)


def test_kkh_realignment_runs_from_raikot_to_thakot_along_the_indus(seed_atlas):
    kkh = next(p for p in seed_atlas.places if p.kind == "highway")
    coords = list(kkh.geometry.coords)
    assert distance_km(coords[0], (74.592, 35.493)) < 3  # Raikot Bridge, named first
    assert distance_km(coords[-1], (72.917, 34.75)) < 3  # Thakot
    assert len(coords) >= 4  # through Chilas and the Indus dam sites, not a straight line
    assert 190 < kkh.length_km < 320
    assert kkh.precision == "exact"


def test_sentences_of_a_place_are_the_ones_naming_it(seed_atlas):
    doc = seed_atlas.documents[0]
    for place in seed_atlas.places:
        for ref in place.refs:
            m = ref.mention
            assert doc.text[m.start : m.end] == m.surface
            s = doc.sentences[m.sentence]
            assert s.start <= m.start < m.end <= s.end
    kashmir = next(p for p in seed_atlas.places if p.name == "Jammu and Kashmir")
    (key,) = kashmir.sentence_keys()
    assert "Jammu and Kashmir dispute should be resolved" in seed_atlas.sentence(*key).text


def test_areas_do_not_hide_what_they_contain(seed_atlas):
    # Areas are their outlines; points and lines stay points and lines.
    areas = {p.name: p for p in seed_atlas.places if p.shape == "area"}
    assert all(p.extent == "outline" and p.geometry.geom_type in ("Polygon", "MultiPolygon") for p in areas.values())
    assert all(p.precision == "area" for name, p in areas.items() if name != "South Asia")
    assert areas["South Asia"].precision == "approximate"  # a union of countries by one definition among several
    assert all(p.geometry.geom_type == "Point" for p in seed_atlas.places if p.shape == "point")
