"""The open documents: open (replacing them), add, remove; mapped off the GUI thread.

A file is checked at once (a missing, special or binary one is refused
before anything changes); a small one is read at once too, so its errors
show at once, and a long one is read on the loader's thread, with progress.
One loader at a time: a cancelled or superseded loader is let go at once
(it stops at its next step, usually a fraction of a second later) and never heard
from again, so the window never waits for it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from PySide6.QtCore import QObject, Signal

from ..core.errors import MapViewerError
from .loader import AtlasLoader, Item

if TYPE_CHECKING:
    from ..core.model import Atlas
    from .window import MainWindow

log = logging.getLogger(__name__)

READ_AT_ONCE = 2 * 2**20  # bytes: a file this small is read in the window, its errors shown at once


def read_now(paths: Sequence[Path]) -> list[Item]:
    """Each file checked (errors raise now); the small ones read, the long ones left to the loader."""
    from ..core.readers import check_file, read_document

    items: list[Item] = []
    for path in paths:
        check_file(path)
        items.append(read_document(path) if path.stat().st_size <= READ_AT_ONCE else path)
    return items


class DocumentFiles(QObject):
    """Which documents the window maps, and the loader that maps them."""

    loaded = Signal(object, bool)  # the new Atlas, whether the selection stays
    prepared = Signal(object, object)  # the Atlas and the map's data made with it
    progress = Signal(int, int, str)  # done, total (0: unknown), what
    busy = Signal(bool)  # a loader started (True) or ended (False)

    def __init__(self, window: MainWindow, prepare: Callable[[Atlas], object]) -> None:
        super().__init__(window)
        self.window = window
        self.prepare = prepare
        self.loader: AtlasLoader | None = None
        self._leaving: set[AtlasLoader] = set()  # cancelled loaders, kept alive until they stop

    # --- what the reader asks for ---------------------------------------------------

    def open(self, paths: Sequence[Path]) -> bool:
        """File › Open, a drop: these documents instead of the open ones."""
        return self._read_and_map(paths, keep=False)

    def add(self, paths: Sequence[Path]) -> bool:
        """File › Add document…, a drop with Ctrl: these documents beside the open ones (each once)."""
        return self._read_and_map(paths, keep=True)

    def remove(self, index: int) -> bool:
        """Close one of the open documents; the others stay on the map (the last one cannot go)."""
        documents = list(self.window.atlas.documents)
        if len(documents) < 2 or not 0 <= index < len(documents):
            return False
        del documents[index]
        self._remember(documents)
        self.map(documents, keep_selection=True)
        return True

    def _read_and_map(self, paths: Sequence[Path], keep: bool) -> bool:
        try:
            items = read_now(paths)
        except MapViewerError as exc:
            self.window.error(str(exc))
            return False
        if keep:
            known = {d.sha256 for d in self.window.atlas.documents}
            paths_open = {d.path.resolve() for d in self.window.atlas.documents if d.path is not None}
            new = [i for i in items if (i.resolve() not in paths_open if isinstance(i, Path) else i.sha256 not in known)]
            if not new:
                self.window.statusBar().showMessage("Those documents are open already", 5000)
                return True
            items = [*self.window.atlas.documents, *new]
        self.window.settings.add_recent(list(paths))
        self._remember(items)
        self.map(items, keep_selection=keep)
        return True

    def _remember(self, items: Sequence[Item]) -> None:
        """The files to open next time (documents read from a file)."""
        files = [i if isinstance(i, Path) else i.path for i in items]
        self.window.settings.set("files/last", [str(p.resolve()) for p in files if p is not None])

    # --- the loader -----------------------------------------------------------------------

    def map(self, items: Sequence[Item], then: Callable[[], None] | None = None, keep_selection: bool = False) -> None:
        """Read (the long files) and map these documents on a thread; ``then`` runs once the new Atlas is shown."""
        self.cancel()
        corrector = self.window.corrector
        geocoder = corrector.geocoder if self.window.settings.flag("geocoding/online") else None
        loader = AtlasLoader(list(items), self.window.corrections, geocoder, self, prepare=self.prepare)
        self.loader = loader
        mine = lambda: loader is self.loader  # noqa: E731 (a superseded loader's late signals are ignored)
        loader.progress.connect(lambda done, total, what: mine() and self.progress.emit(done, total, what))
        loader.prepared.connect(lambda atlas, data: mine() and self.prepared.emit(atlas, data))
        loader.loaded.connect(lambda atlas: mine() and self._loaded(atlas, keep_selection, then))
        loader.failed.connect(lambda message: mine() and self.window.error(message))
        loader.finished.connect(lambda: self._finished(loader))
        self.busy.emit(True)
        loader.start()

    def _loaded(self, atlas: Atlas, keep_selection: bool, then: Callable[[], None] | None) -> None:
        self.busy.emit(False)
        self.loaded.emit(atlas, keep_selection)
        if then is not None:
            then()

    def _finished(self, loader: AtlasLoader) -> None:
        self._leaving.discard(loader)
        if loader is self.loader:
            self.busy.emit(False)  # kept: the window may still ask how it went
        else:
            loader.deleteLater()

    def cancel(self) -> None:
        """Stop mapping now: the window keeps what it shows; the loader stops at its next step."""
        loader, self.loader = self.loader, None
        if loader is not None:
            if loader.isRunning():
                loader.cancel()
                self._leaving.add(loader)
            else:
                loader.deleteLater()
        self.busy.emit(False)

    def running(self) -> bool:
        """Whether a loader's thread still runs (the current one, or one let go that has not yet stopped)."""
        loaders = [*self._leaving, *([self.loader] if self.loader is not None else [])]
        return any(loader.isRunning() for loader in loaders)

    def close(self, timeout_ms: int = 10_000) -> None:
        """The window closes: every loader stops, and is waited for (a thread must end before its object)."""
        self.cancel()
        for loader in list(self._leaving):
            loader.wait(timeout_ms)
