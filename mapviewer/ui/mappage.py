"""The map page as a view behind one typed class: the only door into its script.

Every call into the page goes through :class:`MapPageAPI`, built by
``js_call`` from JSON-escaped arguments (qutebrowser's habit), and every
method names a function of ``window.mapviewer`` (``resources/map/api.js``).
The page draws what it is told: which places are shown (``set_visible``) and
which is selected (``select``) are decided in Python, by the reading session.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any, Callable, Sequence

from PySide6.QtCore import QEventLoop, QTimer

from ..core.errors import ExportError

if TYPE_CHECKING:
    from .webview import MapView

log = logging.getLogger(__name__)
Callback = Callable[[Any], None]


def js_call(function: str, *args: Any) -> str:
    """``mapviewer.<function>(args...)`` as a script, every argument JSON-escaped."""
    if not function.isidentifier():
        raise ValueError(f"not a function name: {function!r}")
    return f"window.mapviewer && window.mapviewer.{function}({', '.join(json.dumps(a) for a in args)})"


@dataclass(frozen=True)
class Popup:
    """What the popup of a clicked place says (the same counts as the panel)."""

    name: str
    meta: str

    def as_page(self) -> dict[str, str]:
        return {"name": self.name, "meta": self.meta}


@dataclass(frozen=True)
class Controls:
    """Which of the map's controls show; a picture has no buttons."""

    legend: bool = True
    scale: bool = True
    attribution: bool = True
    zoom: bool = True
    layers: bool = True


class MapPageAPI:
    """Typed calls to one view's page; ``call`` is asynchronous, ``ask`` waits for the value."""

    _tokens = count(1)

    def __init__(self, view: MapView) -> None:
        self.view = view

    # --- the one way in ---------------------------------------------------------

    def call(self, function: str, *args: Any, callback: Callback | None = None) -> None:
        """Run ``mapviewer.<function>(args...)``; ``callback`` gets its (JSON-decoded) value."""
        self.run(js_call(function, *args), callback)

    def run(self, script: str, callback: Callback | None = None) -> None:
        """Run a script made by ``js_call`` (a caller may join several into one)."""
        page = self.view.map_page
        if page is None:  # cleaned up: the window is closing
            return
        if callback is None:
            page.runJavaScript(script)
        else:
            page.runJavaScript(script, 0, lambda value: callback(_decoded(value)))

    def ask(self, function: str, *args: Any, timeout_ms: int = 15_000) -> Any:
        """``call`` and wait for the value, running Qt's loop meanwhile (exports and tests)."""
        return self.wait_for(js_call(function, *args), timeout_ms)

    def wait_for(self, script: str, timeout_ms: int = 15_000) -> Any:
        """Run a script made by ``js_call`` and wait for its (JSON-decoded) value."""
        box: list[Any] = []
        loop = QEventLoop()

        def done(value: Any) -> None:
            box.append(value)
            loop.quit()

        self.run(script, done)
        run_loop(loop, timeout_ms, lambda: bool(box))
        if not box:
            raise ExportError("the map page did not answer in time")
        return box[0]

    @staticmethod
    def data_script(data_json: str) -> str:
        """The script that hands page data to the page (for 100k places, escaping
        12 MB takes ~0.1 s: callers make it on a worker thread)."""
        return js_call("setData", data_json)

    # --- what the page shows -------------------------------------------------------

    def set_visible(self, indexes: Sequence[int] | None) -> None:
        """Show the places at these indexes of the Atlas (None: all of them)."""
        self.call("setVisible", None if indexes is None else list(indexes))

    def select(self, place_id: str | None, popup: Popup | None = None) -> None:
        """Mark one place (None: none); a popup only when the user clicked it."""
        self.call("select", place_id, popup.as_page() if popup else None)

    def focus(self, place_ids: Sequence[str]) -> None:
        self.call("focus", list(place_ids))

    def fit_all(self, animate: bool = True) -> None:
        self.call("fitAll", animate)

    def zoom(self, delta: int) -> None:
        self.call("zoom", delta)

    def set_basemap(self, name: str) -> None:
        self.call("setBasemap", name)

    def set_outlines(self, text: str | None) -> None:
        self.call("setOutlines", text)

    # --- pictures ----------------------------------------------------------------------

    @staticmethod
    def picture_script(controls: Controls, view: Sequence[float] | None, visible: Sequence[int] | None,
                       selected: str | None, callouts: dict[str, int] | None = None) -> str:
        """Controls, filter, selection, callout numbers and view for a picture, as one batch (true when done).

        The view is set even when it is the one shown: Leaflet then draws
        every layer afresh, so a picture is the same pixels whatever the page showed before.
        """
        return MapPageAPI.batch_script(
            js_call("setReserved", []),
            js_call("setControls", controls.__dict__),
            js_call("setVisible", None if visible is None else list(visible)),
            js_call("select", selected, None),
            js_call("setCallouts", callouts),
            js_call("setView", None if view is None else list(view)),
        )

    @staticmethod
    def batch_script(*scripts: str) -> str:
        """Scripts made by ``js_call`` run as one batch: the page lays its names out once,
        after the last, not after each (~1 ms each at the seed); the last one's value."""
        *first, last = scripts
        body = "".join(f"{s};" for s in first)
        return f"window.mapviewer && window.mapviewer.batch(function () {{ {body} return {last}; }})"

    def show_for_picture(self, controls: Controls, view: Sequence[float] | None, visible: Sequence[int] | None,
                         selected: str | None, callouts: dict[str, int] | None = None) -> bool:
        """``picture_script``, run and waited for: True when the page has a map to show it on."""
        return self.wait_for(self.picture_script(controls, view, visible, selected, callouts)) is True

    @staticmethod
    def mark_script(colour: str) -> str:
        """A picture's frame mark takes ``colour`` once the places are drawn (``api.js`` showMark)."""
        return js_call("setMark", colour)

    def mark_when_painted(self, colour: str) -> None:
        """The frame mark takes ``colour`` in the frame that paints what was asked before."""
        self.call("whenPainted", "mark", colour)

    def wait_painted(self, timeout_ms: int = 5_000) -> bool:
        """Wait until what was asked before has been painted (two animation frames)."""
        token = f"p{next(self._tokens)}"
        bridge = self.view.bridge
        loop = QEventLoop()
        seen: list[str] = []

        def on_painted(value: str) -> None:
            if value == token:
                seen.append(value)
                loop.quit()

        bridge.painted.connect(on_painted)
        try:
            self.call("whenPainted", token)
            run_loop(loop, timeout_ms, lambda: bool(seen))
        finally:
            bridge.painted.disconnect(on_painted)
        return bool(seen)

    def state(self) -> dict[str, Any]:
        """The page's own account of itself (``mapviewer.state()``): view, features and their pixels."""
        value = self.ask("state")
        if not isinstance(value, dict):
            raise ExportError("the map page has no map")
        return value


def run_loop(loop: QEventLoop, timeout_ms: int, done: Callable[[], bool]) -> None:
    """Run ``loop`` until something quits it or ``timeout_ms`` pass, unless ``done()`` already."""
    if done():
        return
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    loop.exec()
    timer.stop()


def _decoded(value: Any) -> Any:
    """``runJavaScript`` hands Python an empty value for JS objects: the page returns JSON text."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
