"""The window's menus and shortcuts, in one table per menu.

Every action is also added to the window itself, so its shortcut works
whichever widget has the focus and when the menu bar is hidden.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog

from ..map import basemaps

if TYPE_CHECKING:
    from .window import MainWindow

Key = QKeySequence.StandardKey
OPEN_FILTER = "Declarations (*.txt *.md *.html *.htm *.pdf);;All files (*)"


def _action(window: MainWindow, menu, text: str, shortcut, slot: Callable) -> QAction:
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    menu = bar.addMenu("&File")
    _action(w, menu, "&Open…", Key.Open, lambda: open_dialog(w))
    _action(w, menu, "&Add document…", "Ctrl+Shift+O", lambda: add_dialog(w))
    w.recent_menu = menu.addMenu("Open &Recent")
    _action(w, menu, "&Export snapshot…", "Ctrl+E", w.export_dialog)
    menu.addSeparator()
    _action(w, menu, "&Cancel loading", Qt.Key.Key_Escape, w.cancel_loading)
    _action(w, menu, "&Quit", "Ctrl+Q", w.close)

    menu = bar.addMenu("&Edit")
    _action(w, menu, "&Find…", Key.Find, w.search.focus)
    _action(w, menu, "Find &Next", Key.FindNext, w.search.find_next)
    _action(w, menu, "Find &Previous", Key.FindPrevious, w.search.find_previous)
    _action(w, menu, "&Clear filters", "Ctrl+Shift+L", w.toolbar.clear_filters)

    menu = bar.addMenu("&View")
    _action(w, menu, "Zoom &In", Key.ZoomIn, lambda: w.map.api.zoom(1))
    _action(w, menu, "Zoom &Out", Key.ZoomOut, lambda: w.map.api.zoom(-1))
    _action(w, menu, "&Fit to all places", "Ctrl+0", w.fit_all)
    _action(w, menu, "F&ull screen", Key.FullScreen, w.toggle_full_screen)
    _action(w, menu, "&Whole declaration", "Ctrl+D", w.show_document)
    _action(w, menu, "&Place list", "Ctrl+L", lambda: w.tabs.setCurrentWidget(w.places_tab))
    base = menu.addMenu("&Basemap")
    group = QActionGroup(w)
    w.basemap_actions = {}
    for name in basemaps.NAMES:
        action = QAction(name, w, checkable=True)
        action.setChecked(name == w.basemap)
        action.triggered.connect(lambda _=False, n=name: w.set_basemap(n))
        group.addAction(action)
        base.addAction(action)
        w.basemap_actions[name] = action

    menu = bar.addMenu("&Tools")
    w.online_geocoding_action = QAction("Online geocoder (Nominatim)", w, checkable=True)
    w.online_geocoding_action.setChecked(w.settings.flag("geocoding/online"))
    w.online_geocoding_action.toggled.connect(lambda on: w.corrector.set_online_geocoding(on))
    menu.addAction(w.online_geocoding_action)

    menu = bar.addMenu("&Go")
    _action(w, menu, "&Next place", "Alt+Right", w.tour_next)
    _action(w, menu, "&Previous place", "Alt+Left", w.tour_previous)

    menu = bar.addMenu("&Help")
    _action(w, menu, "&About and data sources", Key.HelpContents, w.about)
    _action(w, menu, "Focus theme filter", "Alt+T", w.toolbar.theme_box.setFocus).setVisible(False)
    _action(w, menu, "Focus party filter", "Alt+P", w.toolbar.party_box.setFocus).setVisible(False)


def fill_recent(w: MainWindow) -> None:
    """File › Open Recent: the last files opened, newest first."""
    w.recent_menu.clear()
    for name in w.settings.recent:
        action = w.recent_menu.addAction(Path(name).name)
        action.setToolTip(name)
        action.triggered.connect(lambda _=False, n=name: w.open_files([Path(n)]))
    w.recent_menu.setEnabled(bool(w.settings.recent))


def open_dialog(w: MainWindow) -> None:
    """File › Open: the chosen documents replace the open ones."""
    names, _ = QFileDialog.getOpenFileNames(w, "Open declarations", _folder(w), OPEN_FILTER)
    if names:
        w.open_files([Path(n) for n in names])


def add_dialog(w: MainWindow) -> None:
    """File › Add document…: the chosen documents open beside the others."""
    names, _ = QFileDialog.getOpenFileNames(w, "Add declarations", _folder(w), OPEN_FILTER)
    if names:
        w.add_files([Path(n) for n in names])


def _folder(w: MainWindow) -> str:
    """Where the last document opened was."""
    recent = w.settings.recent
    return str(Path(recent[0]).parent) if recent else ""
