"""Where the app keeps the user's data (corrections) and caches (gazetteer index, geocodes).

Platform conventions, so the files land where users and backup tools expect:
XDG folders on Linux, ``~/Library/...`` on macOS, ``%LOCALAPPDATA%`` on Windows.
``MAPVIEWER_HOME`` puts everything under one folder (tests, portable installs).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "mapviewer"


def _base(kind: str) -> Path:
    home = os.environ.get("MAPVIEWER_HOME")
    if home:
        return Path(home) / kind
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / APP / kind
    if sys.platform == "darwin":
        sub = "Caches" if kind == "cache" else "Application Support"
        return Path.home() / "Library" / sub / APP
    var, default = ("XDG_CACHE_HOME", ".cache") if kind == "cache" else ("XDG_DATA_HOME", ".local/share")
    root = os.environ.get(var) or str(Path.home() / default)
    return Path(root) / APP


def data_dir(create: bool = True) -> Path:
    """The user's own data: worth a backup (corrections)."""
    path = _base("data")
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir(create: bool = True) -> Path:
    """Things that can be rebuilt or refetched (the GeoNames index, online geocodes)."""
    path = _base("cache")
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir(create: bool = True) -> Path:
    """Where ``--verbose`` writes its log (XDG state folder on Linux)."""
    if os.environ.get("MAPVIEWER_HOME") or sys.platform in ("darwin", "win32"):
        path = _base("cache") / "log"
    else:
        path = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / APP
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def stamp(h, entry) -> None:
    """Feed a file's name, size and modification time to the hash ``h``, for cache keys.

    Reading the ~3 MB of code and data at every start cost ~25 ms; any
    edit or new version changes these.  A file inside an archive has no
    stat: it is read.
    """
    h.update(entry.name.encode())
    if isinstance(entry, Path):
        st = entry.stat()
        h.update(f":{st.st_size}:{st.st_mtime_ns};".encode())
    else:
        h.update(entry.read_bytes())
