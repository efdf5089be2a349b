"""Where a place is: typed as latitude and longitude, or a click on the map.

The click never reaches the page (it would select or drag): its pixel is
taken here, and the page's own account of its view (the coordinates of its
top-left corner and its zoom, ``mapviewer.state()``) turns it into a position
by the projection Leaflet uses (``reading.projection``).  The page decides
nothing and learns nothing new.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..reading.corrections import parse_coordinates
from ..reading.projection import lonlat_at

if TYPE_CHECKING:
    from .webview import MapView

_MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


class MapPicker(QObject):
    """Takes the next left click on the map as a position (``picked(lon, lat)``); ``stop`` gives up."""

    picked = Signal(float, float)  # lon, lat
    stopped = Signal()  # no position: the reader gave up

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self.view = view
        self._target: QWidget | None = None

    @property
    def active(self) -> bool:
        return self._target is not None

    def start(self) -> None:
        target = self.view.focusProxy() or self.view  # the web view's mouse events go to its render widget
        self._target = target
        target.installEventFilter(self)
        target.setCursor(Qt.CursorShape.CrossCursor)

    def stop(self) -> None:
        if self._end():
            self.stopped.emit()

    def _end(self) -> bool:
        target, self._target = self._target, None
        if target is None:
            return False
        target.removeEventFilter(self)
        target.unsetCursor()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() not in _MOUSE or event.button() != Qt.MouseButton.LeftButton:
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            self._end()
            at = QPointF(event.position())
            self.view.api.call("state", callback=lambda state: self._answer(at, state))
        return True  # the page never sees the click

    def _answer(self, at: QPointF, state: Any) -> None:
        if not isinstance(state, dict) or not state.get("topLeft"):
            self.stopped.emit()
            return
        lon, lat = lonlat_at(at.x(), at.y(), tuple(state["topLeft"]), float(state["zoom"]))
        self.picked.emit(lon, lat)


class PositionDialog(QDialog):
    """Latitude and longitude of a place: typed, for exact values, or picked with a click on the map."""

    answered = Signal(object)  # Coordinates, or None for an answer that is no position

    def __init__(self, parent: QWidget, name: str, view: MapView, say=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set coordinates")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.name = name
        self.say = say or (lambda _text: None)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("25.12, 62.33")
        self.pick_button = QPushButton("Click on the map…", self)
        self.pick_button.setToolTip("Hide this box, then click where the place is; Esc comes back here")
        self.picker = MapPicker(view)
        self.pick_button.clicked.connect(self.pick)
        self.picker.picked.connect(self._picked)
        self.picker.stopped.connect(self._back)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Latitude, longitude of “{name}”:", self))
        layout.addWidget(self.field)
        layout.addWidget(self.pick_button)
        layout.addWidget(buttons)
        self.accepted.connect(lambda: self.answered.emit(parse_coordinates(self.field.text())))
        self.finished.connect(lambda _result: self.picker._end())

    def pick(self) -> None:
        self.hide()
        self.say(f"Click the map where “{self.name}” is (Esc: back to the box)")
        self.picker.start()

    def _picked(self, lon: float, lat: float) -> None:
        self.field.setText(f"{lat:.5f}, {lon:.5f}")
        self.say(f"Picked {lat:.5f}, {lon:.5f}: OK sets “{self.name}” there")
        self._back()

    def _back(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
