"""GUI fixtures: a real window on the seed, offscreen, map fully drawn."""
from __future__ import annotations

import json

import pytest


def run_js(qtbot, view, code: str):
    """Evaluate ``code`` in the page and wait for its (JSON-decoded) value."""
    box: list = []
    view.page().runJavaScript(code, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=15_000)
    value = box[0]
    return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value


@pytest.fixture
def window(qtbot, seed_atlas):
    from mapviewer.ui.window import MainWindow

    win = MainWindow(seed_atlas)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.map.bridge.ready, timeout=60_000):
        win.show()
    yield win
    win.map.cleanup()


@pytest.fixture
def page_state(qtbot):
    def state(view):
        return run_js(qtbot, view, "mapviewer.state()")

    return state
