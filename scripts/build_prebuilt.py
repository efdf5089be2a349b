"""Build what a first run would otherwise build on the user's time, into ``data/prebuilt/``.

    .venv/bin/python scripts/build_prebuilt.py           # rebuild the files whose key is stale
    .venv/bin/python scripts/build_prebuilt.py --check   # only say which are stale (exit 1 if any)
    .venv/bin/python scripts/build_prebuilt.py --force   # rebuild them all

Each file is keyed by what it is made from (``mapviewer/core/prebuilt.py``):
the app uses it only while that key is current, so run this after changing
the data, the code named in a key, or a pinned package, and commit the
files.  ``tests/unit/core/test_prebuilt.py`` fails while one is stale.
Built from the installed packages: install the versions ``pyproject.toml`` pins.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapviewer.core import geonames, prebuilt  # noqa: E402
from mapviewer.map import shell  # noqa: E402

OUT = ROOT / "data" / prebuilt.FOLDER


def _geonames() -> dict:
    return geonames.build_index().__getstate__()


def _basemap() -> dict:
    parts = shell.build_parts()
    return {"outlines": parts["outlines"], "context": parts["context"]}


def _page() -> dict:
    return {"html": shell.build_parts()["html"]}


# file name -> (the key of what it is made from, what builds its payload, compressed?)
ARTEFACTS: dict[str, tuple[Callable[[], dict], Callable[[], dict], bool]] = {
    geonames.PREBUILT: (geonames.prebuilt_key, _geonames, False),  # read in place at every start
    shell.BASEMAP_PREBUILT: (shell.basemap_key, _basemap, True),  # copied into the cache folder once
    shell.PAGE_PREBUILT: (shell.page_key, _page, True),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    ap.add_argument("--force", action="store_true", help="rebuild every file")
    args = ap.parse_args()
    stale = 0
    for name, (key_of, build, compress) in ARTEFACTS.items():
        key = key_of()
        diff = prebuilt.differences(prebuilt.read_key(OUT / name), key)
        if not diff and not args.force:
            print(f"{name}: current")
            continue
        stale += bool(diff)
        if args.check:
            print(f"{name}: stale\n  " + "\n  ".join(diff))
            continue
        start = time.perf_counter()
        size = prebuilt.write(OUT / name, key, build(), compress)
        print(f"{name}: built in {time.perf_counter() - start:.1f} s, {size / 1e6:.2f} MB"
              + (f" ({'; '.join(diff)})" if diff else ""))
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
