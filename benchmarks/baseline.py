"""Baseline: a bare Leaflet page, from the same local assets, in a QWebEngineView.

    python benchmarks/baseline.py [--size 900x700] [--png OUT.png]

Same Chromium flags as the app (mapviewer.ui.environment), same inline
Leaflet from xstatic-leaflet, loaded from a file like the app's page.  The
page makes one empty L.map (no tiles, no data) and, two animation frames
after it is created, sets document.title; the program prints ``PAINTED``
when the title arrives, or grabs the view to a PNG and exits.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

T_START = time.time()


def page_html() -> str:
    import xstatic.pkg.leaflet as xleaflet

    css = Path(xleaflet.BASE_DIR, "leaflet.css").read_text(encoding="utf-8")
    js = Path(xleaflet.BASE_DIR, "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style><script>{js}</script>
<style>html,body,#map{{margin:0;width:100%;height:100%;}}</style></head><body><div id="map"></div>
<script>
var map = L.map('map', {{preferCanvas: true}}).setView([30, 70], 4);
L.control.scale().addTo(map);
requestAnimationFrame(function () {{ requestAnimationFrame(function () {{ document.title = 'painted'; }}); }});
</script></body></html>"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="900x700")
    ap.add_argument("--png", type=Path)
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))

    from mapviewer.ui import environment

    environment.configure(headless=True)
    from PySide6.QtCore import QTimer, QUrl, Qt
    from PySide6.QtWidgets import QApplication
    from PySide6.QtWebEngineWidgets import QWebEngineView

    app = QApplication(["baseline"])
    fd, name = tempfile.mkstemp(prefix="bench-bare-", suffix=".html")
    os.close(fd)
    page_file = Path(name)
    page_file.write_text(page_html(), encoding="utf-8")
    view = QWebEngineView()
    if args.png:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(w, h)
    view.show()
    code = [1]

    def painted(title: str) -> None:
        if title != "painted":
            return
        print(f"PAINTED {time.time() - T_START:.3f}", flush=True)
        if args.png:
            for _ in range(20):
                image = view.grab().toImage()
                if not image.isNull():
                    break
            code[0] = 0 if image.save(str(args.png), "PNG") else 1
            print(f"SAVED {time.time() - T_START:.3f}", flush=True)
        else:
            code[0] = 0
        app.quit()

    view.titleChanged.connect(painted)
    QTimer.singleShot(60_000, app.quit)
    view.load(QUrl.fromLocalFile(str(page_file)))
    app.exec()
    view.close()
    view.deleteLater()
    page_file.unlink(missing_ok=True)
    return code[0]


if __name__ == "__main__":
    sys.exit(main())
