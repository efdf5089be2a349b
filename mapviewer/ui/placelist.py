"""The place list as a table model: nothing stored per cell, fine at 100,000 rows.

(A QTableWidget stores an item per cell; PySide6 6.12 also leaks a
reference to None on every QTableWidgetItem.setData, which crashes
Python 3.11 after some tens of thousands of cells.)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas, Place


COLUMNS = ("Place", "Kind", "Source", "Precision", "Mentions", "Alternatives")


class PlaceModel(QAbstractTableModel):
    def __init__(self, atlas: Atlas | None = None, parent=None) -> None:
        super().__init__(parent)
        self.places: list[Place] = list(atlas.places) if atlas else []

    def set_atlas(self, atlas: Atlas) -> None:
        self.beginResetModel()
        self.places = list(atlas.places)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.places)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        place = self.places[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(place, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return place.id
        return None

    @staticmethod
    def cell(place: Place, column: int) -> str:
        values = (place.name, place.kind, place.source, place.precision, str(len(place.refs)), str(len(place.alternatives)))
        return values[column]

    def place_id(self, row: int) -> str | None:
        return self.places[row].id if 0 <= row < len(self.places) else None
