"""Places in any Belt-and-Road text, class by class (issue 17), with the full gazetteer."""
from __future__ import annotations

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import CorrectionStore
from mapviewer.core.document import Document
from mapviewer.core.geometry import distance_km


@pytest.fixture
def atlas(tmp_path):
    def build(text: str):
        return build_atlas([Document("t", text)], corrections=CorrectionStore(tmp_path / "c.json"))

    return build


def _by_name(a):
    return {p.name: p for p in a.places}


def _near(place, lonlat, km):
    coords = list(place.geometry.coords) if place.shape == "line" else [(place.geometry.x, place.geometry.y)]
    return min(distance_km(c, lonlat) for c in coords) < km


# --- 1. infrastructure named by its ends, anywhere ----------------------------------------


def test_a_railway_named_by_its_ends_is_a_line_named_as_the_text_names_it(atlas):
    places = _by_name(atlas("The Abuja–Kaduna railway opened in 2016."))
    line = places["Abuja–Kaduna railway"]
    assert line.shape == "line" and line.kind == "railway" and line.precision == "approximate"
    assert _near(line, (7.49, 9.06), 5) and _near(line, (7.44, 10.52), 5)  # Abuja, Kaduna
    assert "only its named ends" in line.note
    assert set(places) == {"Abuja–Kaduna railway"}  # the towns are part of its name


def test_three_stops_and_the_nouns_that_make_a_line(atlas):
    places = _by_name(atlas("A Kunming–Vientiane–Bangkok rail link and the Lagos–Kano standard gauge line. "
                            "The A–B talks went well. The pipeline from Kashgar to Osh and the Colombo–Kandy expressway."))
    link = places["Kunming–Vientiane–Bangkok rail link"]
    assert len(link.geometry.coords) == 3 and link.kind == "railway"
    assert places["Lagos–Kano standard gauge line"].kind == "railway"
    assert places["pipeline from Kashgar to Osh"].kind == "pipeline"
    assert places["Colombo–Kandy expressway"].kind == "highway"
    assert {"Kashgar", "Osh"} <= set(places)  # named in prose, the towns are places too


def test_two_countries_make_a_line_only_with_a_line_noun(atlas):
    places = _by_name(atlas("Work on the Iran–Turkey pipeline resumed. The China–Pakistan Economic Corridor grew."))
    pipe = places["Iran–Turkey pipeline"]
    assert pipe.shape == "line" and pipe.kind == "pipeline" and pipe.precision == "approximate"
    assert {"China", "Pakistan"} <= set(places) and all(p.shape == "area" for n, p in places.items() if n in ("China", "Pakistan"))


def test_flights_between_two_cities_are_not_a_line(atlas):
    places = atlas("Flights from Nairobi to Mombasa doubled.").places
    assert sorted(p.name for p in places) == ["Mombasa", "Nairobi"] and all(p.shape == "point" for p in places)


def test_a_transmission_line_is_not_a_railway(atlas):
    places = _by_name(atlas("A new power line from Gilgit to Skardu. The Multan–Sukkur motorway."))
    assert places["power line from Gilgit to Skardu"].kind == "power line"
    assert places["Multan–Sukkur motorway"].kind == "highway"
