"""The ``mapviewer`` command: the window, or headless exports.

    mapviewer [FILE...]                         open the window
    mapviewer export [FILE...] --png OUT ...    write files, show nothing

Both call the same functions as the GUI.  Bad input exits 2 with one line
on stderr; Qt is imported only when a window or a picture is needed.
"""
from __future__ import annotations

import argparse
import json
import logging
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
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return p


def export_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mapviewer export", description="Write a map or its data without showing a window.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="declarations (default: the bundled one)")
    p.add_argument("--png", type=Path, metavar="OUT", help="a PNG picture of the map")
    p.add_argument("--geojson", type=Path, metavar="OUT", help="the places as RFC 7946 GeoJSON")
    p.add_argument("--html", type=Path, metavar="OUT", help="one self-contained HTML map that works offline")
    p.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH", help="picture size in pixels (1600x1000)")
    p.add_argument("--scale", type=_scale, default=1.0, metavar="S", help="pixel scale for print, e.g. 2 (1)")
    p.add_argument("--title", default=None, help="title of the picture or page")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return p


def load_atlas(files: Sequence[Path]):
    """Read the files (or the bundled declaration) and map them."""
    from .core.atlas import build_atlas
    from .core.readers import read_document

    paths = list(files) or [bundled_seed()]
    return build_atlas([read_document(p) for p in paths])


def run_export(args: argparse.Namespace) -> int:
    if not (args.png or args.geojson or args.html):
        raise ExportError("nothing to export: give --png, --geojson or --html")
    atlas = load_atlas(args.files)
    title = args.title or " + ".join(d.name for d in atlas.documents)
    if args.geojson:
        from .core.geojson import atlas_to_geojson
        from .core.output import write_atomic

        text = json.dumps(atlas_to_geojson(atlas), ensure_ascii=False, indent=1)
        write_atomic(args.geojson, text.encode("utf-8"))
        print(f"wrote {args.geojson} ({len(atlas.places)} places)")
    if args.html:
        from .core.output import write_atomic
        from .map.page import PageOptions, build_page

        write_atomic(args.html, build_page(atlas, PageOptions(title=title)).encode("utf-8"))
        print(f"wrote {args.html}")
    if args.png:
        from .ui.snapshot import export_png_headless

        export_png_headless(atlas, args.png, args.size, args.scale, title)
        print(f"wrote {args.png} ({args.size[0] * args.scale:.0f}x{args.size[1] * args.scale:.0f})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    exporting = bool(argv) and argv[0] == "export"
    args = (export_parser() if exporting else gui_parser()).parse_args(argv[1:] if exporting else argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
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
