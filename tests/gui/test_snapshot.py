"""PNG exports: the requested size, and pixels that show land, sea and features."""
from __future__ import annotations

import subprocess
import sys

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


def test_export_from_the_window_shows_the_map(qtbot, window, tmp_path, page_state, run_js):
    port_id = "gwadar-port"
    run_js(window.map, f"mapviewer.focus([{port_id!r}])")  # the user zooms in on the port
    qtbot.waitUntil(lambda: page_state(window.map)["zoom"] >= 7, timeout=10_000)
    qtbot.wait(900)  # the fly animation ends
    out = tmp_path / "map.png"
    assert window.export_png(out)
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
    assert _share(image, SEA) > 0.05 and _share(image, LAND) > 0.05
    line_colours = {"#c62828", "#ef6c00"}  # the railway and the highway
    seen = {image.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(0, 500, 2)}
    assert line_colours <= seen


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
    from mapviewer.ui.snapshot import MapRenderer, SnapshotOptions

    options = SnapshotOptions(size=(700, 450), title="t", legend=False)
    with MapRenderer(first=options) as renderer:
        renderer.while_loading(lambda: None)
        renderer.set_atlas(seed_atlas)
        fast = renderer.render(options).map_image
        renderer._shown = None  # forget it was drawn so: the slow way, state applied after the places
        slow = renderer.render(options).map_image
    assert (fast.width(), fast.height()) == (slow.width(), slow.height())
    same = [fast.pixelColor(x, y) == slow.pixelColor(x, y) for x in range(0, fast.width(), 5) for y in range(0, fast.height(), 5)]
    assert sum(same) > 0.98 * len(same)
    # no zoom buttons on paper: the "+" button's white square is map there
    assert not any(_near(fast.pixelColor(x, y), QColor("#ffffff"), 3) for x in (20, 27, 34) for y in (20, 27, 34))
