"""What the export dialog remembers between uses: the format, size, scale, what to include, the folder."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths

if TYPE_CHECKING:
    from .export_dialog import ExportDialog
    from .settings import Settings

SIZE_MODES = ("shown", "pixels", "page")
BOXES = ("legend", "scale_bar", "attribution", "callouts", "keep_view")


def first_folder(picture: bool) -> Path:
    """Before any export: the user's Pictures folder for a picture, Documents for data (else the home folder)."""
    kinds = (QStandardPaths.StandardLocation.PicturesLocation, QStandardPaths.StandardLocation.DocumentsLocation)
    for kind in kinds if picture else kinds[::-1]:
        folder = QStandardPaths.writableLocation(kind)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


class ExportChoices:
    """Reads the dialog's choices from the window's settings, and writes them back when it closes."""

    def __init__(self, dialog: ExportDialog, settings: Settings | None) -> None:
        self.d = dialog
        self.settings = settings

    def folder(self, picture: bool) -> Path:
        last = self.settings.text("export/folder") if self.settings is not None else ""
        return Path(last) if last and Path(last).is_dir() else first_folder(picture)

    def remember_folder(self, folder: Path) -> None:
        if self.settings is not None:
            self.settings.set("export/folder", str(folder.resolve()))

    def restore(self) -> None:
        s, d = self.settings, self.d
        if s is None or not s.text("export/format"):
            return
        for box, key in ((d.format, "export/format"), (d.scale_box, "export/scale")):
            index = box.findData(_value(box, s.text(key)))
            if index >= 0:
                box.setCurrentIndex(index)
        for box, key in ((d.page_box, "export/page"), (d.orientation, "export/orientation")):
            index = box.findText(s.text(key))
            if index >= 0:
                box.setCurrentIndex(index)
        mode = s.text("export/size")
        if mode in SIZE_MODES:
            dict(zip(SIZE_MODES, (d.as_shown, d.pixels, d.paper_button)))[mode].setChecked(True)
        if mode == "pixels":
            for box, key in ((d.width_box, "export/width"), (d.height_box, "export/height")):
                value = s.text(key)
                if value.isdigit():
                    box.setValue(int(value))
        for name in BOXES:
            getattr(d, name).setChecked(s.flag(f"export/{name}", getattr(d, name).isChecked()))

    def remember(self) -> None:
        s, d = self.settings, self.d
        if s is None:
            return
        s.set("export/format", d.format.currentData())
        s.set("export/scale", str(d.scale_box.currentData()))
        s.set("export/page", d.page_box.currentText())
        s.set("export/orientation", d.orientation.currentText())
        s.set("export/size", SIZE_MODES[[d.as_shown, d.pixels, d.paper_button].index(d.size_mode.checkedButton())])
        s.set("export/width", str(d.width_box.value()))
        s.set("export/height", str(d.height_box.value()))
        for name in BOXES:
            s.set(f"export/{name}", getattr(d, name).isChecked())


def _value(box, text: str):
    """The item data of a combo box that reads like ``text`` (its data may be a float)."""
    for i in range(box.count()):
        if str(box.itemData(i)) == text:
            return box.itemData(i)
    return None
