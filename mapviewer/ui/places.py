"""The Places tab: every place on the map as a table, and the names left off it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QTableView, QVBoxLayout, QWidget

from .placelist import SOURCE, PlaceModel

if TYPE_CHECKING:
    from ..core.model import Atlas
    from ..reading.session import ReadingSession


class PlacesTab(QSplitter):
    """The place table over the list of names no gazetteer placed."""

    placeChosen = Signal(str)  # a row of the table was clicked or activated
    unmappedChosen = Signal(str)  # a name off the map was double-clicked: its words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.model = PlaceModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)  # the model sorts itself: a header click calls its sort()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # reading order until asked
        self.table.activated.connect(self._on_row)
        self.table.clicked.connect(self._on_row)
        self.unmapped_list = QListWidget(self)
        self.unmapped_list.setToolTip("Names that look like places but are not on the map; double-click to place one")
        self.unmapped_list.itemActivated.connect(
            lambda item: self.unmappedChosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.unmapped_label = QLabel("", self)
        self.addWidget(self.table)
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.unmapped_label)
        layout.addWidget(self.unmapped_list)
        self.addWidget(box)
        self.setSizes([600, 160])

    def set_atlas(self, atlas: Atlas, online: bool, session: ReadingSession | None = None) -> None:
        """Fill the table and the list; ``online``: the online geocoder is on (no hint to switch it on).

        ``session``: the counts are the filter's, as in the panel.
        """
        self.model.set_atlas(atlas, session)
        if len(atlas.places) <= 500:  # measuring every row costs at scale
            self.table.resizeColumnsToContents()
        self.table.setColumnWidth(SOURCE, min(self.table.columnWidth(SOURCE), 380))
        names = atlas.unmapped_names()
        self.unmapped_list.clear()
        for surface, reason, count in names:
            item = QListWidgetItem(f"{surface} — {reason}" + (f" ({count}×)" if count > 1 else ""))
            item.setData(Qt.ItemDataRole.UserRole, surface)
            self.unmapped_list.addItem(item)
        hint = "" if online or not names else " — switch on Tools › Online geocoder to look them up"
        self.unmapped_label.setText(f"Not on the map: {len(names)}{hint}" if names else "Every name found is on the map")

    def refresh(self) -> None:
        """The filter changed: its counts."""
        self.model.refresh()

    def _on_row(self, index) -> None:
        place_id = self.model.place_id(index.row())
        if place_id is not None:
            self.placeChosen.emit(place_id)
