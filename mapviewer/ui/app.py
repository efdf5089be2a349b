"""Start the window: environment first, then Qt, then the declarations."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from . import environment


def app_icon():
    from importlib import resources

    from PySide6.QtGui import QIcon

    return QIcon(str(resources.files("mapviewer.resources").joinpath("mapviewer.svg")))


def run_gui(files: Sequence[Path]) -> int:
    environment.configure()  # before Qt loads: flags and the display check
    from PySide6.QtWidgets import QApplication

    from ..cli import load_atlas
    from .settings import Settings
    from .window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("mapviewer")
    app.setOrganizationName("mapviewer")
    app.setApplicationDisplayName("Declaration map viewer")
    app.setWindowIcon(app_icon())
    settings = Settings()
    last = [Path(p) for p in settings.last_files]
    chosen = list(files) or (last if last and all(p.is_file() for p in last) else [])
    atlas = load_atlas(chosen)  # a bad file fails here, before any window
    window = MainWindow(atlas, settings)
    window.restore_filters()
    window.show()
    return app.exec()
