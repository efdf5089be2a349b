"""GUI fixtures: a real window on the seed, offscreen, map fully drawn."""
from __future__ import annotations

import pytest


@pytest.fixture
def run_js():
    """Evaluate a probe in a view's page and wait for its (JSON-decoded) value: the page API's one way in."""

    def run(view, code: str):
        return view.api.wait_for(code)

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
def page_state():
    def state(view):
        return view.api.state()

    return state


@pytest.fixture
def rested(qtbot):
    """Wait until a view's map has stopped moving and has painted what it shows."""

    def wait(view, timeout: int = 10_000) -> dict:
        qtbot.waitUntil(lambda: not view.api.state()["moving"], timeout=timeout)
        assert view.api.wait_painted(), "the page did not paint"
        return view.api.state()

    return wait


@pytest.fixture
def picture(rested):
    """The pixels a view shows once it has rested and its last frame has reached Qt."""
    from grabs import grab_painted

    def grab(view):
        state = rested(view)
        return state, grab_painted(view)

    return grab
