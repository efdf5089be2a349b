"""Exports: one table of formats and one way to write each, for the shell and the window.

Data formats (GeoJSON, CSV, HTML) are written here.  Pictures (PNG, PDF)
need a web engine to draw the map: the caller supplies a :class:`Renderer`
(``ui.snapshot.MapRenderer``), and the shell's ``mapviewer export`` and the
window's export dialog hand it the same :class:`PictureOptions`, so for the
same view and options they write the same picture.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence, TypeVar

from ..core.background import Background
from ..core.errors import ExportError
from ..core.output import check_target, default_title, write_atomic
from .documents import read_documents

if TYPE_CHECKING:
    from ..core.document import Document
    from ..core.model import Atlas

T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    key: str
    label: str  # what the export dialog offers
    suffix: str
    file_filter: str  # the save dialog's filter
    help: str  # the shell's --help line
    picture: bool = False


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("png", "PNG image", ".png", "PNG image (*.png)", "a PNG picture of the map", picture=True),
    Format("pdf", "PDF document (map + list of places)", ".pdf", "PDF document (*.pdf)",
           "a PDF: the map, then the places and their pledges", picture=True),
    Format("html", "HTML page that works offline", ".html", "HTML page (*.html *.htm)",
           "one self-contained HTML map that works offline"),
    Format("geojson", "GeoJSON (places, for GIS)", ".geojson", "GeoJSON (*.geojson *.json)", "the places as RFC 7946 GeoJSON"),
    Format("csv", "CSV of pledges (for spreadsheets)", ".csv", "CSV (*.csv)", "the pledges as CSV, one row per pledge and place"),
    Format("pledges", "CSV of every sentence: pledge or not, who, themes, places", ".csv", "CSV (*.csv)",
           "every sentence as CSV: pledge or not, who commits, themes, places"),
)}

# --- pictures: sizes and options ----------------------------------------------------------

PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_MM = 10.0  # a PDF's margin on every side
CSS_DPI = 96.0
TITLE_BAND = 44  # CSS pixels above the map when the picture has a title
SOURCE_LINES = 2  # the source line wraps between words onto two lines at most
SOURCE_BAND = 36  # below the map, for them
KEY_ROW = 17  # CSS pixels a row of the callouts' key takes (a band between the map and the source line)
KEY_COLUMN = 250  # the narrowest column of the key
KEY_PAD = 6  # above and below its rows
KEY_SHARE = 0.3  # of the picture's height at most: a long key ends with how many more the list has


@dataclass(frozen=True)
class Paper:
    name: str = "A4"
    landscape: bool = True

    def __post_init__(self) -> None:
        if self.name not in PAPER_MM:
            raise ExportError(f"unknown page size {self.name!r}: use {' or '.join(PAPER_MM)}")

    def pixels(self, margin_mm: float = 0.0) -> tuple[int, int]:
        """The paper (less ``margin_mm`` on each side) in CSS pixels, 96 per inch."""
        w, h = PAPER_MM[self.name]
        if self.landscape:
            w, h = h, w
        return round((w - 2 * margin_mm) / 25.4 * CSS_DPI), round((h - 2 * margin_mm) / 25.4 * CSS_DPI)


@dataclass(frozen=True)
class PictureOptions:
    """What a picture shows; sizes are CSS pixels, ``scale`` multiplies them."""

    size: tuple[int, int] = (1600, 1000)
    scale: float = 1.0
    title: str = ""
    legend: bool = True
    scale_bar: bool = True
    attribution: bool = True  # the map's attribution and the source line under it
    callouts: bool = False
    view: tuple[float, ...] | None = None  # lon, lat, zoom[, lon and lat of the top-left corner]; None fits every place
    visible: tuple[int, ...] | None = None  # indexes of the places shown (the reader's filter); None: all
    selected: str | None = None
    inset: bool = False  # an inset where markers crowd (a PDF's default)
    key_entries: int = 0  # the callouts' key holds this many numbers (the renderer sets it: every place has one)

    def map_size(self) -> tuple[int, int]:
        """The map's part of the picture: all of it less the title, key and source bands."""
        w, h = self.size
        bands = (TITLE_BAND if self.title else 0) + self.key_height() + (SOURCE_BAND if self.attribution else 0)
        return w, max(16, h - bands)

    def key_grid(self) -> tuple[int, int]:
        """Columns and rows of the callouts' key: as many columns as the width takes, filled evenly,
        and no more rows than ``KEY_SHARE`` of the height (0, 0 without callouts)."""
        if not self.callouts or self.key_entries <= 0:
            return 0, 0
        w, h = self.size
        widest = max(1, (w - 16) // KEY_COLUMN)
        rows = min(-(-self.key_entries // widest), max(1, int(h * KEY_SHARE - 2 * KEY_PAD) // KEY_ROW))
        return min(widest, -(-self.key_entries // rows)), rows

    def key_height(self) -> int:
        rows = self.key_grid()[1]
        return rows * KEY_ROW + 2 * KEY_PAD if rows else 0

    def for_pdf(self, paper: Paper) -> PictureOptions:
        """The same picture, sized to the printable area of a PDF page."""
        return replace(self, size=paper.pixels(MARGIN_MM))


class Renderer(Protocol):
    """Draws the map offscreen and writes pictures of it (``ui.snapshot.MapRenderer``)."""

    def while_loading(self, job: Background[T]) -> T: ...

    def set_atlas(self, atlas: Atlas) -> None: ...

    def write(self, kind: str, atlas: Atlas, options: PictureOptions, path: Path, paper: Paper | None) -> str: ...


@dataclass(frozen=True)
class Request:
    """One file to write: its format, where, and for a picture its options and paper."""

    kind: str
    path: Path
    picture: PictureOptions | None = None
    paper: Paper | None = None

    def __post_init__(self) -> None:
        if self.kind not in FORMATS:
            raise ExportError(f"unknown export format {self.kind!r}")


# --- writing ------------------------------------------------------------------------------


def html_bytes(atlas: Atlas, title: str) -> bytes:
    """The standalone page (sentence texts inside, for its popups) with provenance.

    The comment goes after the doctype, where any browser ignores it and
    anyone who opens the file in an editor sees it first.
    """
    from ..core.output import html_comment, provenance_lines
    from ..map.page import PageOptions, build_page

    page = build_page(atlas, PageOptions(title=title, standalone=True))
    comment = html_comment(provenance_lines(atlas))
    head, sep, rest = page.partition(">")
    text = f"{head}{sep}\n{comment}{rest}" if head.lower().startswith("<!doctype") else f"{comment}\n{page}"
    return text.encode("utf-8")


def write_data(kind: str, atlas: Atlas, path: Path, title: str = "") -> str:
    """Write a format that needs no web engine; what was written, in one line."""
    if kind == "geojson":
        from ..core.geojson import write_geojson

        write_geojson(atlas, path)
        return f"wrote {path} ({len(atlas.places)} places)"
    if kind == "csv":
        from ..core.csvexport import pledge_rows, write_csv

        write_csv(atlas, path)
        return f"wrote {path} ({len(pledge_rows(atlas))} rows)"
    if kind == "pledges":
        from ..core.csvexport import write_pledges_csv

        write_pledges_csv(atlas, path)
        sentences = sum(len(d.sentences) for d in atlas.documents)
        return f"wrote {path} ({sentences} sentences, {len(atlas.pledges)} pledges)"
    if kind == "html":
        write_atomic(path, html_bytes(atlas, title or default_title(atlas)))
        return f"wrote {path}"
    raise ExportError(f"{FORMATS[kind].label} needs a picture renderer")


def write(request: Request, atlas: Atlas, renderer: Renderer | None = None, title: str = "") -> str:
    """Write one request; pictures through ``renderer``."""
    if not FORMATS[request.kind].picture:
        return write_data(request.kind, atlas, request.path, title)
    if renderer is None or request.picture is None:
        raise ExportError(f"{FORMATS[request.kind].label} needs a picture renderer and options")
    return renderer.write(request.kind, atlas, request.picture, request.path, request.paper)


def export_documents(
    files: Sequence[Path],
    requests: Sequence[Request],
    make_renderer: Callable[[PictureOptions], AbstractContextManager[Renderer]] | None = None,
    build: Callable[[list[Document]], Atlas] | None = None,
    title: str | None = None,
) -> list[str]:
    """Read the files, map them, write every request; one line per file written.

    Every target is checked before any work (minutes of rendering must not end
    in "cannot write here"). With pictures, the renderer's page loads while
    the places are found, at the first picture's size.
    """
    if not requests:
        raise ExportError("nothing to export: give " + ", ".join(f"--{k}" for k in FORMATS))
    for request in requests:
        check_target(request.path)
    documents = read_documents(files)
    build = build or _build_cached
    pictures = [r for r in requests if FORMATS[r.kind].picture]
    data = [r for r in requests if not FORMATS[r.kind].picture]
    if not pictures:
        atlas = build(documents)
        return [write(r, atlas, title=_title(atlas, title)) for r in data]
    if make_renderer is None:
        raise ExportError("pictures need a renderer")
    first = pictures[0].picture
    assert first is not None
    job = Background(build, documents)  # the places are found while Qt starts and the page loads
    with make_renderer(first) as renderer:
        atlas = renderer.while_loading(job)
        lines = [write(r, atlas, title=_title(atlas, title)) for r in data]
        renderer.set_atlas(atlas)
        for r in pictures:
            picture = r.picture if title is not None else replace(r.picture, title=_title(atlas, None))
            lines.append(write(replace(r, picture=picture), atlas, renderer))
    return lines


def _title(atlas: Atlas, title: str | None) -> str:
    return default_title(atlas) if title is None else title


def _build_cached(documents: list[Document]) -> Atlas:
    from ..core.atlascache import build_atlas_cached

    return build_atlas_cached(documents)


def picture_requests(kinds: dict[str, Path | None], base: PictureOptions, size: tuple[int, int] | None,
                     page: str | None, landscape: bool, scale: float | None, callouts: bool | None,
                     inset: bool | None = None) -> list[Request]:
    """The shell's pictures: a PNG at a size (or a page's), a PDF on paper (A4 by default).

    A PNG has no callouts and no inset unless asked; a PDF has them unless refused
    (its list refers to the numbers; print is where crowded places need the inset).
    """
    out: list[Request] = []
    if kinds.get("png"):
        png_size = size or (Paper(page, landscape).pixels() if page else (1600, 1000))
        out.append(Request("png", kinds["png"], replace(base, size=png_size, scale=scale or 1.0, callouts=bool(callouts),
                                                        inset=bool(inset))))
    if kinds.get("pdf"):
        paper = Paper(page or "A4", landscape)
        pdf = replace(base, scale=scale or 2.0, callouts=callouts is not False, inset=inset is not False).for_pdf(paper)
        out.append(Request("pdf", kinds["pdf"], pdf, paper))
    return out
