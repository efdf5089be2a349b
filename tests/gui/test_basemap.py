"""The offline basemap never lies: land is painted as land and sea as sea, at every zoom,
whatever the reader did before (filters, search, the tour, other documents)."""
from __future__ import annotations

import pytest
from mapclicks import pixel
from PySide6.QtGui import QColor

from mapviewer.core.pledges import PledgeFilter

LAND, SEA = QColor("#efe9d8"), QColor("#aad3df")  # style.js
# Points far from the seed's places and their labels, so nothing is drawn over them.
LAND_POINTS = [(53.0, 32.0, "Iran"), (67.0, 48.0, "Kazakhstan"), (103.0, 46.5, "Mongolia")]
SEA_POINTS = [(64.0, 17.0, "Arabian Sea"), (88.0, 14.0, "Bay of Bengal")]


def _near(c: QColor, want: QColor, tol: int = 6) -> bool:
    return abs(c.red() - want.red()) <= tol and abs(c.green() - want.green()) <= tol and abs(c.blue() - want.blue()) <= tol


def _check_every_zoom(window, picture) -> list[str]:
    """Centre the map on each point at zooms 3, 6 and 9; what is wrong, as words."""
    wrong = []
    for zoom in (3, 6, 9):
        for points, want in ((LAND_POINTS, LAND), (SEA_POINTS, SEA)):
            for lon, lat, name in points:
                assert window.map.api.ask("setView", [lon, lat, zoom]) is True
                state, image = picture(window.map)
                ratio = image.width() / window.map.width()
                x, y = pixel(state, lon, lat)
                colour = image.pixelColor(round(x * ratio), round(y * ratio))
                if not _near(colour, want):
                    wrong.append(f"{name} at zoom {zoom} ({state['basemap']}): {colour.name()}")
    return wrong


def test_land_and_sea_after_filters_search_tour_and_documents(qtbot, window, rested, picture, tmp_path, seed_path):
    assert _check_every_zoom(window, picture) == []
    window.set_filter(PledgeFilter(themes=frozenset({"security"})))
    window.toolbar.search.setText("Gwadar")
    window.search.find_next()
    for _ in range(3):
        window.tour_next()
        rested(window.map)
    window.map.api.zoom(1)
    rested(window.map)
    assert _check_every_zoom(window, picture) == []
    other = tmp_path / "other.txt"
    other.write_text("China and Iran agreed to extend the railway from Tehran to Mashhad.", encoding="utf-8")
    for paths in ([other], [seed_path]):  # another document, then back
        with qtbot.waitSignal(window.mapDrawn, timeout=60_000):
            assert window.open_files(paths)
    window.set_filter(PledgeFilter())
    window.fit_all()
    rested(window.map)
    assert _check_every_zoom(window, picture) == []


@pytest.mark.parametrize("steps", [4])
def test_land_stays_land_through_quick_zooms(window, rested, picture, steps):
    """Zooming in and out in quick steps (the wheel), past the zoom where the detailed outlines take over."""
    window.map.api.ask("setView", [67.0, 48.0, 4])
    rested(window.map)
    for delta in [1] * steps + [-1] * steps + [1] * steps:
        window.map.api.zoom(delta)
        state, image = picture(window.map)
        ratio = image.width() / window.map.width()
        x, y = pixel(state, 67.0, 48.0)
        assert _near(image.pixelColor(round(x * ratio), round(y * ratio)), LAND), (state["zoom"], state["basemap"])


def test_towns_and_rivers_give_context_when_zoomed_in(window, picture):
    """From zoom 7 the map names the towns around (GeoNames), from zoom 6 it draws the major rivers."""
    ink = QColor("#5d5d5d")
    window.map.api.ask("setView", [73.0, 33.6, 5])
    state, image = picture(window.map)
    assert state["towns"] == 0
    window.map.api.ask("setView", [72.5, 33.9, 9])  # near Islamabad and the Indus
    state, image = picture(window.map)
    assert state["towns"] >= 10 and state["basemap"] == "detail"
    pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
    assert sum(_near(c, ink, 10) for c in pixels) > 20  # town dots and names
    # A river's line: the only blue inland (drawn under the places' tints, so judged by hue).
    assert sum(c.blue() > c.red() + 25 and c.blue() > c.green() for c in pixels) > 20
