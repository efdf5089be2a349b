"""The ``mapviewer`` command: the window, or headless exports.

    mapviewer [FILE...]                         open the window
    mapviewer export [FILE...] --png OUT ...    write files, show nothing

Argument parsing over ``reading.export`` (the formats and how each is
written) and ``ui.app`` (the window).  Bad input exits 2 with one line on
stderr; Qt is imported only when a window or a picture is needed.  Nothing
imports this module.
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
from .core.errors import MapViewerError
from .reading.export import FORMATS, PAPER_MM, PictureOptions, Request, picture_requests

log = logging.getLogger("mapviewer")


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
    for fmt in FORMATS.values():
        out.add_argument(f"--{fmt.key}", type=Path, metavar="OUT", help=fmt.help)
    look = p.add_argument_group("pictures")
    look.add_argument("--size", type=_size, default=None, metavar="WxH", help="PNG size in pixels (1600x1000)")
    look.add_argument("--page", choices=sorted(PAPER_MM), default=None, help="paper size: PNG of a page, PDF page (A4)")
    look.add_argument("--portrait", action="store_true", help="portrait paper (default landscape)")
    look.add_argument("--scale", type=_scale, default=None, metavar="S", help="pixel scale for print, e.g. 2 (PNG 1, PDF 2)")
    look.add_argument("--title", default=None, help="title of the picture or page (default: the document's title)")
    look.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the legend")
    look.add_argument("--no-scale-bar", dest="scale_bar", action="store_false", help="leave out the scale bar")
    look.add_argument("--no-attribution", dest="attribution", action="store_false",
                      help="leave out the attribution and source line")
    look.add_argument("--callouts", dest="callouts", action="store_true", default=None,
                      help="numbers on the places (default: in PDF only)")
    look.add_argument("--no-callouts", dest="callouts", action="store_false")
    look.add_argument("--inset", dest="inset", action="store_true", default=None,
                      help="a small map of places that crowd together (default: in PDF only)")
    look.add_argument("--no-inset", dest="inset", action="store_false")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to the user's log folder")
    return p


def requests(args: argparse.Namespace) -> list[Request]:
    """The files asked for: data formats in the table's order, then the pictures."""
    if args.size and args.page:
        raise MapViewerError("give --size or --page, not both")
    outputs = [Request(fmt.key, getattr(args, fmt.key)) for fmt in FORMATS.values()
               if getattr(args, fmt.key) is not None and not fmt.picture]
    # A picture's title takes a band: until the documents are read it is a placeholder of one line.
    base = PictureOptions(title="untitled" if args.title is None else args.title, legend=args.legend,
                          scale_bar=args.scale_bar, attribution=args.attribution)
    kinds = {k: getattr(args, k) for k, fmt in FORMATS.items() if fmt.picture}
    return outputs + picture_requests(kinds, base, args.size, args.page, not args.portrait, args.scale, args.callouts,
                                      args.inset)


def run_export(args: argparse.Namespace) -> int:
    from .reading.export import export_documents

    # The places are found on a thread while Qt's loop loads the page (as in ui.app.open_window):
    # the loop waits 1 ms for the thread's GIL, not 5 (a first run: ~0.04 s sooner).
    sys.setswitchinterval(0.001)

    def renderer(first: PictureOptions):
        from .ui.snapshot import MapRenderer

        return MapRenderer(first=first)

    for line in export_documents(args.files, requests(args), renderer, title=args.title):
        print(line)
    return 0


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


def say_one_time_work(what: str, seconds: float | None) -> None:
    """With --verbose, one-time work (a cache built on a first run) is said on stderr as it starts and ends."""
    what = what[:1].lower() + what[1:]
    line = what if seconds is None else f"{what.rstrip('…')}: done in {seconds:.1f} s"
    print(f"mapviewer: {line}", file=sys.stderr, flush=True)


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
        from .core import firstrun

        firstrun.listen(say_one_time_work)
    from .ui.environment import route_qt_messages

    route_qt_messages()
