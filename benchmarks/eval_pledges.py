"""Score pledge reading on the labelled sentences, and time it on a large text.

    python benchmarks/eval_pledges.py [--data tests/data/pledges/labelled.txt] [--mb 50] [--json] [-v]

Prints detection precision and recall (a pledge is a sentence labelled P),
party accuracy on the pledges found (the set of committing parties equals
the label's, names compared without case or a leading "the"), the mistakes
with -v, and the time to read ``--mb`` megabytes (the labelled texts and
the seed repeated) on one core.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "pledges" / "labelled.txt"


@dataclass
class Labelled:
    document: str
    text: str
    pledge: bool
    parties: frozenset[str]


def load(path: Path) -> dict[str, list[Labelled]]:
    """The labelled documents: name -> its sentences in order."""
    docs: dict[str, list[Labelled]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            docs[name] = []
        elif line[:2] in ("P ", "N ") and name is not None:
            label, text = line.split(" | ", 1)
            parties = frozenset(_norm(p) for p in label[2:].split(";") if p.strip())
            docs[name].append(Labelled(name, text.strip(), line[0] == "P", parties))
    return docs


def _norm(party: str) -> str:
    party = party.strip().lower()
    return party[4:] if party.startswith("the ") else party


def read(sentences: list[Labelled]):
    """The app's readings of one labelled document (one sentence a line)."""
    from mapviewer.core.document import Document
    from mapviewer.core.pledges import read_sentences

    doc = Document("labelled", "\n".join(s.text for s in sentences))
    if len(doc.sentences) != len(sentences):
        raise SystemExit(f"{sentences[0].document}: {len(doc.sentences)} sentences for {len(sentences)} lines")
    return read_sentences(doc.text, doc.sentences)


def evaluate(path: Path) -> dict:
    tp = fp = fn = right_parties = 0
    mistakes: list[str] = []
    docs = load(path)
    for name, sentences in docs.items():
        readings = read(sentences)
        for i, s in enumerate(sentences):
            r = readings.get(i)
            found = r is not None and r.pledge
            if found and s.pledge:
                tp += 1
                got = frozenset(_norm(p) for p in r.actors)
                if got == s.parties:
                    right_parties += 1
                else:
                    mistakes.append(f"{name} {i}: parties {sorted(got)} for {sorted(s.parties)}: {s.text}")
            elif found:
                fp += 1
                mistakes.append(f"{name} {i}: false pledge ({r.commitment}): {s.text}")
            elif s.pledge:
                fn += 1
                mistakes.append(f"{name} {i}: missed ({r.talk if r else 'fact'}): {s.text}")
    return {
        "sentences": sum(len(v) for v in docs.values()),
        "pledges": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "party_accuracy": right_parties / tp if tp else 0.0,
        "mistakes": mistakes,
    }


def speed(path: Path, mb: float) -> dict:
    """Seconds to split and read ``mb`` megabytes, pinned to one core."""
    from mapviewer.core.document import Document
    from mapviewer.core.pledges import read_sentences
    from mapviewer.core.parties import lexicon

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    seed = (ROOT / "seeds" / "pakistan-china-joint-declaration-2025-02-05.txt").read_text(encoding="utf-8")
    labelled = "\n".join(s.text for sentences in load(path).values() for s in sentences)
    base = seed + "\n" + labelled + "\n"
    text = base * max(1, int(mb * 1_000_000 / len(base)))
    lexicon()
    t0 = time.perf_counter()
    doc = Document("big", text)
    t1, c1 = time.perf_counter(), time.process_time()
    readings = read_sentences(doc.text, doc.sentences)
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "megabytes": round(len(text.encode("utf-8")) / 1e6, 1),
        "sentences": len(doc.sentences),
        "split_s": round(t1 - t0, 2),
        "read_s": round(t2 - t1, 2),
        "read_cpu_s": round(c2 - c1, 2),
        "sentences_per_s": round(len(doc.sentences) / (c2 - c1)),
        "pledges": sum(1 for r in readings.values() if r.pledge),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mb", type=float, default=0, help="also time reading this many megabytes (0: skip)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mistake")
    args = ap.parse_args()
    result = evaluate(args.data)
    if args.mb:
        result["speed"] = speed(args.data, args.mb)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['sentences']} sentences, {result['pledges']} labelled pledges")
    print(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  party accuracy {result['party_accuracy']:.3f}")
    if args.verbose:
        for m in result["mistakes"]:
            print("  " + m)
    if "speed" in result:
        s = result["speed"]
        print(f"{s['megabytes']} MB, {s['sentences']:,} sentences: split {s['split_s']} s, read {s['read_s']} s "
              f"({s['read_cpu_s']} s of CPU, {s['sentences_per_s']:,} sentences/s; {s['pledges']:,} pledges)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
