"""Pictures of the map: wait until it has painted, grab it, lay it out, write it.

Used by File > Export snapshot (and its preview), by the PDF export and by
``mapviewer export --png``.  A picture is a *layout* in CSS pixels: a title
band, the map, a source line; the map part is a grab of an offscreen map
view sized to it and zoomed by the print scale, so a 2x picture has twice
the pixels of the same map, not a blown-up copy.  The layout is painted
with QPainter on an image (PNG) or a PDF page (where the text stays vector).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QIODevice,
    QPointF,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from .. import __version__
from ..core.errors import ExportError
from ..core.output import DATA_SOURCES, provenance_lines, write_atomic

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas

T = TypeVar("T")
READY_TIMEOUT_MS = 60_000
SETTLE_MS = 60  # after two animation frames have painted, let the compositor hand the frame over
PNG_QUALITY = 60  # Qt's scale: a lighter zlib level than the default, 1600x1000: ~37 ms, not ~52, for 7 % more bytes
TITLE_BAND = 44  # CSS pixels
SOURCE_BAND = 24
CALLOUT_RADIUS = 9.0
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}

# Page-side helpers, fixed code with JSON-escaped arguments.  They reach
# Leaflet's controls and the folium map object by their class and type;
# the lead may move them into resources/map.js as mapviewer.setControls /
# mapviewer.setView, and these become one-line calls.
_CONTROLS_JS = """(function (o) {
  var sel = {legend: '.mv-legend', scale: '.leaflet-control-scale', attribution: '.leaflet-control-attribution',
             zoom: '.leaflet-control-zoom', layers: '.leaflet-control-layers'};
  Object.keys(sel).forEach(function (k) {
    document.querySelectorAll(sel[k]).forEach(function (e) { e.style.display = o[k] ? '' : 'none'; });
  });
  return true;
})(%s)"""
_SET_VIEW_JS = """(function (v) {
  var map = null;
  Object.keys(window).some(function (k) {
    try { if (window[k] instanceof L.Map) { map = window[k]; return true; } } catch (e) {}
    return false;
  });
  if (!map) { return false; }
  map.setView([v[1], v[0]], v[2], {animate: false});
  if (v.length === 5) {  // the top-left corner too: land on the very same pixels, not half a pixel off
    var p = map.latLngToContainerPoint([v[4], v[3]]);
    if (Math.round(p.x) || Math.round(p.y)) { map.panBy([Math.round(p.x), Math.round(p.y)], {animate: false}); }
  }
  return true;
})(%s)"""


def _page_state_js(options: SnapshotOptions) -> str:
    """One script that shows what the options ask: controls, filter, selection and view; true if done."""
    controls = {"legend": options.legend, "scale": options.scale_bar, "attribution": options.attribution,
                "zoom": False, "layers": False}  # buttons mean nothing on paper
    view = "(mapviewer.fitAll(false), true)" if options.view is None else _SET_VIEW_JS % json.dumps(list(options.view))
    return (f"(function () {{ {_CONTROLS_JS % json.dumps(controls)}; "
            f"mapviewer.setFilter({json.dumps(options.filter or {})}); "
            f"mapviewer.select({json.dumps(options.selected)}); return {view}; }})()")


@dataclass(frozen=True)
class SnapshotOptions:
    """What a picture shows; sizes are CSS pixels, ``scale`` multiplies them."""

    size: tuple[int, int] = (1600, 1000)
    scale: float = 1.0
    title: str = ""
    legend: bool = True
    scale_bar: bool = True
    attribution: bool = True  # the map's attribution and the source line under it
    callouts: bool = False
    view: tuple[float, ...] | None = None  # lon, lat, zoom[, lon and lat of the top-left corner]; None fits every place
    filter: dict[str, Any] | None = None
    selected: str | None = None


def page_pixels(page: str, landscape: bool, dpi: float = 96.0) -> tuple[int, int]:
    """A paper size in CSS pixels (96 per inch), for a PNG the size of a page."""
    w, h = PAGE_SIZES_MM[page]
    if landscape:
        w, h = h, w
    return round(w / 25.4 * dpi), round(h / 25.4 * dpi)


def layout(options: SnapshotOptions) -> tuple[QRectF | None, QRectF, QRectF | None]:
    """Title band, map and source band, in CSS pixels."""
    w, h = options.size
    top = TITLE_BAND if options.title else 0
    bottom = SOURCE_BAND if options.attribution else 0
    title = QRectF(0, 0, w, top) if top else None
    source = QRectF(0, h - bottom, w, bottom) if bottom else None
    return title, QRectF(0, top, w, max(16, h - top - bottom)), source


@dataclass
class Snapshot:
    """A map grab with everything needed to lay it out on an image or a page."""

    options: SnapshotOptions
    map_image: QImage
    numbers: dict[str, int]  # every place's callout number, in reading order
    callouts: list[tuple[int, float, float]] = field(default_factory=list)  # number, centre x, y (map CSS px)
    source_line: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def callout_numbers(atlas: Atlas) -> dict[str, int]:
    """Numbers follow reading order, the order of the PDF's list."""
    return {p.id: i for i, p in enumerate(atlas.places, start=1)}


def source_line(atlas: Atlas) -> str:
    docs = ", ".join(f"{d.name} (sha256 {d.sha256[:12]}…)" for d in atlas.documents)
    data = "; ".join(f"{s['name'].split(' (')[0]}: {s['licence']}" for s in DATA_SOURCES[:2])
    return f"Source: {docs} · {data} · mapviewer {__version__}"


def provenance(atlas: Atlas, title: str) -> dict[str, str]:
    """Where a picture came from, written into its PNG text chunks."""
    docs = "; ".join(f"{d.name} sha256:{d.sha256}" for d in atlas.documents)
    return {
        "Title": title,
        "Software": f"mapviewer {__version__}",
        "Source": docs,
        "Copyright": "; ".join(f"{s['name']}: {s['licence']}" for s in DATA_SOURCES),
        "Comment": "\n".join(provenance_lines(atlas)),
    }


# --- painting ------------------------------------------------------------------


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def paint_layout(painter: QPainter, snap: Snapshot) -> None:
    """Paint the whole picture; the painter's unit is one CSS pixel."""
    o = snap.options
    title_rect, map_rect, source_rect = layout(o)
    painter.fillRect(QRectF(0, 0, *o.size), QColor("#ffffff"))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(map_rect, snap.map_image)
    if title_rect is not None:
        painter.setFont(_font(20, bold=True))
        painter.setPen(QColor("#212121"))
        text = QFontMetricsF(painter.font()).elidedText(o.title, Qt.TextElideMode.ElideRight, title_rect.width() - 24)
        painter.drawText(title_rect.adjusted(12, 0, -12, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    if source_rect is not None:
        painter.setFont(_font(11))
        painter.setPen(QColor("#424242"))
        text = QFontMetricsF(painter.font()).elidedText(snap.source_line, Qt.TextElideMode.ElideMiddle, source_rect.width() - 16)
        painter.drawText(source_rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    if o.callouts:
        paint_callouts(painter, snap.callouts, map_rect)


def paint_callouts(painter: QPainter, callouts: list[tuple[int, float, float]], map_rect: QRectF) -> None:
    """Numbered discs beside each feature, nudged down when two would overlap."""
    r = CALLOUT_RADIUS
    placed: list[QPointF] = []
    painter.setFont(_font(10.5, bold=True))
    for number, x, y in callouts:
        centre = QPointF(map_rect.left() + x, map_rect.top() + y)
        for _ in range(8):
            if all((centre - p).manhattanLength() >= 2 * r for p in placed):
                break
            centre += QPointF(0, 2 * r + 1)
        placed.append(centre)
        disc = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QColor("#212121"))
        painter.drawEllipse(disc)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(number))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _callout_at(feature: dict[str, Any]) -> tuple[float, float]:
    """Where a feature's number goes: left of a point (its label is on the
    right), above the middle of a line or an area (its label is on it)."""
    x, y = float(feature["x"]), float(feature["y"])
    if feature.get("type") == "Point":
        return x - CALLOUT_RADIUS - 6, y - CALLOUT_RADIUS
    return x, y - 2 * CALLOUT_RADIUS - 4


def compose(snap: Snapshot) -> QImage:
    """The picture as pixels: the layout times the print scale.

    Opaque (RGB32): no alpha channel to encode, a PNG ~10 % smaller and
    ~15 ms quicker at 1600x1000.
    """
    o = snap.options
    image = QImage(round(o.size[0] * o.scale), round(o.size[1] * o.scale), QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.scale(image.width() / o.size[0], image.height() / o.size[1])
    paint_layout(painter, snap)
    painter.end()
    return image


def png_bytes(image: QImage, meta: dict[str, str]) -> bytes:
    for key, value in meta.items():
        image.setText(key, value)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise ExportError("could not encode the picture as PNG")
    buffer.close()
    return bytes(data.data())


def write_png(snap: Snapshot, out: Path) -> Path:
    return write_atomic(out, png_bytes(compose(snap), snap.meta))


# --- waiting for the page --------------------------------------------------------


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


_PAINTED_JS = """(function () {
  window.__mvPainted = false;
  requestAnimationFrame(function () { requestAnimationFrame(function () { window.__mvPainted = true; }); });
  return true;
})()"""


def wait_painted(view, timeout_ms: int = 5_000) -> None:
    """Wait until the page has painted what it was just told to show (two frames), then settle."""
    evaluate(view, _PAINTED_JS)
    for _ in range(max(1, timeout_ms // 10)):
        if evaluate(view, "window.__mvPainted === true"):
            break
        settle(10)
    settle()


def settle(ms: int = SETTLE_MS) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def evaluate(view, code: str, timeout_ms: int = 15_000) -> Any:
    """Run JavaScript in the view's page and wait for its value (JSON decoded)."""
    box: list[Any] = []
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def done(value: Any) -> None:
        box.append(value)
        loop.quit()

    view.page().runJavaScript(code, 0, done)
    timer.start(timeout_ms)
    if not box:
        loop.exec()
    timer.stop()
    if not box:
        raise ExportError("the map page did not answer in time")
    value = box[0]
    return json.loads(value) if isinstance(value, str) and value[:1] in ("{", "[") else value


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


def save_png(view, atlas: Atlas, out: Path, title: str) -> Path:
    """Grab a view that is ready, exactly as shown, and write it atomically."""
    return write_atomic(out, png_bytes(grab_image(view), provenance(atlas, title)))


# --- rendering offscreen -----------------------------------------------------------


def ensure_app():
    """The QApplication, made headless when this process has none yet."""
    from PySide6.QtWidgets import QApplication

    from . import environment

    if QApplication.instance() is None:
        environment.configure(headless=True)
    return QApplication.instance() or QApplication(["mapviewer"])


class MapRenderer:
    """An offscreen map view that renders an Atlas at any size and scale.

    Kept open across renders so the export dialog's preview does not
    reload the page for every change; close it (or use ``with``) after.
    """

    def __init__(self, atlas: Atlas | None = None, title: str = "", first: SnapshotOptions | None = None) -> None:
        """Start loading the page; with ``atlas``, also draw it and wait until painted.

        Without one, the page loads while the caller finds the places
        (``while_loading``), then ``set_atlas`` draws them.  ``first``: the
        options of the first render, so the page loads and draws at that
        size once, instead of drawing at a default size and again after a
        resize.
        """
        ensure_app()
        from ..map.shell import shell_page
        from .webview import MapView

        self.atlas: Atlas | None = None
        self.title = title
        self.first = first
        self._shown: tuple | None = None  # (CSS size, page-state script) last painted
        self.view = MapView()
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self._size_view(first or SnapshotOptions(size=(800, 600)))
        self.view.show()
        self.view.show_shell(shell_page())
        if atlas is not None:
            self.set_atlas(atlas)

    @staticmethod
    def _css_size(options: SnapshotOptions) -> tuple[int, int]:
        _, map_rect, _ = layout(options)
        return round(map_rect.width()), round(map_rect.height())

    def _size_view(self, options: SnapshotOptions) -> tuple[int, int]:
        """Give the view the layout's map size at the options' scale; the CSS size."""
        (css_w, css_h), s = self._css_size(options), options.scale
        self.view.setZoomFactor(s)
        self.view.resize(max(16, round(css_w * s)), max(16, round(css_h * s)))
        return css_w, css_h

    def set_atlas(self, atlas: Atlas) -> None:
        """Draw these places on the page and wait until they are painted.

        With ``first`` options, the page shows their controls, filter and
        view in the same frames, so the first render need not wait again.
        """
        from ..map.features import cached_data_json
        from .webview import data_call

        self.atlas = atlas
        call = data_call(cached_data_json(atlas))
        shown = (self._css_size(self.first), _page_state_js(self.first)) if self.first is not None else None
        if shown is not None:
            call += ";\n" + shown[1]
        self.view.set_data(call, {p.id for p in atlas.places})
        if not wait_until_ready(self.view):
            self.close()
            raise ExportError("the map did not finish drawing in time")
        self._shown = shown

    def while_loading(self, work: Callable[[], T]) -> T:
        """Run ``work`` on a thread while the page loads; its result or its exception."""
        from .loader import Background

        job = Background(work)
        while not job.done():
            settle(5)  # the event loop runs, so the web engine keeps loading
        return job.result()

    def render(self, options: SnapshotOptions) -> Snapshot:
        """Size the view to the layout's map, show what the options ask, grab it."""
        view = self.view
        css_w, css_h = self._size_view(options)
        shown = ((css_w, css_h), _page_state_js(options))
        if shown == self._shown:  # drawn so with the places, and painted: only let the frame arrive
            settle()
        else:
            for _ in range(100):  # the page must see its new size before it is moved
                if evaluate(view, "window.innerWidth + 'x' + window.innerHeight") == f"{css_w}x{css_h}":
                    break
                settle(30)
            if evaluate(view, shown[1]) is not True:
                raise ExportError("the map page has no map to move")
            wait_painted(view)
            self._shown = shown
        image = grab_image(view)
        state = evaluate(view, "mapviewer.state()")
        numbers = callout_numbers(self.atlas)
        callouts = [
            (numbers[f["id"]], *_callout_at(f))
            for f in state["features"]
            if f["onMap"] and f["id"] in numbers and 0 <= f["x"] <= css_w and 0 <= f["y"] <= css_h
        ]
        return Snapshot(
            options=options,
            map_image=image,
            numbers=numbers,
            callouts=sorted(callouts),
            source_line=source_line(self.atlas),
            meta=provenance(self.atlas, options.title),
        )

    def close(self) -> None:
        view, self.view = getattr(self, "view", None), None
        if view is None:
            return
        page = view.map_page
        view.cleanup()
        if page is not None:  # the page must go before its profile, now, not at some later loop
            import shiboken6

            shiboken6.delete(page)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        view.close()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def __enter__(self) -> "MapRenderer":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def render_headless(atlas: Atlas, options: SnapshotOptions) -> Snapshot:
    with MapRenderer(atlas, options.title) as renderer:
        return renderer.render(options)


def export_png_headless(atlas: Atlas, out: Path, size: tuple[int, int], scale: float, title: str, **include: Any) -> Path:
    """Render the Atlas offscreen at ``size`` x ``scale`` and write a PNG."""
    options = replace(SnapshotOptions(size=size, scale=scale, title=title), **include)
    return write_png(render_headless(atlas, options), out)
