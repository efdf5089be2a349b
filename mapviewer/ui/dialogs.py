"""The window's small dialogs: which place is meant, where a place is, open a link, about.

Each asks and answers with the reading layer's types; none blocks the event
loop for long (``QInputDialog``'s static helpers run their own, as Qt does).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ..reading.corrections import Choose, Coordinates, parse_coordinates
from .about import about_html

if TYPE_CHECKING:
    from ..core.model import Alternative


def choose_place(parent: QWidget, name: str, options: list[Alternative]) -> Choose | None:
    """Which of the places of that name is meant (the first is the one chosen now)."""
    labels = [f"{a.name}, {a.country or '?'} ({a.lat:.3f}, {a.lon:.3f}) — {a.source}" if a.lon is not None
              else f"{a.name}, {a.country or '?'}" for a in options]
    label, ok = QInputDialog.getItem(parent, "Which place is meant?", f"“{name}” is:", labels, 0, False)
    return Choose(options[labels.index(label)].id) if ok and label in labels else None


def ask_coordinates(parent: QWidget, name: str) -> tuple[bool, Coordinates | None]:
    """(whether the user answered, the coordinates or None if the answer is not a position)."""
    text, ok = QInputDialog.getText(parent, "Set coordinates", f"Latitude, longitude of “{name}”:")
    return ok, parse_coordinates(text) if ok else None


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
