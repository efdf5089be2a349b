"""The ``mapviewer`` command: the window, or headless exports.

    mapviewer [FILE...]                         open the window
    mapviewer export [FILE...] --png OUT ...    write files, show nothing

Both call the same functions as the GUI.  Bad input exits 2 with one line
on stderr; Qt is imported only when a window or a picture is needed.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .core.errors import ExportError, MapViewerError

log = logging.getLogger("mapviewer")


def bundled_seed() -> Path:
    """The declaration shown when no file is named."""
    from importlib import resources

    seeds = resources.files("mapviewer.seeds")
    return Path(str(next(p for p in seeds.iterdir() if p.name.endswith(".txt"))))


def _size(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{2,5})[xX×](\d{2,5})", value.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, not {value!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (64 <= w <= 8000 and 64 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 64 and 8000 pixels")
    return w, h


def _scale(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"scale must be a number, not {value!r}") from None
    if not 0.5 <= s <= 4:
        raise argparse.ArgumentTypeError("scale must be between 0.5 and 4")
    return s


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: {message}\n")


def gui_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mapviewer", description="Map the places of a diplomatic declaration and read its pledges.",
                epilog="Headless: mapviewer export [FILE...] --png OUT.png (see mapviewer export --help).")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="declarations to open (default: the bundled one)")
    p.add_argument("--version", action="version", version=f"mapviewer {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to the user's log folder")
    return p


def export_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mapviewer export", description="Write a map or its data without showing a window.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="declarations (default: the bundled one)")
    out = p.add_argument_group("outputs (any number of them)")
    out.add_argument("--png", type=Path, metavar="OUT", help="a PNG picture of the map")
    out.add_argument("--pdf", type=Path, metavar="OUT", help="a PDF: the map, then the places and their pledges")
    out.add_argument("--html", type=Path, metavar="OUT", help="one self-contained HTML map that works offline")
    out.add_argument("--geojson", type=Path, metavar="OUT", help="the places as RFC 7946 GeoJSON")
    out.add_argument("--csv", type=Path, metavar="OUT", help="the pledges as CSV, one row per pledge and place")
    out.add_argument("--pledges", type=Path, metavar="OUT", help="every sentence as CSV: pledge or not, who commits, themes, places")
    look = p.add_argument_group("pictures")
    look.add_argument("--size", type=_size, default=None, metavar="WxH", help="PNG size in pixels (1600x1000)")
    look.add_argument("--page", choices=sorted(PAGES), default=None, help="paper size: PNG of a page, PDF page (A4)")
    look.add_argument("--portrait", action="store_true", help="portrait paper (default landscape)")
    look.add_argument("--scale", type=_scale, default=None, metavar="S", help="pixel scale for print, e.g. 2 (PNG 1, PDF 2)")
    look.add_argument("--title", default=None, help="title of the picture or page (default: document and date)")
    look.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the legend")
    look.add_argument("--no-scale-bar", dest="scale_bar", action="store_false", help="leave out the scale bar")
    look.add_argument("--no-attribution", dest="attribution", action="store_false",
                      help="leave out the attribution and source line")
    look.add_argument("--callouts", dest="callouts", action="store_true", default=None,
                      help="numbers on the places (default: in PDF only)")
    look.add_argument("--no-callouts", dest="callouts", action="store_false")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to the user's log folder")
    return p


PAGES = ("A4", "Letter")


def read_documents(files: Sequence[Path]) -> list:
    """Read the files (or the bundled declaration): a bad one fails here, at once."""
    from .core.readers import read_document

    return [read_document(p) for p in (list(files) or [bundled_seed()])]


def load_atlas(files: Sequence[Path]):
    """Read the files (or the bundled declaration) and map them."""
    from .core.atlas import build_atlas

    return build_atlas(read_documents(files))


def html_bytes(atlas, title: str) -> bytes:
    """The standalone page (sentence texts inside, for its popups) with provenance.

    The comment goes after the doctype, where any browser ignores it and
    anyone who opens the file in an editor sees it first.
    """
    from .core.output import html_comment, provenance_lines
    from .map.page import PageOptions, build_page

    page = build_page(atlas, PageOptions(title=title, standalone=True))
    comment = html_comment(provenance_lines(atlas))
    head, sep, rest = page.partition(">")
    text = f"{head}{sep}\n{comment}{rest}" if head.lower().startswith("<!doctype") else f"{comment}\n{page}"
    return text.encode("utf-8")


def run_export(args: argparse.Namespace) -> int:
    if not any((args.png, args.pdf, args.html, args.geojson, args.csv, args.pledges)):
        raise ExportError("nothing to export: give --png, --pdf, --html, --geojson, --csv or --pledges")
    if args.size and args.page:
        raise ExportError("give --size or --page, not both")
    from .core.output import check_target

    for out in (args.png, args.pdf, args.html, args.geojson, args.csv, args.pledges):
        if out is not None:
            check_target(out)  # before minutes of rendering, not after
    documents = read_documents(args.files)
    if not (args.png or args.pdf):
        return _export_files(args, _build(documents))
    from .ui.snapshot import MapRenderer

    # The page loads at the first picture's size while the places are found;
    # a default title is the documents' names, never empty (it takes a band).
    first = _picture_options(args, "untitled" if args.title is None else args.title)[0][1]
    with MapRenderer(first=first) as renderer:
        atlas = renderer.while_loading(lambda: _build(documents))
        _export_files(args, atlas)
        _export_pictures(args, renderer, atlas, _title(args, atlas))
    return 0


def _build(documents: list):
    from .core.atlascache import build_atlas_cached

    return build_atlas_cached(documents)


def _title(args: argparse.Namespace, atlas) -> str:
    from .core.output import default_title

    return default_title(atlas) if args.title is None else args.title


def _export_files(args: argparse.Namespace, atlas) -> int:
    """GeoJSON, CSV and HTML: no web engine needed."""
    from .core.output import write_atomic

    title = _title(args, atlas)
    if args.geojson:
        from .core.geojson import write_geojson

        write_geojson(atlas, args.geojson)
        print(f"wrote {args.geojson} ({len(atlas.places)} places)")
    if args.csv:
        from .core.csvexport import pledge_rows, write_csv

        write_csv(atlas, args.csv)
        print(f"wrote {args.csv} ({len(pledge_rows(atlas))} rows)")
    if args.pledges:
        from .core.csvexport import write_pledges_csv

        write_pledges_csv(atlas, args.pledges)
        print(f"wrote {args.pledges} ({sum(len(d.sentences) for d in atlas.documents)} sentences, {len(atlas.pledges)} pledges)")
    if args.html:
        write_atomic(args.html, html_bytes(atlas, title))
        print(f"wrote {args.html}")
    return 0


def _picture_options(args: argparse.Namespace, title: str) -> list:
    """(kind, SnapshotOptions) of each picture asked for: PNG first, then PDF."""
    from dataclasses import replace

    from .ui.snapshot import SnapshotOptions, page_pixels

    base = SnapshotOptions(title=title, legend=args.legend, scale_bar=args.scale_bar, attribution=args.attribution)
    landscape = not args.portrait
    pictures = []
    if args.png:
        size = args.size or (page_pixels(args.page, landscape) if args.page else (1600, 1000))
        pictures.append(("png", replace(base, size=size, scale=args.scale or 1.0, callouts=bool(args.callouts))))
    if args.pdf:
        from .ui.pdf import pdf_options

        options = replace(base, scale=args.scale or 2.0, callouts=args.callouts is not False)
        pictures.append(("pdf", pdf_options(options, args.page or "A4", landscape)))
    return pictures


def _export_pictures(args: argparse.Namespace, renderer, atlas, title: str) -> None:
    """PNG and PDF share one offscreen map, loaded once."""
    from .ui.pdf import write_pdf
    from .ui.snapshot import write_png

    renderer.set_atlas(atlas)
    for kind, options in _picture_options(args, title):
        if kind == "png":
            write_png(renderer.render(options), args.png)
            width, height = (round(v * options.scale) for v in options.size)
            print(f"wrote {args.png} ({width}x{height})")
        else:
            page, landscape = args.page or "A4", not args.portrait
            write_pdf(atlas, renderer.render(options), args.pdf, page, landscape)
            print(f"wrote {args.pdf} ({page}, {'landscape' if landscape else 'portrait'})")


def _exporting(argv: Sequence[str]) -> bool:
    return bool(argv) and argv[0] == "export"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    exporting = _exporting(argv)
    args = (export_parser() if exporting else gui_parser()).parse_args(argv[1:] if exporting else argv)
    setup_logging(args.verbose)
    try:
        if exporting:
            return run_export(args)
        from .ui.app import run_gui

        return run_gui(args.files)
    except MapViewerError as exc:
        print(f"mapviewer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        log.exception("unexpected error")
        where = f" (details in {_LOG_FILE})" if _LOG_FILE else "; run with --verbose for details"
        print(f"mapviewer: unexpected error: {exc}{where}", file=sys.stderr)
        return 1


def entry() -> None:
    """The ``mapviewer`` command and ``python -m mapviewer``: ``main``, then exit.

    After an export every file is written and closed, and the web engine
    keeps nothing on disk (its profile is off the record), so the process
    ends without tearing the engine down: ~50 ms of a 0.6 s export, as a
    browser's fast shutdown does; its helper processes end with their pipe.
    The window's exit keeps the full teardown (Qt saves the settings in it).
    """
    code = main()
    if _exporting(sys.argv[1:]) and "PySide6.QtWidgets" in sys.modules:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


_LOG_FILE: Path | None = None


def setup_logging(verbose: bool) -> None:
    """Warnings to stderr; with --verbose, everything to a log file in the user's log folder.

    Qt's and Chromium's own chatter goes to the log too, not the terminal.
    """
    global _LOG_FILE
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("mapviewer: %(message)s"))
    root.addHandler(console)
    if verbose:
        from logging.handlers import RotatingFileHandler

        from .core.paths import log_dir

        _LOG_FILE = log_dir() / "mapviewer.log"
        handler = RotatingFileHandler(_LOG_FILE, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        print(f"mapviewer: logging to {_LOG_FILE}", file=sys.stderr)
    from .ui.environment import route_qt_messages

    route_qt_messages()
