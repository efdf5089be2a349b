"""Places found in a document set, kept on disk so the same texts open at once.

Reading a declaration is deterministic offline: the same texts, gazetteer,
code and corrections give the same Atlas.  So the window's start and the
exports keep the last results in the cache folder, under a digest of all
of these, and rebuild whenever any part changes.  With the online
geocoder on, results depend on a server and are never cached.

The cache holds no document text: sentences are put back from the
documents given at load time.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import prebuilt
from .gcpause import paused_gc
from .output import write_atomic
from .paths import cache_dir, stamp

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from .atlas import Atlas
    from .corrections import CorrectionStore
    from .document import Document

log = logging.getLogger(__name__)

KEEP = 32  # document sets remembered
_CORE = Path(__file__).parent


def _data_files() -> list[tuple[str, Traversable]]:
    """The data the places are made from, by name: ``data/*.json`` and the areas' and
    rivers' outlines (``core/shapes.py``)."""
    data = resources.files("mapviewer.data")
    files = [(e.name, e) for e in data.iterdir() if e.is_file() and e.name.endswith(".json")]
    outlines = data.joinpath("outlines")
    if outlines.is_dir():
        files += [(f"outlines/{e.name}", e) for e in outlines.iterdir() if e.is_file() and e.name.endswith((".json", ".jsonl"))]
    return sorted(files, key=lambda item: item[0])


@lru_cache(maxsize=1)
def _code_and_data_digest() -> bytes:
    """What the results depend on besides the texts: the core's code, its data, the gazetteers' versions."""
    from .. import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(_CORE.glob("*.py")):
        stamp(h, path)
    for _name, entry in _data_files():
        stamp(h, entry)
    h.update(os.environ.get("MAPVIEWER_GEONAMES", "1").encode())
    h.update(json.dumps(prebuilt.gazetteer_versions(), sort_keys=True).encode())
    return h.digest()


def key(documents: list[Document], corrections: CorrectionStore | None) -> str:
    from .corrections import to_json

    h = hashlib.blake2b(_code_and_data_digest(), digest_size=20)
    for doc in documents:
        h.update(doc.sha256.encode())
        fixes = corrections.for_document(doc.sha256) if corrections is not None else {}
        h.update(json.dumps({k: to_json(c) for k, c in fixes.items()}, sort_keys=True, ensure_ascii=True).encode())
    return h.hexdigest()


def _file(k: str) -> Path:
    return cache_dir() / "atlas" / f"{k}.pickle"


def load(documents: list[Document], corrections: CorrectionStore | None) -> Atlas | None:
    """The cached Atlas of these documents, or None (absent, stale or unreadable)."""
    path = _file(key(documents, corrections))
    try:
        with open(path, "rb") as f, paused_gc():  # a long text's Atlas is millions of objects that all live on
            stored = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged file is rebuilt, never fatal
        log.warning("cached places %s unreadable (%s): finding them again", path.name, exc)
        return None
    atlas = _restored(stored, documents, corrections, path.stem)
    if atlas is not None:
        os.utime(path)  # recently used: kept longest
    return atlas


def _restored(stored: Atlas, documents: list[Document], corrections: CorrectionStore | None,
              cache_key: str | None) -> Atlas | None:
    """A kept Atlas with its documents' sentences put back; None if they do not fit."""
    try:
        with paused_gc():
            readings = {k: replace(r, text=documents[k[0]].sentences[r.sentence].text) for k, r in stored.readings.items()}
            pledges = {k: readings.get(k) or replace(p, text=documents[k[0]].sentences[p.sentence].text)
                       for k, p in stored.pledges.items()}
        notes = list(corrections.notes) if corrections is not None else []
        return replace(stored, documents=list(documents), pledges=pledges, readings=readings, notes=notes,
                       cache_key=cache_key, unkept={})
    except (AttributeError, IndexError, TypeError) as exc:
        log.warning("kept places do not fit (%s): finding them again", exc)
        return None


# --- the bundled declarations' places, shipped in data/prebuilt/ ----------------------------


def shipped_name(documents: list[Document]) -> str:
    """The shipped file of these documents' places (scripts/build_prebuilt.py makes one per bundled text)."""
    h = hashlib.blake2b(digest_size=8)
    for doc in documents:
        h.update(doc.sha256.encode())
    return f"places-{h.hexdigest()}.bin"


def shipped_key(documents: list[Document]) -> dict:
    """What the places are made from, by content: the core's code, its data, the gazetteers' packages, the texts."""
    return {
        "artefact": "places",
        "code": {path.stem: prebuilt.digest(path.read_bytes()) for path in sorted(_CORE.glob("*.py"))},
        "data": {name: prebuilt.data_digest(name) for name, _entry in _data_files()},
        "packages": prebuilt.gazetteer_versions(),
        "geonames": os.environ.get("MAPVIEWER_GEONAMES", "1"),
        "documents": [doc.sha256 for doc in documents],
    }


def bare_state(atlas: Atlas) -> bytes:
    """The Atlas without its texts, as the cache and the shipped file hold it."""
    with paused_gc():  # a long text's Atlas is millions of objects
        return _bare_pickle(atlas)


def _shipped(documents: list[Document], corrections: CorrectionStore) -> Atlas | None:
    """The shipped places of these documents, if any and current, and no correction touches them."""
    name = shipped_name(documents)
    if not prebuilt.enabled() or not prebuilt.shipped_path(name).is_file():
        return None
    if any(corrections.for_document(doc.sha256) for doc in documents):
        return None
    data = prebuilt.load(name, shipped_key(documents))
    if not isinstance(data, bytes):
        return None
    try:
        with paused_gc():
            stored = prebuilt.app_loads(data)
    except Exception as exc:
        log.warning("shipped places %s unreadable (%s): finding them again", name, exc)
        return None
    return _restored(stored, documents, corrections, None)


def save(atlas: Atlas, corrections: CorrectionStore | None) -> None:
    """Keep the Atlas (without the texts) for the next time these documents open."""
    path = _file(key(atlas.documents, corrections))
    try:
        data = bare_state(atlas)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        _trim(path.parent)
    except (OSError, pickle.PicklingError) as exc:
        log.warning("places not cached (%s)", exc)
        return
    atlas.cache_key = path.stem
    for name, text in atlas.unkept.items():  # the page data made while it was shown: the next start reads it
        _keep_derived(_derived_file(atlas.cache_key, name), name, text)
    atlas.unkept = {}


def _bare_pickle(atlas: Atlas) -> bytes:
    bare = replace(
        atlas,
        documents=[],
        pledges={k: replace(p, text="") for k, p in atlas.pledges.items()},
        readings={k: replace(r, text="") for k, r in atlas.readings.items()},
        notes=[],
        cache_key=None,
        unkept={},
    )
    return pickle.dumps(bare, protocol=pickle.HIGHEST_PROTOCOL)


def derived(atlas: Atlas, name: str, make: Callable[[], str]) -> str:
    """A text made from a cached Atlas by the layers above the core (the map's
    page data), kept beside it under ``name``: read if there, else made and kept.

    An Atlas not yet kept (just built) keeps the text until ``save`` writes
    it beside the Atlas; one never kept (online look-ups) makes it afresh.
    """
    if atlas.cache_key is None:
        text = atlas.unkept[name] = make()
        return text
    path = _derived_file(atlas.cache_key, name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cached %s unreadable (%s): making it again", path.name, exc)
    text = make()
    _keep_derived(path, name, text)
    return text


def _derived_file(cache_key: str, name: str) -> Path:
    return _file(cache_key).with_name(f"{cache_key}.{name}")


def _keep_derived(path: Path, name: str, text: str) -> None:
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        log.warning("%s not cached (%s)", name, exc)


def _trim(folder: Path) -> None:
    """Keep the last used document sets, and what was derived from them."""
    files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    kept = {p.stem for p in files[:KEEP]}
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
    for extra in folder.glob("*.json"):
        if extra.name.split(".", 1)[0] not in kept:
            extra.unlink(missing_ok=True)


def open_or_build(
    documents: list[Document], corrections: CorrectionStore | None = None, **options,
) -> tuple[Atlas, Callable[[], None] | None]:
    """The cached Atlas of the documents, or a new one and the call that keeps it (None:
    nothing to keep), so a window can show a new Atlas before it spends time keeping it.

    Options that reach a server skip the cache.  A hit imports neither the
    builder nor shapely (see ``Place.__getstate__``).
    """
    from .corrections import CorrectionStore

    geocoder = options.get("geocoder")
    online = geocoder is not None and getattr(geocoder, "online_enabled", False)
    if online or os.environ.get("MAPVIEWER_ATLAS_CACHE", "1") == "0":  # the switch is for benchmarks and tests
        from .atlas import build_atlas

        return build_atlas(documents, corrections=corrections, **options), None
    store = corrections if corrections is not None else CorrectionStore()
    atlas = load(documents, store)
    if atlas is not None:
        return atlas, None
    atlas = _shipped(documents, store)  # a bundled text's first opening
    if atlas is not None:
        return atlas, lambda: save(atlas, store)
    from .atlas import build_atlas

    atlas = build_atlas(documents, corrections=store, **options)
    return atlas, lambda: save(atlas, store)


def build_atlas_cached(documents: list[Document], corrections: CorrectionStore | None = None, **options) -> Atlas:
    """``build_atlas`` through the cache (``open_or_build``, kept at once)."""
    atlas, keep = open_or_build(documents, corrections, **options)
    if keep is not None:
        keep()
    return atlas
