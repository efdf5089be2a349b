"""Synthetic Atlases of any size, built directly (no text, no geoparsing).

80 % points, 10 % lines (3-6 vertices), 10 % small areas (16-gon, 0.1-0.5
degree radius), at random over Asia.  One Document holds one sentence per
place, so every place has exactly one mention with real offsets; every
second sentence is a pledge with a theme and actors, so the filters have
something to filter.  Deterministic for a given ``seed``.
"""
from __future__ import annotations

import random

from shapely.geometry import LineString, Point

from mapviewer.core.atlas import Atlas, Place, Ref
from mapviewer.core.document import Document, Sentence
from mapviewer.core.geoparse import Mention
from mapviewer.core.pledges import THEMES, Pledge

POINT_KINDS = ("city", "port", "airport", "town", "station")
LINE_KINDS = ("railway", "highway", "corridor")
AREA_KINDS = ("region", "province", "zone")
ACTORS = (("China",), ("Pakistan",), ("both",))


def make_atlas(n: int, seed: int = 1) -> Atlas:
    rng = random.Random(seed)
    themes = list(THEMES)
    parts: list[str] = []
    sentences: list[Sentence] = []
    places: list[Place] = []
    pledges: dict[tuple[int, int], Pledge] = {}
    pos = 0
    for i in range(n):
        r = rng.random()
        lon, lat = rng.uniform(60, 140), rng.uniform(5, 50)
        name = f"Place {i}"
        if r < 0.8:
            shape, kind = "point", POINT_KINDS[i % len(POINT_KINDS)]
            geom = Point(round(lon, 5), round(lat, 5))
        elif r < 0.9:
            shape, kind = "line", LINE_KINDS[i % len(LINE_KINDS)]
            pts = [(lon, lat)]
            for _ in range(rng.randint(2, 5)):
                lon, lat = lon + rng.uniform(-1, 1), lat + rng.uniform(-1, 1)
                pts.append((lon, lat))
            geom = LineString([(round(x, 5), round(y, 5)) for x, y in pts])
        else:
            shape, kind = "area", AREA_KINDS[i % len(AREA_KINDS)]
            geom = Point(lon, lat).buffer(rng.uniform(0.1, 0.5), quad_segs=4)
        theme = themes[i % len(themes)]
        text = f"Both sides agreed to develop {name} for {THEMES[theme].lower()}."
        start = pos + text.index(name)
        sentences.append(Sentence(i, pos, pos + len(text), text))
        parts.append(text)
        pos += len(text) + 1
        mention = Mention(f"p{i}", start, start + len(name), name, i, "name")
        places.append(Place(
            id=f"p{i}", name=name, kind=kind, shape=shape, geometry=geom,
            precision="area" if shape == "area" else ("exact" if i % 3 else "approximate"),
            source="synthetic", refs=[Ref(0, mention)],
            length_km=round(geom.length * 100, 1) if shape == "line" else None,
        ))
        if i % 2 == 0:
            pledges[(0, i)] = Pledge(i, text, (theme,), ACTORS[i % 3], "agreed", {"commitment": ["agreed"]})
    doc = Document(f"synthetic-{n}", " ".join(parts), sentences=sentences)
    return Atlas([doc], places, pledges)


if __name__ == "__main__":
    import sys
    import time

    t = time.perf_counter()
    a = make_atlas(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(len(a.places), len(a.pledges), f"{time.perf_counter() - t:.2f}s")
