"""An export's inset: where places crowd, a small map of them at a scale where they sit apart.

On the main map the page spreads markers that fall on the same pixels
(Gwadar Port and its airport at a country's scale); the inset shows the
biggest such crowd where each place really is, in a free corner of the map,
with a frame on the main map around the part it enlarges.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen

if TYPE_CHECKING:
    from ..reading.export import PictureOptions

INSET_SHARE = 0.28  # of the map's width
INSET_MIN = (190, 140)  # CSS pixels
INSET_ZOOM = 11  # at most a town's scale
MARGIN = 10


@dataclass
class Inset:
    image: QImage
    rect: QRectF  # where it goes on the map, in map CSS pixels
    locator: QRectF  # the part of the main map it enlarges
    caption: str
    ids: tuple[str, ...] = ()


def inset_size(options: PictureOptions) -> tuple[int, int]:
    width, _height = options.map_size()
    w = max(INSET_MIN[0], round(width * INSET_SHARE))
    return w, max(INSET_MIN[1], round(w * 0.72))


MOST = 2  # insets in one picture


APART_PX = 24  # at the inset's zoom, the crowd's places must lie this far apart to be worth one


def crowds(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The crowds of markers the page spread apart that an inset can show apart (not a
    building in its city, one block away), biggest first, at most ``MOST``."""
    def apart(crowd: dict[str, Any]) -> bool:
        west, south, east, north = crowd["box"]
        px_per_degree = 256 * 2 ** INSET_ZOOM / 360
        width = (east - west) * px_per_degree * math.cos(math.radians((north + south) / 2))
        return max(width, (north - south) * px_per_degree) >= APART_PX

    found = [c for c in state.get("crowds") or [] if apart(c)]
    return sorted(found, key=lambda c: -len(c["ids"]))[:MOST]


def mercator(state: dict[str, Any], lon: float, lat: float) -> tuple[float, float]:
    """Where the page shows a coordinate (map CSS pixels): Web Mercator from its top-left corner."""
    def world(x: float, y: float) -> tuple[float, float]:
        scale = 256 * 2 ** state["zoom"]
        s = math.sin(math.radians(max(-85.0511, min(85.0511, y))))
        return (x + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale

    (x, y), (x0, y0) = world(lon, lat), world(*state["topLeft"])
    return x - x0, y - y0


def locator(main: dict[str, Any], inset: dict[str, Any], size: tuple[int, int]) -> QRectF:
    """The inset's view as a box on the main map."""
    left, top = mercator(main, *inset["topLeft"])
    scale = 2 ** (main["zoom"] - inset["zoom"])
    return QRectF(left, top, size[0] * scale, size[1] * scale)


def corner_for(state: dict[str, Any], map_size: tuple[int, int], size: tuple[int, int], crowd: dict[str, Any],
               used: list[QRectF]) -> QRectF:
    """Where a crowd's inset goes: along an edge of the map (a corner, or between two where the
    corners are full), not over the crowd or another inset, over the fewest markers, then the
    fewest names and controls (names make room for it, markers cannot), the nearest to the crowd."""
    w, h = size
    width, height = map_size
    spots = [QRectF(x, y, w, h) for x, y in _edge_spots(width, height, w, h)]
    markers, boxes = [], [QRectF(QPointF(l, t), QPointF(r, b)) for l, t, r, b in state.get("controls", [])]
    for f in state["features"]:
        if f["onMap"]:
            markers.append(QRectF(f["x"] - 8, f["y"] - 8, 16, 16))
            if f.get("label"):
                l, t, r, b = f["label"]["box"]
                boxes.append(QRectF(QPointF(l, t), QPointF(r, b)))
    west, south, east, north = crowd["box"]
    (x0, y0), (x1, y1) = mercator(state, west, north), mercator(state, east, south)
    keep = QRectF(QPointF(x0, y0), QPointF(x1, y1)).adjusted(-24, -24, 24, 24)

    def cost(spot: QRectF) -> tuple[int, int, int, float]:
        blocked = int(spot.intersects(keep)) + sum(1 for u in used if spot.intersects(u))
        return (blocked, sum(1 for m in markers if spot.intersects(m)), sum(1 for b in boxes if spot.intersects(b)),
                (spot.center() - keep.center()).manhattanLength())

    return min(spots, key=cost)


def _edge_spots(width: float, height: float, w: float, h: float, steps: int = 6) -> list[tuple[float, float]]:
    """Top-left corners of an inset of w x h along the map's edges, ``MARGIN`` inside them: the four
    corners first, then evenly between them."""
    xs = [MARGIN + (width - w - 2 * MARGIN) * k / steps for k in range(steps + 1)]
    ys = [MARGIN + (height - h - 2 * MARGIN) * k / steps for k in range(steps + 1)]
    right, bottom = xs[-1], ys[-1]
    corners = [(MARGIN, MARGIN), (right, MARGIN), (right, bottom), (MARGIN, bottom)]
    between = [(x, y) for x in xs[1:-1] for y in (MARGIN, bottom)] + [(x, y) for y in ys[1:-1] for x in (MARGIN, right)]
    return corners + between


def caption(state: dict[str, Any], ids: list[str]) -> str:
    names = {f["id"]: f["name"] for f in state["features"]}
    return " · ".join(names[i] for i in ids if i in names)


def paint_inset(painter: QPainter, inset: Inset, map_rect: QRectF, font) -> None:
    """The inset in its frame with its caption, and a frame on the main map around what it shows
    (the caption names the places, so no line need cross the map to join them)."""
    ink = QColor("#263238")
    shown = inset.locator.translated(map_rect.topLeft()).intersected(map_rect)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(ink, 1.5))
    painter.drawRect(shown)
    rect = inset.rect.translated(map_rect.topLeft())
    painter.setPen(QPen(QColor("#ffffff"), 4))
    painter.drawRect(rect)
    painter.drawImage(rect, inset.image)
    painter.setPen(QPen(ink, 1.5))
    painter.drawRect(rect)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    text = metrics.elidedText(inset.caption, Qt.TextElideMode.ElideRight, rect.width() - 10)
    band = QRectF(rect.left(), rect.bottom() - metrics.height() - 4, rect.width(), metrics.height() + 4)
    painter.fillRect(band, QColor(255, 255, 255, 230))
    painter.setPen(ink)
    painter.drawText(band.adjusted(5, 0, -5, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
