"""The window's own shortcuts work whichever of its widgets has the focus.

A text field claims some keys before any shortcut sees them (Qt asks it
with a ShortcutOverride event): on X11 a QLineEdit takes Ctrl+E ("end of
line") and Ctrl+D ("delete"), so File › Export did nothing while the search
box had the focus.  This filter answers for the window's text fields: a
key that is one of the window's own enabled actions is left to the action.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QMainWindow, QTextEdit, QWidget


class WindowShortcuts(QObject):
    """Watches the text fields of ``window`` (and any given to ``watch`` later)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        for kind in (QLineEdit, QTextEdit, QAbstractSpinBox):
            for widget in window.findChildren(kind):
                self.watch(widget)

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def keys(self) -> list[QKeySequence]:
        """The shortcuts of the window's enabled actions."""
        return [k for a in self.window.actions() if a.isEnabled() for k in a.shortcuts() if not k.isEmpty()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        pressed = QKeySequence(event.keyCombination())
        return any(pressed == k for k in self.keys())  # True: the field never claims it, so the shortcut runs
