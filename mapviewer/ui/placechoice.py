"""Which place a name means: the text's other candidates, or any place of the offline gazetteer found by name."""
from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..core.model import Alternative
from ..reading.corrections import Choose


def describe(a: Alternative) -> str:
    where = f" ({a.lat:.3f}, {a.lon:.3f})" if a.lon is not None and a.lat is not None else ""
    people = f", {a.population:,} people" if a.population else ""
    return f"{a.name}, {a.country or '?'} — {a.kind}{where}{people} — {a.source}"


class ChoosePlaceDialog(QDialog):
    """A list to choose from and a box that searches the whole offline gazetteer by name as one types."""

    chosen = Signal(object)  # a Choose correction

    def __init__(self, parent: QWidget, name: str, options: Sequence[Alternative],
                 search: Callable[[str], list[Alternative]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Which place is meant?")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(640, 420)
        self.search = search
        self.field = QLineEdit(name, self)
        self.field.setPlaceholderText("Search the offline gazetteer by name")
        self.field.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.note = QLabel("", self)
        self._timer = QTimer(self, singleShot=True, interval=250)  # search once typing pauses
        self._timer.timeout.connect(self.search_now)
        self.field.textEdited.connect(lambda _text: self._timer.start())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"“{name}” is:", self))
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.accepted.connect(self._chosen)
        if options:
            self.fill(options, "the places of that name the text may mean; type to search the whole gazetteer")
        else:
            self.search_now()

    def search_now(self) -> None:
        found = self.search(self.field.text())
        self.fill(found, f"{len(found)} place{'s' if len(found) != 1 else ''} of the offline gazetteer" if found
                  else "no place of the offline gazetteer has that name; try its start, or another spelling")

    def fill(self, options: Sequence[Alternative], note: str) -> None:
        self.list.clear()
        for a in options:
            item = QListWidgetItem(describe(a))
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.note.setText(note)

    def _chosen(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(Choose(item.data(Qt.ItemDataRole.UserRole)))
