"""Place finding on small texts with a small gazetteer made here."""
import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.geoparse import Matcher, find_corridors

GAZ = parse_gazetteer(
    {
        "places": [
            {"id": "gwadar", "name": "Gwadar", "kind": "city", "country": "PK", "aliases": ["Gawadar", "گوادر", "瓜达尔"],
             "point": [62.3225, 25.1216], "source": "test"},
            {"id": "gwadar-port", "name": "Gwadar Port", "kind": "port", "country": "PK", "point": [62.33, 25.11], "source": "test"},
            {"id": "ml1", "name": "ML-1 railway", "kind": "railway", "country": "PK", "aliases": ["ML-1", "Main Line 1"],
             "route": [{"name": "Karachi", "point": [67.0, 24.86], "source": "t"},
                       {"name": "Hyderabad", "point": [68.37, 25.39], "source": "t"},
                       {"name": "Multan", "point": [71.47, 30.2], "source": "t"}]},
            {"id": "pk", "name": "Pakistan", "kind": "country", "country": "PK", "demonyms": ["Pakistani"],
             "point": [69.3, 30.4], "area_km2": 881913, "source": "test"},
            {"id": "jk", "name": "Jammu and Kashmir", "kind": "region", "aliases": ["Kashmir"], "point": [75.0, 34.0],
             "area_km2": 222000, "source": "test"},
            {"id": "nice", "name": "Nice", "kind": "city", "country": "FR", "point": [7.26, 43.7], "source": "test"},
        ]
    }
)


def found(text):
    doc = Document("t", text)
    return [(m.place_id, m.surface) for m in Matcher(GAZ).find(doc)]


def test_longest_name_wins_and_offsets_are_exact():
    doc = Document("t", "Work at Gwadar Port began. Gwadar grew.")
    mentions = Matcher(GAZ).find(doc)
    assert [(m.place_id, m.surface) for m in mentions] == [("gwadar-port", "Gwadar Port"), ("gwadar", "Gwadar")]
    for m in mentions:
        assert doc.text[m.start : m.end] == m.surface
    assert [m.sentence for m in mentions] == [0, 1]


@pytest.mark.parametrize("text", ["Gawadar is a port.", "بندرگاہ گوادر ہے۔", "中巴经济走廊的瓜达尔港。", "GWADAR is a port.", "Gwādar is a port."])
def test_aliases_scripts_and_accents(text):
    assert [p for p, _ in found(text)] == ["gwadar"]


def test_hyphen_space_and_ampersand_variants():
    assert found("The ML-1 and ML 1 and Main Line-1.") == [("ml1", "ML-1"), ("ml1", "ML 1"), ("ml1", "Main Line-1")]
    assert found("Jammu & Kashmir and Kashmir.") == [("jk", "Jammu & Kashmir"), ("jk", "Kashmir")]


def test_case_rules_keep_ordinary_words_out():
    assert found("It was a nice day.") == []
    assert found("Nice is in France.") == [("nice", "Nice")]
    assert found("the ml-1 lowercase is not the acronym") == []


def test_words_of_a_name_do_not_join_across_a_stop():
    assert found("We went to Gwadar. Port works were slow.") == [("gwadar", "Gwadar")]


def test_demonym_is_marked():
    doc = Document("t", "The Pakistani side agreed.")
    (m,) = Matcher(GAZ).find(doc)
    assert (m.place_id, m.via) == ("pk", "demonym")


def test_corridor_along_a_route_and_straight_fallback():
    atlas = build_atlas([Document("t", "The Karachi–Hyderabad section of ML-1. Then the road from Gwadar to Multan.")], GAZ)
    lines = {p.name: p for p in atlas.places if p.shape == "line"}
    section = lines["Karachi–Hyderabad section"]
    assert section.precision == "exact" and section.id.startswith("ml1:")
    assert list(section.geometry.coords) == [(67.0, 24.86), (68.37, 25.39)]
    assert 140 < section.length_km < 160
    straight = lines["road from Gwadar to Multan"]
    assert straight.precision == "approximate" and straight.id.startswith("corridor:")
    assert list(straight.geometry.coords) == [(62.3225, 25.1216), (71.47, 30.2)]


def test_route_with_bracketed_ends_becomes_one_section():
    doc = Document("t", "The upgrade of the ML-1 (Hyderabad-Multan) was agreed.")
    mentions = Matcher(GAZ).find(doc)
    (c,) = find_corridors(doc, mentions, GAZ)
    assert c.route_id == "ml1" and c.surface == "ML-1 (Hyderabad-Multan)"
    atlas = build_atlas([doc], GAZ)
    assert [p.name for p in atlas.places] == ["ML-1 (Hyderabad-Multan)"]


def test_and_does_not_make_a_corridor():
    atlas = build_atlas([Document("t", "Karachi and Multan agreed.")], GAZ)
    assert sorted(p.name for p in atlas.places) == ["Karachi", "Multan"]
    assert all(p.shape == "point" for p in atlas.places)
