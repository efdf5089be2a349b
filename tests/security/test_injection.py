"""Nothing a document (or a gazetteer entry) contains may run as code.

A declaration saved from the web may carry markup.  The test builds a
document full of script-injection canaries, whose places, names, sources,
ids and corridor surfaces all reach the page, the popups, the tooltips and
the panel.  Every canary would set ``window.__pwned``; the page also
records every Content-Security-Policy violation (markup that got into the
DOM and tried to load or run).  After hovering and clicking every feature,
none may have fired, and the DOM holds no element a canary would create.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.readers import read_document

PWN = "window.__pwned=1"
CANARIES = [
    f"<script>{PWN}</script>",
    f"<img src=x onerror={PWN}>",
    f'<img src="x" onerror="{PWN}">',
    f"</script><script>{PWN}</script>",
    f"</textarea></style></title><script>{PWN}</script>",
    f'<a href="javascript:{PWN}">link</a>',
    f"javascript:{PWN}",
    f"\"'><svg onload={PWN}>",
    f"' onmouseover='{PWN}' x='",
    f'" onmouseover="{PWN}" x="',
    f"<iframe srcdoc=\"<script>parent.{PWN}</script>\"></iframe>",
    f"<details open ontoggle={PWN}>",
    f"<body onload={PWN}>",
    "\u2028\u2029<!--<script>",
    "${" + PWN + "}",
    "{{ 7*7 }}",  # harmless here; the template-injection payloads are tested on their own below
]
HOSTILE = " ".join(CANARIES)

# A small gazetteer whose names, ids, sources and notes are hostile too, as
# an online geocoder's answers might be.  Matching goes by the plain aliases.
GAZETTEER = {
    "places": [
        {"id": f"port\"'><img src=x onerror={PWN}>", "name": f"Evil Port{CANARIES[1]}", "kind": "port",
         "aliases": ["Evilport"], "point": [62.3, 25.1], "source": f"src {CANARIES[0]}", "note": CANARIES[7]},
        {"id": "alpha", "name": f"Alpha{CANARIES[3]}", "kind": "town", "aliases": ["Alpha Town"],
         "point": [71.0, 30.0], "source": CANARIES[5]},
        {"id": "beta", "name": f"Beta{CANARIES[9]}", "kind": "town", "aliases": ["Betatown"],
         "point": [72.0, 31.0], "source": CANARIES[8]},
        {"id": "gamma-road", "name": f"Gamma Road{CANARIES[4]}", "kind": "highway", "aliases": ["Gamma Road"],
         "source": CANARIES[10],
         "route": [{"name": "Gammaone", "point": [73.0, 33.0]}, {"name": "Gammamid", "point": [73.5, 34.0]},
                   {"name": "Gammatwo", "point": [74.0, 35.0]}]},
        {"id": "evil-sea", "name": f"Evil Sea{CANARIES[2]}", "kind": "sea", "aliases": ["Evilsea"],
         "point": [65.0, 20.0], "area_km2": 50_000, "source": CANARIES[11]},
        {"id": "javascript:window.__pwned=1", "name": CANARIES[6], "kind": f"city{CANARIES[1]}", "aliases": ["Jscity"],
         "point": [68.0, 27.0], "source": "x"},
    ]
}

# Each sentence names places, so the canaries are in the panel and the popups;
# "Alpha Town – Betatown railway" and "Evilport – Betatown road" make corridors (a line's
# noun after the ends) whose names and notes carry the stops' hostile names.
TEXT = "\n".join(
    [
        f"Evilport {CANARIES[0]} {CANARIES[1]} is a port.",
        f"The corridor Alpha Town – Betatown railway {CANARIES[2]} {CANARIES[3]} opens.",
        f"The Gamma Road (Gammaone–Gammatwo) {CANARIES[4]} {CANARIES[5]} is rebuilt.",
        f"Evilsea {CANARIES[6]} {CANARIES[7]} {CANARIES[8]} is wide.",
        f"Jscity {CANARIES[9]} {CANARIES[10]} {CANARIES[11]} is a city.",
        f"Alpha Town'Betatown {CANARIES[12]} {CANARIES[13]} {CANARIES[14]} {CANARIES[15]} ends here.",
        f"Evilport – Betatown road {HOSTILE}",
    ]
)

WATCH = """
(function () {
  window.__csp = window.__csp || [];
  if (!window.__cspWatch) {
    window.__cspWatch = true;
    document.addEventListener('securitypolicyviolation', function (e) {
      window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
    });
  }
  return true;
})()
"""
PROBE = """
JSON.stringify({
  pwned: typeof window.__pwned,
  csp: window.__csp || [],
  scripts: document.scripts.length,
  hostile: document.querySelectorAll(
    'img, iframe, details, [onerror], [onload], [onmouseover], [ontoggle], [srcdoc], a[href^="javascript"]').length,
  text: document.body.textContent.length
})
"""


def js(qtbot, view, code: str):
    """A probe through the page API's one way in (qtbot: the caller's, so Qt runs meanwhile)."""
    return view.api.wait_for(code)


@pytest.fixture(scope="module")
def hostile_atlas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    # The file name is hostile too: it is the document's name in titles and legends.
    first = folder / f"decl<img src=x onerror={PWN}>.txt"
    first.write_text(TEXT, encoding="utf-8")
    second = folder / f"second\"'><svg onload={PWN}>.html"  # no "/" in a file name
    second.write_text(f"<p>Jscity and Evilport.</p><p>{TEXT.replace('<', '&lt;')}</p>", encoding="utf-8")
    gazetteer = parse_gazetteer(GAZETTEER)
    atlas = build_atlas([read_document(first), read_document(second)], gazetteer)
    return atlas


def test_the_hostile_document_reaches_every_surface(hostile_atlas):
    """The test is only worth something if the canaries are really there."""
    atlas = hostile_atlas
    assert any(p.id.startswith("port\"'><img") for p in atlas.places)
    assert any(p.id.startswith("javascript:") for p in atlas.places)
    assert any("<script>" in p.source for p in atlas.places)
    assert any("<img" in p.kind for p in atlas.places), "a hostile kind reaches the legend"
    assert any("</script>" in (p.note or "") for p in atlas.places)
    corridors = [p for p in atlas.places if p.shape == "line" and "--" in p.id]
    assert corridors, "a corridor whose name is the document's own words"
    texts = " ".join(s.text for d in atlas.documents for s in d.sentences)
    assert all(c.strip() in texts for c in CANARIES if c.strip() and "\u2028" not in c)
    assert any("<img" in d.name for d in atlas.documents)


@pytest.fixture
def hostile_window(qtbot, hostile_atlas):
    from mapviewer.ui.window import MainWindow

    win = MainWindow(hostile_atlas)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    js(qtbot, win.map, WATCH)
    yield win
    win.map.cleanup()


def _assert_clean(qtbot, view, scripts_before: int | None = None) -> dict:
    assert view.api.wait_painted()  # two frames: any onerror/onload that was queued has fired
    probe = js(qtbot, view, PROBE)
    assert probe["pwned"] == "undefined", "a canary ran"
    assert probe["csp"] == [], f"injected markup tried to load or run: {probe['csp']}"
    assert probe["hostile"] == 0, "an element built from document text"
    if scripts_before is not None:
        assert probe["scripts"] == scripts_before
    return probe


def test_clicking_every_feature_runs_no_canary(qtbot, hostile_window, hostile_atlas):
    win = hostile_window
    before = _assert_clean(qtbot, win.map)
    state = js(qtbot, win.map, "mapviewer.state()")
    assert sorted(f["id"] for f in state["features"]) == sorted(p.id for p in hostile_atlas.places)
    for place in hostile_atlas.places:
        # A click goes to Python through the bridge; Python selects the place and opens its popup.
        with qtbot.waitSignal(win.placeShown, timeout=10_000):
            assert js(qtbot, win.map, f"mapviewer.fireClick({json.dumps(place.id)})") is True
        qtbot.waitUntil(lambda: place.name in (js(qtbot, win.map, "mapviewer.state()")["popup"] or ""), timeout=5_000)
        _assert_clean(qtbot, win.map, before["scripts"])
        # The panel: a QTextBrowser runs no script, but the markup must be text.
        html = win.panel_html
        assert "<script" not in html and "<img" not in html and "<svg" not in html and "<iframe" not in html
        assert "&lt;img" in html or "&lt;script" in html
        assert place.name in win.panel.toPlainText()
    # The names on the map carry the names as text, not markup (the full name in the element's title).
    tips = js(qtbot, win.map, "JSON.stringify([].map.call(document.querySelectorAll('.mv-label'),"
                              " function (t) { return [t.title, t.children.length ? t.children[0].children.length : 0]; }))")
    assert tips and all(n == 0 for _, n in tips)
    assert {p.name for p in hostile_atlas.places} <= {t for t, _ in tips}
    for place in hostile_atlas.places:
        win.show_place(place.id)
        win.map.api.focus([place.id])
    _assert_clean(qtbot, win.map, before["scripts"])
    assert win.map.guard.refused == []
    assert win.map.map_page.js_errors == []


def test_the_whole_document_panel_escapes_everything(qtbot, hostile_window, hostile_atlas):
    win = hostile_window
    win.show_document()
    html = win.panel_html
    for tag in ("<script", "<img", "<svg", "<iframe", "<details", "<body onload", "<a href=\"javascript"):
        assert tag not in html
    plain = win.panel.toPlainText()
    assert CANARIES[0] in plain and CANARIES[1] in plain  # shown, as the words they are
    # Links the panel makes are only its own place: and sentence: links.
    import re

    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("place:", "sentence:")) for h in hrefs)


def test_the_standalone_export_page_runs_no_canary(qtbot, hostile_atlas, tmp_path):
    """The HTML export carries the sentence texts in its popups: the riskiest page."""
    from mapviewer.map.page import PageOptions, build_page
    from mapviewer.ui.webview import MapView

    html = build_page(hostile_atlas, PageOptions(title=f"t</title><script>{PWN}</script>", standalone=True))
    view = MapView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    try:
        with qtbot.waitSignal(view.bridge.ready, timeout=60_000):
            view.show_page(html, {p.id for p in hostile_atlas.places})
            view.show()
        js(qtbot, view, WATCH)
        before = _assert_clean(qtbot, view)
        for place in hostile_atlas.places:  # no Python behind this page: a click selects and opens the popup
            assert js(qtbot, view, f"mapviewer.fireClick({json.dumps(place.id)})") is True
            popup = js(qtbot, view, "mapviewer.state()")["popup"]
            assert popup and place.name in popup
            _assert_clean(qtbot, view, before["scripts"])
        # The popups hold the hostile sentences, as text.
        js(qtbot, view, f"mapviewer.fireClick({json.dumps(hostile_atlas.places[0].id)})")
        assert CANARIES[0] in js(qtbot, view, "mapviewer.state()")["popup"]
        assert view.guard.refused == []
        assert view.map_page.js_errors == []
    finally:
        view.cleanup()


# --- the bridge ------------------------------------------------------------

CALL_BRIDGE = """
(function () {
  window.__bridgeDone = false;
  new QWebChannel(qt.webChannelTransport, function (channel) {
    var b = channel.objects.bridge;
    window.__bridgeMembers = Object.keys(b).filter(function (k) { return typeof b[k] === 'function'; });
    %s
    window.__bridgeDone = true;
  });
  return true;
})()
"""


def _call_bridge(qtbot, view, body: str) -> None:
    """Make the calls, then one last valid call: Qt delivers them in order, so when the last
    arrives every earlier one has been handled."""
    with qtbot.waitSignal(view.bridge.cursorAt, timeout=10_000, check_params_cb=lambda lon, lat: (lon, lat) == (1.25, 2.5)):
        js(qtbot, view, CALL_BRIDGE % (body + "\nb.cursorMoved(1.25, 2.5);"))


@pytest.mark.qt_log_ignore("Could not convert argument")  # Qt's own refusal of the wrong types sent on purpose
def test_the_bridge_ignores_unknown_and_oversized_ids(qtbot, hostile_window, hostile_atlas):
    win = hostile_window
    got: list[str] = []
    win.map.bridge.placeClicked.connect(got.append)
    hostile_calls = [
        "'no-such-place'", "'constructor'", "'__proto__'", "''", "null", "undefined", "12345", "{}", "[]",
        "'x'.repeat(10 * 1024 * 1024)",  # 10 MB
        json.dumps(hostile_atlas.places[0].id + "x"),
        json.dumps(hostile_atlas.places[0].id.upper()),
        "'../../../../etc/passwd'", "'file:///etc/passwd'", "'$(touch /tmp/mv-pwned)'",
    ]
    body = "\n".join(f"b.featureClicked({c});" for c in hostile_calls)
    body += "\nb.cursorMoved(NaN, Infinity); b.cursorMoved(1e308, -1e308); b.cursorMoved('a', {});"
    body += "\nb.tilesFailed('<img src=x onerror=" + PWN + ">'.repeat(100000));"
    _call_bridge(qtbot, win.map, body)
    assert got == []
    assert not Path("/tmp/mv-pwned").exists()
    assert len(win.statusBar().currentMessage()) <= 200
    # A known id still works through the same door.
    _call_bridge(qtbot, win.map, f"b.featureClicked({json.dumps(hostile_atlas.places[0].id)});")
    qtbot.waitUntil(lambda: got == [hostile_atlas.places[0].id], timeout=5_000)
    _assert_clean(qtbot, win.map)


def test_the_bridge_offers_no_way_to_files_or_commands(qtbot, hostile_window):
    """The page sees only the bridge's few methods; none reads files or runs commands."""
    win = hostile_window
    _call_bridge(qtbot, win.map, "")
    members = {m.split("(")[0] for m in js(qtbot, win.map, "JSON.stringify(window.__bridgeMembers)")}
    allowed = {
        "featureClicked", "mapReady", "tilesFailed", "cursorMoved", "wantOutlines", "framePainted",  # slots (no file names in)
        "placeClicked", "ready", "cursorAt", "tilesUnavailable", "outlinesWanted", "painted",  # signals (connect only)
        "deleteLater", "destroyed", "objectNameChanged",  # QObject's own
        "propertyUpdate", "signalEmitted", "unwrapProperties", "unwrapQObject",  # qwebchannel.js plumbing
    }
    assert members <= allowed, members - allowed


def test_the_default_offline_page_makes_no_request(hostile_window):
    assert hostile_window.map.guard.refused == []
    assert hostile_window.map.guard.allowed


def test_unknown_ids_sent_into_the_page_do_nothing(qtbot, hostile_window):
    """Python-side calls with ids the page does not know are refused, not crashes."""
    win = hostile_window
    for bad in ("constructor", "__proto__", "toString", "hasOwnProperty", "no-such"):
        assert js(qtbot, win.map, f"mapviewer.fireClick({json.dumps(bad)})") is False
        assert js(qtbot, win.map, f"mapviewer.focus([{json.dumps(bad)}])") == 0
    win.show_place(win.atlas.places[0].id)
    win.show_place("constructor")  # unknown to the Atlas: ignored, the selection stays
    assert win.selected == win.atlas.places[0].id
    assert win.map.map_page.js_errors == []


def test_fire_click_reaches_the_bridge_for_lines_and_areas(qtbot, hostile_window, hostile_atlas):
    win = hostile_window
    for place in [p for p in hostile_atlas.places if p.shape != "point"]:
        with qtbot.waitSignal(win.placeShown, timeout=3_000) as shown:
            js(qtbot, win.map, f"mapviewer.fireClick({json.dumps(place.id)})")
        assert shown.args == [place.id]


# --- template injection: document text that the page builder would run as code ----

SSTI = "{{ cycler.__init__.__globals__.os.system('touch %s') }}"


@pytest.mark.parametrize("where", ["text", "name", "title"])
def test_template_syntax_in_a_document_is_not_run(tmp_path, where):
    from mapviewer.core.document import Document
    from mapviewer.map.page import PageOptions, build_page

    marker = tmp_path / "ran"
    payload = SSTI % marker
    text = "Gwadar is a port " + (payload if where == "text" else "")  # one sentence: a place's text is in the page
    name = "doc" + (payload if where == "name" else "") + ".txt"
    atlas = build_atlas([Document(name=name, text=text)])
    try:
        page = build_page(atlas, PageOptions(title=payload if where == "title" else "t", standalone=True))
    except Exception:  # noqa: BLE001 - an error is better than running it, but still wrong
        page = ""
    assert not marker.exists(), "document text ran as Python while the page was built"
    assert "cycler.__init__" in page, "the text is shown as written"
