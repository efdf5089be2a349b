"""File > Export snapshot…: options, preview, every format, the clipboard, failures."""
from __future__ import annotations

import io
import json

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage

from mapviewer.core.output import default_title
from mapviewer.ui.export_dialog import ExportDialog
from mapviewer.reading.export import SOURCE_BAND, TITLE_BAND
from mapviewer.ui.snapshot import compose


@pytest.fixture
def dialog(qtbot, window):
    d = ExportDialog(window)
    d.setParent(None, d.windowFlags())  # outlive the window's teardown, then close its offscreen map
    yield d
    d.done(0)
    d.deleteLater()


def _choose(d: ExportDialog, kind: str) -> None:
    d.format.setCurrentIndex(d.format.findData(kind))


def _colours(image: QImage, x: float, y: float, r: int = 3) -> set[str]:
    return {image.pixelColor(round(x) + dx, round(y) + dy).name() for dx in range(-r, r + 1) for dy in range(-r, r + 1)}


def _near(c: QColor, want: str, tol: int = 14) -> bool:
    w = QColor(want)
    return abs(c.red() - w.red()) <= tol and abs(c.green() - w.green()) <= tol and abs(c.blue() - w.blue()) <= tol


def test_defaults_and_preview(dialog, window):
    assert dialog.title_edit.text() == default_title(window.atlas)
    assert dialog.as_shown.isChecked() and dialog.legend.isChecked()
    dialog.refresh_preview()
    assert not dialog.preview.pixmap().isNull()
    _choose(dialog, "geojson")
    assert not dialog.scale_box.isEnabled() and not dialog.copy_button.isEnabled()


def test_png_as_shown_is_the_users_map_with_a_title(dialog, window, tmp_path, page_state):
    out = tmp_path / "shown.png"
    assert dialog.export_to(out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (window.map.width(), window.map.height() + TITLE_BAND + SOURCE_BAND)
    city = next(f for f in page_state(window.map)["features"] if f["id"] == "islamabad")
    assert "#b71c1c" in _colours(image, city["x"], city["y"] + TITLE_BAND)  # same view, under the title band
    seen = window.map.grab().toImage()
    w, h = seen.width(), seen.height()
    # The same picture: each sampled pixel matches one within a pixel of it (the canvas may
    # be laid half a pixel apart in the offscreen view, which shifts antialiasing only).
    same = [any(_near(image.pixelColor(x + dx, y + dy + TITLE_BAND), seen.pixelColor(x, y).name(), 8)
                for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            for x in range(60, w - 60, 9) for y in range(80, h - 10, 9)]  # away from the zoom buttons
    assert sum(same) > 0.97 * len(same)
    assert image.text("Title") == dialog.title_edit.text()


def test_pixels_and_scale(dialog, tmp_path):
    dialog.pixels.setChecked(True)
    dialog.width_box.setValue(500)
    dialog.height_box.setValue(400)
    dialog.scale_box.setCurrentIndex(dialog.scale_box.findData(2.0))
    out = tmp_path / "2x.png"
    assert dialog.export_to(out)
    assert QImage(str(out)).size().toTuple() == (1000, 800)


def test_the_legend_and_callouts_are_painted(dialog, seed_atlas):
    dialog.callouts.setChecked(True)
    options = dialog.options()
    snap = dialog.render(options)
    image = compose(snap)
    box = dialog._renderer.view.api.wait_for("JSON.stringify(document.querySelector('.mv-legend').getBoundingClientRect())")
    inside = [image.pixelColor(round(box["left"] + dx), round(box["top"] + TITLE_BAND + dy))
              for dx in range(2, int(box["width"]) - 2, 3) for dy in range(2, int(box["height"]) - 2, 3)]
    assert sum(_near(c, "#ffffff", 10) for c in inside) > 0.5 * len(inside)  # the legend's panel
    assert any(_near(c, "#c62828", 30) for c in inside)  # the railway's symbol
    assert snap.callouts
    state = snap.state
    for f in state["features"]:
        if f["callout"]:  # each number painted where the page put it, beside its own place
            left, top, right, bottom = f["callout"]
            assert "#212121" in _colours(image, (left + right) / 2, (top + bottom) / 2 + TITLE_BAND, 4), f["name"]
    dialog.legend.setChecked(False)
    without = compose(dialog.render(dialog.options()))
    assert dialog._renderer.view.api.state()["legend"]["box"][2] == 0  # not displayed
    changed = [without.pixelColor(round(box["left"] + dx), round(box["top"] + TITLE_BAND + dy)) != c
               for (dx, dy), c in zip([(dx, dy) for dx in range(2, int(box["width"]) - 2, 3)
                                       for dy in range(2, int(box["height"]) - 2, 3)], inside)]
    assert sum(changed) > 0.3 * len(changed)  # where the legend was, something else is painted now


def test_pdf_geojson_csv_and_html_from_the_dialog(dialog, tmp_path, seed_atlas):
    from pypdf import PdfReader

    _choose(dialog, "pdf")
    assert dialog.callouts.isChecked()
    dialog.scale_box.setCurrentIndex(0)
    assert dialog.export_to(tmp_path / "m.pdf")
    assert len(PdfReader(io.BytesIO((tmp_path / "m.pdf").read_bytes())).pages) >= 2
    for kind in ("geojson", "csv", "html"):
        _choose(dialog, kind)
        assert dialog.export_to(tmp_path / f"m.{kind}")
    assert len(json.loads((tmp_path / "m.geojson").read_bytes())["features"]) == len(seed_atlas.places)
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfdocument,")
    assert "<!--" in (tmp_path / "m.html").read_text(encoding="utf-8")[:200]


def test_copy_to_clipboard(dialog, window):
    assert dialog.copy_to_clipboard()
    image = QGuiApplication.clipboard().image()
    assert image.size().toTuple() == (window.map.width(), window.map.height() + TITLE_BAND + SOURCE_BAND)


def test_a_failed_write_is_reported_and_leaves_nothing(dialog, tmp_path):
    (tmp_path / "a-file").write_text("x")
    assert not dialog.export_to(tmp_path / "a-file" / "x.png")
    assert "not a folder" in dialog.status.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_dialog_and_the_shell_write_the_same_picture(dialog, tmp_path, seed_path):
    """One export path: for the same view and options, the same pixels."""
    import subprocess
    import sys

    dialog.keep_view.setChecked(False)
    dialog.pixels.setChecked(True)
    dialog.width_box.setValue(800)
    dialog.height_box.setValue(520)
    assert dialog.export_to(tmp_path / "dialog.png")
    result = subprocess.run([sys.executable, "-m", "mapviewer", "export", str(seed_path), "--png", str(tmp_path / "shell.png"),
                             "--size", "800x520"], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    a, b = QImage(str(tmp_path / "dialog.png")), QImage(str(tmp_path / "shell.png"))
    assert a.size() == b.size()
    differ = sum(not _near(a.pixelColor(x, y), b.pixelColor(x, y).name(), 24)
                 for x in range(0, a.width(), 4) for y in range(0, a.height(), 4))
    assert differ < 0.01 * (a.width() // 4) * (a.height() // 4)


@pytest.mark.parametrize("page, landscape, keep", [("A4", True, True), ("A4", False, False), ("Letter", True, False),
                                                    ("Letter", False, True)])
def test_pdf_pages_show_whole_maps_with_every_callout_on_its_place(dialog, window, tmp_path, page, landscape, keep):
    from pypdf import PdfReader

    from mapviewer.reading.export import MARGIN_MM, Paper

    window.map.api.zoom(1)  # a view of the reader's own, for "keep current view"
    _choose(dialog, "pdf")
    dialog.page_box.setCurrentText(page)
    dialog.orientation.setCurrentIndex(0 if landscape else 1)
    dialog.keep_view.setChecked(keep)
    assert dialog.export_to(tmp_path / "m.pdf")
    assert len(PdfReader(io.BytesIO((tmp_path / "m.pdf").read_bytes())).pages) >= 2
    snap = dialog.render(dialog.options())  # the same picture again
    assert snap.options.size == Paper(page, landscape).pixels(MARGIN_MM)
    state = snap.state
    width, height = snap.options.map_size()
    assert snap.callouts
    for f in state["features"]:
        if not f["callout"]:
            continue
        left, top, right, bottom = f["callout"]
        near = [(f["x"], f["y"])] + ([((f["label"]["box"][0] + f["label"]["box"][2]) / 2, (f["label"]["box"][1] +
                                        f["label"]["box"][3]) / 2)] if f["label"] else [])
        assert min(abs((left + right) / 2 - x) + abs((top + bottom) / 2 - y) for x, y in near) < 160, f["name"]
        assert 0 <= left and right <= width and 0 <= top and bottom <= height
    for left, top, right, bottom in state["controls"]:  # legend, scale bar, key, attribution: inside the frame
        assert -3 <= left and right <= width + 3 and -3 <= top and bottom <= height + 3
    image = snap.map_image
    cells = 8
    for i in range(cells):  # no blank block: no cell of the grab is all white, black or empty
        for j in range(cells):
            x0, y0 = image.width() * i // cells, image.height() * j // cells
            colours = {image.pixel(x0 + dx, y0 + dy) for dx in range(0, image.width() // cells, 7)
                       for dy in range(0, image.height() // cells, 7)}
            if len(colours) == 1:
                colour = QColor.fromRgba(colours.pop())
                assert colour.alpha() == 255 and colour.name() not in ("#ffffff", "#000000"), (i, j)
                assert colour.name() != dialog._renderer._mark, (i, j)  # not the frame mark's strip, stretched


# --- where it saves, under which name, and what it remembers ------------------------------


def test_the_save_dialog_starts_in_pictures_or_documents_with_the_documents_title(dialog, window, tmp_path, monkeypatch):
    from mapviewer.reading.filenames import safe_file_name
    from mapviewer.ui.exportchoices import first_folder

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_PICTURES_DIR", raising=False)
    (tmp_path / "Pictures").mkdir()
    (tmp_path / "Documents").mkdir()
    assert first_folder(picture=True) == tmp_path / "Pictures" and first_folder(picture=False) == tmp_path / "Documents"
    path = dialog.suggested_path()
    assert path.parent == tmp_path / "Pictures"
    assert path.name == safe_file_name(default_title(window.atlas), ".png") and not path.name.startswith("map")
    assert ".txt" not in path.name
    _choose(dialog, "geojson")
    assert dialog.suggested_path().parent == tmp_path / "Documents" and dialog.suggested_path().suffix == ".geojson"


def test_it_opens_in_the_last_folder_used(dialog, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "reports"
    folder.mkdir()
    asked: list[str] = []

    def save_as(_parent, _caption, start, _filter):
        asked.append(start)
        return str(folder / "gwadar"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    _choose(dialog, "geojson")
    dialog.choose_and_export()
    assert (folder / "gwadar.geojson").exists()
    again = ExportDialog(window)
    try:
        assert again.suggested_path().parent == folder
        assert again.kind == "geojson"  # and the format chosen last
    finally:
        again.done(0)


def test_its_options_are_remembered_between_uses(dialog, window):
    _choose(dialog, "png")
    dialog.pixels.setChecked(True)
    dialog.width_box.setValue(1234)
    dialog.height_box.setValue(777)
    dialog.scale_box.setCurrentIndex(dialog.scale_box.findData(2.0))
    dialog.legend.setChecked(False)
    dialog.callouts.setChecked(True)
    dialog.keep_view.setChecked(False)
    dialog.done(0)
    again = ExportDialog(window)
    try:
        assert again.kind == "png" and again.pixels.isChecked()
        assert (again.width_box.value(), again.height_box.value()) == (1234, 777)
        assert again.scale_box.currentData() == 2.0
        assert not again.legend.isChecked() and again.callouts.isChecked() and not again.keep_view.isChecked()
        assert again.scale_bar.isChecked() and again.attribution.isChecked()
        assert again.options().size == (1234, 777) and again.options().scale == 2.0 and not again.options().legend
    finally:
        again.done(0)
