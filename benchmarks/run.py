"""Benchmarks of the map viewer: baseline, ours, ratio, as one table.

    python benchmarks/run.py [--runs N] [--quick] [--timeout S] [--only cold,export,first,scale,geoparse,interact]

Every figure is a ratio against a baseline measured in the same run
(timings on a shared machine are noisy), the median of several runs,
whole processes timed from outside (subprocess + perf_counter, up to the
line the program prints when it is ready, or to its exit).  Peak memory
is summed over the process tree (QtWebEngine's helpers included) by
sampling /proc.  Raw numbers go to benchmarks/results.json.  Nothing here
asserts a timing.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import proctree  # noqa: E402

PY = sys.executable


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    try:
        from PySide6 import __version__ as pyside
        from PySide6.QtCore import qVersion
        qt = qVersion()
    except ImportError:
        pyside = qt = "?"
    try:
        from PySide6.QtWebEngineCore import qWebEngineChromiumVersion
        chromium = qWebEngineChromiumVersion()
    except ImportError:
        chromium = "?"
    return {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "cpu": cpu,
            "ram_gb": round(mem / 1024 / 1024, 1), "python": platform.python_version(), "pyside6": pyside,
            "qt": qt, "chromium": chromium, "kernel": platform.release(),
            "load_avg": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M")}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def seed_page(folder: Path) -> Path:
    """The seed's map page with its places inline (``seed_page.py``), for the floor rows."""
    page = folder / "seed-page.html"
    r = proctree.run([PY, str(HERE / "seed_page.py"), str(page)], (), 120, memory=False)
    if not r.ok:
        raise SystemExit(f"seed_page.py failed: {r.error}")
    return page


def bench_cold(runs: int, timeout: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    base_cmd = [PY, str(HERE / "baseline.py"), "--size", "900x700"]
    floor_cmd = [*base_cmd, "--page", str(seed_page(folder))]
    ours_cmd = [PY, str(HERE / "probe.py")]
    proctree.run(base_cmd, ("PAINTED",), timeout)  # warm the page cache, not counted
    proctree.run(ours_cmd, ("READY",), timeout)
    base, floor, ours, fresh = [], [], [], []
    no_cache = {**os.environ, "MAPVIEWER_ATLAS_CACHE": "0"}  # a text never opened before: places found afresh
    for i in range(runs):
        b = proctree.run(base_cmd, ("PAINTED",), timeout)
        fl = proctree.run(floor_cmd, ("PAINTED",), timeout)
        o = proctree.run(ours_cmd, ("READY",), timeout)
        f = proctree.run(ours_cmd, ("READY",), timeout, env=no_cache)
        base.append(b)
        floor.append(fl)
        ours.append(o)
        fresh.append(f)
        log(f"cold {i + 1}/{runs}: bare {b.marks.get('PAINTED')} page alone {fl.marks.get('PAINTED')} "
            f"ours {o.marks.get('READY')} fresh {f.marks.get('READY')} {o.error}")
    _remove(folder)
    return {
        "floor_s": med([r.marks.get("PAINTED") for r in floor]), "floor_all": [r.marks.get("PAINTED") for r in floor],
        "fresh_s": med([r.marks.get("READY") for r in fresh]), "fresh_all": [r.marks.get("READY") for r in fresh],
        "baseline_s": med([r.marks.get("PAINTED") for r in base]),
        "ours_s": med([r.marks.get("READY") for r in ours]),
        "baseline_all": [r.marks.get("PAINTED") for r in base], "ours_all": [r.marks.get("READY") for r in ours],
        "baseline_pss_mb": med([r.peak_pss_mb for r in base]), "ours_pss_mb": med([r.peak_pss_mb for r in ours]),
        "baseline_rss_mb": med([r.peak_rss_mb for r in base]), "ours_rss_mb": med([r.peak_rss_mb for r in ours]),
        "baseline_procs": max(r.max_procs for r in base), "ours_procs": max(r.max_procs for r in ours),
        "errors": [r.error for r in base + floor + ours if r.error],
    }


def _remove(folder: Path) -> None:
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


def bench_export(runs: int, timeout: float) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench-export-"))
    base_cmd = [PY, str(HERE / "baseline.py"), "--size", "1600x1000", "--png", str(out / "bare.png")]
    floor_cmd = [PY, str(HERE / "baseline.py"), "--size", "1600x1000", "--png", str(out / "page.png"),
                 "--page", str(seed_page(out))]
    ours_cmd = [PY, "-m", "mapviewer", "export", "--png", str(out / "seed.png"), "--size", "1600x1000"]
    proctree.run(base_cmd, (), timeout, memory=False)
    proctree.run(ours_cmd, (), timeout, memory=False)
    base, floor, ours = [], [], []
    for i in range(runs):
        b = proctree.run(base_cmd, (), timeout)
        fl = proctree.run(floor_cmd, (), timeout)
        o = proctree.run(ours_cmd, (), timeout)
        base.append(b)
        floor.append(fl)
        ours.append(o)
        log(f"export {i + 1}/{runs}: bare {b.wall_exit} page alone {fl.wall_exit} ours {o.wall_exit} {o.error}")
    sizes = {p.name: p.stat().st_size for p in out.glob("*.png")}
    _remove(out)
    return {"baseline_s": med([r.wall_exit for r in base]), "ours_s": med([r.wall_exit for r in ours]),
            "floor_s": med([r.wall_exit for r in floor]), "floor_all": [r.wall_exit for r in floor],
            "baseline_all": [r.wall_exit for r in base], "ours_all": [r.wall_exit for r in ours],
            "png_bytes": sizes, "errors": [r.error for r in base + floor + ours if r.error]}


def fresh_account(home: Path) -> dict:
    """The environment of a user who never ran the app: HOME and every XDG folder inside ``home``."""
    env = {k: v for k, v in os.environ.items() if k != "MAPVIEWER_HOME"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_STATE_HOME=str(home / ".local" / "state"))
    return env


def bench_first(runs: int, timeout: float, built_runs: int) -> dict:
    """The first run on a fresh account against the next one on it (warm: every cache written by the first).

    Export: ``mapviewer export --png`` to exit; window: ``probe.py`` (the real start) to READY.
    Each run has a new account for the export and another for the window.  "built": the first
    run without the shipped files (``MAPVIEWER_PREBUILT=0``), as before they existed.
    """
    out = Path(tempfile.mkdtemp(prefix="bench-first-"))
    export_cmd = [PY, "-m", "mapviewer", "export", "--png", str(out / "seed.png"), "--size", "1600x1000"]
    window_cmd = [PY, str(HERE / "probe.py")]
    kinds = ("first", "warm", "built")
    rows: dict[str, dict[str, list]] = {w: {k: [] for k in kinds} for w in ("export", "window")}
    errors = []
    for i in range(runs):
        for what, cmd, marks in (("export", export_cmd, ()), ("window", window_cmd, ("READY",))):
            for kind in kinds:
                if kind == "built" and i >= built_runs:
                    continue
                if kind != "warm":  # the warm run follows the first on the same account
                    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
                    env = fresh_account(home) | ({"MAPVIEWER_PREBUILT": "0"} if kind == "built" else {})
                r = proctree.run(cmd, marks, timeout, env=env, memory=False)
                rows[what][kind].append(r.marks.get("READY") if marks else r.wall_exit)
                if r.error:
                    errors.append(f"{what} {kind}: {r.error}")
                if kind != "first":
                    shutil.rmtree(home, ignore_errors=True)
        log(f"first {i + 1}/{runs}: " + ", ".join(
            f"{w} " + " / ".join(f"{k} {v[-1]:.2f}" for k, v in rows[w].items() if len(v) > i and v[-1]) for w in rows))
    shutil.rmtree(out, ignore_errors=True)
    result: dict = {"errors": errors}
    for what, by_kind in rows.items():
        ratios = [f / w for f, w in zip(by_kind["first"], by_kind["warm"]) if f and w]
        result[what] = {"first_s": med(by_kind["first"]), "warm_s": med(by_kind["warm"]), "ratio": med(ratios),
                        "built_s": med(by_kind["built"]), "ratios": ratios,
                        **{f"{k}_all": v for k, v in by_kind.items()}}
    return result


def _ready_minus_atlas(r: proctree.Result) -> float | None:
    """Time to READY less the time the probe spent making the synthetic Atlas."""
    if "READY" not in r.marks:
        return None
    return r.marks["READY"] - float(r.info("ATLAS") or 0)


def bench_scale(sizes: list[int], runs: int, timeout: float, big_runs: int) -> dict:
    out: dict = {}
    for n in sizes:
        for mode, extra in (("window", []), ("page", ["--page-only"])):
            if mode == "page" and n < 10_000:
                continue
            results = []
            for i in range(big_runs if n >= 100_000 else runs):
                cmd = [PY, str(HERE / "probe.py"), "--places", str(n), "--breakdown", *extra]
                r = proctree.run(cmd, ("READY",), timeout)
                results.append(r)
                log(f"scale {n} {mode} {i + 1}: ready {_ready_minus_atlas(r)} pss {r.peak_pss_mb:.0f} MB {r.error}")
                if r.error == "timeout":
                    break
            infos = [json.loads(r.info("INFO")) for r in results if r.info("INFO")]
            out[f"{n}:{mode}"] = {
                "ready_s": med([_ready_minus_atlas(r) for r in results]),
                "all": [_ready_minus_atlas(r) for r in results],
                "atlas_s": med([float(r.info("ATLAS") or 0) for r in results]),
                "peak_pss_mb": med([r.peak_pss_mb for r in results if r.ok]) or max(r.peak_pss_mb for r in results),
                "peak_rss_mb": med([r.peak_rss_mb for r in results if r.ok]) or max(r.peak_rss_mb for r in results),
                "procs": max(r.max_procs for r in results),
                "errors": [r.error for r in results if r.error],
                "info": infos[0] if infos else None,
            }
    return out


def bench_geoparse(runs: int, timeout: float) -> dict:
    cold = []
    for _ in range(runs):
        r = proctree.run([PY, str(HERE / "bench_geoparse.py"), "gazetteer"], (), timeout, memory=False)
        if r.ok and r.lines:
            d = json.loads(r.lines[-1])
            d["process_wall_s"] = r.wall_exit
            cold.append(d)
    r = proctree.run([PY, str(HERE / "bench_geoparse.py"), "throughput", "--mb", "1", "--repeats", str(max(3, runs))],
                     (), timeout)
    tp = json.loads(r.lines[-1]) if r.ok and r.lines else {"error": r.error}
    tp["peak_rss_mb"] = r.peak_rss_mb
    keys = cold[0].keys() if cold else ()
    return {"throughput": tp, "gazetteer": {k: med([c[k] for c in cold]) for k in keys}, "gazetteer_all": cold}


def bench_interact(n: int, repeats: int, timeout: float) -> dict:
    cmd = [PY, str(HERE / "probe.py"), "--places", str(n), "--interact", "--doc-filter", "--repeats", str(repeats)]
    r = proctree.run(cmd, ("READY", "CLICK", "FILTER"), timeout, memory=False)
    click = json.loads(r.info("CLICK") or "{}")
    flt = json.loads(r.info("FILTER") or "{}")
    summary = {k: med(v) for k, v in {**click, **flt}.items() if isinstance(v, list)}
    return {"places": n, "median": summary, "raw": {**click, **flt}, "error": r.error}


def fmt(v, unit="s", nd=2):
    if v is None:
        return "timeout/failed"
    if unit == "ms":
        return f"{v:.0f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "w/s":
        return f"{v / 1000:.0f} k words/s"
    return f"{v:.{nd}f} s"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "-"


def table(res: dict) -> str:
    rows = [("benchmark", "baseline", "ours", "ratio", "goal", "met")]

    def add(name, base, ours, r, goal, met):
        rows.append((name, base, ours, r, goal, "yes" if met is True else ("NO" if met is False else "-")))

    c = res.get("cold")
    if c:
        r = c["ours_s"] / c["baseline_s"] if c["ours_s"] and c["baseline_s"] else None
        add("1. cold start to map ready, seed (bare Leaflet page painted)", fmt(c["baseline_s"]), fmt(c["ours_s"]),
            ratio(c["ours_s"], c["baseline_s"]), "<= 1.3x", r is not None and r <= 1.3)
        if c.get("floor_s"):
            add("   the map page alone, places inline, in the bare view (no app around it)", fmt(c["baseline_s"]),
                fmt(c["floor_s"]), ratio(c["floor_s"], c["baseline_s"]), "", None)
        if c.get("fresh_s"):
            add("   the same, places not cached (a text opened for the first time)", fmt(c["baseline_s"]),
                fmt(c["fresh_s"]), ratio(c["fresh_s"], c["baseline_s"]), "<= 1.3x", c["fresh_s"] <= 1.3 * c["baseline_s"])
        add("   peak memory of the process tree, PSS (processes)",
            f"{fmt(c['baseline_pss_mb'], 'MB')} ({c['baseline_procs']})", f"{fmt(c['ours_pss_mb'], 'MB')} ({c['ours_procs']})",
            ratio(c["ours_pss_mb"], c["baseline_pss_mb"]), "", None)
    e = res.get("export")
    if e:
        r = e["ours_s"] / e["baseline_s"] if e["ours_s"] and e["baseline_s"] else None
        add("2. export --png 1600x1000, seed (bare page grabbed to PNG)", fmt(e["baseline_s"]), fmt(e["ours_s"]),
            ratio(e["ours_s"], e["baseline_s"]), "<= 1.3x", r is not None and r <= 1.3)
        if e.get("floor_s"):
            add("   the map page alone, places inline, in the bare view, grabbed to PNG", fmt(e["baseline_s"]),
                fmt(e["floor_s"]), ratio(e["floor_s"], e["baseline_s"]), "", None)
    f = res.get("first")
    if f:
        for n, what, label in ((6, "export", "export --png 1600x1000, seed"), (7, "window", "window to map ready, seed")):
            v = f[what]
            add(f"{n}. first run on a fresh account, {label} (the next run)", fmt(v["warm_s"]), fmt(v["first_s"]),
                f"{v['ratio']:.2f}x" if v["ratio"] else "-", "<= 1.5x", v["ratio"] is not None and v["ratio"] <= 1.5)
            if v.get("built_s"):
                add("   the same without the shipped files (MAPVIEWER_PREBUILT=0: built on first use)", fmt(v["warm_s"]),
                    fmt(v["built_s"]), ratio(v["built_s"], v["warm_s"]), "", None)
    s = res.get("scale")
    if s and c:
        seed_t, seed_m = c["ours_s"], c["ours_pss_mb"]
        for key, v in s.items():
            n, mode = key.split(":")
            n = int(n)
            goal = {10_000: 2.0, 100_000: 5.0}.get(n) if mode == "window" else None
            t = v["ready_s"] if not v["errors"] or v["ready_s"] else None
            rr = t / seed_t if t and seed_t else None
            label = "window" if mode == "window" else "map page only"
            add(f"3. {n:,} places to ready, {label} (seed window)", fmt(seed_t), fmt(t), ratio(t, seed_t),
                f"<= {goal:g}x" if goal else "", (rr is not None and rr <= goal) if goal else None)
            add(f"   {n:,} places peak PSS, {label} (seed window)", fmt(seed_m, "MB"),
                f"{fmt(v['peak_pss_mb'], 'MB')} ({v['procs']} procs)", ratio(v["peak_pss_mb"], seed_m), "~ data", None)
    g = res.get("geoparse")
    if g:
        tp = g["throughput"]
        if "words_per_s" in tp:
            add("4. geoparse 1 MB, full gazetteer, warm, 1 core (tokenizer alone)", fmt(tp["words"] / tp["tokenize_s"], "w/s"),
                fmt(tp["words_per_s"], "w/s"), ratio(tp["geoparse_s"], tp["tokenize_s"]) + " time", ">= 200k words/s",
                tp["words_per_s"] >= 200_000)
        gz = g["gazetteer"]
        if gz:
            add("   full gazetteer load + matcher, fresh process: warm (disk cache) vs cold (first build)",
                fmt(gz["cold_build_s"] * 1000, "ms"), fmt(gz["warm_load_s"] * 1000, "ms"),
                ratio(gz["warm_load_s"], gz["cold_build_s"]), "warm < 0.3 s", gz["warm_load_s"] < 0.3)
    i = res.get("interact")
    if i and i.get("median"):
        m = i["median"]
        noop = m.get("noop_ms")
        n = i["places"]
        for key, label, goal in (
            ("click_to_panel_ms", f"5. click -> pledges in panel, {n:,} places", 100),
            ("click_painted_ms", "   click -> panel set + map repainted", 100),
            ("filter_python_ms", "   filter change -> panel + counts (place selected)", 100),
            ("filter_painted_ms", "   filter change -> map repainted (place selected)", 100),
            ("doc_filter_painted_ms", "   filter change -> map repainted (document shown)", 100),
            ("select_roundtrip_ms", "   mapviewer.select(id) round trip", None),
            ("focus_roundtrip_ms", "   mapviewer.focus([id]) round trip", None),
        ):
            v = m.get(key)
            add(label + " (no-op runJavaScript)", fmt(noop, "ms"), fmt(v, "ms"), ratio(v, noop),
                f"< {goal} ms" if goal else "", (v is not None and v < goal) if goal else None)
    widths = [max(len(r[k]) for r in rows) for k in range(6)]
    lines = ["| " + " | ".join(r[k].ljust(widths[k]) for k in range(6)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per figure, median taken (5)")
    ap.add_argument("--quick", action="store_true", help="3 runs, 1,000 and 10,000 places only")
    ap.add_argument("--timeout", type=float, default=240, help="seconds before a run is killed and called 'timeout'")
    ap.add_argument("--only", default="cold,export,first,scale,geoparse,interact")
    ap.add_argument("--sizes", default=None, help="places for the scale runs (1000,10000,100000)")
    ap.add_argument("--json", type=Path, default=HERE / "results.json")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    sizes = [int(s) for s in (args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")).split(",")]
    only = set(args.only.split(","))
    res: dict = {"machine": machine(), "runs": runs}
    log(f"machine: {res['machine']}")
    # An installed wheel has its bytecode (pip compiles it); an editable
    # checkout may not (PYTHONDONTWRITEBYTECODE), and compiling ~20 modules
    # at each start is not the app's cost.
    compileall.compile_dir(str(HERE.parent / "mapviewer"), quiet=1)
    if "cold" in only or "scale" in only:
        res["cold"] = bench_cold(runs, args.timeout)
    if "export" in only:
        res["export"] = bench_export(runs, args.timeout)
    if "first" in only:
        res["first"] = bench_first(runs, args.timeout, built_runs=min(runs, 2))
    if "scale" in only:
        res["scale"] = bench_scale(sizes, max(1, min(runs, 3)), args.timeout, max(1, min(runs, 3)))
    if "geoparse" in only:
        res["geoparse"] = bench_geoparse(runs, args.timeout)
    if "interact" in only:
        res["interact"] = bench_interact(10_000, 7, args.timeout)
    res["table"] = table(res)
    args.json.write_text(json.dumps(res, indent=1, default=str))
    print(res["table"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
