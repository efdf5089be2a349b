"""The main window: the map on the left, the declaration's words on the right.

It holds no geography: it asks the Atlas which sentences belong to a
place and which places a sentence names, and tells the page what to show.
"""
from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote

from PySide6.QtCore import QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QKeySequence,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..core.corrections import CorrectionStore, correct_place
from ..core.errors import MapViewerError
from ..core.pledges import THEMES, PledgeFilter
from ..core.readers import read_document
from ..map import basemaps
from . import panel
from .about import about_html
from .loader import AtlasLoader, Task
from .placelist import PlaceModel
from .settings import Settings
from .webview import MapView, data_call

if TYPE_CHECKING:  # the core's geometry and geopy load off the GUI thread, when first needed
    from ..core.atlas import Atlas
    from ..core.geocoding import GeocodingService

log = logging.getLogger(__name__)
OPEN_FILTER = "Declarations (*.txt *.md *.html *.htm *.pdf);;All files (*)"


def _page_data(atlas: Atlas) -> str:
    """The script that hands the places to the page (100k places: ~0.7 s: a worker thread's job).

    The Atlas's lookups for the panel (100k places: ~0.15 s) are built
    later, on the GUI thread, once the page has its data and draws.
    """
    from ..map.features import cached_data_json

    return data_call(cached_data_json(atlas))


def parse_coordinates(text: str) -> dict | None:
    """ "25.12, 62.33" (latitude, longitude) as a correction, or None."""
    try:
        lat, lon = (float(v) for v in text.replace(";", ",").split(","))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"action": "coords", "lon": lon, "lat": lat}


class MainWindow(QMainWindow):
    placeShown = Signal(str)
    mapDrawn = Signal()  # the current Atlas is painted on the map
    atlasLoaded = Signal()
    lookupDone = Signal(object)

    def __init__(
        self, atlas: Atlas, settings: Settings | None = None, corrections: CorrectionStore | None = None,
        loading: bool = False, map_view: MapView | None = None,
    ) -> None:
        """``loading``: the Atlas holds only the documents, its places are still being found.

        ``map_view``: one already loading the page of the settings' basemap (see ``app.open_window``).
        """
        super().__init__()
        self.atlas = atlas
        self.settings = settings or Settings()
        self.corrections = corrections or CorrectionStore()
        self._geocoder: GeocodingService | None = None
        self.selected: str | None = None
        self.doc_page = 0  # the page of a long text the panel shows
        self._data_task: Task | None = None
        self._prepared: tuple[Atlas, str] | None = None  # page data the loader made with its Atlas
        self._passing_for: tuple = (None, None, (frozenset(), frozenset()))  # see _passing
        self.showing_document = True
        self.filter = PledgeFilter()
        self.tour_index = -1
        self.panel_html = ""
        self.basemap = basemaps.known(self.settings.text("view/basemap", basemaps.OFFLINE))
        self.map = map_view or MapView(self)
        self._build_status_bar()
        self._load_page(started=map_view is not None)  # first: the web engine works while the rest is built
        self.panel = QTextBrowser(self)
        self.panel.setOpenLinks(False)
        self.panel.anchorClicked.connect(self._on_link)
        self._build_place_list()
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panel, "Declaration")
        self.tabs.addTab(self.places_page, "Places")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([900, 500])
        self.setCentralWidget(self.splitter)
        self._build_toolbar()
        self._build_menus()
        self.map.bridge.placeClicked.connect(self.show_place)
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

    # --- building ----------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.loader: AtlasLoader | None = None
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.statusBar().addWidget(self.progress)
        self.coords = QLabel("", self)
        self.counts = QLabel("", self)
        self.network = QLabel("offline", self)
        for widget in (self.counts, self.coords, self.network):
            self.statusBar().addPermanentWidget(widget)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Reading", self)
        bar.setObjectName("reading-toolbar")
        self.addToolBar(bar)
        self.theme_box = QComboBox(self)
        self.theme_box.addItem("All themes", "")
        for key, label in THEMES.items():
            self.theme_box.addItem(label, key)
        self.party_box = QComboBox(self)
        self.party_box.addItem("All parties", "")
        self.doc_box = QComboBox(self)
        for box, tip in ((self.theme_box, "Theme (Alt+T)"), (self.party_box, "Who commits (Alt+P)"), (self.doc_box, "Document")):
            box.setToolTip(tip)
            box.currentIndexChanged.connect(self._on_filter_changed)
            action = bar.addWidget(box)
        self.doc_box_action = action  # a toolbar hides its widgets through their actions
        bar.addSeparator()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the text (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.setMaximumWidth(260)
        bar.addWidget(self.search)
        self.search_info = QLabel("", self)
        bar.addWidget(self.search_info)
        bar.addSeparator()
        self.prev_action = bar.addAction("◀ Previous place", self.tour_previous)
        self.next_action = bar.addAction("Next place ▶", self.tour_next)

    def _build_place_list(self) -> None:
        self.place_model = PlaceModel(parent=self)
        self.places_table = QTableView(self)
        self.places_table.setModel(self.place_model)
        self.places_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.places_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.places_table.verticalHeader().setVisible(False)
        self.places_table.activated.connect(self._on_place_row)
        self.places_table.clicked.connect(self._on_place_row)
        self.unmapped_list = QListWidget(self)
        self.unmapped_list.setToolTip("Names that look like places but are not on the map; double-click to place one")
        self.unmapped_list.itemActivated.connect(self._on_unmapped_row)
        self.unmapped_label = QLabel("", self)
        self.places_page = QSplitter(Qt.Orientation.Vertical, self)
        self.places_page.addWidget(self.places_table)
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.unmapped_label)
        layout.addWidget(self.unmapped_list)
        self.places_page.addWidget(box)
        self.places_page.setSizes([600, 160])

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self._action(menu, "&Open…", QKeySequence.StandardKey.Open, self.open_dialog)
        self.recent_menu = menu.addMenu("Open &Recent")
        self._action(menu, "&Export snapshot…", QKeySequence("Ctrl+E"), self.export_dialog)
        menu.addSeparator()
        self._action(menu, "&Cancel loading", QKeySequence(Qt.Key.Key_Escape), self.cancel_loading)
        self._action(menu, "&Quit", QKeySequence("Ctrl+Q"), self.close)

        menu = self.menuBar().addMenu("&Edit")
        self._action(menu, "&Find…", QKeySequence.StandardKey.Find, self.focus_search)
        self._action(menu, "Find &Next", QKeySequence.StandardKey.FindNext, self.find_next)
        self._action(menu, "Find &Previous", QKeySequence.StandardKey.FindPrevious, self.find_previous)
        self._action(menu, "&Clear filters", QKeySequence("Ctrl+Shift+L"), self.clear_filters)

        menu = self.menuBar().addMenu("&View")
        self._action(menu, "Zoom &In", QKeySequence.StandardKey.ZoomIn, lambda: self.map.run_js("zoom", 1))
        self._action(menu, "Zoom &Out", QKeySequence.StandardKey.ZoomOut, lambda: self.map.run_js("zoom", -1))
        self._action(menu, "&Fit to all places", QKeySequence("Ctrl+0"), self.fit_all)
        self._action(menu, "F&ull screen", QKeySequence.StandardKey.FullScreen, self.toggle_full_screen)
        self._action(menu, "&Whole declaration", QKeySequence("Ctrl+D"), self.show_document)
        self._action(menu, "&Place list", QKeySequence("Ctrl+L"), lambda: self.tabs.setCurrentWidget(self.places_table))
        base = menu.addMenu("&Basemap")
        group = QActionGroup(self)
        self.basemap_actions: dict[str, QAction] = {}
        for name in basemaps.NAMES:
            action = QAction(name, self, checkable=True)
            action.setChecked(name == self.basemap)
            action.triggered.connect(lambda _=False, n=name: self.set_basemap(n))
            group.addAction(action)
            base.addAction(action)
            self.basemap_actions[name] = action

        menu = self.menuBar().addMenu("&Tools")
        self.online_geocoding_action = QAction("Online geocoder (Nominatim)", self, checkable=True)
        self.online_geocoding_action.setChecked(self.settings.flag("geocoding/online"))
        self.online_geocoding_action.toggled.connect(lambda on: self.set_online_geocoding(on))
        menu.addAction(self.online_geocoding_action)

        menu = self.menuBar().addMenu("&Go")
        self._action(menu, "&Next place", QKeySequence("Alt+Right"), self.tour_next)
        self._action(menu, "&Previous place", QKeySequence("Alt+Left"), self.tour_previous)

        menu = self.menuBar().addMenu("&Help")
        self._action(menu, "&About and data sources", QKeySequence.StandardKey.HelpContents, self.about)
        self.theme_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._action(menu, "Focus theme filter", QKeySequence("Alt+T"), self.theme_box.setFocus).setVisible(False)
        self._action(menu, "Focus party filter", QKeySequence("Alt+P"), self.party_box.setFocus).setVisible(False)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even when the menu is hidden
        return action

    # --- showing -----------------------------------------------------------

    def set_atlas(self, atlas: Atlas, draw: bool = True) -> None:
        self.atlas = atlas
        # The Atlas lives until the next one: keep the cyclic GC from walking its
        # objects on every collection (with 10k places a collection during a
        # filter change took ~90 ms). Refcounting still frees them when replaced.
        gc.freeze()
        self.selected = None
        self.tour_index = -1
        names = " + ".join(d.name for d in atlas.documents)
        self.setWindowTitle(f"{names} — Declaration map viewer")
        if draw:  # first: the page draws while the lists and the panel below are filled
            self._hand_to_map(atlas)
        self._fill_filters()
        self._fill_place_list()
        self.statusBar().showMessage("Drawing the map…" if draw else "Finding places…")
        self.show_document()

    def _hand_to_map(self, atlas: Atlas) -> None:
        """Draw the places: page data made on a thread (100k places: ~0.7 s), then handed over.

        The loader's thread makes it with the Atlas (``_on_prepared``);
        otherwise a task does.  Meanwhile the GUI thread keeps the window
        and the page loading live.  Only the latest Atlas is drawn, should
        a newer one come first.
        """
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] is atlas:
            self._on_map_data(prepared)
            return
        task = Task(lambda: (atlas, _page_data(atlas)), self)  # the panel builds the lookups meanwhile
        self._data_task = task
        task.done.connect(self._on_map_data)  # a method of the window: delivered on the GUI thread
        task.finished.connect(task.deleteLater)
        task.start()

    def _on_prepared(self, atlas: Atlas, data: str) -> None:
        self._prepared = (atlas, data)

    def _on_map_data(self, result: tuple) -> None:
        atlas, data = result
        if atlas is self.atlas:  # not an older Atlas finishing late
            self.map.set_data(data, {p.id for p in atlas.places})

    def _load_page(self, started: bool = False) -> None:
        """The map page without places, loaded once per basemap choice (``started``: already loading)."""
        if not started:
            self.map.load_shell(self.basemap)
        self.network.setText("offline" if self.basemap == basemaps.OFFLINE else f"online: {self.basemap}")

    def _on_map_ready(self) -> None:
        if self.filter.active:
            self.map.run_js("setFilter", self.filter.as_page())
        if self.selected:
            self.map.run_js("select", self.selected)
        self._update_counts()
        self.statusBar().showMessage("Map ready", 3000)
        self.mapDrawn.emit()

    def _update_counts(self) -> None:
        shown = sum(1 for p in self.atlas.places if self._visible(p))
        self.counts.setText(f"{shown} places · {len(self._passing()[0])} pledges")

    def _passing(self) -> tuple[frozenset[tuple[int, int]], frozenset[int]]:
        """(the pledges the filter lets through, the documents whose other sentences pass too),
        worked out once per Atlas and filter with the filter's own rule, not once per place."""
        atlas, flt, passing = self._passing_for
        if atlas is not self.atlas or flt != self.filter:
            pledges = frozenset(k for k, v in self.atlas.pledges.items() if self.filter.accepts(k[0], v))
            plain = frozenset(d for d in range(len(self.atlas.documents)) if self.filter.accepts(d, None))
            passing = (pledges, plain)
            self._passing_for = (self.atlas, self.filter, passing)
        return passing

    def _visible(self, place) -> bool:
        """A place is shown when one of its sentences passes the filter (as the page decides)."""
        if not self.filter.active:
            return True
        (pledges, plain), all_pledges = self._passing(), self.atlas.pledges
        for r in place.refs:
            key = (r.doc, r.mention.sentence)
            if key in pledges or (r.doc in plain and key not in all_pledges):
                return True
        return False

    def _set_panel(self, html: str) -> None:
        self.panel_html = html  # kept: QTextBrowser rewrites what it is given
        self.panel.setHtml(html)

    def show_document(self, page: int = 0) -> None:
        self.tabs.setCurrentWidget(self.panel)
        self.doc_page = page
        self.showing_document = True
        self._set_panel(panel.document_html(self.atlas, self.filter, page))

    def show_place(self, place_id: str) -> None:
        """Put every sentence about ``place_id`` in the panel and mark it on the map."""
        place = self.atlas.place(place_id)
        if place is None:
            return
        self.selected = place_id
        self.tabs.setCurrentWidget(self.panel)
        self.showing_document = False
        self._set_panel(panel.place_html(self.atlas, place, self.filter))
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

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _on_link(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("place:"):
            place_id = unquote(target[len("place:") :])
            self.show_place(place_id)
            self.map.run_js("focus", [place_id])
        elif target.startswith("sentence:"):
            _, doc, index = target.split(":")
            self.focus_sentence(int(doc), int(index))
        elif target.startswith("fix:"):
            _, what, place_id = target.split(":", 2)
            self.ask_correction(what, unquote(place_id))
        elif target.startswith("page:") and target[5:].isdigit():
            self.show_document(int(target[5:]))

    # --- corrections -----------------------------------------------------------

    def ask_correction(self, what: str, place_id: str) -> None:
        """Ask the reader for a correction of a place, then apply it."""
        place = self.atlas.place(place_id)
        if place is None:
            return
        if what == "choose":
            options = self.atlas.candidates(place_id)
            labels = [f"{a.name}, {a.country or '?'} ({a.lat:.3f}, {a.lon:.3f}) — {a.source}" if a.lon is not None
                      else f"{a.name}, {a.country or '?'}" for a in options]
            label, ok = QInputDialog.getItem(self, "Which place is meant?", f"“{place.name}” is:", labels, 0, False)
            if ok and label in labels:
                self.apply_correction(place_id, {"action": "choose", "id": options[labels.index(label)].id})
        elif what == "coords":
            text, ok = QInputDialog.getText(self, "Set coordinates", f"Latitude, longitude of “{place.name}”:")
            if ok:
                self.apply_correction(place_id, parse_coordinates(text))
        elif what == "reject":
            self.apply_correction(place_id, {"action": "reject"})
        elif what == "undo":
            self.undo_correction(place_id)
        elif what == "online":
            self.look_up_online(place_id)

    def look_up_online(self, place_id: str) -> bool:
        """Ask the online geocoder (off the GUI thread); its answer becomes a correction.

        Offline answers are never applied this way: the map has them already.
        """
        place = self.atlas.place(place_id)
        if place is None:
            return False
        if not self.geocoder.online_enabled:
            self.error("the online geocoder is off: switch it on in Tools › Online geocoder (Nominatim)")
            return False
        name = place.name
        codes = [place.country] if place.country else None
        self.statusBar().showMessage(f"Looking up “{name}” online…")
        self.lookup = Task(lambda: self.geocoder.geocode(name, codes), self)
        self.lookup.done.connect(lambda result: self._on_lookup(place_id, result))
        self.lookup.start()
        return True

    def _on_lookup(self, place_id: str, result) -> None:
        if result.status:
            self.network.setText("online geocoder unavailable")
            self.statusBar().showMessage(result.status, 10000)
        elif result.online and result.found:
            self.statusBar().showMessage(f"Found “{result.name}” online ({result.source})", 8000)
            self.apply_correction(place_id, result.as_correction())
        else:
            self.statusBar().showMessage(f"“{result.query}” was not found online", 8000)
        self.lookupDone.emit(result)

    def set_online_geocoding(self, on: bool, **options) -> None:
        """Switch Nominatim on or off (remembered); off is the default."""
        if on:
            self.geocoder.enable_online(**options)
        else:
            self.geocoder.disable_online()
        was = self.settings.flag("geocoding/online")
        self.settings.set("geocoding/online", bool(on))
        with QSignalBlocker(self.online_geocoding_action):  # its own toggled() would switch again, with no options
            self.online_geocoding_action.setChecked(bool(on))
        if on and not was and self.atlas.unmapped:
            self._remap()  # the names no gazetteer knows can now be looked up

    def apply_correction(self, place_id: str, correction: dict | None) -> bool:
        """Save a correction for every document naming the place, and remap."""
        if correction is None:
            self.error("coordinates must look like 25.12, 62.33 (latitude, longitude)")
            return False
        try:
            correct_place(self.corrections, self.atlas, place_id, correction)
        except (KeyError, MapViewerError, OSError) as exc:
            self.error(f"the correction could not be saved: {exc}")
            return False
        return self._remap()

    def undo_correction(self, place_id: str) -> bool:
        place = self.atlas.place(place_id)
        if place is None or not place.correction:
            return False
        for sha in sorted({self.atlas.documents[r.doc].sha256 for r in place.refs}):
            self.corrections.remove(sha, place.correction_key or place.id)
        return self._remap()

    @property
    def geocoder(self) -> GeocodingService:
        """Made on first use, so geopy loads when a look-up needs it, not at start."""
        if self._geocoder is None:
            from ..core.geocoding import GeocodingService

            self._geocoder = GeocodingService()
            if self.settings.flag("geocoding/online"):
                self._geocoder.enable_online()
        return self._geocoder

    def _build_atlas(self, documents: list, geocoder: GeocodingService | None = None, loader: AtlasLoader | None = None) -> Atlas:
        """Runs on the loader's thread; online look-ups report their progress."""
        from ..core.atlascache import build_atlas_cached

        def progress(done: int, total: int) -> None:
            if loader is not None:
                loader.progress.emit(done, total, f"Looking up names online ({done} of {total})…")

        return build_atlas_cached(documents, corrections=self.corrections, geocoder=geocoder, progress=progress)

    def _remap(self) -> bool:
        self.map_documents(self.atlas.documents)
        return True

    # --- place list ----------------------------------------------------------

    def _fill_place_list(self) -> None:
        self.place_model.set_atlas(self.atlas)
        self._fill_unmapped()
        if len(self.atlas.places) <= 500:  # measuring every row costs at scale
            self.places_table.resizeColumnsToContents()
        self.places_table.setColumnWidth(2, min(self.places_table.columnWidth(2), 380))

    def _fill_unmapped(self) -> None:
        names = self.atlas.unmapped_names()
        self.unmapped_list.clear()
        for surface, reason, count in names:
            item = QListWidgetItem(f"{surface} — {reason}" + (f" ({count}×)" if count > 1 else ""))
            item.setData(Qt.ItemDataRole.UserRole, surface)
            self.unmapped_list.addItem(item)
        online = self.settings.flag("geocoding/online")
        hint = "" if online or not names else " — switch on Tools › Online geocoder to look them up"
        self.unmapped_label.setText(f"Not on the map: {len(names)}{hint}" if names else "Every name found is on the map")

    def _on_unmapped_row(self, item) -> None:
        surface = item.data(Qt.ItemDataRole.UserRole)
        text, ok = QInputDialog.getText(self, "Place a name", f"Latitude, longitude of “{surface}”:")
        if ok:
            self.place_unmapped(surface, parse_coordinates(text))

    def place_unmapped(self, surface: str, correction: dict | None) -> bool:
        """Put a name no gazetteer knows on the map (saved like any correction), and remap."""
        if correction is None:
            self.error("coordinates must look like 25.12, 62.33 (latitude, longitude)")
            return False
        found = [u for u in self.atlas.unmapped if u.surface == surface]
        if not found:
            return False
        try:
            for sha in sorted({self.atlas.documents[u.doc].sha256 for u in found}):
                self.corrections.set(sha, found[0].key, correction)
        except (MapViewerError, OSError) as exc:
            self.error(f"the correction could not be saved: {exc}")
            return False
        return self._remap()

    def _on_place_row(self, index) -> None:
        place_id = self.place_model.place_id(index.row())
        if place_id is not None:
            self.show_place(place_id)
            self.map.run_js("focus", [place_id])

    # --- filters, search, tour ------------------------------------------------

    def _fill_filters(self) -> None:
        parties = sorted({a for p in self.atlas.pledges.values() for a in p.actors})
        for box, items in ((self.party_box, [(a, a) for a in parties]), (self.doc_box, [])):
            box.blockSignals(True)
            while box.count() > 1 or (box is self.doc_box and box.count() > 0):
                box.removeItem(box.count() - 1)
            box.blockSignals(False)
        self.doc_box.blockSignals(True)
        self.doc_box.addItem("All documents", -1)
        for i, d in enumerate(self.atlas.documents):
            self.doc_box.addItem(d.name, i)
        self.doc_box_action.setVisible(len(self.atlas.documents) > 1)
        self.doc_box.blockSignals(False)
        self.party_box.blockSignals(True)
        for party in parties:
            self.party_box.addItem(party, party)
        self.party_box.blockSignals(False)
        self.filter = PledgeFilter()

    def set_filter(self, flt: PledgeFilter) -> None:
        """Filter the map and the text together."""
        self.filter = flt
        self.map.run_js("setFilter", flt.as_page())
        if self.selected and self.atlas.place(self.selected):
            self._set_panel(panel.place_html(self.atlas, self.atlas.place(self.selected), flt))
        else:
            self.show_document()
        self._update_counts()

    def _on_filter_changed(self) -> None:
        theme, party = self.theme_box.currentData(), self.party_box.currentData()
        doc = self.doc_box.currentData() if self.doc_box.count() else -1
        self.set_filter(
            PledgeFilter(
                themes=frozenset([theme]) if theme else frozenset(),
                parties=frozenset([party]) if party else frozenset(),
                document=None if doc in (None, -1) else int(doc),
            )
        )

    def clear_filters(self) -> None:
        for box in (self.theme_box, self.party_box, self.doc_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.set_filter(PledgeFilter())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags) -> bool:
        needle = self.search.text()
        if not needle:
            return False
        found = self.panel.find(needle, flags)
        if not found and self.showing_document and self._turn_page_to(needle, backward=bool(flags)):
            found = self.panel.find(needle, flags)
        hits = self.panel.toPlainText().lower().count(needle.lower())
        if not found and hits:  # wrap around
            cursor = self.panel.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if flags else cursor.MoveOperation.Start)
            self.panel.setTextCursor(cursor)
            found = self.panel.find(needle, flags)
        self.search_info.setText(f"{hits} hit{'s' if hits != 1 else ''}" if hits else "not found")
        return found

    def _turn_page_to(self, needle: str, backward: bool) -> bool:
        """In a text shown a page at a time, open the next page (in the search's direction) that has ``needle``."""
        keys = panel.shown_sentences(self.atlas, self.filter)
        pages = panel.page_count(len(keys))
        if pages < 2:
            return False
        wanted = needle.lower()
        order = range(self.doc_page - 1, -1, -1) if backward else range(self.doc_page + 1, pages)
        for page in order:
            chunk = keys[page * panel.PAGE_SENTENCES : (page + 1) * panel.PAGE_SENTENCES]
            if any(wanted in self.atlas.sentence(d, i).text.lower() for d, i in chunk):
                self.show_document(page)
                if backward:
                    cursor = self.panel.textCursor()
                    cursor.movePosition(cursor.MoveOperation.End)
                    self.panel.setTextCursor(cursor)
                return True
        return False

    def tour_places(self) -> list[str]:
        """Places in the order the text first names them, as filtered."""
        return [p.id for p in self.atlas.places if self._visible(p)]

    def tour_next(self) -> str | None:
        return self._tour_step(+1)

    def tour_previous(self) -> str | None:
        return self._tour_step(-1)

    def _tour_step(self, step: int) -> str | None:
        ids = self.tour_places()
        if not ids:
            return None
        self.tour_index = (self.tour_index + step) % len(ids)
        place_id = ids[self.tour_index]
        self.show_place(place_id)
        self.map.run_js("focus", [place_id])
        self.statusBar().showMessage(f"Place {self.tour_index + 1} of {len(ids)}", 4000)
        return place_id

    # --- basemap ---------------------------------------------------------------

    def set_basemap(self, name: str) -> None:
        if name not in basemaps.NAMES or name == self.basemap:
            return
        self.basemap = name
        self.basemap_actions[name].setChecked(True)
        self.settings.set("view/basemap", name)
        self._load_page()

    def _on_tiles_failed(self, name: str) -> None:
        self.network.setText("offline (tiles unavailable)")
        self.statusBar().showMessage(f"{name} tiles could not be loaded; showing the offline basemap", 10000)

    # --- files ---------------------------------------------------------------

    def open_files(self, paths: list[Path]) -> bool:
        """Read the files now (errors show at once), map them in the background.

        Returns False, with the reason in the status bar, when a file
        cannot be read; ``atlasLoaded`` fires when the map is built.
        """
        try:
            documents = [read_document(p) for p in paths]
        except MapViewerError as exc:
            self.error(str(exc))
            return False
        self.cancel_loading()
        self.settings.add_recent(paths)
        self.settings.set("files/last", [str(p.resolve()) for p in paths])
        self._fill_recent()
        self.map_documents(documents)
        return True

    def map_documents(self, documents: list, then: Callable[[], None] | None = None) -> None:
        """Find the documents' places on the loader's thread; the window stays live.

        ``then`` runs once the new Atlas is shown.
        """
        self.cancel_loading()
        geocoder = self.geocoder if self.settings.flag("geocoding/online") else None
        loader = AtlasLoader(documents, lambda docs: self._build_atlas(docs, geocoder, loader), self, prepare=_page_data)
        self.loader = loader
        self.loader.progress.connect(self._on_progress)
        self.loader.prepared.connect(self._on_prepared)
        self.loader.loaded.connect(self._on_loaded)
        if then is not None:
            self.loader.loaded.connect(lambda _atlas: then())
        self.loader.failed.connect(self._on_load_failed)
        self.loader.finished.connect(lambda: self.progress.setVisible(False))
        self.progress.setVisible(True)
        self.loader.start()

    def cancel_loading(self) -> None:
        if self.loader is not None and self.loader.isRunning():
            self.loader.cancel()
            self.loader.wait(5000)
        self.progress.setVisible(False)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(what)

    def _on_loaded(self, atlas: Atlas) -> None:
        selected = self.selected
        self.set_atlas(atlas)
        if selected and atlas.place(selected):
            self.show_place(selected)
        for note in atlas.notes:
            self.statusBar().showMessage(note, 10000)
        self.atlasLoaded.emit()

    def _on_load_failed(self, message: str) -> None:
        self.error(message)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for name in self.settings.recent:
            action = self.recent_menu.addAction(Path(name).name)
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_files([Path(n)]))
        self.recent_menu.setEnabled(bool(self.settings.recent))

    def open_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Open declarations", "", OPEN_FILTER)
        if names:
            self.open_files([Path(n) for n in names])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.open_files(paths)

    def export_dialog(self) -> None:
        from .export_dialog import ExportDialog  # with the snapshot code: imported when first asked for

        ExportDialog(self).open()

    def export_png(self, out: Path) -> bool:
        """Write the map as the user sees it."""
        from .snapshot import save_png, settle

        try:
            settle(50)
            save_png(self.map, self.atlas, out, self.windowTitle())
        except MapViewerError as exc:
            self.error(str(exc))
            return False
        self.statusBar().showMessage(f"Saved {out}", 5000)
        return True

    def ask_open_link(self, url: QUrl) -> None:
        """The map never navigates away: a link opens in the browser if the user agrees."""
        if url.scheme() not in ("http", "https"):
            self.statusBar().showMessage(f"Ignored a link to {url.scheme()}:", 5000)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Open link", f"Open this address in your web browser?\n\n{url.toString()}",
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, self)
        box.accepted.connect(lambda: QDesktopServices.openUrl(url))
        box.open()
        self.link_box = box

    def about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About the declaration map viewer")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(about_html())
        box.open()

    # --- state ---------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.bytes("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.bytes("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.bytes("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self._fill_recent()

    def save_state(self) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        self.settings.set("window/splitter", self.splitter.saveState())
        self.settings.set("view/basemap", self.basemap)
        self.settings.set("filter/theme", self.theme_box.currentData() or "")
        self.settings.set("filter/party", self.party_box.currentData() or "")
        self.settings.sync()

    def restore_filters(self) -> None:
        """Re-apply the filters saved last time, where the new documents have them."""
        for box, key in ((self.theme_box, "filter/theme"), (self.party_box, "filter/party")):
            index = box.findData(self.settings.text(key))
            if index > 0:
                box.setCurrentIndex(index)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.cancel_loading()
        self.save_state()
        self.map.cleanup()
        super().closeEvent(event)

    def error(self, message: str) -> None:
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        if self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "Declaration map viewer", message, parent=self)
            box.open()  # not exec(): never block the event loop
