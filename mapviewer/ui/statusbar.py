"""The window's status bar: how far mapping is (with a Cancel button), the cursor, the counts, online state."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QStatusBar, QToolButton


class StatusBar(QStatusBar):
    """Messages on the left; on the right the progress bar and Cancel while documents are mapped, then the figures."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop mapping (Esc)")
        for widget in (self.progress, self.cancel_button):  # permanent: a message would hide a normal widget
            widget.setVisible(False)
            self.addPermanentWidget(widget)
        self.coords, self.counts, self.network = QLabel("", self), QLabel("", self), QLabel("offline", self)
        for widget in (self.counts, self.coords, self.network):
            self.addPermanentWidget(widget)

    def show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def show_progress(self, done: int, total: int, what: str) -> None:
        """Per mille (a long text's characters overflow Qt's int), or Qt's busy bar while how far is unknown."""
        self.progress.setRange(0, 1000 if total else 0)
        self.progress.setValue(round(1000 * done / total) if total else 0)
        self.showMessage(what)
