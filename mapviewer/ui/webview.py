"""The map's web view: locked down, offline, with one door in and one out.

In: :class:`~mapviewer.ui.mappage.MapPageAPI` (``MapView.api``), which
builds every call from escaped arguments.  Out: the :class:`Bridge` object on
a QWebChannel.  Requests to anything but the page's own file are refused and
counted.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, QFile, QIODevice, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from ..map import basemaps
from ..map.basemaps import TileSpec
from ..map.shell import cached_shell, context_file, outlines_file, resource_text, shell_page, write_page
from .mappage import MapPageAPI

log = logging.getLogger(__name__)

_Attr = QWebEngineSettings.WebAttribute
# One declarative table of what the page may do, applied to every view.
SETTINGS: dict[QWebEngineSettings.WebAttribute, bool] = {
    _Attr.JavascriptEnabled: True,
    _Attr.LocalContentCanAccessRemoteUrls: False,
    _Attr.LocalContentCanAccessFileUrls: False,
    _Attr.JavascriptCanOpenWindows: False,
    _Attr.JavascriptCanAccessClipboard: False,
    _Attr.PluginsEnabled: False,
    _Attr.AutoLoadIconsForPage: False,
    _Attr.FocusOnNavigationEnabled: False,
    _Attr.DnsPrefetchEnabled: False,
    _Attr.NavigateOnDropEnabled: False,
}
LOCAL_SCHEMES = frozenset({"file", "data", "qrc", "about", "blob"})


class Bridge(QObject):
    """The only object the page can call; every argument is checked."""

    placeClicked = Signal(str)
    ready = Signal()
    outlinesWanted = Signal()
    cursorAt = Signal(float, float)
    tilesUnavailable = Signal(str)
    painted = Signal(str)  # the token of a whenPainted call

    def __init__(self, known_ids: Callable[[], set[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._known_ids = known_ids

    @Slot(str)
    def featureClicked(self, place_id: str) -> None:  # noqa: N802 (called from JS)
        if isinstance(place_id, str) and len(place_id) < 512 and place_id in self._known_ids():
            self.placeClicked.emit(place_id)
        else:
            log.warning("bridge: ignored a click on an unknown feature")

    @Slot()
    def mapReady(self) -> None:  # noqa: N802
        self.ready.emit()

    @Slot()
    def wantOutlines(self) -> None:  # noqa: N802
        self.outlinesWanted.emit()

    @Slot(str)
    def tilesFailed(self, name: str) -> None:  # noqa: N802
        self.tilesUnavailable.emit(str(name)[:100])

    @Slot(str)
    def framePainted(self, token: str) -> None:  # noqa: N802
        self.painted.emit(str(token)[:40])

    @Slot(float, float)
    def cursorMoved(self, lon: float, lat: float) -> None:  # noqa: N802
        if -360 <= lon <= 360 and -90 <= lat <= 90:
            self.cursorAt.emit(float(lon), float(lat))


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Refuses every request that would leave the machine, and counts them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []
        self.allowed: list[str] = []
        self.origins: frozenset[str] = frozenset()  # online tile servers the user switched on

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        url = info.requestUrl()
        origin = f"{url.scheme()}://{url.authority()}"
        if url.scheme() in LOCAL_SCHEMES or origin in self.origins:
            self.allowed.append(url.toString())
            return
        self.refused.append(url.toString())
        info.block(True)


class MapPage(QWebEnginePage):
    """A page that stays on the map: no navigation away, no new windows."""

    consoleMessage = Signal(int, str)
    linkRequested = Signal(QUrl)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.home: QUrl | None = None
        self.js_errors: list[str] = []

    def acceptNavigationRequest(self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main: bool) -> bool:  # noqa: N802
        if not is_main or (self.home is not None and url.toString().split("#")[0] == self.home.toString()):
            return True
        self.linkRequested.emit(url)
        return False

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> None:  # noqa: N802
        return None

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.js_errors.append(f"{source}:{line}: {message}")
            log.warning("js: %s (%s:%d)", message, source, line)
        else:
            log.debug("js: %s", message)
        self.consoleMessage.emit(int(level.value), message)


def _qt_resource(path: str) -> str:
    f = QFile(path)
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"missing Qt resource {path}")
    return bytes(f.readAll().data()).decode("utf-8")


def basemap_tiles(basemap: str) -> tuple[TileSpec, ...]:
    """The online tiles of a basemap's name; none for the offline one."""
    return basemaps.online_specs(basemap) if basemap != basemaps.OFFLINE else ()


class MapView(QWebEngineView):
    """Shows a map page file and exposes its bridge."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Off the record: no disk cache, no cookies.  The page owns its profile
        # (and the profile its guard), so however the view goes, the page is
        # destroyed before the profile it runs on, as Qt requires.
        self.profile = QWebEngineProfile()
        self.guard = RequestGuard(self.profile)
        self.profile.setUrlRequestInterceptor(self.guard)
        self.map_page = MapPage(self.profile, self)
        self.profile.setParent(self.map_page)
        self.setPage(self.map_page)
        for attribute, on in SETTINGS.items():
            self.map_page.settings().setAttribute(attribute, on)
        self.ids: set[str] = set()
        self.bridge = Bridge(lambda: self.ids, self)
        self.is_ready = False
        self.bridge.ready.connect(self._on_ready)
        self.bridge.outlinesWanted.connect(self._send_outlines)
        self._outlines: Path | None = None  # a shell page's detailed outlines
        self._context: Path | None = None  # and its context layer
        self._outlines_sent = False
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        self.map_page.setWebChannel(self.channel)
        self._inject_bridge()
        self._page_file: Path | None = None
        self._data: str | None = None  # the places handed to a shell page
        self._loaded = False
        self.loadFinished.connect(self._on_load_finished)
        self.api = MapPageAPI(self)

    def _inject_bridge(self) -> None:
        script = QWebEngineScript()
        script.setName("mapviewer-bridge")
        script.setSourceCode(_qt_resource(":/qtwebchannel/qwebchannel.js") + "\n" + resource_text("bridge.js"))
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        script.setRunsOnSubFrames(False)
        self.map_page.scripts().insert(script)

    def _on_ready(self) -> None:
        self.is_ready = True

    def allow_origins(self, origins: frozenset[str]) -> None:
        """Let the page reach these servers (online tiles) and nothing else."""
        self.guard.origins = frozenset(origins)
        self.map_page.settings().setAttribute(_Attr.LocalContentCanAccessRemoteUrls, bool(origins))

    def show_page(self, html: str, ids: set[str]) -> None:
        """Load a page that carries its places (an export's view)."""
        self._data = None
        self._outlines = self._context = None
        self.ids = set(ids)
        self._load_html(html)

    def show_shell(self, page: Path, tiles: tuple[TileSpec, ...] = (), picture: bool = False) -> None:
        """Load a page file without places (``map.shell``) made for ``tiles``; the last ``set_data`` is drawn on it.

        ``picture``: a view for pictures, whose page keeps a frame mark below the map (``api.js`` showMark).
        """
        self.allow_origins(frozenset(t.origin for t in tiles))
        self._outlines, self._context = outlines_file(page), context_file(page)
        url = QUrl.fromLocalFile(str(page))
        if picture:
            url.setFragment("picture")
        self._load_url(url)

    def _send_outlines(self) -> None:
        """The page zoomed in: hand it the detailed outlines (``null`` if they are gone, so it keeps the overview).

        Once per page: the bridge takes no file name, and asking again sends nothing.
        """
        if self._outlines_sent:
            return
        self._outlines_sent = True
        try:  # the context (towns, rivers) first: the outlines' arrival makes the page ready
            context = self._context.read_text(encoding="utf-8") if self._context is not None else None
        except OSError as exc:
            log.warning("context layer unreadable (%s): the map shows no towns", exc)
            context = None
        if context is not None:
            self.api.call("setContext", context)
        try:
            text = self._outlines.read_text(encoding="utf-8") if self._outlines is not None else None
        except OSError as exc:
            log.warning("detailed outlines unreadable (%s): the map keeps the overview", exc)
            text = None
        self.api.set_outlines(text)

    def load_shell(self, basemap: str, build: bool = True) -> bool:
        """The page without places, with that basemap: offline, or the online tiles the user chose.

        Without ``build``, a page that would have to be built first (a stale
        shipped page, an online basemap's first use) is not: False, and the
        caller builds it on a thread (``shell_page``) and shows it then.
        """
        tiles = basemap_tiles(basemap)
        page = shell_page(tiles) if build else cached_shell(tiles)
        if page is None:
            return False
        self.show_shell(page, tiles)
        return True

    def wait_committed(self, timeout_ms: int = 250) -> None:
        """Run Qt's loop until the page's navigation commits (its URL changes), or the timeout.

        The commit needs Qt's main thread (Chromium's UI thread); after it
        the page loads in its own process.  Building the window first held
        the page back by as long as that took (~120 ms at start).
        """
        loop = QEventLoop()
        self.urlChanged.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.urlChanged.disconnect(loop.quit)

    def set_data(self, call: str, ids: set[str]) -> None:
        """Hand the shell page a set of places: ``MapPageAPI.data_script`` of ``map.features.data_json``.

        The page is not reloaded: Leaflet and the outlines stay, only the
        places change, and ``bridge.ready`` fires once they are painted.
        """
        self._data = call
        self.ids = set(ids)
        self.is_ready = False
        if self._loaded:
            self.api.run(call)

    def _load_html(self, html: str) -> None:
        # From a file: setHtml caps at 2 MB.
        self._page_file = write_page(html, self._page_file)
        self._load_url(QUrl.fromLocalFile(str(self._page_file)))

    def _load_url(self, url: QUrl) -> None:
        self.is_ready = False
        self._loaded = False
        self._outlines_sent = False
        home = QUrl(url)
        home.setFragment(None)  # the page's own links to "#..." stay on it
        self.map_page.home = home
        self.load(url)

    def _on_load_finished(self, ok: bool) -> None:
        self._loaded = ok
        if ok and self._data is not None:
            self.api.run(self._data)
        elif not ok:
            log.warning("the map page did not load")

    def cleanup(self) -> None:
        """Remove the page file; delete the page before its profile (Qt warns otherwise)."""
        if self.map_page is not None:
            self.map_page.deleteLater()
            self.map_page = None
        if self._page_file is not None:
            self._page_file.unlink(missing_ok=True)
            self._page_file = None

    def closeEvent(self, event) -> None:  # noqa: N802
        self.cleanup()
        super().closeEvent(event)
