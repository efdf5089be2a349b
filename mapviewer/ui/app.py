"""Start the window: environment first, then Qt, then the declaration."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from . import environment


def run_gui(files: Sequence[Path]) -> int:
    environment.configure()  # before Qt loads: flags and the display check
    from PySide6.QtWidgets import QApplication

    from ..cli import load_atlas
    from .window import MainWindow

    atlas = load_atlas(files)  # a bad file fails here, before any window
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("mapviewer")
    app.setOrganizationName("mapviewer")
    app.setApplicationDisplayName("Declaration map viewer")
    window = MainWindow(atlas)
    window.show()
    return app.exec()
