"""Pictures of the map: draw it offscreen, wait until painted, grab it, lay it out, write it.

:class:`MapRenderer` is the one picture renderer: the shell's ``mapviewer
export`` and the window's export dialog (its preview, its files and the
clipboard) all render through it, from the same ``PictureOptions``
(``reading.export``).  A picture is a *layout* in CSS pixels: a title band,
the map, a source line; the map part is a grab of an offscreen map view
sized to it and zoomed by the print scale, so a 2x picture has twice the
pixels of the same map, not a blown-up copy.  The layout is painted with
QPainter on an image (PNG) or a PDF page (where the text stays vector).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from .. import __version__
from ..core.errors import ExportError
from ..core.output import DATA_SOURCES, MAP_CREDITS, provenance_lines, write_atomic
from ..core.png import png_bytes as encode_png
from ..reading.export import KEY_PAD, KEY_ROW, SOURCE_BAND, SOURCE_LINES, TITLE_BAND, Paper, PictureOptions
from .frames import FrameClock, grab_marked, settle, wait_until_ready
from .inset import INSET_ZOOM, Inset, caption, corner_for, crowds, inset_size, locator, paint_inset
from .mappage import Controls

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.background import Background
    from ..core.model import Atlas

T = TypeVar("T")
MARK_PX = 2  # the frame mark's strip below the map, in CSS pixels (api.js MARK_PX)
_marks = count(1)


def next_mark() -> str:
    """A colour for the frame mark, never the one before it."""
    return f"#{(next(_marks) * 0x9E3779B1) & 0xFFFFFF:06x}"


def layout(options: PictureOptions) -> tuple[QRectF | None, QRectF, QRectF | None, QRectF | None]:
    """Title band, map, the callouts' key and the source band, in CSS pixels."""
    w, h = options.size
    top = TITLE_BAND if options.title else 0
    bottom = SOURCE_BAND if options.attribution else 0
    title = QRectF(0, 0, w, top) if top else None
    source = QRectF(0, h - bottom, w, bottom) if bottom else None
    map_w, map_h = options.map_size()
    key_h = options.key_height()
    key = QRectF(0, top + map_h, w, key_h) if key_h else None
    return title, QRectF(0, top, map_w, map_h), key, source


@dataclass
class Snapshot:
    """A map grab with everything needed to lay it out on an image or a page."""

    options: PictureOptions
    map_image: QImage
    numbers: dict[str, int]  # every place's callout number, in reading order
    key: list[tuple[int, str]] = field(default_factory=list)  # the numbers the page placed, with their places' names, in order
    insets: list[Inset] = field(default_factory=list)  # small maps of places that crowd together
    source_line: str = ""
    state: dict = field(default_factory=dict, repr=False)  # the page's account of the map as grabbed (mapviewer.state())
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def callouts(self) -> list[int]:
        """The numbers the page placed beside their places (the key's)."""
        return [n for n, _name in self.key]


def callout_numbers(atlas: Atlas) -> dict[str, int]:
    """Numbers follow reading order, the order of the PDF's list."""
    return {p.id: i for i, p in enumerate(atlas.places, start=1)}


def _key(state: dict, numbers: dict[str, int]) -> list[tuple[int, str]]:
    """The numbers the page placed beside their places, with their names, in order."""
    return sorted((numbers[f["id"]], f["name"]) for f in state["features"] if f.get("callout") and f["id"] in numbers)


def source_line(atlas: Atlas) -> str:
    docs = ", ".join(f"{d.name} (sha256 {d.sha256[:12]}…)" for d in atlas.documents)
    return f"Source: {docs} · Map data: {', '.join(MAP_CREDITS)} · mapviewer {__version__}"


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
    title_rect, map_rect, key_rect, source_rect = layout(o)
    painter.fillRect(QRectF(0, 0, *o.size), QColor("#ffffff"))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(map_rect, snap.map_image)
    if title_rect is not None:
        painter.setFont(_font(20, bold=True))
        painter.setPen(QColor("#212121"))
        text = QFontMetricsF(painter.font()).elidedText(o.title, Qt.TextElideMode.ElideRight, title_rect.width() - 24)
        painter.drawText(title_rect.adjusted(12, 0, -12, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    for inset in snap.insets:
        paint_inset(painter, inset, map_rect, _font(11))
    if key_rect is not None:
        paint_key(painter, key_rect, snap.key, *o.key_grid())
    if source_rect is not None:
        painter.setFont(_font(11))
        painter.setPen(QColor("#424242"))
        lines = wrap_words(snap.source_line, QFontMetricsF(painter.font()), source_rect.width() - 16, SOURCE_LINES)
        painter.drawText(source_rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         "\n".join(lines))


def paint_key(painter: QPainter, rect: QRectF, entries: list[tuple[int, str]], columns: int, rows: int) -> None:
    """The callouts' key under the map: each number on its disc, as on the map, and its place's
    name, down the columns.  Never over the map, so it hides no place whatever the view; a key
    longer than its rows ends with how many more the list has."""
    if not entries or not columns or not rows:
        return
    room = columns * rows
    shown = entries if len(entries) <= room else entries[:room - 1]
    width = (rect.width() - 16) / columns
    name_font, number_font = _font(11), _font(9.5, bold=True)
    metrics = QFontMetricsF(name_font)
    def cell(k: int) -> tuple[float, float]:  # the left and the middle of the k-th entry, down the columns
        return rect.left() + 8 + (k // rows) * width, rect.top() + KEY_PAD + (k % rows + 0.5) * KEY_ROW

    for k, (number, name) in enumerate(shown):
        x, mid = cell(k)
        disc = QRectF(x, mid - 8, 16, 16)
        painter.setPen(QColor("#ffffff"))
        painter.setBrush(QColor("#212121"))
        painter.drawEllipse(disc)
        painter.setFont(number_font)
        painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(number))
        painter.setFont(name_font)
        painter.setPen(QColor("#212121"))
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width - 30)
        painter.drawText(QRectF(x + 22, mid - KEY_ROW / 2, width - 26, KEY_ROW),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    if len(shown) < len(entries):
        x, mid = cell(len(shown))
        painter.setFont(name_font)
        painter.setPen(QColor("#424242"))
        painter.drawText(QRectF(x, mid - KEY_ROW / 2, width - 4, KEY_ROW), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         f"and {len(entries) - len(shown)} more: see the list")
    painter.setBrush(Qt.BrushStyle.NoBrush)


def wrap_words(text: str, metrics: QFontMetricsF, width: float, most: int) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words, at most ``most`` of them;
    what does not fit ends the last line with an ellipsis after a whole word.  Only a word wider
    than a whole line (a long file name in a narrow picture) is shortened, in its middle."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(trial) <= width:
            current = trial
            continue
        too_wide = metrics.horizontalAdvance(word) > width
        if too_wide and metrics.horizontalAdvance(current) < width / 3:  # after a short start ("Source:")
            current = _squeezed(current, word, metrics, width, len(lines) == most - 1)
            continue
        if len(lines) == most - 1:  # the last line is full: as many whole words as fit, then "…"
            return lines + [_ended(current, metrics, width)]
        lines.append(current)
        current = _squeezed("", word, metrics, width, len(lines) == most - 1) if too_wide else word
    if current:
        lines.append(current)
    return lines


def _squeezed(lead: str, word: str, metrics: QFontMetricsF, width: float, last: bool) -> str:
    """``word`` cut in its middle to fit the line after ``lead``, leaving room for a closing "…" on the last line."""
    room = width - (metrics.horizontalAdvance(" …") if last else 0) - (metrics.horizontalAdvance(lead + " ") if lead else 0)
    short = metrics.elidedText(word, Qt.TextElideMode.ElideMiddle, room)
    return f"{lead} {short}" if lead else short


def _ended(line: str, metrics: QFontMetricsF, width: float) -> str:
    """The last line, with "…" after as many of its whole words as leave room for it."""
    while line and metrics.horizontalAdvance(line + " …") > width:
        line = line.rpartition(" ")[0]
    return (line + " …") if line else "…"


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
    """The picture as a PNG file with its provenance in text chunks (``core.png``)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return encode_png(rgb.width(), rgb.height(), rgb.constBits(), rgb.bytesPerLine(), meta)


def write_png(snap: Snapshot, out: Path) -> Path:
    return write_atomic(out, png_bytes(compose(snap), snap.meta))


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

    def __init__(self, atlas: Atlas | None = None, first: PictureOptions | None = None) -> None:
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
        self.first = first
        self._shown: tuple | None = None  # (CSS size, what the page was told to show) last painted
        self._clock: FrameClock | None = None  # the view's frames, watched from the first drawing on
        self._mark: str | None = None  # the frame mark the page shows once it painted what was last asked
        self._map_height = 0  # the map's device pixels above the mark's strip
        self.view = MapView()
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self._size_view(first or PictureOptions(size=(800, 600)))
        self.view.show()
        self.view.show_shell(shell_page(), picture=True)
        if atlas is not None:
            self.set_atlas(atlas)

    def _size_view(self, options: PictureOptions) -> tuple[int, int]:
        """Give the view the layout's map size at the options' scale, and the mark's strip below; the CSS size."""
        (css_w, css_h), s = options.map_size(), options.scale
        self.view.setZoomFactor(s)
        self.view.resize(max(16, round(css_w * s)), max(16, round((css_h + MARK_PX) * s)))
        self._map_height = round(css_h * s)
        return css_w, css_h

    def _asked(self, options: PictureOptions) -> tuple:
        """What the page is told to show for these options, as the API takes it."""
        controls = Controls(legend=options.legend, scale=options.scale_bar, attribution=options.attribution,
                            zoom=False, layers=False)
        numbers = callout_numbers(self.atlas) if options.callouts and self.atlas is not None else None
        return controls, options.view, options.visible, options.selected, numbers

    def _keyed(self, options: PictureOptions) -> PictureOptions:
        """The options with room under the map for the callouts' key: a row for each place, as each has a number."""
        entries = len(self.atlas.places) if options.callouts and self.atlas is not None else 0
        return options if options.key_entries == entries else replace(options, key_entries=entries)

    def set_atlas(self, atlas: Atlas) -> None:
        """Draw these places on the page and wait until they are painted.

        With ``first`` options, the page shows their controls, filter and
        view in the same frames, so the first render need not wait again.
        """
        from ..map.features import cached_data_json

        self.atlas = atlas
        api = self.view.api
        parts = [api.data_script(cached_data_json(atlas))]
        shown = resized = None
        if self.first is not None:
            first = self._keyed(self.first)
            if first.map_size() != self.first.map_size():  # room for the key: the map is smaller before it draws
                resized = self._size_view(first)
            asked = self._asked(first)
            parts.append(api.picture_script(*asked))
            shown = (first.map_size(), asked)
        mark = next_mark()
        parts.append(api.mark_script(mark))
        script = api.batch_script(*parts)
        if self._clock is None or self._clock.window is None:
            self._clock = FrameClock(self.view)
        self.view.set_data(script, {p.id for p in atlas.places})
        if not wait_until_ready(self.view):
            self.close()
            raise ExportError("the map did not finish drawing in time")
        if resized is not None and tuple(api.ask("viewSize")) != resized:
            shown = None  # it drew before it saw its new size: the first render shows it again
        self._shown, self._mark = shown, mark

    def while_loading(self, job: Background[T]) -> T:
        """Wait for ``job`` (work started on a thread) while the page loads; its result or its exception."""
        while not job.done():
            settle(5)  # the event loop runs, so the web engine keeps loading
        return job.result()

    def render(self, options: PictureOptions) -> Snapshot:
        """Size the view to the layout's map, show what the options ask, grab it (and its insets)."""
        if self.atlas is None:
            raise ExportError("nothing to draw: no places were given to the map")
        options = self._keyed(options)
        api = self.view.api
        numbers = callout_numbers(self.atlas)
        self._show(options)
        if options.callouts:  # the key's band only as tall as the numbers in view need
            fewer = replace(options, key_entries=len(_key(api.state(), numbers)))
            if fewer.key_height() < options.key_height():
                options = fewer
                self._show(options)
        planned = self._plan_insets(options) if options.inset else []
        image = self._grab()
        state = api.state()
        key = _key(state, numbers)
        insets = [self._inset(options, state, crowd, rect) for crowd, rect in planned]
        return Snapshot(
            options=options,
            map_image=image,
            numbers=numbers,
            key=key,
            insets=insets,
            source_line=source_line(self.atlas),
            state=state,
            meta=provenance(self.atlas, options.title),
        )

    def _show(self, options: PictureOptions) -> None:
        """Size the view to the layout's map and have the page show what the options ask (once: not again if it does)."""
        api = self.view.api
        css = self._size_view(options)
        shown = (css, self._asked(options))
        if shown != self._shown or options.inset:
            for _ in range(100):  # the page must see its new size before it is moved
                if tuple(api.ask("viewSize")) == css:
                    break
                settle(30)
            if not api.show_for_picture(*shown[1]):
                raise ExportError("the map page has no map to move")
            self._shown, self._mark = shown, None

    def _grab(self) -> QImage:
        """The map as last asked, once the page has painted it and its frame has reached Qt."""
        if self._mark is None:  # asked for more since the page last said it painted
            self._mark = next_mark()
            self.view.api.mark_when_painted(self._mark)
        assert self._clock is not None
        return grab_marked(self.view, self._mark, self._map_height, self._clock)

    def _plan_insets(self, options: PictureOptions) -> list[tuple[dict, QRectF]]:
        """Where the insets go (a corner each), kept free of names and controls before the grab."""
        state, size = self.view.api.state(), inset_size(options)
        planned: list[tuple[dict, QRectF]] = []
        for crowd in crowds(state):
            planned.append((crowd, corner_for(state, options.map_size(), size, crowd, [r for _, r in planned])))
        if planned:
            boxes = [[r.left(), r.top(), r.right(), r.bottom()] for _, r in planned]
            self.view.api.ask("setReserved", boxes)
            self._shown = self._mark = None  # the page now keeps room for them: draw it afresh next time
        return planned

    def _inset(self, options: PictureOptions, main: dict, crowd: dict, rect: QRectF) -> Inset:
        """Draw a crowd's places alone, at their true positions, in a small view; then leave
        the page to be drawn again for the next picture."""
        api, size = self.view.api, inset_size(options)
        self._size_view(replace(options, size=size, title="", attribution=False, callouts=False))
        self._shown = None  # the page now shows the inset, not the picture
        for _ in range(100):
            if tuple(api.ask("viewSize")) == size:
                break
            settle(30)
        controls = Controls(legend=False, scale=False, attribution=False, zoom=False, layers=False)
        api.wait_for(api.picture_script(controls, None, options.visible, options.selected, None))
        api.ask("fitPlaces", crowd["ids"], 28, INSET_ZOOM)
        self._mark = None
        image = self._grab()
        view = api.state()
        return Inset(image, rect, locator(main, view, size), caption(main, crowd["ids"]), tuple(crowd["ids"]))

    def write(self, kind: str, atlas: Atlas, options: PictureOptions, path: Path, paper: Paper | None) -> str:
        """Render and write a PNG or a PDF (``reading.export.Renderer``); what was written, in one line."""
        if atlas is not self.atlas:
            self.set_atlas(atlas)
        snap = self.render(options)
        if kind == "png":
            write_png(snap, path)
            width, height = (round(v * options.scale) for v in options.size)
            return f"wrote {path} ({width}x{height})"
        if kind == "pdf":
            from .pdf import write_pdf

            paper = paper or Paper()
            write_pdf(atlas, snap, path, paper)
            return f"wrote {path} ({paper.name}, {'landscape' if paper.landscape else 'portrait'})"
        raise ExportError(f"{kind} is not a picture")

    def close(self) -> None:
        clock, self._clock = getattr(self, "_clock", None), None
        if clock is not None:
            clock.close()
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
