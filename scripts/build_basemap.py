#!/usr/bin/env python3
"""Derive the offline basemap from Natural Earth, via the npm package world-atlas.

    python scripts/build_basemap.py            # fetches world-atlas with npm pack
    python scripts/build_basemap.py --from DIR # an unpacked world-atlas package

Writes data/naturalearth/countries.geojson: 1:10m outlines where our
declarations are (so the Gwadar peninsula is land), 1:50m elsewhere,
simplified and rounded so the page stays small.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import make_valid

VERSION = "2.0.2"
REGION = box(25, -15, 150, 60)  # Middle East, South, Central and East Asia
TOLERANCE = {"10m": 0.005, "50m": 0.02}
OUT = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "countries.geojson"


def fetch_package(workdir: Path) -> Path:
    """Unpack world-atlas from the npm registry into ``workdir``."""
    subprocess.run(["npm", "pack", f"world-atlas@{VERSION}", "--silent"], cwd=workdir, check=True, capture_output=True)
    with tarfile.open(workdir / f"world-atlas-{VERSION}.tgz") as tgz:
        tgz.extractall(workdir, filter="data")
    return workdir / "package"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised and delta-encoded: undo both."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """Join arcs into a ring; a negative index ~i means arc i reversed."""
    coords: list[tuple[float, float]] = []
    for i in indexes:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(part if not coords else part[1:])
    return coords


def geometries(topo: dict) -> dict[str, tuple[str, object]]:
    """id -> (name, shapely geometry) for each country of the topology."""
    arcs = decode_arcs(topo)
    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g.get("arcs", [])
        if g["type"] == "Polygon":
            polys = [polys]
        elif g["type"] != "MultiPolygon":
            continue
        rings = [[ring(r, arcs) for r in p] for p in polys]
        parts = [Polygon(p[0], [h for h in p[1:] if len(h) >= 4]) for p in rings if len(p[0]) >= 4]
        out[str(g.get("id", g["properties"]["name"]))] = (g["properties"]["name"], MultiPolygon(parts))
    return out


def clean(geom, tolerance: float):
    """Simplify, repair, round to ~100 m and orient rings counter-clockwise."""
    geom = make_valid(geom.simplify(tolerance, preserve_topology=True))
    polys = [p for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon)]
    polys += [q for p in getattr(geom, "geoms", []) if isinstance(p, MultiPolygon) for q in p.geoms]
    rounded = []
    for p in polys:
        p = Polygon([(round(x, 3), round(y, 3)) for x, y in p.exterior.coords],
                    [[(round(x, 3), round(y, 3)) for x, y in r.coords] for r in p.interiors])
        if p.is_valid and p.area > 0:
            rounded.append(orient(p, 1.0))
    return rounded[0] if len(rounded) == 1 else MultiPolygon(rounded)


def build(package: Path) -> dict:
    fine = geometries(json.loads((package / "countries-10m.json").read_text()))
    coarse = geometries(json.loads((package / "countries-50m.json").read_text()))
    features = []
    for cid, (name, geom) in sorted(fine.items()):
        scale = "10m" if geom.intersects(REGION) or cid not in coarse else "50m"
        source = geom if scale == "10m" else coarse[cid][1]
        features.append({"type": "Feature", "id": cid, "properties": {"name": name, "scale": scale},
                         "geometry": mapping(clean(source, TOLERANCE[scale]))})
    return {"type": "FeatureCollection",
            "source": f"Natural Earth admin-0 countries (public domain) via npm world-atlas {VERSION}; "
                      "1:10m within lon 25..150, lat -15..60, else 1:50m; simplified, rounded to 0.001 degree",
            "features": features}


def check(collection: dict) -> list[str]:
    """The facts the app relies on: Gwadar Port on land, the Arabian Sea not."""
    by_id = {f["id"]: shape(f["geometry"]) for f in collection["features"]}
    problems = []
    if not by_id.get("586", Polygon()).contains(Point(62.3396, 25.1105)):
        problems.append("Gwadar Port (62.34E 25.11N) is not inside Pakistan")
    if any(g.contains(Point(63.0, 24.5)) for g in by_id.values()):
        problems.append("the Arabian Sea (63E 24.5N) falls inside a country")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="package", type=Path, help="an unpacked world-atlas package folder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch_package(Path(tmp))
        collection = build(package)
    problems = check(collection)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} countries, {args.out.stat().st_size / 1e6:.2f} MB")
    for p in problems:
        print(f"check failed: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
