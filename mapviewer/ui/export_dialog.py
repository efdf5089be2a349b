"""File > Export snapshot…: choose what to write, see it, write it.

The dialog reads the window (its Atlas, the map's current view, the
session's filter and selection) and never changes it: pictures are
rendered by an offscreen :class:`MapRenderer` of its own, so the user's map
does not jump or resize while they choose.  Every format is written by
``reading.export.write``, as ``mapviewer export`` writes it, and the
preview is the very picture the file gets, drawn smaller.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import MapViewerError
from ..core.output import default_title
from ..reading.export import FORMATS, SOURCE_BAND, TITLE_BAND, Paper, PictureOptions, Request, write
from ..reading.filenames import safe_file_name
from .exportchoices import ExportChoices
from .snapshot import MapRenderer, Snapshot, compose

log = logging.getLogger(__name__)

PREVIEW_MAX = 900  # CSS pixels: larger layouts are previewed at a smaller zoom


class ExportDialog(QDialog):
    """Size or page, scale, title, what to include, a preview; then export or copy."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.atlas = window.atlas
        self._renderer: MapRenderer | None = None
        self.setWindowTitle("Export snapshot")
        self.preview = QLabel("Preview", self)
        self.preview.setMinimumSize(420, 300)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #777; color: #eee;")
        self._preview_timer = QTimer(self, singleShot=True, interval=300)
        self._preview_timer.timeout.connect(self.refresh_preview)

        self.format = QComboBox(self)
        for fmt in FORMATS.values():
            self.format.addItem(fmt.label, fmt.key)
        view_w, view_h = window.map.width(), window.map.height()
        self.as_shown = QRadioButton(f"As shown (map {view_w}×{view_h}, bands added)", self)
        self.pixels = QRadioButton("Pixels", self)
        self.paper_button = QRadioButton("Page", self)
        self.size_mode = QButtonGroup(self)
        for button in (self.as_shown, self.pixels, self.paper_button):
            self.size_mode.addButton(button)
        self.as_shown.setChecked(True)
        self.width_box, self.height_box = QSpinBox(self), QSpinBox(self)
        for box, value in ((self.width_box, view_w), (self.height_box, view_h)):
            box.setRange(64, 8000)
            box.setValue(max(64, value))
            box.setSuffix(" px")
        self.page_box = QComboBox(self)
        self.page_box.addItems(["A4", "Letter"])
        self.orientation = QComboBox(self)
        self.orientation.addItems(["Landscape", "Portrait"])
        self.scale_box = QComboBox(self)
        for s in (1, 2, 3):
            self.scale_box.addItem(f"{s}×", float(s))
        self.title_edit = QLineEdit(default_title(self.atlas), self)
        self.keep_view = QCheckBox("Keep the map's current view (else show every place)", self)
        self.keep_view.setChecked(True)
        self.legend = QCheckBox("Legend", self)
        self.scale_bar = QCheckBox("Scale bar", self)
        self.attribution = QCheckBox("Attribution and source line", self)
        self.callouts = QCheckBox("Numbered callouts", self)
        self.inset = QCheckBox("Inset where places crowd", self)
        for box in (self.legend, self.scale_bar, self.attribution):
            box.setChecked(True)

        form = QFormLayout()
        form.addRow("Format", self.format)
        sizes = QWidget(self)
        grid = QVBoxLayout(sizes)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.as_shown)
        grid.addLayout(_row(self.pixels, self.width_box, QLabel("×"), self.height_box))
        grid.addLayout(_row(self.paper_button, self.page_box, self.orientation))
        form.addRow("Size", sizes)
        form.addRow("Scale for print", self.scale_box)
        form.addRow("Title", self.title_edit)
        include = QWidget(self)
        inc = QVBoxLayout(include)
        inc.setContentsMargins(0, 0, 0, 0)
        for box in (self.legend, self.scale_bar, self.attribution, self.callouts, self.inset, self.keep_view):
            inc.addWidget(box)
        form.addRow("Include", include)
        self.picture_widgets = [sizes, self.scale_box, self.title_edit, include]

        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button = buttons.addButton("Copy map to clipboard", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.choose_and_export)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)
        self.status = QLabel("", self)

        body = QHBoxLayout()
        body.addLayout(form)
        body.addWidget(self.preview, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.status)
        outer.addWidget(buttons)

        for signal in (self.format.currentIndexChanged, self.page_box.currentIndexChanged, self.orientation.currentIndexChanged,
                       self.scale_box.currentIndexChanged, self.width_box.valueChanged, self.height_box.valueChanged,
                       self.title_edit.textChanged, self.size_mode.buttonClicked):
            signal.connect(self._changed)
        for box in (self.legend, self.scale_bar, self.attribution, self.callouts, self.inset, self.keep_view):
            box.toggled.connect(self._changed)
        self.finished.connect(self._preview_timer.stop)  # no preview of a closed dialog's window
        self.finished.connect(self._close_renderer)
        self.choices = ExportChoices(self, getattr(window, "settings", None))
        self.choices.restore()
        self.finished.connect(lambda _result: self.choices.remember())
        self._changed()

    # --- what the user chose ---------------------------------------------------

    @property
    def kind(self) -> str:
        return self.format.currentData()

    def paper(self) -> Paper:
        return Paper(self.page_box.currentText(), self.orientation.currentIndex() == 0)

    def options(self) -> PictureOptions:
        """The picture the user asked for, as the renderer takes it."""
        win = self.window_
        session = win.session
        view = None
        if self.keep_view.isChecked():
            state = win.map.api.state()
            if state.get("center"):
                view = (state["center"][0], state["center"][1], state["zoom"], *state.get("topLeft", ()))
        visible = session.visible_indexes()
        options = PictureOptions(
            size=(0, 0),
            scale=float(self.scale_box.currentData()),
            title=self.title_edit.text().strip(),
            legend=self.legend.isChecked(),
            scale_bar=self.scale_bar.isChecked(),
            attribution=self.attribution.isChecked(),
            callouts=self.callouts.isChecked(),
            inset=self.inset.isChecked(),
            view=view,
            visible=None if visible is None else tuple(visible),
            selected=session.selected,
        )
        if self.kind == "pdf":
            return options.for_pdf(self.paper())
        if self.pixels.isChecked():
            return replace(options, size=(self.width_box.value(), self.height_box.value()))
        if self.paper_button.isChecked():
            return replace(options, size=self.paper().pixels())
        # As shown: the map keeps the view's very pixels; the bands go around it.
        bands = (TITLE_BAND if options.title else 0) + (SOURCE_BAND if options.attribution else 0)
        return replace(options, size=(win.map.width(), win.map.height() + bands))

    def _changed(self, *_args: object) -> None:
        picture = FORMATS[self.kind].picture
        for widget in self.picture_widgets:
            widget.setEnabled(picture)
        self.copy_button.setEnabled(picture)
        self.width_box.setEnabled(picture and self.pixels.isChecked())
        self.height_box.setEnabled(picture and self.pixels.isChecked())
        if self.kind == "pdf" and self.callouts.isEnabled() and not self.callouts.isChecked():
            self.callouts.setChecked(True)  # the list pages refer to the numbers
            self.inset.setChecked(True)  # print is where crowded places need one
        self._preview_timer.start()

    # --- rendering -------------------------------------------------------------

    def render(self, options: PictureOptions) -> Snapshot:
        if self._renderer is None:
            self._renderer = MapRenderer(self.atlas)
        return self._renderer.render(options)

    def refresh_preview(self) -> None:
        """Render the layout small enough to be quick, and show it whole."""
        if not FORMATS[self.kind].picture:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(f"{FORMATS[self.kind].label}: no picture")
            return
        try:
            options = self.options()
            small = min(1.0, PREVIEW_MAX / max(options.size))
            image = compose(self.render(replace(options, scale=small)))
        except MapViewerError as exc:
            self.status.setText(str(exc))
            return
        w, h = options.size
        self.status.setText(f"{round(w * options.scale)} × {round(h * options.scale)} pixels" if self.kind == "png"
                            else f"{self.paper().name} PDF: the map, then the places and their sentences")
        pixmap = QPixmap.fromImage(image).scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(pixmap)

    # --- writing ---------------------------------------------------------------

    def export_to(self, path: Path) -> bool:
        """Write the chosen format to ``path``; errors are shown, not raised."""
        picture = FORMATS[self.kind].picture
        title = self.title_edit.text().strip() or default_title(self.atlas)
        try:
            if picture and self._renderer is None:
                self._renderer = MapRenderer(self.atlas)
            request = Request(self.kind, path, self.options() if picture else None, self.paper() if self.kind == "pdf" else None)
            write(request, self.atlas, self._renderer, title)
        except MapViewerError as exc:
            self._error(str(exc))
            return False
        self.status.setText(f"Saved {path}")
        if hasattr(self.window_, "statusBar"):
            self.window_.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def suggested_path(self) -> Path:
        """Where the save dialog starts: the last folder used, and a name made from the title."""
        fmt = FORMATS[self.kind]
        title = self.title_edit.text().strip() or default_title(self.atlas)
        return self.choices.folder(fmt.picture) / safe_file_name(title, fmt.suffix)

    def choose_and_export(self) -> None:
        fmt = FORMATS[self.kind]
        name, _ = QFileDialog.getSaveFileName(self, f"Export {fmt.label}", str(self.suggested_path()), fmt.file_filter)
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(fmt.suffix)
        if self.export_to(path):
            self.choices.remember_folder(path.parent)
            self.accept()

    def copy_to_clipboard(self) -> bool:
        """The PNG picture, as configured, on the clipboard (for pasting into a report)."""
        try:
            image = compose(self.render(self.options()))
        except MapViewerError as exc:
            self._error(str(exc))
            return False
        QGuiApplication.clipboard().setImage(image)
        self.status.setText(f"Copied a {image.width()} × {image.height()} picture")
        return True

    def _error(self, message: str) -> None:
        self.status.setText(message)
        report = getattr(self.window_, "error", None)
        if callable(report):
            report(message)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API): however it goes away, free the map
        self._close_renderer()
        super().hideEvent(event)

    def _close_renderer(self, *_args: object) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
