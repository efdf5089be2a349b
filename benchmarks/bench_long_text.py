"""Long documents: ``mapviewer export BIG.txt --geojson OUT`` on texts of growing size, and a PDF with photographs.

    python benchmarks/bench_long_text.py                 # 5 and 50 MB (~3 min on 2 cores)
    python benchmarks/bench_long_text.py --mb 5 10 --json

Each text is the seed and the labelled texts (tests/data/labelled) over and
over, so it has places, pledges, talk and names no gazetteer knows all
along.  Each export is a whole process timed from outside, with the places
cache of a fresh folder (what a text opened for the first time costs; the
GeoNames index is built beforehand, once, as after any first start), and
its peak memory is the process's maximum resident set.  Run twice per size
is the second run, with the places cached.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_text(path: Path, megabytes: float) -> Path:
    texts = [next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/labelled").glob("*.txt"))]
    base = "\n\n".join(texts) + "\n\n"
    path.write_text(base * (int(megabytes * 1_000_000 / len(base.encode())) + 1), encoding="utf-8")
    return path


def export(text: Path, out: Path, env: dict[str, str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mapviewer", "export", str(text), "--geojson", str(out)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "exit": done.returncode, "wall_s": round(wall, 1), "cpu_s": round(after.ru_utime - before.ru_utime, 1),
        "max_rss_mb": round(after.ru_maxrss / 1024),  # the largest child so far: runs go smallest first
        "out_mb": round(out.stat().st_size / 1e6, 1) if out.exists() else None,
        "stderr": done.stderr.strip()[-300:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[5, 50])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mapviewer-long-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, MAPVIEWER_HOME=str(folder / "home"), QT_QPA_PLATFORM="offscreen")
        seed = next((ROOT / "seeds").glob("*.txt"))
        subprocess.run([sys.executable, "-m", "mapviewer", "export", str(seed), "--geojson", str(folder / "warm.geojson")],
                       env=env, check=True, capture_output=True)  # the per-machine GeoNames index, once
        for mb in sorted(args.mb):
            text = make_text(folder / f"long-{mb:g}MB.txt", mb)
            first = export(text, folder / "out.geojson", env)
            again = export(text, folder / "out.geojson", env)
            rows.append({"megabytes": round(text.stat().st_size / 1e6, 1), "first": first, "cached": again})
            text.unlink()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for row in rows:
        f, c = row["first"], row["cached"]
        print(f"{row['megabytes']:6.1f} MB: first {f['wall_s']} s ({f['cpu_s']} s CPU, {f['max_rss_mb']} MB at most, "
              f"exit {f['exit']}, GeoJSON {f['out_mb']} MB); places cached {c['wall_s']} s ({c['cpu_s']} s CPU)")
        for run in (f, c):
            if run["exit"]:
                print("   ", run["stderr"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
