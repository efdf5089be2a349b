"""The standalone HTML file in a browser engine that refuses every network request."""
from __future__ import annotations

from PySide6.QtCore import QUrl

from mapviewer.reading.export import html_bytes
from mapviewer.core.output import write_atomic


def test_the_exported_page_works_with_no_network(qtbot, tmp_path, seed_atlas, run_js):
    from mapviewer.ui.webview import MapView

    out = write_atomic(tmp_path / "map.html", html_bytes(seed_atlas, "Offline test"))
    view = MapView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.guard.origins = frozenset()  # no tile server either: everything off the machine is refused
    url = QUrl.fromLocalFile(str(out))
    view.map_page.home = url
    view.show()
    view.load(url)
    # Polled from the start: the document may not exist yet, which must not count as the page's error.
    ready = "!!document.documentElement && document.documentElement.getAttribute('data-mapviewer-ready') === 'true'"
    qtbot.waitUntil(lambda: run_js(view, ready) is True,
                    timeout=60_000)
    state = run_js(view, "mapviewer.state()")
    assert {f["id"] for f in state["features"]} == {p.id for p in seed_atlas.places}
    assert all(f["onMap"] for f in state["features"])
    assert run_js(view, "document.title") == "Offline test"

    assert run_js(view, "mapviewer.fireClick('gwadar-port')") is True
    state = run_js(view, "mapviewer.state()")
    assert state["selected"] == "gwadar-port"
    popup = state["popup"] or ""
    assert "Gwadar Port" in popup
    sentence = seed_atlas.sentence(*seed_atlas.place("gwadar-port").sentence_keys()[0]).text
    assert sentence[:80] in popup  # the pledge text travels inside the file

    assert view.guard.refused == []  # nothing even tried to leave
    assert {QUrl(u).scheme() for u in view.guard.allowed} <= {"file", "data", "about"}
    assert view.map_page.js_errors == []
    view.cleanup()
