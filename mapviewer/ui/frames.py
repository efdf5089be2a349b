"""Waiting for the map page to paint, and grabbing its pixels once it has.

A web view's frame travels from the page's renderer to its compositor and
then to Qt's side; a grab taken before it arrives shows the previous frame,
or part of it.  Everything that takes a picture of the map waits here.
"""
from __future__ import annotations

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


def grab_painted(view, quiet_ms: int = SETTLE_MS, timeout_ms: int = 3_000) -> QImage:
    """The view's pixels once what the page was asked to show has reached Qt.

    The page says it has painted (two animation frames, ``whenPainted``);
    its compositor then hands the frame to Qt's side, where the web view's
    Qt Quick window renders it.  A grab before that shows the previous
    frame, or part of it (stripes and blank blocks in a large picture).  So
    this waits until that window has rendered no new frame for ``quiet_ms``.
    """
    view.api.wait_painted()
    window = _frames_window(view)
    if window is None:
        settle(quiet_ms)
        return grab_image(view)
    rendered: list[int] = []

    def count() -> None:
        rendered.append(1)

    window.afterRendering.connect(count, Qt.ConnectionType.QueuedConnection)
    try:
        waited = 0
        while waited < timeout_ms:
            seen = len(rendered)
            settle(quiet_ms)
            waited += quiet_ms
            if len(rendered) == seen:
                break
    finally:
        window.afterRendering.disconnect(count)
    return grab_image(view)


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
