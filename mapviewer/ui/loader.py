"""Work off the GUI thread, so the window never freezes.

A small file is quick to read and its errors are the user's to see at
once, so the window reads it; a long one is read here.  Place finding and
geocoding (which may wait on the network) run in :class:`AtlasLoader`,
which reports how far it is (each block of a long text) and stops at its
next step when cancelled.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Union

from PySide6.QtCore import QObject, QThread, Signal

from ..core.document import Document
from ..core.errors import Cancelled, MapViewerError

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas
    from ..core.corrections import CorrectionStore
    from ..core.geocoding import GeocodingService

log = logging.getLogger(__name__)
Item = Union[Document, Path]  # a document read already, or a file to read here


class AtlasLoader(QThread):
    """Reads the files it is given and maps the documents on a thread; reports progress and the result.

    ``prepare(atlas)``, if given, also runs on the thread (the map's data):
    its value arrives in ``prepared`` just before ``loaded``.  A new Atlas is
    kept in the places cache after ``loaded``, so the window shows it first.
    A cancelled loader emits neither ``loaded`` nor ``failed``.
    """

    progress = Signal(int, int, str)  # done, total (0: how far is unknown), what
    prepared = Signal(object, object)  # Atlas, what prepare made of it
    loaded = Signal(object)  # Atlas
    failed = Signal(str)

    def __init__(self, items: list[Item], corrections: CorrectionStore | None,
                 geocoder: GeocodingService | None = None, parent: QObject | None = None,
                 prepare: Callable[[Atlas], object] | None = None):
        super().__init__(parent)
        self.items = list(items)
        self.corrections = corrections
        self.geocoder = geocoder
        self.prepare = prepare
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def _step(self, done: int, total: int, what: str) -> None:
        if self._cancelled:
            raise Cancelled("mapping was cancelled")
        self.progress.emit(done, total, what)

    def _documents(self) -> list[Document]:
        from ..core.readers import read_document

        documents = []
        for item in self.items:
            if isinstance(item, Path):
                self._step(0, 0, f"Reading {item.name}…")
                item = read_document(item)
            documents.append(item)
        return documents

    def run(self) -> None:
        from ..core.atlascache import open_or_build

        try:
            documents = self._documents()
            atlas, keep = open_or_build(documents, corrections=self.corrections, geocoder=self.geocoder,
                                        progress=self._step, cancelled=lambda: self._cancelled)
            self._step(0, 0, "Drawing the map…")
            extra = self.prepare(atlas) if self.prepare is not None else None
            atlas.index()  # the lookups the panel reads, made here rather than on the GUI thread
        except Cancelled:
            return
        except MapViewerError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug must not kill the window: say it in one line
            log.exception("building the map failed")
            self.failed.emit(f"could not map the documents: {exc}")
            return
        if self._cancelled:
            return
        if self.prepare is not None:
            self.prepared.emit(atlas, extra)
        self.loaded.emit(atlas)
        if keep is not None:
            keep()


class Task(QThread):
    """Runs one blocking call (an online look-up) off the GUI thread: ``done`` with its
    value, or ``failed`` with the exception it raised."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, call: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.call = call

    def run(self) -> None:
        try:
            value = self.call()
        except Exception as exc:  # handed to the GUI thread, which says it in one line
            log.exception("a background task failed")
            self.failed.emit(exc)
            return
        self.done.emit(value)
