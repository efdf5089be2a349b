#!/usr/bin/env python3
"""Make the README's screenshot from the app itself: the window at its first view, a place selected.

    python scripts/screenshot.py resources/screenshot.png [PLACE_ID]
"""
from __future__ import annotations

import sys
from pathlib import Path

from mapviewer.ui import environment

environment.configure(headless=True)

from PySide6.QtWidgets import QApplication  # noqa: E402

from mapviewer.core.atlascache import build_atlas_cached  # noqa: E402
from mapviewer.reading.documents import read_documents  # noqa: E402
from mapviewer.ui.frames import settle, wait_until_ready  # noqa: E402
from mapviewer.ui.window import MainWindow  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshot.png")
    place_id = sys.argv[2] if len(sys.argv) > 2 else "gwadar-port"
    app = QApplication(["mapviewer"])
    window = MainWindow(build_atlas_cached(read_documents([])))
    window.resize(1500, 860)
    window.show()
    if not wait_until_ready(window.map):
        print("the map did not get ready", file=sys.stderr)
        return 1
    window.show_place(place_id)  # as a click in the text or on the place list does: the first view stays
    window.map.api.wait_painted()
    settle(300)
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
