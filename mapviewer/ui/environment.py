"""Process set-up that must happen before Qt starts: flags and a display check.

Chromium refuses to run as root without ``--no-sandbox`` and paints blank
pages when ``/dev/shm`` is small; both are found by trying, see DESIGN.md.
"""
from __future__ import annotations

import os
import sys

from ..core.errors import MapViewerError

_FLAGS = ("--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--log-level=3")


class NoDisplayError(MapViewerError):
    """No screen to open a window on."""


def chromium_flags(existing: str, is_root: bool) -> str:
    """The flags to run QtWebEngine with, keeping any the user set."""
    flags = existing.split()
    wanted = list(_FLAGS) + (["--no-sandbox"] if is_root else [])
    return " ".join(flags + [f for f in wanted if f not in flags])


def configure(headless: bool = False) -> None:
    """Set the environment for Qt; ``headless`` picks the offscreen platform."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = chromium_flags(os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""), is_root)
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif not has_display():
        raise NoDisplayError(
            "no display found: run under xvfb-run, set QT_QPA_PLATFORM=offscreen, "
            "or use 'mapviewer export --png OUT.png' for a picture without a window"
        )


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def route_qt_messages() -> None:
    """Send Qt's messages to the "qt" logger (debug level): the terminal stays quiet.

    Offscreen, Qt reports every missing GPU feature as a warning; those are
    not the user's business unless they asked for --verbose.
    """
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtCriticalMsg: logging.ERROR, QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(mode, _context, message):
        qt_log.log(levels.get(mode, logging.DEBUG), "%s", message)

    qInstallMessageHandler(handler)
