"""Work done once, on the user's time (a cache built on a first run), said where the user looks.

The shipped artefacts (``core/prebuilt.py``) make a first run as quick as
the next; when one is stale (a newer package, an edited file) the app builds
it instead, and says so: the core only tells its listeners when such work
starts and ends; the window shows it in its status bar, ``-v`` on stderr.
A listener runs on the thread doing the work and must not fail it.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

log = logging.getLogger(__name__)

# listener(what, seconds): seconds is None when the work starts, its duration when it ends
Listener = Callable[[str, Optional[float]], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def listen(callback: Listener) -> Callable[[], None]:
    """Tell ``callback`` when one-time work starts and ends; returns the call that stops it."""
    with _lock:
        _listeners.append(callback)

    def stop() -> None:
        with _lock:
            if callback in _listeners:
                _listeners.remove(callback)

    return stop


def _tell(what: str, seconds: float | None) -> None:
    with _lock:
        listeners = list(_listeners)
    for callback in listeners:
        try:
            callback(what, seconds)
        except Exception:  # a closed window's listener: the work goes on
            log.debug("a first-run listener failed", exc_info=True)


@contextmanager
def building(what: str) -> Iterator[None]:
    """Around one-time work: ``what`` says it ("Building the GeoNames index (once…)…")."""
    log.info("%s", what)
    _tell(what, None)
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        log.info("%s: %.2f s", what, seconds)
        _tell(what, seconds)
