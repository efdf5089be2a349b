"""Waiting for the map page to paint, and grabbing its pixels once it has.

A web view's frame travels from the page's renderer to its compositor and
then to Qt's side; a grab taken before it arrives shows the previous frame,
or part of it.  Everything that takes a picture of the map waits here.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QColor, QImage

from ..core.errors import ExportError
from .mappage import run_loop

READY_TIMEOUT_MS = 60_000


def wait_until_ready(view, timeout_ms: int = READY_TIMEOUT_MS) -> bool:
    """Spin an event loop until the page reports it has drawn everything."""
    if view.is_ready:
        return True
    loop = QEventLoop()
    view.bridge.ready.connect(loop.quit)
    run_loop(loop, timeout_ms, lambda: view.is_ready)
    view.bridge.ready.disconnect(loop.quit)
    return view.is_ready


def settle(ms: int) -> None:
    """Let Qt's loop run for ``ms``: the compositor hands a painted frame to Qt's side meanwhile."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class FrameClock:
    """When the web view's frames last reached Qt's side (its Qt Quick window rendered one).

    Kept from before the page is told to draw, it lets a grab wait for the
    next frame rather than for a fixed time (``grab_marked``).
    """

    def __init__(self, view) -> None:
        self.window = _frames_window(view)
        self.last = time.perf_counter()
        if self.window is not None:
            self.window.afterRendering.connect(self._rendered, Qt.ConnectionType.QueuedConnection)

    def _rendered(self) -> None:
        self.last = time.perf_counter()

    def wait_frame(self, after: float, timeout_ms: int) -> None:
        """Run Qt's loop until a frame reaches Qt after ``after`` (a perf_counter time), or the timeout."""
        if self.window is None:  # no frames to watch: about one frame's time
            settle(16)
            return
        deadline = after + timeout_ms / 1000
        while self.last <= after and time.perf_counter() < deadline:
            settle(3)

    def close(self) -> None:
        if self.window is not None:
            self.window.afterRendering.disconnect(self._rendered)
            self.window = None


def grab_marked(view, mark: str, map_height: int, clock: FrameClock, timeout_ms: int = 10_000) -> QImage:
    """The map's pixels once the strip below it (``api.js`` showMark) shows ``mark``; the strip cut off.

    The page colours the strip when what was asked has painted, so the
    first frame on Qt's side that shows the colour shows the whole request:
    no guessing how long a frame takes to arrive (a 3200x2000 one can take
    over 100 ms, a small one 30).
    """
    want = QColor(mark)
    deadline = time.perf_counter() + timeout_ms / 1000
    while True:
        asked = time.perf_counter()
        image = view.grab().toImage()
        if _shows_mark(image, want, map_height):
            return image.copy(0, 0, image.width(), min(map_height, image.height()))
        if asked > deadline:
            raise ExportError("the map did not paint in time (the picture would show an earlier state)")
        clock.wait_frame(asked, 100)


def _shows_mark(image: QImage, want: QColor, map_height: int) -> bool:
    """The strip's colour across the bottom row, and not across the map's last rows above it.

    A frame drawn at the view's former size or zoom, which Qt shows
    stretched to the new one, has the strip's colour far up the picture.
    """
    if image.isNull() or image.height() < 2 or not 2 <= map_height < image.height():
        return False
    return _row_is(image, image.height() - 1, want) and not _row_is(image, map_height - 2, want)


def _row_is(image: QImage, y: int, want: QColor) -> bool:
    w = image.width()
    for x in (w // 8, w // 2, w - 1 - w // 8):
        got = QColor(image.pixel(x, y))
        if max(abs(got.red() - want.red()), abs(got.green() - want.green()), abs(got.blue() - want.blue())) > 3:
            return False
    return True


def _frames_window(view):
    """The Qt Quick window the web view's frames are rendered in, or None if it has none."""
    import shiboken6
    from PySide6.QtQuickWidgets import QQuickWidget

    proxy = view.focusProxy()
    if proxy is None or proxy.metaObject().className() != "QQuickWidget":
        return None
    return shiboken6.wrapInstance(shiboken6.getCppPointer(proxy)[0], QQuickWidget).quickWindow()
