"""What the window remembers between runs, in one INI file (QSettings).

INI rather than the platform default so a damaged file can be detected,
set aside and rebuilt with a note instead of breaking the start.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)
MAX_RECENT = 10


class Settings:
    """Typed access to the few things the window keeps."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "mapviewer", "mapviewer")
        self.note = ""
        if self.q.status() != QSettings.Status.NoError:
            self._rebuild()

    def _rebuild(self) -> None:
        path = Path(self.q.fileName())
        aside = path.with_suffix(path.suffix + ".broken")
        try:
            path.replace(aside)
        except OSError:
            pass
        self.q = QSettings(str(path), QSettings.Format.IniFormat)
        self.note = f"the settings file was damaged; started afresh (old copy: {aside.name})"
        log.warning("%s", self.note)

    def _get(self, key: str, default, kind):
        value = self.q.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def bytes(self, key: str) -> QByteArray | None:
        value = self.q.value(key)
        return value if isinstance(value, QByteArray) else None

    def set(self, key: str, value) -> None:
        self.q.setValue(key, value)

    @property
    def recent(self) -> list[str]:
        value = self.q.value("files/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v][:MAX_RECENT]

    def add_recent(self, paths: list[Path]) -> None:
        items = [str(p.resolve()) for p in paths] + self.recent
        self.q.setValue("files/recent", list(dict.fromkeys(items))[:MAX_RECENT])

    @property
    def last_files(self) -> list[str]:
        value = self.q.value("files/last", [])
        return [value] if isinstance(value, str) else [str(v) for v in (value or [])]

    def text(self, key: str, default: str = "") -> str:
        return self._get(key, default, str)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.q.value(key, default)
        return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

    def sync(self) -> None:
        self.q.sync()
