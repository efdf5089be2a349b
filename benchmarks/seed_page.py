"""Write the seed's map page with its places inline, for ``baseline.py --page``.

    python benchmarks/seed_page.py OUT.html

The desktop's shell page (overview outlines inline, the detailed ones left
out) with the seed's places in its data block instead of handed over
later: what the page alone costs to load and paint, no app around it.
"""
from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    from mapviewer.core.atlascache import build_atlas_cached
    from mapviewer.reading.documents import read_documents
    from mapviewer.map.page import PageOptions, build_page

    atlas = build_atlas_cached(read_documents([]))  # no files: the bundled seed, as the app opens it
    html = build_page(atlas, PageOptions(detail_inline=False))
    Path(sys.argv[1]).write_text(html, encoding="utf-8")
    print(f"{len(atlas.places)} places, {len(html) // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
