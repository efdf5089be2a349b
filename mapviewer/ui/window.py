"""The main window: the map on the left, the declaration's words on the right.

It holds no geography: it asks the Atlas which sentences belong to a
place and which places a sentence names, and tells the page what to show.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTextBrowser,
)

from ..core.atlas import Atlas, build_atlas
from ..core.errors import MapViewerError
from ..core.readers import read_document
from ..map.page import PageOptions, build_page
from . import panel
from .snapshot import save_png, settle
from .webview import MapView

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    placeShown = Signal(str)

    def __init__(self, atlas: Atlas) -> None:
        super().__init__()
        self.atlas = atlas
        self.selected: str | None = None
        self.panel_html = ""
        self.map = MapView(self)
        self.panel = QTextBrowser(self)
        self.panel.setOpenLinks(False)
        self.panel.anchorClicked.connect(self._on_link)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.map)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 500])
        self.setCentralWidget(splitter)
        self.coords = QLabel("", self)
        self.statusBar().addPermanentWidget(self.coords)
        self.map.bridge.placeClicked.connect(self.show_place)
        self.map.bridge.ready.connect(self._on_map_ready)
        self.map.bridge.cursorAt.connect(lambda lon, lat: self.coords.setText(f"{lat:.4f}, {lon:.4f}"))
        self._build_menus()
        self.resize(1400, 860)
        self.set_atlas(atlas)

    # --- menus -------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.open_dialog)
        self._action(file_menu, "&Export snapshot…", QKeySequence("Ctrl+E"), self.export_dialog)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "&Fit to all places", QKeySequence("Ctrl+0"), self.fit_all)
        self._action(view_menu, "&Whole declaration", QKeySequence("Ctrl+D"), self.show_document)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- showing ------------------------------------------------------------

    def set_atlas(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self.selected = None
        names = " + ".join(d.name for d in atlas.documents)
        self.setWindowTitle(f"{names} — Declaration map viewer")
        self.map.show_page(build_page(atlas, PageOptions(title=names)), {p.id for p in atlas.places})
        self.show_document()
        self.statusBar().showMessage("Drawing the map…")

    def _on_map_ready(self) -> None:
        pledges = len(self.atlas.pledges)
        self.statusBar().showMessage(f"{len(self.atlas.places)} places · {pledges} pledges · offline")

    def _set_panel(self, html: str) -> None:
        self.panel_html = html  # kept: QTextBrowser rewrites what it is given
        self.panel.setHtml(html)

    def show_document(self) -> None:
        self._set_panel(panel.document_html(self.atlas))

    def show_place(self, place_id: str) -> None:
        """Put every sentence about ``place_id`` in the panel and mark it on the map."""
        place = self.atlas.place(place_id)
        if place is None:
            return
        self.selected = place_id
        self._set_panel(panel.place_html(self.atlas, place))
        self.map.run_js("select", place_id)
        self.placeShown.emit(place_id)

    def focus_sentence(self, doc: int, index: int) -> list[str]:
        """Bring the map to the places a sentence names; returns their ids."""
        ids = [p.id for p in self.atlas.places_in_sentence(doc, index)]
        if ids:
            self.map.run_js("focus", ids)
        return ids

    def fit_all(self) -> None:
        self.map.run_js("fitAll", True)

    def _on_link(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("place:"):
            place_id = unquote(target[len("place:") :])
            self.show_place(place_id)
            self.map.run_js("focus", [place_id])
        elif target.startswith("sentence:"):
            _, doc, index = target.split(":")
            self.focus_sentence(int(doc), int(index))

    # --- files ----------------------------------------------------------------

    def open_files(self, paths: list[Path]) -> bool:
        try:
            atlas = build_atlas([read_document(p) for p in paths])
        except MapViewerError as exc:
            self.error(str(exc))
            return False
        self.set_atlas(atlas)
        return True

    def open_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Open declarations", "", "Declarations (*.txt *.md *.html *.htm *.pdf);;All files (*)"
        )
        if names:
            self.open_files([Path(n) for n in names])

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export snapshot", "map.png", "PNG image (*.png)")
        if name:
            self.export_png(Path(name))

    def export_png(self, out: Path) -> bool:
        """Write the map as the user sees it."""
        try:
            settle(50)
            save_png(self.map, self.atlas, out, self.windowTitle())
        except MapViewerError as exc:
            self.error(str(exc))
            return False
        self.statusBar().showMessage(f"Saved {out}", 5000)
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.map.cleanup()
        super().closeEvent(event)

    def error(self, message: str) -> None:
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        if self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "Declaration map viewer", message, parent=self)
            box.open()  # not exec(): never block the event loop
