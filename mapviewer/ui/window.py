"""The main window: the map on the left, the declaration's words on the right.

It wires widgets to the reading session (``reading.session``) and holds no
rule of its own: the session says which places show, which is selected and
where the tour goes; the panel's HTML comes from ``reading.panel``; the page
is told what to draw through ``MapView.api``.
"""
from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QTextBrowser

from ..core import firstrun
from ..core.corrections import CorrectionStore
from ..core.pledges import PledgeFilter
from ..map import basemaps
from ..reading import links, panel
from ..reading.session import ReadingSession
from . import dialogs
from .corrector import Corrector
from .documentlist import DocumentList
from .files import DocumentFiles
from .loader import AtlasLoader, Item, Task
from .mappage import MapPageAPI, Popup
from .menus import add_dialog, build_menus, fill_recent
from .places import PlacesTab
from .search import PanelSearch
from .settings import Settings
from .shortcuts import WindowShortcuts
from .statusbar import StatusBar
from .toolbar import ReadingToolbar
from .webview import MapView, basemap_tiles

if TYPE_CHECKING:  # the core's geometry and geopy load off the GUI thread, when first needed
    from ..core.model import Atlas

log = logging.getLogger(__name__)
MAP_MINIMUM = (240, 140)  # pixels the map keeps however small the window


def _page_data(atlas: Atlas) -> str:
    """The script that hands the places to the page (100k places: ~0.7 s: a worker thread's job)."""
    from ..map.features import cached_data_json

    return MapPageAPI.data_script(cached_data_json(atlas))


class MainWindow(QMainWindow):
    placeShown = Signal(str)
    mapDrawn = Signal()  # the current Atlas is painted on the map
    atlasLoaded = Signal()
    oneTimeWork = Signal(str, object)  # what, None when it starts or its seconds when done (core.firstrun)

    def __init__(
        self, atlas: Atlas, settings: Settings | None = None, store: CorrectionStore | None = None,
        loading: bool = False, map_view: MapView | None = None,
    ) -> None:
        """``loading``: the Atlas holds only the documents, its places are still being found.

        ``map_view``: one already loading the page of the settings' basemap (see ``app.open_window``).
        """
        super().__init__()
        self.session = ReadingSession(atlas)
        self.settings = settings or Settings()
        self.corrections = store or CorrectionStore()
        self.basemap = basemaps.known(self.settings.text("view/basemap", basemaps.OFFLINE))
        self.map = map_view or MapView(self)
        self.files = DocumentFiles(self, prepare=_page_data)
        self._tasks: set[Task] = set()  # running tasks, kept alive until they end
        self._prepared: tuple[Atlas, str] | None = None  # page data the loader made with its Atlas
        self._boxes: list = []  # open message boxes, kept alive
        self.panel_html = ""
        bar = StatusBar(self)
        self.setStatusBar(bar)
        self.progress, self.cancel_button = bar.progress, bar.cancel_button
        self.coords, self.counts, self.network = bar.coords, bar.counts, bar.network
        self.cancel_button.clicked.connect(self.cancel_loading)
        # One-time work (a cache built on a first run) is said in the status bar, from any thread.
        self.oneTimeWork.connect(bar.show_one_time)
        self._stop_listening = firstrun.listen(self.oneTimeWork.emit)
        if map_view is None:
            self.map.load_shell(self.basemap)  # first: the web engine works while the rest is built
        self._show_network()
        self.panel = QTextBrowser(self)
        self.panel.setOpenLinks(False)
        self.panel.anchorClicked.connect(self._on_link)
        self.places_tab = PlacesTab(self)
        self.places_tab.placeChosen.connect(self._on_place_row)
        self.corrector = Corrector(self, self.corrections)
        self.places_tab.unmappedChosen.connect(self.corrector.ask_unmapped)
        self.documents_tab = DocumentList(self)
        self.documents_tab.removeAsked.connect(self.remove_document)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panel, "Declaration")
        self.tabs.addTab(self.places_tab, "Places")
        self.tabs.addTab(self.documents_tab, "Documents")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([900, 500])
        # The map keeps priority: a narrower window takes three parts of four from the
        # text's side, and neither side ever collapses to nothing.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.map.setMinimumSize(MAP_MINIMUM[0], MAP_MINIMUM[1])
        self.tabs.setMinimumWidth(120)
        self.setMinimumSize(400, 300)
        self.setCentralWidget(self.splitter)
        self.toolbar = ReadingToolbar(self)
        self.addToolBar(self.toolbar)
        self.toolbar.filterChanged.connect(self.set_filter)
        self.toolbar.prev_action.triggered.connect(self.tour_previous)
        self.toolbar.next_action.triggered.connect(self.tour_next)
        self.search = PanelSearch(self)
        self.documents_tab.add_button.clicked.connect(lambda: add_dialog(self))
        build_menus(self)
        self.shortcuts = WindowShortcuts(self)
        self.files.prepared.connect(self._on_prepared)
        self.files.loaded.connect(self._on_loaded)
        self.files.busy.connect(bar.show_busy)
        self.files.progress.connect(bar.show_progress)
        self.map.bridge.placeClicked.connect(lambda place_id: self.show_place(place_id, clicked=True))
        self.map.bridge.ready.connect(self._on_map_ready)
        self.map.bridge.cursorAt.connect(lambda lon, lat: self.coords.setText(f"{lat:.4f}, {lon:.4f}"))
        self.map.bridge.tilesUnavailable.connect(self._on_tiles_failed)
        self.map.map_page.linkRequested.connect(self.ask_open_link)
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        self._restore()
        self.set_atlas(atlas, draw=not loading)
        if self.settings.note:
            self.statusBar().showMessage(self.settings.note, 10000)

    # --- what tests and scripts read ---------------------------------------------------

    @property
    def atlas(self) -> Atlas:
        return self.session.atlas

    @property
    def selected(self) -> str | None:
        return self.session.selected

    @property
    def filter(self) -> PledgeFilter:
        return self.session.filter

    @property
    def loader(self) -> AtlasLoader | None:
        return self.files.loader

    # --- showing -----------------------------------------------------------------------

    def set_atlas(self, atlas: Atlas, draw: bool = True, keep_selection: bool = False) -> None:
        # The Atlas lives until the next one: keep the cyclic GC from walking its
        # objects on every collection (with 10k places a collection during a
        # filter change took ~90 ms). Refcounting still frees them when replaced.
        gc.freeze()
        self.session.set_atlas(atlas, keep_selection)
        self.toolbar.fill(atlas)
        self.session.set_filter(self.toolbar.current())
        self.setWindowTitle(f"{' + '.join(d.name for d in atlas.documents)} — Declaration map viewer")
        if draw:  # the page draws while the lists and the panel below are filled
            self._hand_to_map(atlas)
        self.places_tab.set_atlas(atlas, self.settings.flag("geocoding/online"), self.session)
        self.documents_tab.set_documents(atlas.documents)
        self.statusBar().showMessage("Drawing the map…" if draw else "Finding places…")
        self._show_panel(switch=False)
        self.search.documents_changed()

    def _hand_to_map(self, atlas: Atlas) -> None:
        """Draw the places: page data made on a thread (100k places: ~0.7 s), then handed over.

        The loader's thread makes it with the Atlas (``_on_prepared``); otherwise
        a task does, while the GUI thread keeps the window and the page live.
        Only the latest Atlas is drawn, should a newer one come first.
        """
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] is atlas:
            self._on_map_data(prepared)
            return
        self.run_task(lambda: (atlas, _page_data(atlas)), self._on_map_data)

    def _on_prepared(self, atlas: Atlas, data: str) -> None:
        self._prepared = (atlas, data)

    def _on_map_data(self, result: tuple | Exception) -> None:
        if isinstance(result, Exception):
            self.error(f"the map could not be drawn: {result}")
            return
        atlas, data = result
        if atlas is self.atlas:  # not an older Atlas finishing late
            self.map.set_data(data, {p.id for p in atlas.places})

    def _on_map_ready(self) -> None:
        """The page painted the places: it is told the filter and the selection again."""
        if self.session.filter.active:
            self.map.api.set_visible(self.session.visible_indexes())
        if self.session.selected:
            self.map.api.select(self.session.selected)
        self._update_counts()
        self.statusBar().showMessage("Map ready", 3000)
        self.mapDrawn.emit()

    def _update_counts(self) -> None:
        self.counts.setText(str(self.session.counts()))

    def _show_panel(self, switch: bool = True) -> None:
        """The panel shows what the session says: the selected place, or the text.

        ``switch``: bring the panel's tab to the front (not while the reader works in another tab).
        """
        session = self.session
        place = self.atlas.place(session.selected) if session.selected and not session.showing_document else None
        if place is not None:
            html = panel.place_html(self.atlas, place, session.filter, session.place_page)
        else:
            html = panel.document_html(self.atlas, session.filter, session.document_page)
        self.panel_html = html  # kept: QTextBrowser rewrites what it is given
        self.panel.setHtml(html)
        if switch:
            self.tabs.setCurrentWidget(self.panel)

    def show_document(self, page: int = 0) -> None:
        self.session.show_document(page)
        self._show_panel()

    @property
    def doc_page(self) -> int:
        return self.session.document_page

    def show_place(self, place_id: str, clicked: bool = False, switch: bool = True) -> None:
        """Put every sentence about ``place_id`` in the panel and mark it on the map.

        ``clicked``: the reader clicked it on the map, which then shows its
        popup (with the panel's counts); otherwise any popup closes.
        ``switch``: bring the panel's tab to the front.
        """
        place = self.session.select(place_id)
        if place is None:
            return
        self._show_panel(switch)
        popup = Popup(place.name, f"{place.kind} · {self.session.place_counts(place).summary()}") if clicked else None
        self.map.api.select(place_id, popup)
        self.placeShown.emit(place_id)

    def focus_sentence(self, doc: int, index: int) -> list[str]:
        """Bring the map to the places a sentence names; returns their ids."""
        ids = [p.id for p in self.atlas.places_in_sentence(doc, index)]
        if ids:
            self.map.api.focus(ids)
        return ids

    def fit_all(self) -> None:
        self.map.api.select(self.session.selected)  # a popup belongs to the view it was opened in
        self.map.api.fit_all(True)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _on_link(self, url: QUrl) -> None:
        link = links.parse(url.toString())
        if isinstance(link, links.PlaceLink):
            self.show_place(link.place_id)
            self.map.api.focus([link.place_id])
        elif isinstance(link, links.SentenceLink):
            self.focus_sentence(link.doc, link.index)
        elif isinstance(link, links.FixLink):
            self.corrector.ask(link.action, link.place_id)
        elif isinstance(link, links.PageLink) and link.place_id is not None:
            if self.session.show_place_page(link.place_id, link.page) is not None:
                self._show_panel()
        elif isinstance(link, links.PageLink):
            self.show_document(link.page)
        elif isinstance(link, links.ClearFilterLink):
            self.toolbar.clear_filters()

    def _on_place_row(self, place_id: str) -> None:
        """A row of the Places tab: the place is selected and shown on the map; the tab stays."""
        self.show_place(place_id, switch=False)
        self.map.api.focus([place_id])

    # --- filters, search, tour ---------------------------------------------------------

    def set_filter(self, flt: PledgeFilter) -> None:
        """Filter the map, the counts, the tour and the text together, by the session's one rule."""
        self.session.set_filter(flt)
        self.map.api.set_visible(self.session.visible_indexes())
        self.map.api.select(self.session.selected)  # the popup's counts were the old filter's
        self._show_panel()
        self._update_counts()
        self.places_tab.refresh()  # its counts are the filter's
        self.search.documents_changed()

    def tour_next(self) -> str | None:
        return self._tour_step(+1)

    def tour_previous(self) -> str | None:
        return self._tour_step(-1)

    def _tour_step(self, step: int) -> str | None:
        place_id = self.session.tour_step(step)
        if place_id is None:
            return None
        self.show_place(place_id)
        self.map.api.focus([place_id])
        position, total = self.session.tour_position()
        self.statusBar().showMessage(f"Place {position} of {total}", 4000)
        return place_id

    # --- basemap -------------------------------------------------------------------------

    def set_basemap(self, name: str) -> None:
        if name not in basemaps.NAMES or name == self.basemap:
            return
        self.basemap = name
        self.basemap_actions[name].setChecked(True)
        self.settings.set("view/basemap", name)
        self.load_map_page()
        self._show_network()

    def load_map_page(self) -> None:
        """Show the chosen basemap's page: at once if it needs no building, else built on a
        thread while the window goes on (the status bar says so), then shown if still chosen."""
        if self.map.load_shell(self.basemap, build=False):
            return
        from ..map.shell import shell_page

        basemap, tiles = self.basemap, basemap_tiles(self.basemap)

        def built(result: object) -> None:
            if isinstance(result, Exception):
                self.error(f"the map page could not be built: {result}")
            elif basemap == self.basemap:
                self.map.show_shell(result, tiles)

        self.run_task(lambda: shell_page(tiles), built)

    def _show_network(self) -> None:
        self.network.setText("offline" if self.basemap == basemaps.OFFLINE else f"online: {self.basemap}")

    def _on_tiles_failed(self, name: str) -> None:
        self.network.setText("offline (tiles unavailable)")
        self.statusBar().showMessage(f"{name} tiles could not be loaded; showing the offline basemap", 10000)

    # --- files ---------------------------------------------------------------------------

    def open_files(self, paths: list[Path]) -> bool:
        """File › Open: these documents instead of the open ones.

        Returns False, with the reason in the status bar, when a file cannot
        be read (a long one is read on the loader's thread: its errors come
        from there); ``atlasLoaded`` fires when the map is built.
        """
        opened = self.files.open(paths)
        fill_recent(self)
        return opened

    def add_files(self, paths: list[Path]) -> bool:
        """File › Add document…: these documents beside the open ones."""
        added = self.files.add(paths)
        fill_recent(self)
        return added

    def remove_document(self, index: int) -> bool:
        return self.files.remove(index)

    def map_documents(self, documents: list[Item], then: Callable[[], None] | None = None,
                      keep_selection: bool = False) -> None:
        """Find the documents' places on the loader's thread; the window stays live.

        ``then`` runs once the new Atlas is shown.
        """
        self.files.map(documents, then, keep_selection)

    def cancel_loading(self) -> None:
        """Esc: back from picking a position on the map, or stop mapping."""
        if self.corrector.stop_picking():
            return
        if self.files.loader is not None:
            self.statusBar().showMessage("Mapping cancelled", 5000)
        self.files.cancel()

    def _on_loaded(self, atlas: Atlas, keep_selection: bool) -> None:
        self.set_atlas(atlas, keep_selection=keep_selection)
        for note in atlas.notes:
            self.statusBar().showMessage(note, 10000)
        self.atlasLoaded.emit()

    def restore_filters(self) -> None:
        """Re-apply the filters saved last time, where the new documents have them."""
        self.toolbar.restore(self.settings.text("filter/theme"), self.settings.text("filter/party"))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        """Dropped files replace the open documents; with Ctrl held they are added to them."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.add_files(paths)
        elif paths:
            self.open_files(paths)

    def export_dialog(self) -> None:
        from .export_dialog import ExportDialog  # with the snapshot code: imported when first asked for

        ExportDialog(self).open()

    def ask_open_link(self, url: QUrl) -> None:
        """The map never navigates away: a link opens in the browser if the user agrees."""
        if url.scheme() not in ("http", "https"):
            self.statusBar().showMessage(f"Ignored a link to {url.scheme()}:", 5000)
            return
        self.link_box = dialogs.confirm_open_link(self, url)

    def about(self) -> None:
        self._boxes = [dialogs.show_about(self)]

    # --- corrections -----------------------------------------------------------------------

    def remap(self) -> bool:
        """Map the same documents again (after a correction), keeping the selected place."""
        self.map_documents(self.atlas.documents, keep_selection=True)
        return True

    def run_task(self, call: Callable[[], object], done: Callable[[object], None]) -> Task:
        """``call`` on a thread; ``done`` gets its value, or the exception it raised, on the GUI thread."""
        task = Task(call, self)
        self._tasks.add(task)
        task.done.connect(done)
        task.failed.connect(done)
        task.finished.connect(lambda: self._tasks.discard(task))
        task.finished.connect(task.deleteLater)
        task.start()
        return task

    # --- state -----------------------------------------------------------------------------

    def _restore(self) -> None:
        for key, restore in (("window/geometry", self.restoreGeometry), ("window/state", self.restoreState),
                             ("window/splitter", self.splitter.restoreState)):
            value = self.settings.bytes(key)
            if value is not None:
                restore(value)
        fill_recent(self)

    def save_state(self) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        self.settings.set("window/splitter", self.splitter.saveState())
        self.settings.set("view/basemap", self.basemap)
        self.settings.set("filter/theme", self.toolbar.theme_box.currentData() or "")
        self.settings.set("filter/party", self.toolbar.party_box.currentData() or "")
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._stop_listening()
        self.files.close()
        self.save_state()
        self.map.cleanup()
        super().closeEvent(event)

    def error(self, message: str) -> None:
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        if self.isVisible():
            self._boxes = [dialogs.show_error(self, message)]
