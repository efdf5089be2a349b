"""PNG exports: the requested size, and pixels that show land, sea and features."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage


SEA = QColor("#aad3df")
LAND = QColor("#efe9d8")


def _near(c: QColor, want: QColor, tol: int = 12) -> bool:
    return abs(c.red() - want.red()) <= tol and abs(c.green() - want.green()) <= tol and abs(c.blue() - want.blue()) <= tol


def _share(image: QImage, want: QColor) -> float:
    w, h, hits, n = image.width(), image.height(), 0, 0
    for x in range(0, w, 7):
        for y in range(0, h, 7):
            n += 1
            hits += _near(image.pixelColor(x, y), want)
    return hits / n


def test_export_of_the_windows_view_shows_the_map(qtbot, window, tmp_path, page_state, rested):
    from mapviewer.reading.export import PictureOptions, Request, write
    from mapviewer.ui.snapshot import MapRenderer

    port_id = "gwadar-port"
    window.map.api.focus([port_id])  # the user zooms in on the port
    state = rested(window.map)
    assert state["zoom"] >= 7
    out = tmp_path / "map.png"
    view = (*state["center"], state["zoom"], *state["topLeft"])
    options = PictureOptions(size=(window.map.width(), window.map.height()), view=view, attribution=False)
    with MapRenderer(window.atlas) as renderer:
        write(Request("png", out, options), window.atlas, renderer)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (window.map.width(), window.map.height())
    assert _share(image, SEA) > 0.05 and _share(image, LAND) > 0.05
    port = next(f for f in page_state(window.map)["features"] if f["id"] == port_id)
    x, y = round(port["x"]), round(port["y"])
    colours = {image.pixelColor(x + dx, y + dy).name() for dx in range(-3, 4) for dy in range(-3, 4)}
    assert "#0d47a1" in colours  # the port's marker is painted where the page put it
    assert "mapviewer" in image.text("Software")
    assert "sha256:" in image.text("Source")


def test_headless_cli_export_has_the_requested_size(tmp_path, seed_path):
    out = tmp_path / "seed.png"
    result = subprocess.run(
        [sys.executable, "-m", "mapviewer", "export", str(seed_path), "--png", str(out), "--size", "800x500"],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 500)
    assert _share(image, SEA) > 0.02 and _share(image, LAND) > 0.02
    line_colours = {"#c62828", "#ef6c00"}  # the railway and the highway
    seen = {image.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(0, 500, 2)}
    assert line_colours <= seen


def _group_members(pgid: int) -> list[int]:
    """Live processes in this process group (the web engine's helpers inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, ...
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_headless_export_exits_without_leaving_the_web_engine_behind(tmp_path):
    """The export skips the engine's teardown (``cli.entry``): every file must be
    whole, every line said, and no helper process left running."""
    out = tmp_path / "seed.png"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mapviewer", "export", "--png", str(out), "--size", "400x300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stderr
    assert f"wrote {out} (400x300)" in stdout
    assert QImage(str(out)).size().width() == 400
    deadline = time.monotonic() + 10
    while _group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_members(proc.pid) == []


def test_scale_multiplies_the_pixels(tmp_path, seed_path):
    out = tmp_path / "seed2x.png"
    result = subprocess.run(
        [sys.executable, "-m", "mapviewer", "export", "--png", str(out), "--size", "400x300", "--scale", "2"],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 600)


def test_a_first_render_drawn_with_the_places_matches_one_drawn_after(qtbot, seed_atlas):
    """The CLI's page draws the first picture's state with the places (one wait, not two):
    the same picture as applying that state afterwards, buttons hidden."""
    from mapviewer.core.background import Background
    from mapviewer.reading.export import PictureOptions
    from mapviewer.ui.snapshot import MapRenderer

    options = PictureOptions(size=(700, 450), title="t", legend=False)
    with MapRenderer(first=options) as renderer:
        renderer.while_loading(Background(lambda: None))
        renderer.set_atlas(seed_atlas)
        fast = renderer.render(options).map_image
        renderer._shown = None  # forget it was drawn so: the slow way, state applied after the places
        slow = renderer.render(options).map_image
    assert (fast.width(), fast.height()) == (slow.width(), slow.height())
    same = [fast.pixelColor(x, y) == slow.pixelColor(x, y) for x in range(0, fast.width(), 5) for y in range(0, fast.height(), 5)]
    assert sum(same) > 0.98 * len(same)
    # no zoom buttons on paper: the "+" button's white square is map there
    assert not any(_near(fast.pixelColor(x, y), QColor("#ffffff"), 3) for x in (20, 27, 34) for y in (20, 27, 34))


@pytest.mark.parametrize("size, scale, view", [((1600, 1000), 2.0, None), ((1200, 800), 1.0, (62.3, 25.1, 9.0))])
def test_a_picture_is_the_frame_the_page_painted_not_an_earlier_one(qapp, seed_atlas, size, scale, view):
    """A large frame reaches Qt well after the page painted it (at 3200x2000, past any fixed wait),
    and a zoomed-in one waits for the detailed outlines: the grab is what the view shows once all is in."""
    from mapviewer.reading.export import PictureOptions
    from grabs import grab_image

    from mapviewer.ui.frames import settle
    from mapviewer.ui.snapshot import MapRenderer

    options = PictureOptions(size=size, title="t", scale=scale, view=view)
    with MapRenderer(first=options) as renderer:
        renderer.set_atlas(seed_atlas)
        grabbed = renderer.render(options).map_image
        settle(600)
        later = grab_image(renderer.view)
    assert (grabbed.width(), grabbed.height()) == (round(options.map_size()[0] * scale), round(options.map_size()[1] * scale))
    later = later.copy(0, 0, grabbed.width(), grabbed.height())  # the frame mark's strip below the map is not the picture
    assert grabbed == later
    colours = {grabbed.pixelColor(x, y).name() for x in range(0, grabbed.width(), 3) for y in range(0, grabbed.height(), 3)}
    assert colours & {"#c62828", "#0d47a1"}  # the places are drawn: the railway's red or the port's blue


def test_the_legend_hides_no_place_or_name_in_a_small_export(qtbot, seed_atlas):
    """At 1000x650 the seed's view reaches the bottom-left corner (Gwadar): the legend moves to a free one."""
    from mapviewer.reading.export import PictureOptions
    from mapviewer.ui.snapshot import MapRenderer

    options = PictureOptions(size=(1000, 650), title="A title band, as the command line gives")
    with MapRenderer(first=options) as renderer:
        renderer.set_atlas(seed_atlas)
        renderer.render(options)
        boxes = renderer.view.api.wait_for("""JSON.stringify((function () {
          function box(e) { var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
          var names = [].filter.call(document.querySelectorAll('.mv-label'), function (t) { return t.style.visibility !== 'hidden'; });
          return { legend: box(document.querySelector('.mv-legend')),
                   names: names.map(function (t) { return [t.textContent].concat(box(t.firstChild)); }) };
        })())""")
        markers = [(f["name"], f["x"], f["y"]) for f in renderer.view.api.state()["features"]
                   if f["type"] == "Point"]
    left, top, right, bottom = boxes["legend"]
    assert right > left and bottom > top
    assert any(n == "Gwadar Port" for n, *_ in boxes["names"])
    for name, l, t, r, b in boxes["names"]:
        assert r <= left or l >= right or b <= top or t >= bottom, f"the legend covers the name {name!r}"
    for name, x, y in markers:
        assert not (left - 7 < x < right + 7 and top - 7 < y < bottom + 7), f"the legend covers the marker of {name!r}"


@pytest.mark.parametrize("width", [240, 400, 900])
def test_the_source_line_wraps_between_words_and_is_never_cut_inside_one(qapp, seed_atlas, width):
    from PySide6.QtGui import QFontMetricsF

    from mapviewer.ui.snapshot import _font, source_line, wrap_words

    text = source_line(seed_atlas)
    metrics = QFontMetricsF(_font(11))
    lines = wrap_words(text, metrics, width, 2)
    assert metrics.horizontalAdvance(text) > 2 * 240  # more than a line at every width here
    if width >= 900:  # two lines hold the whole provenance
        assert len(lines) == 2 and " ".join(lines) == text
    else:  # what does not fit is left out after a whole word, and says so
        assert len(lines) == 2 and lines[-1].endswith("…") and " ".join(lines) != text
    for line in lines:  # every line fits, and none is "Source:" alone
        assert metrics.horizontalAdvance(line) <= width and len(line.split()) > 1, (line, width)
    words = set(text.split())

    def shortened(w: str) -> bool:  # a word wider than a line, cut in its middle: its two ends are one word's
        head, _, tail = w.partition("…")
        return bool(head and tail) and any(v.startswith(head) and v.endswith(tail) and len(v) > len(w) for v in words)

    for line in lines:
        assert all(w in words or w == "…" or shortened(w) for w in line.split()), line
    if width >= 400:  # wide enough for every word: whole words only
        assert " ".join(lines).replace(" …", "") in text
    else:  # the file's name is wider than 240 px: shortened in its middle, after "Source:" on the first line
        assert lines[0].startswith("Source: pakistan-") and lines[0].endswith("-05.txt") and "…" in lines[0]


def test_a_pdf_picture_has_an_inset_where_places_crowd(qapp, seed_atlas):
    """At the first view Gwadar Port and its airport fall on the same pixels: the picture adds a
    small map of them, apart, along an edge where it covers no name, marker or control."""
    from PySide6.QtCore import QRectF

    from mapviewer.reading.export import Paper, PictureOptions
    from mapviewer.ui.snapshot import MapRenderer

    with MapRenderer(seed_atlas) as renderer:
        snap = renderer.render(PictureOptions(title="t", inset=True, callouts=True).for_pdf(Paper()))
        state = snap.state
        assert len(snap.insets) == 1
        inset = snap.insets[0]
        assert set(inset.ids) == {"gwadar-port", "new-gwadar-international-airport"}
        assert "Gwadar Port" in inset.caption and "New Gwadar International Airport" in inset.caption
        width, height = snap.options.map_size()
        assert QRectF(0, 0, width, height).contains(inset.rect)
        for f in state["features"]:
            for box in ([f["label"]["box"]] if f["label"] else []) + ([f["callout"]] if f["callout"] else []):
                assert not inset.rect.intersects(QRectF(box[0], box[1], box[2] - box[0], box[3] - box[1])), f["name"]
        for left, top, right, bottom in state["controls"]:
            assert not inset.rect.intersects(QRectF(left, top, right - left, bottom - top).adjusted(3, 3, -3, -3))
        for f in state["features"]:  # nor a marker: between two corners where every corner has one
            assert not (f["onMap"] and inset.rect.intersects(QRectF(f["x"] - 8, f["y"] - 8, 16, 16))), f["name"]
        assert not inset.rect.intersects(inset.locator)  # the part it enlarges stays in view beside it
        # in the inset the two places lie apart: the port's blue and the airport's purple both painted
        colours = {inset.image.pixelColor(x, y).name() for x in range(inset.image.width()) for y in range(inset.image.height())}
        assert "#0d47a1" in colours and "#6a1b9a" in colours
        plain = renderer.render(PictureOptions(title="t").for_pdf(Paper()))
        assert plain.insets == []


def test_every_area_and_line_in_view_of_a_pdf_picture_has_its_number(qapp, seed_atlas):
    """A place in view without its number cannot be found in the PDF's list: Jammu and Kashmir,
    crowded at its label point by Islamabad and the Karakoram Highway, takes a spot elsewhere
    inside it.  The key of the numbers is a band under the map, so it covers no place: on the
    map, in a corner, it had hidden Taiwan, Hong Kong and the South China Sea."""
    from mapviewer.reading.export import KEY_PAD, KEY_ROW, Paper, PictureOptions
    from mapviewer.ui.snapshot import MapRenderer, compose, layout

    options = PictureOptions(title="t", scale=1.0, callouts=True).for_pdf(Paper("A4", True))
    with MapRenderer(first=options) as renderer:
        renderer.set_atlas(seed_atlas)
        snap = renderer.render(options)
    width, height = snap.options.map_size()
    assert height < options.map_size()[1] and snap.map_image.height() == height  # the band is the map's room, not over it
    shown = [f for f in snap.state["features"] if f["type"] != "Point" and f["onMap"]
             and 0 <= f["x"] <= width and 0 <= f["y"] <= height]
    assert {"Jammu and Kashmir", "Taiwan", "Hong Kong", "ML-1 railway"} <= {f["name"] for f in shown}
    assert [f["name"] for f in shown if not f["callout"]] == []
    names = {name for _n, name in snap.key}
    assert {"Jammu and Kashmir", "Taiwan", "Hong Kong", "South China Sea"} <= names
    image = compose(snap)  # every entry's disc is painted in the band, down its columns
    _title, _map, key_rect, _source = layout(snap.options)
    columns, rows = snap.options.key_grid()
    column = (key_rect.width() - 16) / columns
    for k, _entry in enumerate(snap.key):
        x = round(key_rect.left() + 8 + (k // rows) * column)
        y = round(key_rect.top() + KEY_PAD + (k % rows + 0.5) * KEY_ROW - 8)
        dark = sum(image.pixelColor(x + i, y + j).lightness() < 80 for i in range(16) for j in range(16))
        assert dark > 90, (k, dark)  # a dark disc with a white number, not the band's white


def test_the_frame_mark_is_taken_only_where_the_strip_is(qapp):
    """A frame drawn at the view's former zoom, which Qt showed stretched to the new size, had the
    strip's colour over half the picture; the export dialog's 2x PNG then came out half green."""
    from mapviewer.ui.frames import _shows_mark

    mark, land = QColor("#6ef362"), QColor("#efe9d8")
    map_height, height = 400, 404

    def frame(mark_from: int) -> QImage:
        from PySide6.QtGui import QPainter

        image = QImage(600, height, QImage.Format.Format_RGB32)
        image.fill(land)
        painter = QPainter(image)
        painter.fillRect(0, mark_from, 600, height - mark_from, mark)
        painter.end()
        return image

    assert _shows_mark(frame(map_height), mark, map_height)  # the strip below the map, the map above
    assert not _shows_mark(frame(200), mark, map_height)  # stretched: the strip's colour up into the map
    assert not _shows_mark(frame(map_height), QColor("#123456"), map_height)  # an earlier request's mark


def test_the_key_band_is_as_tall_as_the_numbers_in_view_need(qapp, seed_atlas):
    """A view of Pakistan alone shows a few of the seed's 17 numbered places: the band under the
    map has rows for those, not blank rows for the places out of view, and the map keeps the room."""
    from mapviewer.reading.export import Paper, PictureOptions
    from mapviewer.ui.snapshot import MapRenderer

    options = PictureOptions(title="t", scale=1.0, callouts=True, view=(69.5, 29.5, 6.0)).for_pdf(Paper("A4", True))
    with MapRenderer(seed_atlas, first=options) as renderer:
        snap = renderer.render(options)
    every = PictureOptions(title="t", callouts=True, key_entries=len(seed_atlas.places)).for_pdf(Paper("A4", True))
    names = {name for _n, name in snap.key}
    assert {"Gwadar Port", "Islamabad"} <= names and "Beijing" not in names and "Taiwan" not in names
    columns, rows = snap.options.key_grid()
    assert rows < every.key_grid()[1] and len(snap.key) <= columns * rows  # no blank row, none left out
    assert rows == -(-len(snap.key) // columns)
    assert snap.map_image.height() == snap.options.map_size()[1] > every.map_size()[1]
