"""Work off the GUI thread, so the window never freezes.

Reading a file is quick and its errors are the user's to see at once, so
the window reads; place finding and geocoding (which may wait on the
network) run in :class:`AtlasLoader`, which reports each document as it
starts on it and can be cancelled between documents.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from PySide6.QtCore import QObject, QThread, Signal

from ..core.document import Document
from ..core.errors import Cancelled, MapViewerError

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas
    from ..core.corrections import CorrectionStore
    from ..core.geocoding import GeocodingService

log = logging.getLogger(__name__)
T = TypeVar("T")


class AtlasLoader(QThread):
    """Maps documents on a thread (``build_atlas_cached``); reports progress and the result.

    ``prepare(atlas)``, if given, also runs on the thread (the map's data):
    its value arrives in ``prepared`` just before ``loaded``.  A cancelled
    loader emits neither ``loaded`` nor ``failed``.
    """

    progress = Signal(int, int, str)  # done, total, what
    prepared = Signal(object, object)  # Atlas, what prepare made of it
    loaded = Signal(object)  # Atlas
    failed = Signal(str)

    def __init__(self, documents: list[Document], corrections: CorrectionStore | None,
                 geocoder: GeocodingService | None = None, parent: QObject | None = None,
                 prepare: Callable[[Atlas], object] | None = None):
        super().__init__(parent)
        self.documents = documents
        self.corrections = corrections
        self.geocoder = geocoder
        self.prepare = prepare
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def run(self) -> None:
        from ..core.atlascache import build_atlas_cached

        try:
            atlas = build_atlas_cached(self.documents, corrections=self.corrections, geocoder=self.geocoder,
                                       progress=self.progress.emit, cancelled=lambda: self._cancelled)
            extra = self.prepare(atlas) if self.prepare is not None and not self._cancelled else None
        except Cancelled:
            return
        except MapViewerError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug must not kill the window: say it in one line
            log.exception("building the map failed")
            self.failed.emit(f"could not map the documents: {exc}")
            return
        if not self._cancelled:
            self.progress.emit(len(self.documents), len(self.documents), "Drawing the map…")
            if self.prepare is not None:
                self.prepared.emit(atlas, extra)
            self.loaded.emit(atlas)


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


class Background(Generic[T]):
    """A call on a plain thread, for work beside a Qt wait that must not block:
    ``result()`` joins it and returns its value or raises its error."""

    def __init__(self, call: Callable[..., T], *args: Any) -> None:
        self._box: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, args=(call, *args), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[..., T], *args: Any) -> None:
        try:
            self._box["value"] = call(*args)
        except BaseException as exc:  # handed back to the caller's thread
            self._box["error"] = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> T:
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]
