"""One table of formats and one way to write each: the shell and the window share them."""
from __future__ import annotations

import json

import pytest

from mapviewer.core.atlas import build_atlas
from mapviewer.core.document import Document
from mapviewer.core.errors import ExportError
from mapviewer.reading.export import (
    FORMATS, KEY_PAD, KEY_ROW, SOURCE_BAND, TITLE_BAND, Paper, PictureOptions, Request, export_documents, picture_requests, write, write_data,
)

TEXT = "Pakistan and China agreed to upgrade Gwadar Port and the railway to Karachi."


@pytest.fixture(scope="module")
def atlas():
    return build_atlas([Document("t.txt", TEXT)])


def test_paper_sizes_in_css_pixels():
    assert Paper("A4", landscape=True).pixels() == (1123, 794)
    assert Paper("A4", landscape=False).pixels() == (794, 1123)
    assert Paper("Letter", landscape=False).pixels() == (816, 1056)
    assert Paper("A4").pixels(margin_mm=10) == (1047, 718)  # a PDF's printable area
    with pytest.raises(ExportError):
        Paper("A3")


def test_the_map_is_the_picture_less_its_bands():
    assert PictureOptions(size=(800, 600), title="T").map_size() == (800, 600 - TITLE_BAND - SOURCE_BAND)
    assert PictureOptions(size=(800, 600), title="", attribution=False).map_size() == (800, 600)


def test_the_callouts_key_is_a_band_of_even_columns_under_the_map():
    a4 = PictureOptions(title="T", callouts=True, key_entries=17).for_pdf(Paper("A4", True))  # 1047 x 718
    assert a4.key_grid() == (4, 5)  # four columns of 250 px fit; 17 numbers fill five rows
    assert a4.map_size() == (1047, 718 - TITLE_BAND - SOURCE_BAND - (5 * KEY_ROW + 2 * KEY_PAD))
    portrait = PictureOptions(callouts=True, key_entries=17).for_pdf(Paper("A4", False))  # 718 wide: two columns
    assert portrait.key_grid() == (2, 9)
    assert PictureOptions(callouts=True, key_entries=3).key_grid() == (3, 1)  # few numbers: one row, not six columns
    crowded = PictureOptions(size=(800, 600), callouts=True, key_entries=400)
    columns, rows = crowded.key_grid()
    assert columns == 3 and rows * KEY_ROW + 2 * KEY_PAD <= 0.3 * 600  # at most 30 % of the picture; the rest "see the list"
    assert PictureOptions(callouts=False, key_entries=17).key_grid() == (0, 0)
    assert PictureOptions(callouts=False, key_entries=17).map_size() == PictureOptions().map_size()


def test_the_shell_s_pictures():
    base = PictureOptions(title="T")
    png, pdf = picture_requests({"png": "a.png", "pdf": "a.pdf"}, base, None, None, True, None, None)
    assert (png.kind, png.picture.size, png.picture.scale, png.picture.callouts) == ("png", (1600, 1000), 1.0, False)
    assert (pdf.kind, pdf.paper, pdf.picture.size, pdf.picture.scale, pdf.picture.callouts) == \
        ("pdf", Paper("A4", True), Paper().pixels(10), 2.0, True)
    (png,) = picture_requests({"png": "a.png"}, base, None, "Letter", False, 2, True)
    assert png.picture.size == Paper("Letter", False).pixels() and png.picture.scale == 2 and png.picture.callouts


def test_data_formats_are_written_without_a_web_engine(atlas, tmp_path):
    for kind in ("geojson", "csv", "html"):
        line = write_data(kind, atlas, tmp_path / f"m.{kind}", "A title")
        assert line.startswith(f"wrote {tmp_path / f'm.{kind}'}")
    assert len(json.loads((tmp_path / "m.geojson").read_bytes())["features"]) == len(atlas.places)
    assert "<title>A title</title>" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_a_picture_needs_a_renderer(atlas, tmp_path):
    with pytest.raises(ExportError):
        write(Request("png", tmp_path / "m.png", PictureOptions()), atlas)
    with pytest.raises(ExportError):
        Request("tiff", tmp_path / "m.tiff")


def test_every_format_has_what_the_shell_and_the_dialog_need():
    for key, fmt in FORMATS.items():
        assert fmt.key == key and fmt.suffix.startswith(".") and f"*{fmt.suffix}" in fmt.file_filter and fmt.help


class _Renderer:
    """Records what it is asked to draw: the export module's side of the contract."""

    def __init__(self, first):
        self.first, self.drawn, self.atlas = first, [], None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def while_loading(self, job):
        return job.result()

    def set_atlas(self, atlas):
        self.atlas = atlas

    def write(self, kind, atlas, options, path, paper):
        assert atlas is self.atlas
        self.drawn.append((kind, options.title, paper))
        return f"drew {path}"


def test_export_documents_checks_targets_first_and_titles_pictures(tmp_path):
    src = tmp_path / "decl.txt"
    src.write_text(TEXT, encoding="utf-8")
    made = []

    def renderer(first):
        made.append(_Renderer(first))
        return made[-1]

    requests = [Request("geojson", tmp_path / "m.geojson"),
                *picture_requests({"png": tmp_path / "m.png"}, PictureOptions(title="untitled"), None, None, True, None, None)]
    lines = export_documents([src], requests, renderer)
    assert lines[0].startswith("wrote") and lines[1] == f"drew {tmp_path / 'm.png'}"
    assert made[0].drawn[0][1] != "untitled"  # the placeholder gives way to the document's title
    with pytest.raises(ExportError):  # a target that cannot be written fails before any work
        export_documents([src], [Request("csv", tmp_path / "no-such-folder" / "m.csv")], renderer)
    assert len(made) == 1
