"""The page's Content-Security-Policy lets only its own scripts run."""
from __future__ import annotations

from mapviewer.map.page import build_page


def test_a_script_that_is_not_the_pages_own_does_not_run(qtbot, seed_atlas, run_js):
    from mapviewer.ui.webview import MapView

    html = build_page(seed_atlas)
    assert "Content-Security-Policy" in html.split("</head>")[0]
    smuggled = html.replace("</body>", "<script>window.__smuggled = 1;</script><img src=x onerror='window.__img=1'></body>")
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    with qtbot.waitSignal(view.bridge.ready, timeout=60_000):
        view.show()
        view.show_page(smuggled, {p.id for p in seed_atlas.places})
    assert run_js(view, "typeof window.__smuggled") == "undefined"
    assert run_js(view, "typeof window.__img") == "undefined"
    assert run_js(view, "typeof window.mapviewer.state") == "function"  # the page's own script ran
    assert any("Content Security Policy" in e for e in view.map_page.js_errors)
    view.cleanup()
