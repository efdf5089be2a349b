"""Finding words in the panel, turning the pages of a long text to the next hit."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser

from ..reading import panel
from ..reading.session import ReadingSession


class PanelSearch:
    """Find the search box's words in the panel, forwards or backwards, wrapping around."""

    def __init__(self, browser: QTextBrowser, field: QLineEdit, info: QLabel,
                 session: Callable[[], ReadingSession], show_page: Callable[[int], None]) -> None:
        self.browser = browser
        self.field = field
        self.info = info
        self.session = session
        self.show_page = show_page
        field.returnPressed.connect(self.find_next)

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def find_next(self) -> bool:
        return self._find_shown(backward=False)

    def find_previous(self) -> bool:
        return self._find_shown(backward=True)

    def _find_shown(self, backward: bool) -> bool:
        """Find, and say how many hits the panel shows."""
        needle = self.field.text()
        if not needle:
            return False
        found, hits = self.find(needle, backward)
        self.info.setText(f"{hits} hit{'s' if hits != 1 else ''}" if hits else "not found")
        return found

    def find(self, needle: str, backward: bool = False) -> tuple[bool, int]:
        """(found, hits in what the panel shows now)."""
        if not needle:
            return False, 0
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.browser.find(needle, flags)
        if not found and self.session().showing_document and self._turn_page_to(needle, backward):
            found = self.browser.find(needle, flags)
        hits = self.browser.toPlainText().lower().count(needle.lower())
        if not found and hits:  # wrap around
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(needle, flags)
        return found, hits

    def _turn_page_to(self, needle: str, backward: bool) -> bool:
        """In a text shown a page at a time, open the next page (in the search's direction) that has ``needle``."""
        session = self.session()
        keys = panel.shown_sentences(session.atlas, session.filter)
        pages = panel.page_count(len(keys))
        if pages < 2:
            return False
        wanted = needle.lower()
        order = range(session.document_page - 1, -1, -1) if backward else range(session.document_page + 1, pages)
        for page in order:
            chunk = keys[page * panel.PAGE_SENTENCES : (page + 1) * panel.PAGE_SENTENCES]
            if any(wanted in session.atlas.sentence(d, i).text.lower() for d, i in chunk):
                self.show_page(page)
                if backward:
                    cursor = self.browser.textCursor()
                    cursor.movePosition(cursor.MoveOperation.End)
                    self.browser.setTextCursor(cursor)
                return True
        return False
