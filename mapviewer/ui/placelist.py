"""The place list as a table model: nothing stored per cell, fine at 100,000 rows.

The model sorts itself (a click on a column's header): Python sorts
100,000 keys in a few tens of milliseconds, where a QSortFilterProxyModel
asks ``data()`` for every comparison (measured: 14 s for 100,000 rows).
The counts are the reading session's (``place_counts``: what the filter
shows), worked out for the rows on screen, or for all of them to sort.

(A QTableWidget stores an item per cell; PySide6 6.12 also leaks a
reference to None on every QTableWidgetItem.setData, which crashes
Python 3.11 after some tens of thousands of cells.)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas, Place
    from ..reading.session import PlaceCounts, ReadingSession


COLUMNS = ("Place", "Kind", "Sentences", "Pledges", "Precision", "Source", "Alternatives")
SENTENCES, PLEDGES, SOURCE = 2, 3, 5
NUMBERS = frozenset({SENTENCES, PLEDGES, 6})
_Right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PlaceModel(QAbstractTableModel):
    def __init__(self, atlas: Atlas | None = None, parent=None, session: ReadingSession | None = None) -> None:
        super().__init__(parent)
        self.places: list[Place] = list(atlas.places) if atlas else []
        self.session = session
        self._counts: dict[str, PlaceCounts] = {}
        self._sorted: tuple[int, Qt.SortOrder] | None = None

    def set_atlas(self, atlas: Atlas, session: ReadingSession | None = None) -> None:
        self.beginResetModel()
        self.places = list(atlas.places)
        self.session = session
        self._counts = {}
        self.endResetModel()
        if self._sorted is not None:
            self.sort(*self._sorted)

    def refresh(self) -> None:
        """The filter changed: the counts are worked out again (and the order, if it was by them)."""
        self._counts = {}
        if self._sorted is not None and self._sorted[0] in (SENTENCES, PLEDGES):
            self.sort(*self._sorted)
        elif self.places:
            self.dataChanged.emit(self.index(0, SENTENCES), self.index(len(self.places) - 1, PLEDGES))

    def counts(self, place: Place) -> PlaceCounts | None:
        if self.session is None:
            return None
        found = self._counts.get(place.id)
        if found is None:
            found = self._counts[place.id] = self.session.place_counts(place)
        return found

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
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(place, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(place, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMBERS:
            return _Right
        if role == Qt.ItemDataRole.UserRole:
            return place.id
        return None

    def cell(self, place: Place, column: int) -> str:
        if column in (SENTENCES, PLEDGES):
            counts = self.counts(place)
            if counts is None:
                return str(len(place.sentence_keys())) if column == SENTENCES else ""
            return f"{counts.sentences:,}" if column == SENTENCES else f"{counts.pledges:,}"
        values = (place.name, place.kind, "", "", place.precision, place.source, str(len(place.alternatives)))
        return values[column]

    def tooltip(self, place: Place, column: int) -> str:
        """The whole source (the column is cut short), and what the filter hides."""
        lines = [place.name, f"source: {place.source}"]
        if place.note:
            lines.append(place.note)
        counts = self.counts(place)
        if counts is not None and counts.hidden:
            lines.append(f"{counts.hidden:,} more sentence{'s' if counts.hidden != 1 else ''} hidden by the filter")
        return "\n".join(lines)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by a column (Qt's views call this when a header is clicked)."""
        key = self._sort_key(column)
        self.layoutAboutToBeChanged.emit()
        self.places.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._sorted = (column, order)
        self.layoutChanged.emit()

    def _sort_key(self, column: int) -> Callable[[Place], object]:
        if column == SENTENCES:
            return lambda p: (c.sentences if (c := self.counts(p)) else len(p.sentence_keys()))
        if column == PLEDGES:
            return lambda p: (c.pledges if (c := self.counts(p)) else 0)
        if column == 6:
            return lambda p: len(p.alternatives)
        return lambda p: self.cell(p, column).casefold()

    def place_id(self, row: int) -> str | None:
        return self.places[row].id if 0 <= row < len(self.places) else None

    def row_of(self, place_id: str) -> int:
        """The row showing a place (-1: none)."""
        return next((i for i, p in enumerate(self.places) if p.id == place_id), -1)
