"""Baseline: a bare Leaflet page, from the same local assets, in a QWebEngineView.

    python benchmarks/baseline.py [--size 900x700] [--png OUT.png] [--page MAP.html]

Same Chromium flags as the app (mapviewer.ui.environment), same inline
Leaflet from xstatic-leaflet, loaded from a file like the app's page.  The
page makes one empty L.map (no tiles, no data) and, two animation frames
after it is created, sets document.title; the program prints ``PAINTED``
when the title arrives, or grabs the view to a PNG (once the grab shows
the page: a grab at once is white) and exits.

``--page`` loads one of the app's map pages instead (``run.py`` writes the
seed's, places inline): the same bare view, waiting for the page's own
"ready" (its places painted), so the table can show what the page alone
costs, without the app around it.
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


def blank(image) -> bool:
    """No picture yet: null, or one colour on a 16 px grid."""
    if image.isNull():
        return True
    first = image.pixel(0, 0)
    return all(image.pixel(x, y) == first for x in range(0, image.width(), 16) for y in range(0, image.height(), 16))


def ready_as_title():
    """A user script (not subject to the page's CSP) that turns the app page's
    ready mark, set two frames after its places are drawn, into the title."""
    from PySide6.QtWebEngineCore import QWebEngineScript

    script = QWebEngineScript()
    script.setSourceCode(
        "new MutationObserver(function () {"
        " if (document.documentElement.getAttribute('data-mapviewer-ready')) { document.title = 'painted'; }"
        "}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-mapviewer-ready']});"
    )
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
    return script


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="900x700")
    ap.add_argument("--png", type=Path)
    ap.add_argument("--page", type=Path, help="an app map page to load instead of the bare one")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))

    from mapviewer.ui import environment

    environment.configure(headless=True)
    from PySide6.QtCore import QTimer, QUrl, Qt
    from PySide6.QtWidgets import QApplication
    from PySide6.QtWebEngineWidgets import QWebEngineView

    app = QApplication(["baseline"])
    if args.page:
        page_file = args.page
    else:
        fd, name = tempfile.mkstemp(prefix="bench-bare-", suffix=".html")
        os.close(fd)
        page_file = Path(name)
        page_file.write_text(page_html(), encoding="utf-8")
    view = QWebEngineView()
    if args.page:
        view.page().scripts().insert(ready_as_title())
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
            grab_when_shown(time.time() + 5)
        else:
            code[0] = 0
            app.quit()

    def grab_when_shown(deadline: float) -> None:
        # The page has painted, but its frame reaches Qt's side a little
        # later: a grab at once is a white picture.  Grab until it is not
        # (the bare map is grey), every 5 ms; the app waits for it too.
        image = view.grab().toImage()
        if blank(image) and time.time() < deadline:
            QTimer.singleShot(5, lambda: grab_when_shown(deadline))
            return
        code[0] = 0 if image.save(str(args.png), "PNG") and not blank(image) else 1
        print(f"SAVED {time.time() - T_START:.3f}", flush=True)
        app.quit()

    view.titleChanged.connect(painted)
    QTimer.singleShot(60_000, app.quit)
    view.load(QUrl.fromLocalFile(str(page_file)))
    app.exec()
    view.close()
    view.deleteLater()
    if not args.page:
        page_file.unlink(missing_ok=True)
    return code[0]


if __name__ == "__main__":
    sys.exit(main())
