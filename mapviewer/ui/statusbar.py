"""The window's status bar: how far mapping is (with a Cancel button), one-time work, the cursor, the counts, online state."""
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
        # One-time work (a first run building a cache): what it is, and a busy bar, until it is done.
        self.one_time = QLabel("", self)
        self.one_time_bar = QProgressBar(self)
        self.one_time_bar.setRange(0, 0)
        self.one_time_bar.setMaximumWidth(80)
        self._one_time: dict[str, None] = {}  # what runs now, in the order it started
        for widget in (self.one_time, self.one_time_bar, self.progress, self.cancel_button):
            widget.setVisible(False)  # permanent: a message would hide a normal widget
            self.addPermanentWidget(widget)
        self.coords, self.counts, self.network = QLabel("", self), QLabel("", self), QLabel("offline", self)
        for widget in (self.counts, self.coords, self.network):
            self.addPermanentWidget(widget)

    def show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def show_one_time(self, what: str, seconds: float | None) -> None:
        """``core.firstrun``'s news: ``what`` started (``seconds`` None) or ended after ``seconds``."""
        if seconds is None:
            self._one_time[what] = None
        else:
            self._one_time.pop(what, None)
            self.showMessage(f"{what.rstrip('…')}: done in {seconds:.1f} s", 5000)
        self.one_time.setText(" · ".join(self._one_time))
        self.one_time.setMinimumWidth(self.one_time.sizeHint().width())  # whole, not squeezed by the others
        running = bool(self._one_time)
        for widget in (self.one_time, self.one_time_bar):
            widget.setVisible(running)

    def show_progress(self, done: int, total: int, what: str) -> None:
        """Per mille (a long text's characters overflow Qt's int), or Qt's busy bar while how far is unknown."""
        self.progress.setRange(0, 1000 if total else 0)
        self.progress.setValue(round(1000 * done / total) if total else 0)
        self.showMessage(what)
