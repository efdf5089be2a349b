#!/usr/bin/env python3
"""Derive the offline basemap from Natural Earth, via the npm package world-atlas.

    python scripts/build_basemap.py            # fetches world-atlas with npm pack
    python scripts/build_basemap.py --from DIR # an unpacked world-atlas package

Writes data/naturalearth/countries.geojson: 1:10m outlines where our
declarations are (so the Gwadar peninsula is land), 1:50m elsewhere,
simplified and rounded so the page stays small (under 2 MB); and
countries-overview.geojson: every country from 1:50m, generalised for the
small scales (zoom 5 and less, where a pixel is some 0.04 degree), which
the page draws until the reader zooms in.
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from functools import reduce
from pathlib import Path

import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

VERSION = "2.0.2"
REGION = box(25, -15, 150, 60)  # Middle East, South, Central and East Asia
TOLERANCE = {"10m": 0.008, "50m": 0.02}  # degrees; 0.005 gives 2.3 MB, 0.008 keeps it under 2
GRID = 0.001  # round to 3 decimals, ~100 m
OUT = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "countries.geojson"
OVERVIEW = OUT.with_name("countries-overview.geojson")
OVERVIEW_TOLERANCE, OVERVIEW_GRID = 0.04, 0.01  # about one pixel at zoom 5
# (label, lon, lat, id of the only country that may contain it, or None for open sea)
CHECKS = [("Gwadar Port", 62.33, 25.12, "586"), ("Gwadar quay", 62.3396, 25.1105, "586"),
          ("Arabian Sea", 63.0, 24.5, None),
          ("Nunavut", -100.0, 66.0, "124"), ("Chukotka", 175.0, 67.0, "643"),  # antimeridian handled
          ("Norwegian Sea", 0.0, 66.0, None), ("inland Antarctica", -100.0, -85.0, "010")]
REPORT = ["586", "156", "158", "344", "004", "356"]  # Pakistan, China, Taiwan, Hong Kong, Afghanistan, India


def fetch_package(workdir: Path) -> Path:
    """Unpack world-atlas from the npm registry into ``workdir``; the pin makes builds repeatable."""
    subprocess.run(["npm", "pack", f"world-atlas@{VERSION}", "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(workdir / f"world-atlas-{VERSION}.tgz") as tgz:
        tgz.extractall(workdir, filter="data")  # refuse absolute paths and links out of workdir
    return workdir / "package"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised integers, delta-encoded along each arc: undo both."""
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
    """Join arcs into a ring; arcs are shared by neighbours, so index ~i means arc i reversed."""
    coords: list[tuple[float, float]] = []
    for i in indexes:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(part if not coords else part[1:])  # consecutive arcs share an end point
    return coords


def planar(coords: list[tuple[float, float]]) -> BaseGeometry:
    """A spherical ring as a planar area within lon -180..180.

    world-atlas keeps rings whole across the antimeridian (Russia, Fiji) and round the
    South Pole (Antarctica); read as planar they would sweep across the whole map.
    So: unwrap the longitudes, close a pole-encircling ring through the pole, and cut
    the result into lon windows of 360 degrees shifted back onto -180..180.
    """
    pts = [coords[0]]
    for x, y in coords[1:]:
        pts.append((x + 360 * round((pts[-1][0] - x) / 360), y))
    if abs(pts[-1][0] - pts[0][0]) > 180:  # went once round a pole
        pole = -90 if sum(y for _, y in pts) < 0 else 90
        pts += [(pts[-1][0], pole), (pts[0][0], pole)]
    area = shapely.make_valid(Polygon(pts), method="structure", keep_collapsed=False)
    if -180 <= area.bounds[0] and area.bounds[2] <= 180:
        return area
    return shapely.union_all([translate(area & box(360 * k - 180, -90, 360 * k + 180, 90), -360 * k) for k in (-1, 0, 1)])


def countries(topo: dict) -> dict[str, tuple[str | None, str, BaseGeometry]]:
    """key -> (id, name, geometry) for the 'countries' GeometryCollection of a topology.

    The key is the id, or the name where world-atlas has no id (Kosovo, Somaliland, ...).
    Pieces sharing an id (Australia and Ashmore and Cartier Is. are both 036) become one
    country named after its largest piece, so a lookup by id finds the whole of it.
    """
    arcs = decode_arcs(topo)
    pieces: dict[str, list[tuple[str | None, str, BaseGeometry]]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        # a polygon is its exterior minus its holes; as XOR this also holds for 50m
        # Antarctica, whose "exterior" circles the pole at -89.999 and "hole" is the coast
        rings = [[c for r in p if len(c := ring(r, arcs)) >= 4] for p in polys]  # drop degenerate rings
        areas = [reduce(shapely.symmetric_difference, map(planar, p)) for p in rings if p]
        name = g["properties"]["name"]
        pieces.setdefault(g.get("id", name), []).append((g.get("id"), name, shapely.union_all(areas)))
    out = {}
    for key, parts in pieces.items():
        cid, name, _ = max(parts, key=lambda p: p[2].area)
        out[key] = (cid, name, shapely.union_all([p[2] for p in parts]))
    return out


def clean(geom: BaseGeometry, tolerance: float, grid: float = GRID) -> BaseGeometry:
    """Simplify, snap to the grid (which keeps it valid), orient rings counter-clockwise."""
    geom = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), grid)
    geom = shapely.transform(geom, lambda xy: xy.round(round(-math.log10(grid))))  # on-grid already; short decimals
    polys = [orient(p, 1.0) for p in shapely.get_parts(geom) if not p.is_empty]  # RFC 7946 right-hand rule
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


Countries = dict  # key -> (id, name, geometry), as countries() returns


def load(package: Path) -> tuple[Countries, Countries]:
    """The 1:10m and 1:50m countries of the package, read once for both outputs."""
    return tuple(countries(json.loads((package / f"countries-{scale}.json").read_text())) for scale in ("10m", "50m"))


def feature(cid: str | None, properties: dict, outline: BaseGeometry) -> dict:
    """A GeoJSON Feature; countries without an id in world-atlas (Kosovo, ...) get none."""
    out = {"type": "Feature", "id": cid, "properties": properties, "geometry": mapping(outline)}
    if cid is None:
        del out["id"]
    return out


def build(fine: Countries, coarse: Countries) -> dict:
    """10m for countries whose outline meets REGION (or that 50m lacks), 50m for the rest.

    The outline, not its bounding box: boxes of countries across the antimeridian
    (USA, New Zealand, Fiji) span the globe and would pull them in at 10m for nothing.
    """
    features = []
    for key, (cid, name, geom) in sorted(fine.items()):
        scale = "10m" if geom.intersects(REGION) or key not in coarse else "50m"
        source = geom if scale == "10m" else coarse[key][2]
        features.append(feature(cid, {"name": name, "scale": scale}, clean(source, TOLERANCE[scale])))
    return {"type": "FeatureCollection",
            "source": f"Natural Earth admin-0 countries (public domain) via npm world-atlas {VERSION} (ISC); "
                      f"1:10m within lon 25..150, lat -15..60, else 1:50m; cut at the antimeridian, simplified "
                      f"{TOLERANCE['10m']}/{TOLERANCE['50m']} degree, rounded to 0.001 degree; "
                      "regenerate with scripts/build_basemap.py",
            "features": features}


def build_overview(fine: Countries, coarse: Countries) -> dict:
    """Every country at 1:50m (1:10m where 50m lacks it), generalised for small scales."""
    features = []
    for key, (cid, name, geom) in sorted(fine.items()):
        source = coarse[key][2] if key in coarse else geom
        outline = clean(source, OVERVIEW_TOLERANCE, OVERVIEW_GRID)
        if not outline.is_empty:  # else smaller than the grid: invisible at these scales
            features.append(feature(cid, {"name": name}, outline))
    return {"type": "FeatureCollection",
            "source": f"Natural Earth admin-0 countries (public domain) via npm world-atlas {VERSION} (ISC); "
                      f"1:50m, simplified {OVERVIEW_TOLERANCE} degree, rounded to {OVERVIEW_GRID} degree, for zoom 5 "
                      "and less; regenerate with scripts/build_basemap.py",
            "features": features}


def check(path: Path) -> bool:
    """Read the written file back and test the facts the app relies on."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    shapes = [(f.get("id"), f["properties"]["name"], shape(f["geometry"])) for f in features]
    print(f"{path}: {len(features)} features, {path.stat().st_size:,} bytes")
    for cid in REPORT:
        print(f"  id {cid}:", [(f["properties"]["name"], f["properties"]["scale"]) for f in features if f.get("id") == cid])
    ok = True
    for label, lon, lat, want in CHECKS:
        inside = [(i, n) for i, n, g in shapes if g.contains(Point(lon, lat))]
        good = [i for i, _ in inside] == ([want] if want else [])
        print(f"  {'PASS' if good else 'FAIL'}: {label} ({lon}, {lat}) lies in {inside or 'no country'}")
        ok &= good
    size_ok = path.stat().st_size < 2_000_000
    print(f"  {'PASS' if size_ok else 'FAIL'}: size under 2 MB")
    return ok and size_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="package", type=Path, help="an unpacked world-atlas package folder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fine, coarse = load(args.package or fetch_package(Path(tmp)))
    collection, overview = build(fine, coarse), build_overview(fine, coarse)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    small = args.out.with_name(OVERVIEW.name)
    small.write_text(json.dumps(overview, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"{small}: {len(overview['features'])} features, {small.stat().st_size:,} bytes")
    return 0 if check(args.out) else 1


if __name__ == "__main__":
    sys.exit(main())
