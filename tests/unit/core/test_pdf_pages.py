"""A PDF's pages: where each starts in the text, and "p. N" wherever the panel cites it.

The PDFs are written by hand (tests/pdfmaker.py): no network, no library
beyond pypdf, which reads them.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdfmaker import make_pdf

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.gazetteer import parse_gazetteer
from mapviewer.core.readers import join_pages, read_document
from mapviewer.reading import panel

GAZ = {
    "places": [
        {"id": "gwadar-port", "name": "Gwadar Port", "kind": "port", "point": [62.3396, 25.1105], "source": "t"},
        {"id": "karachi", "name": "Karachi", "kind": "city", "point": [67.0, 24.86], "source": "t"},
    ]
}

THREE_PAGES = [
    ["Joint Statement on Trade.", "Both delegations met for two days."],
    ["They agreed to expand Gwadar Port.", "Work starts next year."],
    ["The talks ended with a dinner."],
]


def _atlas(tmp_path, pages, name="declaration.pdf"):
    path = tmp_path / name
    path.write_bytes(make_pdf(pages))
    return build_atlas([read_document(path)], parse_gazetteer(GAZ))


def _marks(html: str) -> list[str]:
    return re.findall(r'<p class="pg">(?:<a name="[^"]*"></a>)?([^<]*)</p>', html)


# --- the reader -------------------------------------------------------------


def test_a_three_page_pdf_knows_where_each_page_starts(tmp_path):
    path = tmp_path / "d.pdf"
    path.write_bytes(make_pdf(THREE_PAGES))
    doc = read_document(path)
    assert doc.paged and len(doc.pages) == 3
    # the text is what it always was: the trimmed pages, a blank line between them
    assert doc.text == "\n\n".join("\n".join(lines) for lines in THREE_PAGES)
    for number, lines in enumerate(THREE_PAGES, 1):
        start = doc.pages[number - 1]
        assert doc.text[start:].startswith(lines[0])
        for line in lines:
            at = doc.text.index(line)
            assert doc.page_at(at) == number and doc.page_at(at + len(line) - 1) == number
    assert doc.page_at(doc.text.index("\n\n")) == 1  # the blank between pages belongs to the page before
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
        first, last = doc.page_range(s.start, s.end)
        assert first == last  # pages joined by a blank line: no sentence spans two


def test_empty_pages_are_counted_but_hold_no_text(tmp_path):
    pages = [[], ["First words of the text."], [], [], ["Gwadar Port on page five."], []]
    path = tmp_path / "gaps.pdf"
    path.write_bytes(make_pdf(pages))
    doc = read_document(path)
    assert doc.text == "First words of the text.\n\nGwadar Port on page five."
    assert len(doc.pages) == 6
    assert doc.pages == (0, 0, 26, 26, 26, len(doc.text))
    assert doc.empty_pages() == [1, 3, 4, 6]
    assert doc.page_at(0) == 2
    assert doc.page_at(doc.text.index("Gwadar")) == 5
    assert doc.page_at(len(doc.text) - 1) == 5 and doc.page_at(len(doc.text)) == 5
    assert doc.page_at(len(doc.text) + 1) is None and doc.page_at(-1) is None


def test_a_word_hyphenated_across_pages_keeps_its_halves_on_their_pages(tmp_path):
    path = tmp_path / "hyphen.pdf"
    path.write_bytes(make_pdf([["The corridor to the Medi-"], ["terranean Sea was opened."]]))
    doc = read_document(path)
    assert doc.text == "The corridor to the Medi-\n\nterranean Sea was opened."
    assert doc.page_at(doc.text.index("Medi-")) == 1
    assert doc.page_at(doc.text.index("terranean")) == 2
    assert [doc.page_range(s.start, s.end) for s in doc.sentences] == [(1, 1), (2, 2)]


def test_page_text_with_form_feeds_and_carriage_returns():
    pages = ["\x0c First page.\r\nSecond line.\r", "\x0c", "  \n ", "Third\x0cpage.\x0c"]
    text, starts = join_pages(pages)
    assert text == "First page.\nSecond line.\n\nThird\x0cpage."
    assert starts == (0, text.index("Third"), text.index("Third"), text.index("Third"))
    doc = Document("ff.pdf", text, pages=starts)
    assert doc.page_at(text.index("Second")) == 1 and doc.page_at(text.index("\x0cpage.")) == 4
    assert doc.empty_pages() == [2, 3]


def test_a_pdf_without_any_text_is_still_refused(tmp_path):
    from mapviewer.core.errors import InputError

    path = tmp_path / "blank.pdf"
    path.write_bytes(make_pdf([[], []]))
    with pytest.raises(InputError, match="no text layer"):
        read_document(path)


@given(st.lists(st.text(alphabet=st.sampled_from("ab .\n\r\x0c\t-"), max_size=12), max_size=8))
def test_joining_pages_gives_the_text_it_always_gave(pages):
    text, starts = join_pages(pages)
    # the reader's text before pages were kept: offsets of every existing document stay the same
    assert text == "\n\n".join(p.strip() for p in pages if p.strip()).replace("\r\n", "\n").replace("\r", "\n")
    assert len(starts) == len(pages)
    assert list(starts) == sorted(starts) and all(0 <= s <= len(text) for s in starts)
    if not text:
        return
    doc = Document("p.pdf", text, pages=starts)
    for number, page in enumerate(pages, 1):
        trimmed = page.replace("\r\n", "\n").replace("\r", "\n").strip()
        if trimmed:
            assert text[starts[number - 1] :].startswith(trimmed)
            assert doc.page_at(starts[number - 1]) == number
            assert doc.page_at(starts[number - 1] + len(trimmed) - 1) == number
        else:
            assert number in doc.empty_pages()


# --- the Document API ---------------------------------------------------------


def test_a_text_without_pages_has_no_page():
    doc = Document("plain.txt", "One sentence. Another one.")
    assert doc.pages == () and not doc.paged
    assert doc.page_at(0) is None and doc.page_range(0, 4) is None and doc.empty_pages() == []


def test_text_documents_read_from_files_have_no_pages(tmp_path):
    for name, content in [("a.txt", "Gwadar Port.\x0cNext page?"), ("b.md", "# T\n\nGwadar Port."),
                          ("c.html", "<html><body><p>Gwadar Port.</p></body></html>")]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        assert read_document(path).pages == ()


@pytest.mark.parametrize("pages", [(1, 5), (0, 5, 3), (0, 100)])
def test_page_offsets_must_make_sense(pages):
    with pytest.raises(ValueError, match="page offsets"):
        Document("bad.pdf", "Some words on a page.", pages=pages)


def test_a_sentence_over_two_pages_has_a_range():
    text = "A sentence that runs on over the page break. Then more."
    doc = Document("made.pdf", text, pages=(0, text.index("over")))
    assert doc.page_range(0, len("A sentence that runs on over the page break.")) == (1, 2)
    assert panel.page_label(doc, 0, 20) == "p. 1"
    assert panel.page_label(doc, 0, 40) == "pp. 1–2"
    assert panel.page_label(Document("t.txt", text), 0, 40) == ""


# --- the panel --------------------------------------------------------------


def test_a_place_on_page_two_cites_page_two(tmp_path):
    atlas = _atlas(tmp_path, THREE_PAGES)
    place = atlas.place("gwadar-port")
    assert place is not None
    html = panel.place_html(atlas, place)
    (doc, index), = place.sentence_keys()
    assert atlas.sentence(doc, index).text == "They agreed to expand Gwadar Port."
    assert f'href="sentence:{doc}:{index}">s. {index + 1} · p. 2</a>' in html
    assert "p. 1" not in html and "p. 3" not in html
    assert panel.citation(atlas, doc, index) == f"s. {index + 1} · p. 2"


def test_places_in_a_text_document_are_cited_without_a_page():
    atlas = build_atlas([Document("d.txt", "Hello there. They agreed to expand Gwadar Port.")], parse_gazetteer(GAZ))
    html = panel.place_html(atlas, atlas.place("gwadar-port"))
    assert 'href="sentence:0:1">s. 2</a>' in html and "p. " not in html
    assert panel.citation(atlas, 0, 1) == "s. 2"


def test_the_document_view_marks_each_page_where_it_starts(tmp_path):
    atlas = _atlas(tmp_path, THREE_PAGES)
    html = panel.document_html(atlas)
    assert _marks(html) == ["p. 1", "p. 2", "p. 3"]
    order = [html.index(x) for x in ('name="pdf-page-1"', "Joint Statement", "two days.", 'name="pdf-page-2"',
                                     "expand", "next year.", 'name="pdf-page-3"', "dinner")]
    assert order == sorted(order)
    # the marks are between sentences, never inside one
    for s in atlas.documents[0].sentences:
        assert panel.sentence_html(atlas, 0, s.index).count("p. ") == 0


def test_the_document_view_names_pages_without_text(tmp_path):
    atlas = _atlas(tmp_path, [[], ["Gwadar Port is on page two."], [], ["Page four ends it."], []])
    assert _marks(panel.document_html(atlas)) == ["p. 1 (no text)", "p. 2", "p. 3 (no text)", "p. 4", "p. 5 (no text)"]


def test_a_filtered_view_marks_only_the_pages_it_shows(tmp_path):
    from mapviewer.core.pledges import PledgeFilter

    pages = [["Pakistan and China met."], [], ["China will build Gwadar Port.", "They will upgrade Karachi."],
             ["The sides will cooperate on trade."]]
    atlas = _atlas(tmp_path, pages)
    flt = PledgeFilter(themes=frozenset({"infrastructure", "trade"}))
    shown = panel.shown_sentences(atlas, flt)
    assert [atlas.sentence(d, i).text for d, i in shown] == ["China will build Gwadar Port.",
                                                             "The sides will cooperate on trade."]
    # page 1 (filtered out) and page 2 (empty) get no mark; page 3 is marked before its first shown sentence
    assert _marks(panel.document_html(atlas, flt)) == ["p. 3", "p. 4"]
    flt = PledgeFilter(themes=frozenset({"trade"}))
    assert _marks(panel.document_html(atlas, flt)) == ["p. 4"]
    # a document filter alone shows the whole text: every page is marked
    assert _marks(panel.document_html(atlas, PledgeFilter(document=0))) == ["p. 1", "p. 2 (no text)", "p. 3", "p. 4"]


def test_a_text_document_shows_no_page_marks():
    atlas = build_atlas([Document("d.txt", "Page one. They agreed to expand Gwadar Port.\x0cMore text.")],
                        parse_gazetteer(GAZ))
    html = panel.document_html(atlas)
    assert 'class="pg"' not in html and "pdf-page" not in html


def test_a_long_pdf_view_opens_later_views_with_the_page_it_is_on(monkeypatch, tmp_path):
    monkeypatch.setattr(panel, "PAGE_SENTENCES", 4)
    pages = [[f"Sentence {p}.{i} on this page." for i in range(3)] for p in range(1, 5)]
    atlas = _atlas(tmp_path, pages)
    assert len(atlas.documents[0].sentences) == 12
    views = [panel.document_html(atlas, page=n) for n in range(3)]
    assert _marks(views[0]) == ["p. 1", "p. 2"]
    assert _marks(views[1]) == ["p. 2 (continued)", "p. 3"]  # sentence 5 is the second of page 2
    assert _marks(views[2]) == ["p. 3 (continued)", "p. 4"]


def test_pdf_text_and_name_are_escaped_in_the_panel(tmp_path):
    hostile = "<img src=x onerror=alert(1)> & <b>bold</b>"
    atlas = _atlas(tmp_path, [["Intro."], [f"They agreed to expand Gwadar Port {hostile} today."], []],
                   name="<script>x<\\script>.pdf")
    html = panel.place_html(atlas, atlas.place("gwadar-port")) + panel.document_html(atlas)
    assert "<img" not in html and "<b>" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;x&lt;\\script&gt;.pdf" in html
    assert "s. 2 · p. 2" in html and _marks(panel.document_html(atlas)) == ["p. 1", "p. 2", "p. 3 (no text)"]


def test_exports_say_on_which_page_a_pdf_names_a_place(tmp_path):
    from mapviewer.core.csvexport import pledge_rows
    from mapviewer.core.geojson import atlas_to_geojson

    atlas = _atlas(tmp_path, THREE_PAGES)
    (feature,) = [f for f in atlas_to_geojson(atlas)["features"] if f["properties"]["id"] == "gwadar-port"]
    assert [m["page"] for m in feature["properties"]["mentions"]] == [2]
    rows = [r for r in pledge_rows(atlas) if r["place_id"] == "gwadar-port"]
    assert rows and all(r["page"] == 2 for r in rows)


def test_exports_of_a_text_document_have_no_page():
    from mapviewer.core.geojson import atlas_to_geojson

    atlas = build_atlas([Document("t.txt", "They agreed to expand Gwadar Port.")], parse_gazetteer(GAZ))
    (feature,) = atlas_to_geojson(atlas)["features"]
    assert feature["properties"]["mentions"][0]["page"] is None
