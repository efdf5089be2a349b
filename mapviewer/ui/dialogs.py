"""The window's small dialogs: open a link, about, an error.

None blocks the event loop: each is opened and returned, to be kept alive
while it shows.  Where a place is and which place a name means have
dialogs of their own (``mappick``, ``placechoice``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from .about import about_html


def confirm_open_link(parent: QWidget, url: QUrl) -> QMessageBox:
    """Ask before a link from the map opens in the browser; the box is returned to be kept alive."""
    box = QMessageBox(QMessageBox.Icon.Question, "Open link", f"Open this address in your web browser?\n\n{url.toString()}",
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, parent)
    box.accepted.connect(lambda: QDesktopServices.openUrl(url))
    box.open()
    return box


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About the declaration map viewer")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html())
    box.open()
    return box


def show_error(parent: QWidget, message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, "Declaration map viewer", message, parent=parent)
    box.open()  # not exec(): never block the event loop
    return box
