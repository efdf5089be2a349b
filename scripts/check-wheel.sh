#!/usr/bin/env bash
# Build the wheel, install it into a clean venv outside the repo, and make a
# picture with it on a fresh account: proves data and resources ship as package
# data, and that the prebuilt files (data/prebuilt/) are current for the
# versions pip installs, so the first run builds nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/.venv/bin/python" -m pip wheel -q --no-deps -w "$work/dist" "$here"
"$py" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/dist/mapviewer-*.whl
cd "$work"
env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u MAPVIEWER_HOME \
    HOME="$work/home" QT_QPA_PLATFORM=offscreen \
    "$work/venv/bin/mapviewer" export -v --png "$work/seed.png" --size 800x500 2> "$work/stderr"
if grep -q "building" "$work/stderr"; then
    cat "$work/stderr" >&2
    echo "wheel check: the first run built what should ship prebuilt (run scripts/build_prebuilt.py)" >&2
    exit 1
fi
"$work/venv/bin/python" - "$work/seed.png" <<'PY'
import sys, zlib, struct
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (800, 500), (w, h)
print(f"wheel check: installed wheel wrote an {w}x{h} PNG of {len(data)} bytes")
PY
