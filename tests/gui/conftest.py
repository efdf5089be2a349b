"""GUI fixtures: a real window on the seed, offscreen, map fully drawn."""
from __future__ import annotations

import json

import pytest


@pytest.fixture
def run_js(qtbot):
    """Evaluate code in a view's page and wait for its (JSON-decoded) value."""

    def run(view, code: str):
        box: list = []
        view.page().runJavaScript(code, 0, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=15_000)
        value = box[0]
        return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value

    return run


@pytest.fixture
def make_window(qtbot, tmp_path):
    """A shown MainWindow on an Atlas, with settings of its own, once its map is drawn."""
    from PySide6.QtCore import QSettings

    from mapviewer.ui.settings import Settings
    from mapviewer.ui.window import MainWindow

    made = []

    def make(atlas):
        win = MainWindow(atlas, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
            win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        win.map.cleanup()


@pytest.fixture
def window(make_window, seed_atlas):
    return make_window(seed_atlas)


@pytest.fixture
def page_state(run_js):
    def state(view):
        return run_js(view, "mapviewer.state()")

    return state
