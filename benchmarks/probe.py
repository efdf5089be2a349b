"""Probe: the real MainWindow on an Atlas, offscreen; prints when the map is ready.

    python benchmarks/probe.py [--places N] [--interact] [--breakdown] [--hold S]

Without --places the Atlas is the bundled seed, read and geoparsed as
``mapviewer`` does at start; with --places N it is synthetic (the time to
make it is printed as ``ATLAS`` so the runner can take it off).  Lines on
stdout, parsed by benchmarks/run.py:

    ATLAS s          time spent making the Atlas
    READY t          the bridge's ready signal (all features painted, bridge connected)
    INFO {json}      breakdown, page sizes, DOM counts (with --breakdown)
    CLICK {json}     click -> pledges in the panel, ms (with --interact)
    FILTER {json}    theme filter change -> map repainted, ms (with --interact)
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

T_START = time.time()
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--places", type=int, default=0)
    ap.add_argument("--interact", action="store_true")
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--hold", type=float, default=0.3, help="seconds to stay up after ready (memory sampling)")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--doc-filter", action="store_true", help="also time filter changes with no place selected")
    ap.add_argument("--page-only", action="store_true",
                    help="only the map: a MapView showing build_page(atlas), no window, panel or place list")
    args = ap.parse_args()

    from mapviewer.ui import environment

    environment.configure(headless=True)
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(["mapviewer-probe"])
    t_imports = time.time()
    t = time.perf_counter()
    # The seed goes the app's own way (mapviewer.ui.app.open_window: places
    # found on a thread while the window and the page start); a synthetic
    # Atlas, or --page-only, is made first and handed over whole.
    real_start = not args.places and not args.page_only
    atlas = None
    atlas_s = None
    if args.places:
        from synthetic import make_atlas

        atlas = make_atlas(args.places)
    elif args.page_only:
        from mapviewer.core.atlascache import build_atlas_cached
        from mapviewer.reading.documents import read_documents

        atlas = build_atlas_cached(read_documents([]))
    if atlas is not None:
        atlas_s = time.perf_counter() - t
        print(f"ATLAS {atlas_s:.3f}", flush=True)

    # The window's module is imported where the app imports it: open_window
    # imports it on a thread while the page's navigation commits.
    from mapviewer.ui.settings import Settings

    tmp = tempfile.TemporaryDirectory(prefix="bench-probe-")
    settings = Settings(QSettings(str(Path(tmp.name) / "settings.ini"), QSettings.Format.IniFormat))
    stamps: dict[str, float] = {}
    t = time.perf_counter()
    if args.page_only:
        from PySide6.QtCore import QObject, Signal

        from mapviewer.map.page import PageOptions, build_page
        from mapviewer.ui.webview import MapView

        class PageOnly(QObject):
            placeShown = Signal(str)

            def __init__(self):
                super().__init__()
                self.map = MapView()
                self.map.resize(900, 700)
                self.map.show_page(build_page(atlas, PageOptions(title="x")), {p.id for p in atlas.places})

            def show(self):
                self.map.show()

            def close(self):
                self.map.close()

        win = PageOnly()
    elif real_start:
        from mapviewer.ui.app import open_window

        win = open_window([], settings)
    else:
        # The synthetic Atlas goes the app's way too (as open_window and
        # open_files do): the window first, then the loader's thread makes
        # its page data and lookups and hands it over.  Only the finding of
        # places is replaced by the Atlas made above.
        from mapviewer.core import atlascache
        from mapviewer.core.model import Atlas
        from mapviewer.ui.window import MainWindow

        made = atlas
        atlascache.build_atlas_cached = lambda documents, **_options: made  # what the loader's thread calls
        win = MainWindow(Atlas(atlas.documents, [], {}), settings, loading=True)
        win.map_documents(atlas.documents)
    window_s = time.perf_counter() - t
    win.map.loadFinished.connect(lambda ok: stamps.setdefault("load_finished", time.time() - T_START))

    def ready() -> None:
        if "ready" not in stamps:
            stamps["ready"] = time.time() - T_START
            print(f"READY {stamps['ready']:.3f}", flush=True)
            QTimer.singleShot(0, after_ready)

    def wait(signal, timeout_ms: int = 30_000) -> bool:
        loop, got = QEventLoop(), []
        def done(*_a):
            got.append(1)
            loop.quit()
        signal.connect(done)
        QTimer.singleShot(timeout_ms, loop.quit)
        if not got:
            loop.exec()
        signal.disconnect(done)
        return bool(got)

    def js(code: str, timeout_ms: int = 30_000):
        """A probe through the page API's one way in; its value, JSON decoded."""
        return win.map.api.wait_for(code, timeout_ms)

    def painted_ms(t0: float, _k: int) -> float | None:
        """Two frames after whatever the page is doing (``whenPainted``): ms from t0."""
        return (time.perf_counter() - t0) * 1000 if win.map.api.wait_painted(30_000) else None

    def after_ready() -> None:
        if args.breakdown:
            breakdown()
        if args.interact:
            interact()
        QTimer.singleShot(int(args.hold * 1000), app.quit)

    def breakdown() -> None:
        from mapviewer.map.outlines import detail_json
        from mapviewer.map.page import PageOptions, build_page, page_places, script_json
        from mapviewer.reading import panel

        info = {"places": len(atlas.places), "imports_s": t_imports - T_START, "atlas_s": atlas_s,
                "window_init_s": window_s, "load_finished_s": stamps.get("load_finished"), "ready_s": stamps["ready"]}
        t = time.perf_counter(); html = build_page(atlas, PageOptions(title="x")); info["build_page_s"] = time.perf_counter() - t
        info["page_mb"] = len(html.encode()) / 1e6
        info["features_json_mb"] = len(script_json(page_places(atlas)).encode()) / 1e6
        info["basemap_json_mb"] = len(detail_json().encode()) / 1e6
        if not args.page_only:
            t = time.perf_counter(); win.places_tab.set_atlas(atlas, False); info["place_table_s"] = time.perf_counter() - t
            t = time.perf_counter(); h = panel.document_html(atlas); info["document_html_s"] = time.perf_counter() - t
            t = time.perf_counter(); win.panel.setHtml(h); info["panel_sethtml_s"] = time.perf_counter() - t
            info["panel_html_mb"] = len(h.encode()) / 1e6
        nav = js("JSON.stringify((function(){var n=performance.getEntriesByType('navigation')[0]||{};"
                 "var m=performance.memory||{};return {responseEnd:n.responseEnd,domInteractive:n.domInteractive,"
                 "dcl:n.domContentLoadedEventEnd,load:n.loadEventEnd,now:performance.now(),"
                 "dom:document.getElementsByTagName('*').length,"
                 "tooltips:document.querySelectorAll('.leaflet-tooltip').length,"
                 "permanent:document.querySelectorAll('.mv-label').length,"
                 "heapMB:(m.usedJSHeapSize||0)/1e6}})())")
        info["page"] = nav
        t = time.perf_counter(); js("mapviewer.state().length")
        info["state_roundtrip_ms"] = (time.perf_counter() - t) * 1000
        print("INFO " + json.dumps(info), flush=True)

    def interact() -> None:
        noop = []
        for _ in range(args.repeats):
            t = time.perf_counter(); js("1"); noop.append((time.perf_counter() - t) * 1000)
        # A click as the map sees it: a DOM click event at the feature's pixel,
        # so the page's hit test, the popup, the bridge and the panel all run.
        # (mapviewer.fireClick would skip the hit test.)  Points and areas in
        # view: the pixel the page reports for them (a point, a box's middle)
        # is on them, while a line's box middle may be beside the line.  Not a
        # point inside a cluster, nor anything under a cluster's disc: a click
        # there zooms in.
        state = js("mapviewer.state()", 60_000)
        feats, clusters = state["features"], state["clusters"]
        by_id = {f["id"]: f for f in feats}
        w, h = win.map.width(), win.map.height()

        def clickable(f) -> bool:
            return (f["type"] in ("Point", "Polygon") and not f["clustered"] and 20 < f["x"] < w - 20 and 20 < f["y"] < h - 20
                    and all((f["x"] - c["x"]) ** 2 + (f["y"] - c["y"]) ** 2 > (c["r"] + 8) ** 2 for c in clusters))

        ids = [f["id"] for f in feats if clickable(f)]
        step = max(1, len(ids) // args.repeats)
        picks = ids[::step][: args.repeats]
        clicks, clicks_painted, selects, missed = [], [], [], 0
        for k, pid in enumerate(picks):
            f = by_id[pid]
            t = time.perf_counter()
            win.map.api.run(
                "(function(){var c=document.querySelector('.leaflet-container'),m=c.getBoundingClientRect();"
                "c.dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true,clientX:m.left+%f,clientY:m.top+%f}));})()"
                % (f["x"], f["y"]))
            if wait(win.placeShown, 5_000):
                clicks.append((time.perf_counter() - t) * 1000)
                p = painted_ms(t, 1000 + k)
                if p is not None:
                    clicks_painted.append(p)
            else:
                missed += 1
            t = time.perf_counter(); js("mapviewer.select(%s)" % json.dumps(pid)); selects.append((time.perf_counter() - t) * 1000)
        focus = []
        for pid in picks:
            t = time.perf_counter(); js("mapviewer.focus([%s])" % json.dumps(pid)); focus.append((time.perf_counter() - t) * 1000)
        print("CLICK " + json.dumps({"click_to_panel_ms": clicks, "click_painted_ms": clicks_painted,
                                     "select_roundtrip_ms": selects, "focus_roundtrip_ms": focus, "noop_ms": noop, "missed": missed}), flush=True)
        # Filter: pick each theme in the toolbar, then back to all themes.
        py, painted = [], []
        theme_box = win.toolbar.theme_box
        indices = list(range(1, theme_box.count())) + [0]
        for k, index in enumerate((indices * 3)[: max(args.repeats, len(indices))]):
            t = time.perf_counter()
            theme_box.setCurrentIndex(index)  # -> set_filter: the session's rule, the page's setVisible, panel, counts
            py.append((time.perf_counter() - t) * 1000)
            p = painted_ms(t, 2000 + k)
            if p is not None:
                painted.append(p)
        doc_py, doc_painted = [], []
        if args.doc_filter:  # no place selected: the panel re-renders the whole (filtered) declaration
            win.session.select(None)
            win.show_document()
            for k in range(args.repeats):  # a theme on, then off again: one sample each
                index = 1 - k % 2
                t = time.perf_counter()
                theme_box.setCurrentIndex(index)
                doc_py.append((time.perf_counter() - t) * 1000)
                p = painted_ms(t, 3000 + k)
                if p is not None:
                    doc_painted.append(p)
        from mapviewer.core.pledges import PledgeFilter

        win.session.set_filter(PledgeFilter(themes=frozenset({"trade"})))
        visible = win.session.visible_indexes()
        t = time.perf_counter(); shown = js("mapviewer.setVisible(%s)" % json.dumps(visible)); only_js = (time.perf_counter() - t) * 1000
        win.session.set_filter(PledgeFilter())
        js("mapviewer.setVisible(null)")
        print("FILTER " + json.dumps({"filter_python_ms": py, "filter_painted_ms": painted,
                                      "setfilter_js_roundtrip_ms": only_js, "shown": shown,
                                      "doc_filter_python_ms": doc_py, "doc_filter_painted_ms": doc_painted}), flush=True)

    if real_start:
        def loaded() -> None:
            nonlocal atlas, atlas_s
            atlas = win.atlas
            atlas_s = time.time() - T_START
            print(f"ATLAS {atlas_s:.3f} (on a thread, from the start)", flush=True)

        win.atlasLoaded.connect(loaded)
    if real_start or (args.places and not args.page_only):
        win.mapDrawn.connect(ready)  # the window holds the Atlas and the map has painted it
    else:
        win.map.bridge.ready.connect(ready)
    win.show()
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    win.map.cleanup()
    win.close()
    return 0 if "ready" in stamps else 1


def median(values):
    return statistics.median(values) if values else None


if __name__ == "__main__":
    sys.exit(main())
