"""The search box: words found in every open document, each hit shown in the panel, centred.

What is found is the reading layer's rule (``reading.search``: the whole
text of every document, whatever the panel shows, hits hidden by the filter
counted apart); this shows a hit: the panel turns to the text's page that
holds it, selects its words and scrolls them to the middle.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from ..reading.links import SentenceLink, href
from ..reading.search import Hit

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlock

    from .window import MainWindow

INFO_WIDTH = 380  # pixels of the toolbar the count may take; the whole of it is in its tooltip


class PanelSearch:
    """Find the search box's words forwards or backwards, wrapping around, and say how many there are."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.field = window.toolbar.search
        self.info = window.toolbar.search_info
        self.browser = window.panel
        self.field.returnPressed.connect(self.find_next)
        self.field.textEdited.connect(lambda _text: self._say(""))  # the count was the old words'

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def find_next(self) -> bool:
        return self._find(+1)

    def find_previous(self) -> bool:
        return self._find(-1)

    def _find(self, direction: int) -> bool:
        w, needle = self.window, self.field.text()
        if not needle:
            self._say("")
            return False
        search = w.session.search
        search.run(w.atlas, needle, w.session.filter)
        hit = search.step(direction)
        self._report()
        if hit is None:
            return False
        w.session.show_hit(hit)
        w.show_document(w.session.document_page)
        self.select(hit, needle)
        return True

    def documents_changed(self) -> None:
        """Other documents or another filter: the words are looked for again, and the count says so."""
        w, needle = self.window, self.field.text()
        if needle:
            w.session.search.run(w.atlas, needle, w.session.filter)
            self._report()
        else:
            self._say("")

    def _report(self) -> None:
        search = self.window.session.search
        if search.result is not None:
            self._say(search.result.summary(search.current, [d.name for d in self.window.atlas.documents]))

    def _say(self, text: str) -> None:
        self.info.setToolTip(text)
        self.info.setText(self.info.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, INFO_WIDTH))

    # --- the hit in the panel -----------------------------------------------------------

    def select(self, hit: Hit, needle: str) -> bool:
        """Select the hit's words in the panel and scroll them to its middle; False if the panel lacks them."""
        block = self._sentence_block(hit)
        if block is None:
            return False
        document = self.browser.document()
        label = block.begin().fragment().text()  # the sentence's citation, then a space, then the sentence
        cursor = QTextCursor(document)
        cursor.setPosition(block.position() + len(label))
        found = None
        for _ in range(hit.nth + 1):
            found = document.find(needle, cursor, QTextDocument.FindFlag(0))
            if found.isNull() or found.block() != block:
                found = None
                break
            cursor.setPosition(found.position())
        if found is None:  # the panel writes the sentence otherwise (runs of spaces): the sentence, then
            found = QTextCursor(block)
        self.browser.setTextCursor(found)
        self.centre()
        return True

    def _sentence_block(self, hit: Hit) -> QTextBlock | None:
        """The panel's paragraph of the hit's sentence: the one that opens with a link to it."""
        wanted = href(SentenceLink(hit.doc, hit.sentence))
        block = self.browser.document().begin()
        while block.isValid():
            if block.begin().fragment().charFormat().anchorHref() == wanted:
                return block
            block = block.next()
        return None

    def centre(self) -> None:
        """Scroll the panel so its cursor is in the middle of what shows."""
        self.browser.ensureCursorVisible()
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + self.browser.cursorRect().center().y() - self.browser.viewport().height() // 2)
