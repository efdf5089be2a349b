#!/usr/bin/env bash
# Build the wheel, install it into a clean venv outside the repo, and make a
# picture with it: proves data and resources ship as package data.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/.venv/bin/python" -m pip wheel -q --no-deps -w "$work/dist" "$here"
"$py" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/dist/mapviewer-*.whl
cd "$work"
QT_QPA_PLATFORM=offscreen "$work/venv/bin/mapviewer" export --png "$work/seed.png" --size 800x500
"$work/venv/bin/python" - "$work/seed.png" <<'PY'
import sys, zlib, struct
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (800, 500), (w, h)
print(f"wheel check: installed wheel wrote an {w}x{h} PNG of {len(data)} bytes")
PY
