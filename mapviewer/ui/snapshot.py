"""Pictures of the map: wait until it has painted, grab it, write a PNG.

Used by File > Export snapshot and by ``mapviewer export --png``; the
headless path builds a view that is never shown on a screen.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QEventLoop, QIODevice, Qt, QTimer
from PySide6.QtGui import QImage

from .. import __version__
from ..core.atlas import Atlas
from ..core.errors import ExportError
from ..core.output import write_atomic

READY_TIMEOUT_MS = 60_000
SETTLE_MS = 250  # after the page says it painted, let the compositor catch up


def wait_until_ready(view, timeout_ms: int = READY_TIMEOUT_MS) -> bool:
    """Spin an event loop until the page reports it has drawn everything."""
    if view.is_ready:
        return True
    loop = QEventLoop()
    view.bridge.ready.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    loop.exec()
    view.bridge.ready.disconnect(loop.quit)
    return view.is_ready


def settle(ms: int = SETTLE_MS) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def provenance(atlas: Atlas, title: str) -> dict[str, str]:
    """Where a picture came from, written into its PNG text chunks."""
    docs = "; ".join(f"{d.name} sha256:{d.sha256}" for d in atlas.documents)
    return {
        "Title": title,
        "Software": f"mapviewer {__version__}",
        "Source": docs,
        "Copyright": "Map data: Natural Earth (public domain); places: mapviewer gazetteer (sources per entry)",
    }


def grab_image(view) -> QImage:
    """The view's pixels; retried briefly if the first frame is still blank."""
    for _ in range(20):
        image = view.grab().toImage()
        if not image.isNull() and not _uniform(image):
            return image
        settle(100)
    raise ExportError("the map did not paint (the picture would be blank)")


def _uniform(image: QImage) -> bool:
    w, h = image.width(), image.height()
    samples = {image.pixel(x * w // 7, y * h // 7) for x in range(1, 7) for y in range(1, 7)}
    return len(samples) <= 1


def png_bytes(image: QImage, meta: dict[str, str]) -> bytes:
    for key, value in meta.items():
        image.setText(key, value)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError("could not encode the picture as PNG")
    buffer.close()
    return bytes(data.data())


def save_png(view, atlas: Atlas, out: Path, title: str) -> Path:
    """Grab a view that is ready and write it atomically to ``out``."""
    return write_atomic(out, png_bytes(grab_image(view), provenance(atlas, title)))


def export_png_headless(atlas: Atlas, out: Path, size: tuple[int, int], scale: float, title: str) -> Path:
    """Render the Atlas offscreen at ``size`` x ``scale`` and write a PNG."""
    from PySide6.QtWidgets import QApplication

    from . import environment

    if QApplication.instance() is None:
        environment.configure(headless=True)
    app = QApplication.instance() or QApplication(["mapviewer"])
    from ..map.page import PageOptions, build_page
    from .webview import MapView

    view = MapView()
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(round(size[0] * scale), round(size[1] * scale))
    view.setZoomFactor(scale)
    view.show()
    try:
        view.show_page(build_page(atlas, PageOptions(title=title)), {p.id for p in atlas.places})
        if not wait_until_ready(view):
            raise ExportError("the map did not finish drawing in time")
        settle()
        return save_png(view, atlas, out, title)
    finally:
        view.cleanup()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the page goes first
        view.close()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
