"""Country outlines: one country parsed from the file's text is the country the whole file gives."""
from __future__ import annotations

import pytest

from mapviewer.core import naturalearth


@pytest.mark.parametrize("country_id", ["586", "156", "004", "840"])  # Pakistan, China, Afghanistan, USA
def test_one_country_parsed_alone_is_the_same_outline(country_id):
    whole = next(f for f in naturalearth.countries_geojson()["features"] if f["id"] == country_id)
    alone = naturalearth._feature_in_text(country_id)
    assert alone == whole
    assert naturalearth.outline(country_id).equals(naturalearth.shape(whole["geometry"]))


def test_an_unknown_id_has_no_outline():
    assert naturalearth._feature_in_text("999") is None
    assert naturalearth.outline("999") is None


def test_another_layout_falls_back_to_the_whole_file(monkeypatch):
    naturalearth.outline.cache_clear()
    monkeypatch.setattr(naturalearth, "_countries_text", lambda: '{"type":"FeatureCollection","features":[]}')
    pakistan = naturalearth.outline("586")  # not found in the text: the parsed file has it
    naturalearth.outline.cache_clear()
    assert pakistan is not None and pakistan.contains(naturalearth.shape({"type": "Point", "coordinates": [70.0, 30.0]}))
