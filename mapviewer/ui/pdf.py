"""The map as a PDF for reports: the map page, then the places and their pledges.

Page 1 is the snapshot layout painted with QPainter on a QPdfWriter: the
map itself is the page's canvas grabbed at the print scale (a raster, as
Leaflet draws it), while the title, the numbered callouts and the source
line are PDF text and vectors.  Page 2 and after list every place with the
number it has on the map and the sentences behind it, laid out by a
QTextDocument so long lists flow over pages.  Metadata (title, creator,
subject with each document's SHA-256) are set on the file, and it is
written atomically.
"""
from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from .. import __version__
from ..core.errors import ExportError
from ..core.output import provenance_lines, write_atomic
from ..core.pledges import evidence_line, label_parts
from ..reading.export import MARGIN_MM, Paper
from ..reading.panel import citation
from .snapshot import Snapshot, paint_layout

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
_PAGES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def page_layout(paper: Paper) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if paper.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(_PAGES[paper.name]), orientation, QMarginsF(*[MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)


def places_html(atlas: Atlas, snap: Snapshot) -> str:
    """The list pages: numbered places, each with its sentences and pledge labels."""
    esc = html.escape
    shown = set(snap.callouts) if snap.options.callouts else set()
    parts = [f"<h2>{esc(snap.options.title or 'Places')}</h2>",
             "<p>Places named in the text, numbered as on the map, with the sentences about each.</p>"]
    for place in atlas.places:
        n = snap.numbers[place.id]
        where = "" if n in shown or not snap.options.callouts else " — <i>outside the map's view</i>"
        parts.append(f"<h3>{n}. {esc(place.name)} <small>({esc(place.kind)}, {esc(place.precision)}){where}</small></h3><ul>")
        for d, i in place.sentence_keys():
            reading = atlas.reading(d, i)
            doc = f"{esc(atlas.documents[d].name)} " if len(atlas.documents) > 1 else ""
            label = ""
            if reading is not None:  # the window's labels (core.pledges), and the words behind them
                kind, *rest = label_parts(reading, atlas.under(d, i)) or [""]
                kind = f"<b>{esc(kind)}</b>" if reading.pledge or reading.talk else esc(kind)
                label = f"<br>{' · '.join([kind, *map(esc, rest)])}"
                label += f"<br>Why: {esc(evidence_line(reading))}" if evidence_line(reading) else ""
            parts.append(f"<li><b>{doc}{esc(citation(atlas, d, i))}</b> {esc(atlas.sentence(d, i).text)}{label}</li>")
        parts.append("</ul>")
    parts.append("<hr><p><small>" + "<br>".join(esc(line) for line in provenance_lines(atlas)) + "</small></p>")
    return "\n".join(parts)


def pdf_bytes(atlas: Atlas, snap: Snapshot, paper: Paper = Paper()) -> bytes:
    """The whole PDF in memory; ``snap`` must be rendered at ``PictureOptions.for_pdf`` size."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout(paper))
    writer.setTitle(snap.options.title)
    writer.setCreator(f"mapviewer {__version__}")
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("could not start the PDF")
    try:
        dots = writer.pageLayout().paintRectPixels(RESOLUTION)
        painter.scale(dots.width() / snap.options.size[0], dots.height() / snap.options.size[1])
        paint_layout(painter, snap)
        painter.resetTransform()
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)
        doc.setDefaultFont(QFont("DejaVu Sans", 10))
        doc.setDefaultStyleSheet("h2 { font-size: 16pt; } h3 { font-size: 11pt; margin-top: 8pt; } li { margin-bottom: 3pt; }")
        doc.setHtml(places_html(atlas, snap))
        doc.setPageSize(QSizeF(dots.width(), dots.height()))
        for i in range(doc.pageCount()):
            writer.newPage()
            painter.save()
            painter.translate(0, -i * dots.height())
            doc.drawContents(painter, QRectF(0, i * dots.height(), dots.width(), dots.height()))
            painter.restore()
    finally:
        painter.end()
        buffer.close()
    return _with_metadata(bytes(data.data()), atlas, snap.options.title)


def _with_metadata(pdf: bytes, atlas: Atlas, title: str) -> bytes:
    """Subject and keywords, which QPdfWriter cannot set, added with pypdf."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    docs = "; ".join(f"{d.name} sha256:{d.sha256}" for d in atlas.documents)
    writer.add_metadata({
        "/Title": title,
        "/Creator": f"mapviewer {__version__}",
        "/Subject": f"Places and pledges of {docs}",
        "/Keywords": " | ".join(provenance_lines(atlas)),
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_pdf(atlas: Atlas, snap: Snapshot, out: Path, paper: Paper = Paper()) -> Path:
    return write_atomic(out, pdf_bytes(atlas, snap, paper))
