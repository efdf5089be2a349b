"""The reading toolbar: filters (theme, party, document), the search box, the tour's buttons."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QWidget

from ..core.pledges import THEMES, PledgeFilter

if TYPE_CHECKING:
    from ..core.model import Atlas


class ReadingToolbar(QToolBar):
    """Says which filter the reader chose (``filterChanged``); knows no rule of its own."""

    filterChanged = Signal(object)  # PledgeFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Reading", parent)
        self.setObjectName("reading-toolbar")
        self.theme_box = QComboBox(self)
        self.theme_box.addItem("All themes", "")
        for key, label in THEMES.items():
            self.theme_box.addItem(label, key)
        self.party_box = QComboBox(self)
        self.party_box.addItem("All parties", "")
        self.doc_box = QComboBox(self)
        for box, tip in ((self.theme_box, "Theme (Alt+T)"), (self.party_box, "Who commits (Alt+P)"), (self.doc_box, "Document")):
            box.setToolTip(tip)
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            box.currentIndexChanged.connect(self._changed)
            action = self.addWidget(box)
        self.doc_box_action = action  # a toolbar hides a widget through its action
        self.addSeparator()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the text (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.addWidget(self.search)
        self.search_info = QLabel("", self)
        self.addWidget(self.search_info)
        self.addSeparator()
        self.prev_action = self.addAction("◀ Previous place")
        self.next_action = self.addAction("Next place ▶")

    def fill(self, atlas: Atlas) -> None:
        """The parties and documents of a new Atlas; the theme and party stay chosen where they still apply."""
        parties = sorted({a for p in atlas.pledges.values() for a in p.actors})
        party = self.party_box.currentData()
        with QSignalBlocker(self.party_box), QSignalBlocker(self.doc_box):
            while self.party_box.count() > 1:
                self.party_box.removeItem(self.party_box.count() - 1)
            for name in parties:
                self.party_box.addItem(name, name)
            self.party_box.setCurrentIndex(max(0, self.party_box.findData(party)) if party else 0)
            self.doc_box.clear()
            self.doc_box.addItem("All documents", -1)
            for i, d in enumerate(atlas.documents):
                self.doc_box.addItem(d.name, i)
        self.doc_box_action.setVisible(len(atlas.documents) > 1)

    def current(self) -> PledgeFilter:
        theme, party = self.theme_box.currentData(), self.party_box.currentData()
        doc = self.doc_box.currentData() if self.doc_box.count() else -1
        return PledgeFilter(
            themes=frozenset([theme]) if theme else frozenset(),
            parties=frozenset([party]) if party else frozenset(),
            document=None if doc in (None, -1) else int(doc),
        )

    def clear_filters(self) -> None:
        """Every box back to "all", then one ``filterChanged``."""
        with QSignalBlocker(self.theme_box), QSignalBlocker(self.party_box), QSignalBlocker(self.doc_box):
            for box in (self.theme_box, self.party_box, self.doc_box):
                box.setCurrentIndex(0)
        self._changed()

    def restore(self, theme: str, party: str) -> None:
        """Choose a saved theme and party where this Atlas has them."""
        for box, value in ((self.theme_box, theme), (self.party_box, party)):
            index = box.findData(value)
            if index > 0:
                box.setCurrentIndex(index)

    def _changed(self, *_args: object) -> None:
        self.filterChanged.emit(self.current())
