"""Reading the declaration through the map: filters, tour, search, documents, escaping."""
from __future__ import annotations

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.pledges import PledgeFilter


def _on_map(state):
    return {f["id"] for f in state["features"] if f["onMap"]}


def test_theme_filter_hides_and_shows_the_right_features(qtbot, window, seed_atlas, page_state):
    flt = PledgeFilter(themes=frozenset({"sovereignty"}))
    expected = {p.id for p in seed_atlas.places if any(flt.accepts(k[0], seed_atlas.pledges.get(k)) for k in p.sentence_keys())}
    assert "taiwan" in expected and "gwadar-port" not in expected
    window.set_filter(flt)
    qtbot.waitUntil(lambda: _on_map(page_state(window.map)) == expected, timeout=5_000)
    assert "PLEDGE" in window.panel.toPlainText()
    assert "Gwadar Port" not in window.panel.toPlainText()  # the text filters with the map
    window.toolbar.clear_filters()
    qtbot.waitUntil(lambda: _on_map(page_state(window.map)) == {p.id for p in seed_atlas.places}, timeout=5_000)


def test_party_combo_filters_too(qtbot, window, seed_atlas, page_state):
    index = window.toolbar.party_box.findData("China")
    assert index > 0
    window.toolbar.party_box.setCurrentIndex(index)
    state = page_state(window.map)
    shown = _on_map(state)
    assert "xinjiang" not in shown  # named only in a pledge by Pakistan
    assert "jammu-and-kashmir" in shown  # China's pledge on Kashmir
    assert window.counts.text().startswith(f"{len(shown)} places")


def test_tour_follows_the_order_of_the_text(qtbot, window, seed_atlas):
    seen = [window.tour_next() for _ in seed_atlas.places]
    assert seen == [p.id for p in seed_atlas.places]
    firsts = [seed_atlas.place(i).refs[0].mention.start for i in seen]
    assert firsts == sorted(firsts)
    assert window.tour_next() == seen[0]  # wraps
    assert window.tour_previous() == seen[-1]


def test_search_finds_and_counts_hits(qtbot, window):
    window.show_document()
    window.toolbar.search.setText("gwadar")
    assert window.search.find_next()
    hits = window.panel.toPlainText().lower().count("gwadar")
    assert hits >= 2 and window.toolbar.search_info.text() == f"1 of {hits} hits"  # "Gwadar Port", "New Gwadar International Airport"
    assert window.panel.textCursor().selectedText() == "Gwadar"
    first = window.panel.textCursor().position()
    window.search.find_next()
    assert window.panel.textCursor().position() > first
    window.toolbar.search.setText("no such words here")
    assert not window.search.find_next() and window.toolbar.search_info.text() == "not found"


def test_shortcuts_exist_for_reading(window):
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["Find…"] == "Ctrl+F"
    assert shortcuts["Next place"] == "Alt+Right" and shortcuts["Previous place"] == "Alt+Left"
    assert shortcuts["Open…"] == "Ctrl+O" and shortcuts["Export snapshot…"] == "Ctrl+E"
    assert shortcuts["Quit"] == "Ctrl+Q"


GAZ = {
    "places": [
        {"id": "gwadar-port", "name": "Gwadar Port", "kind": "port", "point": [62.3396, 25.1105], "source": "t"},
        {"id": "odd", "name": 'Port <b>"A&B"</b> \'Q\'', "demonyms": ["Oddish"], "kind": "port", "point": [67.0, 24.8],
         "source": "t"},
        {"id": "pakistan", "name": "Pakistan", "kind": "country", "point": [69.3, 30.4], "area_km2": 881913, "source": "t"},
    ]
}


def test_two_documents_are_grouped_per_place(qtbot, seed_atlas):
    from mapviewer.ui.window import MainWindow

    docs = [
        Document("statement-2023-06-28.txt", "Pakistan agreed to expand Gwadar Port. Trade will grow."),
        Document("declaration-2025-02-05.txt", "Both sides welcomed the operationalisation of Gwadar Port."),
    ]
    atlas = build_atlas(docs, parse_gazetteer(GAZ))
    win = MainWindow(atlas)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    win.show_place("gwadar-port")
    text = win.panel.toPlainText()
    assert text.index("statement-2023-06-28.txt") < text.index("expand Gwadar") < text.index(
        "declaration-2025-02-05.txt") < text.index("operationalisation")
    win.toolbar.doc_box.setCurrentIndex(win.toolbar.doc_box.findData(1))
    assert "expand" not in win.panel.toPlainText() and "operationalisation" in win.panel.toPlainText()
    win.map.cleanup()


def test_names_are_escaped_in_tooltips_and_popups(qtbot, run_js):
    from mapviewer.ui.window import MainWindow

    atlas = build_atlas([Document("x", 'The Oddish <b>"A&B"</b> side sailed to Gwadar Port.')], parse_gazetteer(GAZ))
    assert {p.id for p in atlas.places} == {"odd", "gwadar-port"}
    win = MainWindow(atlas)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    run_js(win.map, "mapviewer.fireClick('odd')")
    check = (
        "JSON.stringify({bold: document.querySelectorAll('.leaflet-pane b').length,"
        " tips: Array.from(document.querySelectorAll('.mv-label')).map(t => t.textContent),"
        " popup: (document.querySelector('.mv-popup-name') || {}).textContent})"
    )
    result = run_js(win.map, check)
    name = 'Port <b>"A&B"</b> \'Q\''
    assert result["bold"] == 0
    assert name in result["tips"] and result["popup"] == name
    win.show_place("odd")
    assert "Port &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;" in win.panel_html and "<b>" not in win.panel_html
    win.map.cleanup()


def test_two_filters_together_draw_what_the_counts_and_the_tour_say(qtbot, make_window, page_state, rested):
    """Gwadar Port has China's security pledge and Pakistan's trade pledge: theme security with
    party Pakistan matches no single pledge, so the map, the counts and the tour all leave it out."""
    text = "China will strengthen security at Gwadar Port. Pakistan will expand trade through Gwadar Port and Karachi."
    win = make_window(build_atlas([Document("two.txt", text)]))
    win.set_filter(PledgeFilter(themes=frozenset({"security"}), parties=frozenset({"Pakistan"})))
    state = rested(win.map)
    assert _on_map(state) == set(win.session.visible_ids())
    assert "gwadar-port" not in _on_map(state)
    assert win.counts.text().startswith(f"{len(_on_map(state))} place")
    assert win.tour_next() is None or win.tour_next() in _on_map(state)
    win.set_filter(PledgeFilter(themes=frozenset({"trade"}), parties=frozenset({"Pakistan"})))
    state = rested(win.map)
    assert _on_map(state) == set(win.session.visible_ids()) and {"gwadar-port", "karachi"} <= _on_map(state)
