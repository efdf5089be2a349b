#!/usr/bin/env python3
"""Derive data/ports.json: the world's ports from Natural Earth (public domain).

    python scripts/build_ports.py --from DIR   # DIR holds 10m/cultural/ne_10m_ports.json

Natural Earth's 1:10m ports layer (``ne_10m_ports``) names some 1,100 ports
by their town ("Mombasa", "Piraeus") with a point on the harbour. The app
indexes each as "Port of X" and "X Port" (``core/geonames``), so a text's
"Port of Mombasa" is drawn at the harbour, not at the town. Where the layer
has one name several times (three Piraeus terminals), the first point is kept.
The output is deterministic: the same input gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "ports.json"
SOURCE = "Natural Earth 1:10m ports (ne_10m_ports), public domain"


def build(path: Path) -> dict:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    seen: dict[str, dict] = {}
    for f in features:
        name = " ".join((f["properties"].get("name") or "").split())
        if not name or name in seen:
            continue
        lon, lat = f["geometry"]["coordinates"]
        seen[name] = {"name": name, "point": [round(lon, 5), round(lat, 5)]}
    ports = sorted(seen.values(), key=lambda p: p["name"])
    return {"about": "Ports for the offline gazetteer; built by scripts/build_ports.py", "source": SOURCE,
            "licence": "public domain (Natural Earth)", "ports": ports}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="src", type=Path, required=True, help="folder with 10m/cultural/ne_10m_ports.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    doc = build(args.src / "10m" / "cultural" / "ne_10m_ports.json")
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(doc['ports'])} ports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
