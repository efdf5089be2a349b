"""The Documents tab: the open documents, each with its date; add one, remove one."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core.output import document_date

if TYPE_CHECKING:
    from ..core.document import Document

COLUMNS = ("Document", "Date", "Sentences", "Paragraphs or pages")


def describe(document: Document) -> tuple[str, str, str, str]:
    """One row: its name, the date it gives near its top, its sentences, its paragraphs or pages."""
    if document.pages:
        parts = f"{len(document.pages):,} pages"
    elif document.paragraph_count:
        parts = f"{document.paragraph_count:,} paragraphs"
    else:
        parts = "–"
    return document.name, document_date(document.text) or "no date given", f"{len(document.sentences):,}", parts


class DocumentList(QWidget):
    """A row per open document; Remove closes the chosen one (the others stay on the map)."""

    removeAsked = Signal(int)  # the index of the document to close

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.itemSelectionChanged.connect(self._enable)
        self.add_button = QPushButton("Add document…", self)
        self.add_button.setToolTip("Open another document beside these (Ctrl+Shift+O, or drop it with Ctrl held)")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Close the chosen document; the others stay on the map")
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._enable()

    def set_documents(self, documents: Sequence[Document]) -> None:
        self.tree.clear()
        for document in documents:
            item = QTreeWidgetItem(list(describe(document)))
            item.setToolTip(0, str(document.path) if document.path is not None else document.name)
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        self._enable()

    def rows(self) -> list[tuple[str, ...]]:
        """What the list shows, row by row (what tests and scripts read)."""
        tree = self.tree
        return [tuple(tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))) for i in range(tree.topLevelItemCount())]

    def _enable(self) -> None:
        self.remove_button.setEnabled(self.tree.topLevelItemCount() > 1 and self.tree.currentItem() is not None)

    def _remove(self) -> None:
        item = self.tree.currentItem()
        if item is not None and self.tree.topLevelItemCount() > 1:
            self.removeAsked.emit(self.tree.indexOfTopLevelItem(item))
