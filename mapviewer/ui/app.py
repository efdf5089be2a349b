"""Start the window: environment first, then Qt, then the declarations."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import environment

if TYPE_CHECKING:
    from .window import MainWindow


def app_icon():
    from importlib import resources

    from PySide6.QtGui import QIcon

    return QIcon(str(resources.files("mapviewer.resources").joinpath("mapviewer.svg")))


def run_gui(files: Sequence[Path]) -> int:
    environment.configure()  # before Qt loads: flags and the display check
    from PySide6.QtWidgets import QApplication

    from .settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("mapviewer")
    app.setOrganizationName("mapviewer")
    app.setApplicationDisplayName("Declaration map viewer")
    app.setWindowIcon(app_icon())
    window = open_window(files, Settings())  # noqa: F841 (kept alive while the app runs)
    return app.exec()


def open_window(files: Sequence[Path], settings) -> "MainWindow":
    """Read the files, show the window at once, draw the places when found.

    A bad file fails here, before any window.  With no files the last
    session's come back, else the bundled declaration.
    """
    sys.setswitchinterval(0.001)  # a worker thread holding the GIL delays the GUI thread by 1 ms, not 5
    # The map page first: the web engine loads it in its own processes while
    # the files are read and the window is imported and built; then the
    # places are found on a thread.
    from ..core.background import Background
    from ..map import basemaps
    from .webview import MapView

    view = MapView()
    # A page that must be built first (its shipped copy stale) is built once
    # the window shows, which says so in its status bar.
    page_shown = view.load_shell(basemaps.known(settings.text("view/basemap", basemaps.OFFLINE)), build=False)
    # Until the page's navigation commits (~30 ms), Qt's thread mostly waits:
    # the files are read and the window's modules imported meanwhile.
    last = [Path(p) for p in settings.last_files]
    chosen = list(files) or (last if last and all(p.is_file() for p in last) else [])
    meanwhile = Background(_read_and_import, chosen)
    if page_shown:
        view.wait_committed()
    try:
        items = meanwhile.result()
    except BaseException:  # a bad file: no window, and the page goes
        view.cleanup()
        view.deleteLater()
        raise

    from ..core.document import Document
    from ..core.model import Atlas  # not ..core.atlas: shapely loads on the loader's thread
    from .window import MainWindow

    read = [item for item in items if isinstance(item, Document)]  # a long file is read by the loader
    window = MainWindow(Atlas(read, [], {}), settings, loading=True, map_view=view)
    window.show()
    if not page_shown:
        window.load_map_page()
    window.map_documents(items, then=window.restore_filters)
    return window


def _read_and_import(chosen: list[Path]) -> list:
    """The files checked and the small ones read (a bad one fails here), the window's modules imported."""
    from ..reading.documents import bundled_seed
    from .files import read_now

    items = read_now(chosen or [bundled_seed()])
    from . import window  # noqa: F401 (imported here, used by open_window)

    return items
