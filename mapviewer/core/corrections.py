"""The user's corrections to place finding, kept per document and reused every time.

A correction is keyed by the document's content (sha256 of its text), so it
follows the text wherever the file moves and lapses when the text changes.
Within a document it is keyed by the place id the app chose (or by
``name:<words>`` for every mention of a name), and is one of three types:

- :class:`Choose` that other candidate (``{"action": "choose", "id": ...}`` on disk);
- :class:`Coordinates` here (``{"action": "coords", "lon": ..., "lat": ...}``);
- :class:`NotAPlace` not a place at all (``{"action": "reject"}``).

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

VERSION = 1


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Choose:
    """Another place of the same name (a gazetteer id) is the one meant."""

    id: str
    note: str | None = None
    saved: str = field(default_factory=_now)
    action = "choose"

    def describe(self) -> str:
        return "another place chosen"


@dataclass(frozen=True)
class Coordinates:
    """The place is here; ``source`` says who said so (an online geocoder, or the user)."""

    lon: float
    lat: float
    source: str | None = None
    name: str | None = None
    note: str | None = None
    saved: str = field(default_factory=_now)
    action = "coords"

    def __post_init__(self) -> None:
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise ValueError(f"({self.lon}, {self.lat}) is not a longitude and latitude")

    def describe(self) -> str:
        return "coordinates set"

    def source_line(self) -> str:
        return self.source or f"set by the user on {self.saved[:10]}"


@dataclass(frozen=True)
class NotAPlace:
    """The words name no place."""

    note: str | None = None
    saved: str = field(default_factory=_now)
    action = "reject"

    def describe(self) -> str:
        return "not a place"


Correction = Choose | Coordinates | NotAPlace
_TYPES = {"choose": Choose, "coords": Coordinates, "reject": NotAPlace}
ACTIONS = tuple(_TYPES)


def from_json(raw: dict) -> Correction:
    """A correction read from the file, or ValueError saying what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("a correction is an object")
    action = raw.get("action")
    if action not in _TYPES:
        raise ValueError(f"a correction's action is one of {', '.join(ACTIONS)}, not {action!r}")
    common = {k: raw[k] for k in ("note", "saved") if isinstance(raw.get(k), str)}
    if action == "choose":
        if not isinstance(raw.get("id"), str) or not raw["id"]:
            raise ValueError("choose needs the id of the place to use")
        return Choose(raw["id"], **common)
    if action == "coords":
        try:
            lon, lat = float(raw["lon"]), float(raw["lat"])
        except (KeyError, TypeError, ValueError):
            raise ValueError("coords needs numbers lon and lat") from None
        extra = {k: raw[k] for k in ("source", "name") if isinstance(raw.get(k), str)}
        return Coordinates(lon, lat, **extra, **common)
    return NotAPlace(**common)


def to_json(correction: Correction) -> dict:
    """The file's form of a correction: its action and its fields that are set."""
    out: dict = {"action": correction.action}
    for key, value in correction.__dict__.items():
        if value is not None:
            out[key] = value
    return out


@dataclass
class CorrectionStore:
    """Corrections on disk: ``{"version": 1, "documents": {sha256: {key: correction}}}``."""

    path: Path = field(default_factory=lambda: data_dir() / "corrections.json")
    notes: list[str] = field(default_factory=list)  # what the user should be told (e.g. a corrupt file set aside)
    _data: dict[str, dict[str, Correction]] | None = field(default=None, repr=False)

    def _load(self) -> dict[str, dict[str, Correction]]:
        if self._data is not None:
            return self._data
        self._data = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            docs = raw["documents"]
            if not isinstance(docs, dict):
                raise ValueError("documents is not an object")
            for sha, items in docs.items():
                self._data[sha] = {k: from_json(v) for k, v in items.items()}
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

    def for_document(self, sha256: str) -> dict[str, Correction]:
        """The corrections of one document (a copy), keyed by place id or ``name:<words>``."""
        return dict(self._load().get(sha256, {}))

    def set(self, sha256: str, key: str, correction: Correction) -> Correction:
        """Save one correction (replacing any earlier one for that key) and write the file."""
        self._load().setdefault(sha256, {})[key] = correction
        self._save()
        return correction

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
        documents = {sha: {k: to_json(c) for k, c in items.items()} for sha, items in (self._data or {}).items()}
        body = json.dumps({"version": VERSION, "documents": documents}, ensure_ascii=False, indent=1, sort_keys=True)
        try:
            write_atomic(self.path, body.encode("utf-8"))
        except ExportError as exc:
            raise OSError(f"corrections not saved: {exc}") from None
