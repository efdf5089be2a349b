"""The PDF: the map page with numbered callouts, then the places with their sentences."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mapviewer.reading.export import Paper, PictureOptions
from mapviewer.ui.pdf import pdf_bytes
from mapviewer.ui.snapshot import MapRenderer


@pytest.fixture(scope="module")
def rendered(seed_atlas):
    from mapviewer.ui.snapshot import ensure_app

    ensure_app()
    with MapRenderer(seed_atlas) as renderer:
        snap = renderer.render(PictureOptions(title="Pakistan–China joint declaration", scale=2, callouts=True).for_pdf(Paper()))
    return snap, PdfReader(io.BytesIO(pdf_bytes(seed_atlas, snap)))


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_two_pages_at_least_with_the_map_first(rendered):
    snap, pdf = rendered
    assert len(pdf.pages) >= 2
    page = pdf.pages[0]
    assert abs(float(page.mediabox.width) - 842) < 2 and abs(float(page.mediabox.height) - 595) < 2  # A4 landscape
    assert len(page.images) >= 1  # the map
    assert snap.map_image.width() >= 2 * 1000  # grabbed at the print scale, not blown up


def test_the_map_page_text_is_vector_and_numbers_match_the_list(rendered, seed_atlas):
    """Title and source line are PDF text; the numbers on the map are the list's numbers."""
    snap, pdf = rendered
    first = _words(pdf.pages[0].extract_text())
    assert "Pakistan–China joint declaration" in first and "sha256" in first
    numbers_on_map = set(snap.callouts)
    assert len(numbers_on_map) >= 8
    assert numbers_on_map <= set(snap.numbers.values())
    rest = _words(" ".join(p.extract_text() for p in pdf.pages[1:]))
    for place in seed_atlas.places:
        assert f"{snap.numbers[place.id]}. {place.name}" in rest
    port_sentence = seed_atlas.sentence(*seed_atlas.place("gwadar-port").sentence_keys()[0]).text
    assert _words(port_sentence)[:60] in rest


def test_metadata_says_where_it_came_from(rendered, seed_atlas):
    _snap, pdf = rendered
    meta = pdf.metadata
    assert meta["/Title"] == "Pakistan–China joint declaration"
    assert meta["/Creator"].startswith("mapviewer ")
    assert seed_atlas.documents[0].sha256 in meta["/Subject"]
    assert "Natural Earth" in meta["/Keywords"]


def test_a_key_longer_than_its_band_ends_with_how_many_more_the_list_has(qapp, seed_atlas):
    """The key under the map takes at most 30 % of the page; its last cell then points to the list."""
    from PySide6.QtGui import QColor, QImage

    from mapviewer.ui.snapshot import Snapshot, callout_numbers

    options = PictureOptions(title="t", callouts=True, key_entries=300).for_pdf(Paper())
    columns, rows = options.key_grid()
    image = QImage(*options.map_size(), QImage.Format.Format_RGB32)
    image.fill(QColor("#aad3df"))
    key = [(n, f"Place {n}") for n in range(1, 301)]
    snap = Snapshot(options, image, callout_numbers(seed_atlas), key=key)
    first = _words(PdfReader(io.BytesIO(pdf_bytes(seed_atlas, snap))).pages[0].extract_text())
    shown = columns * rows - 1
    assert f"Place {shown}" in first and f"Place {shown + 1} " not in first + " "
    assert f"and {300 - shown} more: see the list" in first
