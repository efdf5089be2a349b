"""The reader's corrections from the window: ask, save, map again; and the online geocoder.

What a correction is and how it is saved is the reading layer's
(``reading.corrections``); this asks the reader through dialogs, reports
failures in the window, and has the window map its documents again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QSignalBlocker, Signal

from ..core.corrections import Coordinates, Correction, CorrectionStore, NotAPlace
from ..core.errors import MapViewerError
from ..reading import corrections

if TYPE_CHECKING:
    from .mappick import PositionDialog
    from .placechoice import ChoosePlaceDialog
    from ..core.geocoding import GeocodingService
    from .window import MainWindow


class Corrector(QObject):
    """One window's corrections and its online geocoder (made on first use)."""

    lookupDone = Signal(object)  # a GeocodeResult, or the exception a look-up raised

    def __init__(self, window: MainWindow, store: CorrectionStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self._geocoder: GeocodingService | None = None
        self.dialog: PositionDialog | ChoosePlaceDialog | None = None

    def ask(self, action: str, place_id: str) -> None:
        """Ask the reader for a correction of a place (a panel link), then apply it."""
        w = self.window
        place = w.atlas.place(place_id)
        if place is None:
            return
        if action == "choose":
            self.ask_choice(place_id)
        elif action == "coords":
            self.ask_position(place.name, lambda coordinates: self.apply(place_id, coordinates))
        elif action == "reject":
            self.apply(place_id, NotAPlace())
        elif action == "undo":
            self.undo(place_id)
        elif action == "online":
            self.look_up_online(place_id)

    def apply(self, place_id: str, correction: Correction | None) -> bool:
        """Save a correction for every document naming the place, and map them again."""
        if correction is None:
            self.window.error("coordinates must look like 25.12, 62.33 (latitude, longitude)")
            return False
        try:
            corrections.correct_place(self.store, self.window.atlas, place_id, correction)
        except (KeyError, MapViewerError, OSError) as exc:
            self.window.error(f"the correction could not be saved: {exc}")
            return False
        return self.window.remap()

    def undo(self, place_id: str) -> bool:
        try:
            undone = corrections.undo_correction(self.store, self.window.atlas, place_id)
        except OSError as exc:
            self.window.error(f"the correction could not be undone: {exc}")
            return False
        return undone and self.window.remap()

    def ask_unmapped(self, surface: str) -> None:
        """Ask where a name no gazetteer knows is (a row of the Places tab)."""
        self.ask_position(surface, lambda coordinates: self.place_unmapped(surface, coordinates))

    # --- the dialogs (kept in ``dialog`` while open) -------------------------------------

    def ask_position(self, name: str, then: Callable[[Coordinates | None], object]) -> PositionDialog:
        """Where ``name`` is: typed, or a click on the map; ``then`` gets the answer (None: not a position)."""
        w = self.window
        from .mappick import PositionDialog  # the dialogs load when first used: not at every start

        dialog = PositionDialog(w, name, w.map, say=lambda text: w.statusBar().showMessage(text, 15000))
        dialog.answered.connect(then)
        self._open(dialog)
        return dialog

    def ask_choice(self, place_id: str) -> ChoosePlaceDialog | None:
        """Which place the name means: the text's other candidates, or any the offline gazetteer has by a name."""
        w = self.window
        place = w.atlas.place(place_id)
        if place is None:
            return None
        options = w.atlas.candidates(place_id) if place.alternatives else []
        from .placechoice import ChoosePlaceDialog

        dialog = ChoosePlaceDialog(w, place.name, options, _search_gazetteer)
        dialog.chosen.connect(lambda chosen: self.apply(place_id, chosen))
        self._open(dialog)
        return dialog

    def _open(self, dialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def stop_picking(self) -> bool:
        """Esc while picking a position on the map: back to the box; False if no pick was going on."""
        picker = getattr(self.dialog, "picker", None)
        if picker is None or not picker.active:
            return False
        picker.stop()
        return True

    def place_unmapped(self, surface: str, correction: Correction | None) -> bool:
        """Put a name no gazetteer knows on the map (saved like any correction), and map again."""
        if correction is None:
            self.window.error("coordinates must look like 25.12, 62.33 (latitude, longitude)")
            return False
        try:
            placed = corrections.place_unmapped(self.store, self.window.atlas, surface, correction)
        except (MapViewerError, OSError) as exc:
            self.window.error(f"the correction could not be saved: {exc}")
            return False
        return placed and self.window.remap()

    # --- the online geocoder ------------------------------------------------------------

    @property
    def geocoder(self) -> GeocodingService:
        """Made on first use, so geopy loads when a look-up needs it, not at start."""
        if self._geocoder is None:
            from ..core.geocoding import GeocodingService

            self._geocoder = GeocodingService()
            if self.window.settings.flag("geocoding/online"):
                self._geocoder.enable_online()
        return self._geocoder

    def look_up_online(self, place_id: str) -> bool:
        """Ask the online geocoder (off the GUI thread); its answer becomes a correction.

        Offline answers are never applied this way: the map has them already.
        """
        w = self.window
        place = w.atlas.place(place_id)
        if place is None:
            return False
        if not self.geocoder.online_enabled:
            w.error("the online geocoder is off: switch it on in Tools › Online geocoder (Nominatim)")
            return False
        name, codes, geocoder = place.name, [place.country] if place.country else None, self.geocoder
        w.statusBar().showMessage(f"Looking up “{name}” online…")
        w.run_task(lambda: geocoder.geocode(name, codes), lambda result: self._on_lookup(place_id, result))
        return True

    def _on_lookup(self, place_id: str, result) -> None:
        w = self.window
        if isinstance(result, Exception):
            w.error(f"the online look-up failed: {result}")
        elif result.status:
            w.network.setText("online geocoder unavailable")
            w.statusBar().showMessage(result.status, 10000)
        elif result.online and result.found:
            w.statusBar().showMessage(f"Found “{result.name}” online ({result.source})", 8000)
            self.apply(place_id, result.as_correction())
        else:
            w.statusBar().showMessage(f"“{result.query}” was not found online", 8000)
        self.lookupDone.emit(result)

    def set_online_geocoding(self, on: bool, **options) -> None:
        """Switch Nominatim on or off (remembered); off is the default."""
        w = self.window
        if on:
            self.geocoder.enable_online(**options)
        else:
            self.geocoder.disable_online()
        was = w.settings.flag("geocoding/online")
        w.settings.set("geocoding/online", bool(on))
        with QSignalBlocker(w.online_geocoding_action):  # its own toggled() would switch again, with no options
            w.online_geocoding_action.setChecked(bool(on))
        if on and not was and w.atlas.unmapped:
            w.remap()  # the names no gazetteer knows can now be looked up


def _search_gazetteer(name: str) -> list:
    from ..core.gazetteer import full_gazetteer
    from ..reading.placesearch import search_places

    return search_places(full_gazetteer(), name)
