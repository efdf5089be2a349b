"""A call on a plain thread, for work that goes on beside a wait that must not block.

Qt-free, so the export (``reading/export.py``) and the window (``ui/app.py``,
``ui/snapshot.py``) share it.  The thread is a daemon: an error or Ctrl+C in
the caller does not wait for the work to end.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """A call on a plain thread, for work beside a Qt wait that must not block:
    ``result()`` joins it and returns its value or raises its error."""

    def __init__(self, call: Callable[..., T], *args: Any) -> None:
        self._box: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, args=(call, *args), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[..., T], *args: Any) -> None:
        try:
            self._box["value"] = call(*args)
        except BaseException as exc:  # handed back to the caller's thread
            self._box["error"] = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> T:
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]
