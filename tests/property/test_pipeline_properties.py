"""Property-based tests over the whole text -> map pipeline.

Random Unicode, control characters, right-to-left and bidi marks, very long
lines and very many sentences go through the reader, the sentence splitter,
the geoparser, the Atlas, the GeoJSON export, the map page and the panel:
no exception, offsets that hold, nothing that could run as code, and a
bounded time for each example.
"""
from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document, split_sentences
from mapviewer.core.errors import InputError
from mapviewer.core.geojson import atlas_to_geojson
from mapviewer.core.readers import decode, html_to_text, read_document
from mapviewer.map.features import page_places
from mapviewer.map.page import PageOptions, build_page, script_json, sentence_table
from mapviewer.reading import panel

TIME_LIMIT_S = 5.0  # per example, for texts up to ~200 KB
MAX_TEXT = 200_000

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Names the bundled gazetteer knows, so the random texts do find places,
# corridors ("Raikot–Thakot") and routes, not only noise.
NAMES = [
    "Gwadar", "Gwadar Port", "New Gwadar International Airport", "Beijing", "Islamabad", "Karachi",
    "Peshawar", "Raikot", "Thakot", "Karakoram Highway", "ML-1", "Xinjiang", "Xizang", "Taiwan",
    "South China Sea", "Jammu and Kashmir", "Pakistan", "China", "Chinese", "Pakistani",
    "Great Hall of the People", "Afghanistan", "گوادر", "پاکستان", "中国", "巴基斯坦",
]
JOINS = [" ", " ", " ", "-", "–", "—", " to ", " (", ") ", ", ", "'s ", "’", ". ", "! ", "? ", "。", "\n", "\n\n", "\t"]
NOISE = [
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2069", "\u200b", "\ufeff", "\u00a0", "\u2028", "\u2029",
    "\x00", "\x07", "\x1b[31m", "\r", "\x0b", "\x0c", "\x85", "…", "...", "\U0001F600", "e\u0301", "ﬁ", "İ", "ß",
    "مرحبا بالعالم", "שלום", "<script>window.__pwned=1</script>", "&amp;", "&lt;", "\"'`", "\\", "{{x}}", "${x}",
]
ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be in decoded text

noise_piece = st.one_of(
    st.sampled_from(JOINS),
    st.sampled_from(NOISE),
    st.text(ANY_CHAR, max_size=30),
    st.text(st.characters(min_codepoint=0x590, max_codepoint=0x6FF), max_size=30),  # Hebrew, Arabic
)
piece = st.one_of(st.sampled_from(NAMES), noise_piece)
# Up to a few hundred pieces: long enough for many sentences and mentions.
mixed_text = st.lists(piece, max_size=400).map("".join)

# Texts full of place names, corridors and routes, as long as any other.
MAX_NAMED_TEXT = MAX_TEXT


@st.composite
def long_texts(draw, pieces=noise_piece, max_size=MAX_TEXT):
    """A unit repeated until the text is very long: one endless line or very many sentences."""
    unit = draw(st.lists(pieces, min_size=1, max_size=6).map("".join).filter(bool))
    sep = draw(st.sampled_from(["", " ", ". ", "\n", "! ", "。", "......", "\u202e"]))
    size = draw(st.integers(min_value=1_000, max_value=max_size))
    block = unit + sep
    return (block * (size // len(block) + 1))[:size]


any_text = st.one_of(
    st.text(ANY_CHAR, max_size=3_000), mixed_text, long_texts(), long_texts(piece, MAX_NAMED_TEXT)
)


def _check_document(doc: Document) -> None:
    text = doc.text
    last_end = 0
    for i, s in enumerate(doc.sentences):
        assert s.index == i
        assert last_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text == s.text.strip()
        last_end = s.end
        assert doc.sentence_at(s.start) == s
        assert doc.sentence_at(s.end - 1) == s


def _check_atlas(atlas) -> None:
    doc = atlas.documents[0]
    for place in atlas.places:
        assert place.id and isinstance(place.id, str)
        assert place.refs
        for ref in place.refs:
            m = ref.mention
            assert doc.text[m.start : m.end] == m.surface
            s = doc.sentences[m.sentence]
            assert s.start <= m.start < m.end <= s.end


@pytest.fixture(scope="module", autouse=True)
def _gazetteer_built():
    """The full gazetteer's index is built once per machine (seconds) and cached: no one text's cost."""
    from mapviewer.core.gazetteer import full_gazetteer

    full_gazetteer()


def _run_pipeline(text: str) -> None:
    start = time.perf_counter()
    doc = Document(name="random <b>doc</b>.txt", text=text)
    _check_document(doc)
    atlas = build_atlas([doc])
    _check_atlas(atlas)
    # GeoJSON export: strict JSON, no NaN, every feature with the contract's fields.
    gj = atlas_to_geojson(atlas)
    json.dumps(gj, allow_nan=False, ensure_ascii=False)
    assert len(gj["features"]) == len(atlas.places)
    # The page's data block cannot end its <script> element, whatever the text says.
    data = script_json({"places": page_places(atlas, True), "sentences": sentence_table(atlas)})
    assert "<" not in data and ">" not in data and "\u2028" not in data
    assert json.loads(data)["sentences"] == sentence_table(atlas)
    # The panel: every piece of text escaped, so no tag the text brought survives.
    html = panel.document_html(atlas) + "".join(panel.place_html(atlas, p) for p in atlas.places[:20])
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT_S, f"{len(text)} characters took {elapsed:.1f} s"


@SETTINGS
@given(any_text)
def test_text_to_atlas_never_fails_and_is_quick(text):
    _run_pipeline(text)


@SETTINGS
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=60), st.sampled_from(JOINS))
def test_names_are_found_where_they_stand(names, join):
    text = join.join(names) + "."
    doc = Document(name="d", text=text)
    atlas = build_atlas([doc])
    _check_atlas(atlas)
    assert atlas.places, "a text of gazetteer names finds some place"


@SETTINGS
@given(st.text(ANY_CHAR, max_size=5_000))
def test_sentences_partition_the_text(text):
    sentences = split_sentences(text)
    covered = "".join(text[s.start : s.end] for s in sentences)
    # Only whitespace and sentence-less punctuation are left between sentences.
    assert sum(len(s.text) for s in sentences) == len(covered) <= len(text)
    gaps = [text[a.end : b.start] for a, b in zip(sentences, sentences[1:])]
    assert all(not any(c.isalnum() for c in g) for g in gaps)


@SETTINGS
@given(st.binary(max_size=20_000))
def test_any_bytes_decode_or_give_one_line(data):
    start = time.perf_counter()
    try:
        text = decode(data, "f.txt")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("f.txt: ")
    else:
        assert isinstance(text, str)
    assert time.perf_counter() - start < TIME_LIMIT_S


@SETTINGS
@given(st.one_of(st.binary(max_size=20_000), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       st.sampled_from([".txt", ".md", ".html", ".pdf", ""]))
def test_any_file_reads_or_gives_one_line(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("f") / f"doc{suffix}"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        doc = read_document(path)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.text.strip()
        _check_document(doc)
    assert time.perf_counter() - start < TIME_LIMIT_S


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(["<p>", "</p>", "<script>", "</script>", "<style>", "<!--", "-->",
                                           "<![CDATA[", "<br/>", "&", "&#0;", "&#x110000;", "&nbsp;", "<a href='",
                                           "<svg><script>", "</svg>", "<"]),
                          st.text(ANY_CHAR, max_size=20)), max_size=200).map("".join))
def test_html_to_text_never_fails(markup):
    start = time.perf_counter()
    text = html_to_text("<html><body>" + markup)
    assert isinstance(text, str)
    assert time.perf_counter() - start < TIME_LIMIT_S


def test_the_full_page_of_a_hostile_text_builds():
    """One full page (basemap and standalone sentence texts) of a text full of markup."""
    text = ". ".join(f"{name} <script>window.__pwned=1</script> \u202e{name}" for name in NAMES) * 5
    atlas = build_atlas([Document(name="x</title><script>alert(1)</script>", text=text)])
    page = build_page(atlas, PageOptions(title="t</title><script>alert(1)</script>", standalone=True))
    assert page.count("<script>window.__pwned") == 0
    assert "</title><script>alert" not in page


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000,
        "!?" * 50_000,
        "a" + "." * 100_000 + "b",
        ("word " * 40_000).strip(),
        "\n" * 100_000,
        "A short sentence. " * 11_000,
        "\u202eگوادر\u202c " * 20_000,
    ],
    ids=["dots", "bangs", "dots-in-word", "one-long-line", "blank-lines", "many-sentences", "rtl-overrides"],
)
def test_pathological_texts_are_quick(text):
    _run_pipeline(text)


def test_many_sentences_that_name_places_are_quick():
    _run_pipeline("Gwadar. " * 25_000)


def test_many_mentions_of_one_corridor_are_quick():
    _run_pipeline("The ML-1 from Karachi to Peshawar. " * 2_000)


def test_long_blank_run_before_a_corridor_is_quick():
    _run_pipeline("Karakoram Highway" + " " * 60_000 + "x Raikot–Thakot.")
