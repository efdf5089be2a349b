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
SETTLE_MS = 60  # quiet time after the page painted: its last frame has reached Qt


def wait_until_ready(view, timeout_ms: int = READY_TIMEOUT_MS) -> bool:
    """Spin an event loop until the page reports it has drawn everything."""
    if view.is_ready:
        return True
    loop = QEventLoop()
    view.bridge.ready.connect(loop.quit)
    run_loop(loop, timeout_ms, lambda: view.is_ready)
    view.bridge.ready.disconnect(loop.quit)
    return view.is_ready


def settle(ms: int = SETTLE_MS) -> None:
    """Let Qt's loop run for ``ms``: the compositor hands a painted frame to Qt's side meanwhile."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab_image(view) -> QImage:
    """The view's pixels as they are now; retried briefly while the page has not painted yet."""
    for _ in range(20):
        image = view.grab().toImage()
        if not image.isNull() and not _unpainted(image):
            return image
        settle(100)
    raise ExportError("the map did not paint (the picture would be blank)")


class FrameClock:
    """When the web view's frames last reached Qt's side (its Qt Quick window rendered one).

    Kept from before the page is told to draw, it lets a grab wait only for
    a quiet spell after the page painted, not for a fixed number of them.
    """

    def __init__(self, view) -> None:
        self.window = _frames_window(view)
        self.last = time.perf_counter()
        if self.window is not None:
            self.window.afterRendering.connect(self._rendered, Qt.ConnectionType.QueuedConnection)

    def _rendered(self) -> None:
        self.last = time.perf_counter()

    def wait_quiet(self, since: float, quiet_ms: int, timeout_ms: int) -> None:
        """Run Qt's loop until no frame has reached Qt for ``quiet_ms``, counted from ``since`` at the earliest."""
        if self.window is None:  # no frames to watch: a fixed spell
            settle(quiet_ms)
            return
        deadline = since + timeout_ms / 1000
        while True:
            now = time.perf_counter()
            quiet_until = max(since, self.last) + quiet_ms / 1000
            if now >= quiet_until or now >= deadline:
                return
            settle(max(1, round((quiet_until - now) * 1000)))

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


def grab_painted(view, quiet_ms: int = SETTLE_MS, timeout_ms: int = 3_000) -> QImage:
    """The view's pixels once what the page was asked to show has reached Qt (a view without a frame mark).

    The page says it has painted (two animation frames, ``whenPainted``);
    its compositor then hands the frame to Qt's side, where the web view's
    Qt Quick window renders it.  A grab before that shows the previous frame,
    or part of it.  So this waits until that window has rendered no new frame
    for ``quiet_ms`` after the page painted.  Pictures use ``grab_marked``.
    """
    view.api.wait_painted()
    painted_at = time.perf_counter()
    clock = FrameClock(view)
    try:
        clock.wait_quiet(painted_at, quiet_ms, timeout_ms)
    finally:
        clock.close()
    return grab_image(view)


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
