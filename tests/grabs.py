"""Grabbing a web view that has no frame mark (the window's map), for tests that look at its pixels.

Pictures wait for their frame mark (``ui.frames.grab_marked``); the window's
map has none, so a test waits until the page says it painted and then for a
quiet spell with no new frame reaching Qt's side.
"""
from __future__ import annotations

import time

from PySide6.QtGui import QColor, QImage

from mapviewer.ui.frames import FrameClock, settle

QUIET_MS = 60  # no frame for this long after the page painted: its last frame has reached Qt


def grab_image(view) -> QImage:
    """The view's pixels as they are now; retried briefly while the page has not painted yet."""
    for _ in range(20):
        image = view.grab().toImage()
        if not image.isNull() and not _unpainted(image):
            return image
        settle(100)
    raise AssertionError("the map did not paint (the picture would be blank)")


def grab_painted(view, quiet_ms: int = QUIET_MS, timeout_ms: int = 3_000) -> QImage:
    """The view's pixels once what the page was asked to show has reached Qt."""
    view.api.wait_painted()
    since = time.perf_counter()
    clock = FrameClock(view)
    try:
        if clock.window is None:  # no frames to watch: a fixed spell
            settle(quiet_ms)
        deadline = since + timeout_ms / 1000
        while clock.window is not None:
            now = time.perf_counter()
            quiet_until = max(since, clock.last) + quiet_ms / 1000
            if now >= quiet_until or now >= deadline:
                break
            settle(max(1, round((quiet_until - now) * 1000)))
    finally:
        clock.close()
    return grab_image(view)


def _unpainted(image: QImage) -> bool:
    """One colour everywhere, and that colour white or empty: the page before its first frame.

    A map can be one colour (all land, zoomed in on a province), but never white:
    land, sea and the page's background all have colours of their own.
    """
    w, h = image.width(), image.height()
    samples = {image.pixel(x * w // 7, y * h // 7) for x in range(1, 7) for y in range(1, 7)}
    if len(samples) > 1:
        return False
    colour = QColor.fromRgba(samples.pop())
    return colour.alpha() == 0 or colour.name() in ("#ffffff", "#000000")
