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
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapviewer.core import atlascache, geonames, prebuilt  # noqa: E402
from mapviewer.core.document import Document  # noqa: E402
from mapviewer.core.readers import read_document  # noqa: E402
from mapviewer.map import shell  # noqa: E402

OUT = ROOT / "data" / prebuilt.FOLDER


def _geonames() -> dict:
    return geonames.build_index().__getstate__()


def _basemap() -> dict:
    parts = shell.build_parts()
    return {"outlines": parts["outlines"], "context": parts["context"]}


def _page() -> dict:
    return {"html": shell.build_parts()["html"]}


def bundled_documents() -> list[Document]:
    """The declarations that ship with the app (``seeds/``): the first window opens one."""
    from importlib import resources

    seeds = resources.files("mapviewer.seeds")
    return [read_document(Path(str(p))) for p in sorted(seeds.iterdir(), key=lambda p: p.name) if p.name.endswith(".txt")]


def _places(doc: Document) -> Callable[[], bytes]:
    """The places of a bundled text as a first opening finds them (no corrections yet)."""
    def build() -> bytes:
        from mapviewer.core.atlas import build_atlas
        from mapviewer.core.corrections import CorrectionStore

        with tempfile.TemporaryDirectory() as tmp:
            return atlascache.bare_state(build_atlas([doc], corrections=CorrectionStore(Path(tmp) / "none.json")))
    return build


# file name -> (the key of what it is made from, what builds its payload, compressed?)
ARTEFACTS: dict[str, tuple[Callable[[], dict], Callable[[], Any], bool]] = {
    geonames.PREBUILT: (geonames.prebuilt_key, _geonames, False),  # read in place at every start
    shell.BASEMAP_PREBUILT: (shell.basemap_key, _basemap, True),  # copied into the cache folder once
    shell.PAGE_PREBUILT: (shell.page_key, _page, True),
    **{atlascache.shipped_name([doc]): (lambda doc=doc: atlascache.shipped_key([doc]), _places(doc), True)
       for doc in bundled_documents()},  # read at a first opening, then kept in the cache folder
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
