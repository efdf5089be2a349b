"""The user's corrections to place finding, kept per document and reused every time.

A correction is keyed by the document's content (sha256 of its text), so it
follows the text wherever the file moves and lapses when the text changes.
Within a document it is keyed by the place id the app chose (or by
``name:<words>`` for every mention of a name), and says one of:

- ``{"action": "choose", "id": "geonames:1269843"}``: that other candidate;
- ``{"action": "coords", "lon": 68.37, "lat": 25.39, "note": "..."}``: here;
- ``{"action": "reject"}``: not a place at all.

The file is small JSON written atomically; a corrupt one is set aside (renamed
``.corrupt-<time>``) and a fresh store started, with a note for the user.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExportError
from .output import write_atomic
from .paths import data_dir

log = logging.getLogger(__name__)

ACTIONS = ("choose", "coords", "reject")
VERSION = 1


def validate(correction: dict) -> dict:
    """A clean copy of one correction, or ValueError saying what is wrong."""
    action = correction.get("action")
    if action not in ACTIONS:
        raise ValueError(f"a correction's action is one of {', '.join(ACTIONS)}, not {action!r}")
    out: dict = {"action": action}
    if action == "choose":
        if not isinstance(correction.get("id"), str) or not correction["id"]:
            raise ValueError("choose needs the id of the place to use")
        out["id"] = correction["id"]
    elif action == "coords":
        try:
            lon, lat = float(correction["lon"]), float(correction["lat"])
        except (KeyError, TypeError, ValueError):
            raise ValueError("coords needs numbers lon and lat") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"({lon}, {lat}) is not a longitude and latitude")
        out.update(lon=lon, lat=lat)
    for extra in ("note", "name", "source"):
        if isinstance(correction.get(extra), str):
            out[extra] = correction[extra]
    out["saved"] = correction.get("saved") or time.strftime("%Y-%m-%dT%H:%M:%S")
    return out


@dataclass
class CorrectionStore:
    """Corrections on disk: ``{"version": 1, "documents": {sha256: {key: correction}}}``."""

    path: Path = field(default_factory=lambda: data_dir() / "corrections.json")
    notes: list[str] = field(default_factory=list)  # what the user should be told (e.g. a corrupt file set aside)
    _data: dict[str, dict[str, dict]] | None = field(default=None, repr=False)

    def _load(self) -> dict[str, dict[str, dict]]:
        if self._data is not None:
            return self._data
        self._data = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            docs = raw["documents"]
            if not isinstance(docs, dict):
                raise ValueError("documents is not an object")
            for sha, items in docs.items():
                self._data[sha] = {k: validate(v) for k, v in items.items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._data = {}
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.rename(aside)
                where = f"set aside as {aside.name}"
            except OSError:
                where = "left in place"
            note = f"The corrections file {self.path} could not be read ({exc}); it was {where} and a new one started."
            log.warning(note)
            self.notes.append(note)
        return self._data

    def for_document(self, sha256: str) -> dict[str, dict]:
        """The corrections of one document (a copy), keyed by place id or ``name:<words>``."""
        return dict(self._load().get(sha256, {}))

    def set(self, sha256: str, key: str, correction: dict) -> dict:
        """Save one correction (replacing any earlier one for that key) and write the file."""
        clean = validate(correction)
        self._load().setdefault(sha256, {})[key] = clean
        self._save()
        return clean

    def remove(self, sha256: str, key: str) -> bool:
        """Undo a correction; True if there was one."""
        docs = self._load()
        if docs.get(sha256, {}).pop(key, None) is None:
            return False
        if not docs[sha256]:
            del docs[sha256]
        self._save()
        return True

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"version": VERSION, "documents": self._data}, ensure_ascii=False, indent=1, sort_keys=True)
        try:
            write_atomic(self.path, body.encode("utf-8"))
        except ExportError as exc:
            raise OSError(f"corrections not saved: {exc}") from None


def correct_place(store: CorrectionStore, atlas, place_id: str, correction: dict) -> list[str]:
    """Save ``correction`` for a place in every document of ``atlas`` that names it.

    Returns the documents' sha256s. The key is the place id the app chose,
    so the correction applies again when the same text is read next time.
    """
    place = atlas.place(place_id)
    if place is None:
        raise KeyError(place_id)
    key = place.correction_key or place.id
    shas = sorted({atlas.documents[r.doc].sha256 for r in place.refs})
    for sha in shas:
        store.set(sha, key, correction)
    return shas
