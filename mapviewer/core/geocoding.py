"""Geocoding through geopy: the offline gazetteers first, Nominatim only when switched on.

- ``OfflineGeocoder`` is a geopy ``Geocoder`` answering from the curated
  gazetteer and GeoNames, so code written against geopy works without a network.
- ``OnlineGeocoder`` wraps geopy's ``Nominatim`` with the public service's
  rules: a real User-Agent, at most one request a second for the whole app
  (geopy's ``RateLimiter``), a timeout, and a persistent cache so no name is
  asked twice. Its base URL is configurable (tests point it at 127.0.0.1).
- ``GeocodingService`` is what the app calls: the online answer when it is on
  and works, otherwise the offline one, with a status message saying why.

Online requests block (the rate limiter sleeps): call them off the GUI thread.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from .corrections import Choose, Coordinates, Correction
from .gazetteer import Entry, Gazetteer, full_gazetteer, name_key
from .output import write_atomic
from .paths import cache_dir

log = logging.getLogger(__name__)

NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
NOMINATIM_SOURCE = "Nominatim (OpenStreetMap contributors, ODbL)"


def _user_agent() -> str:
    from .. import __version__

    return f"mapviewer/{__version__} (desktop map viewer for diplomatic declarations)"


def precision_of(entry: Entry) -> str:
    """A geocoder answers with a point: as precise as the map draws a point or a line
    (``Entry.drawn_precision``, the one rule), approximate for an area's label point
    (never "area": a point is no outline)."""
    return "approximate" if entry.shape == "area" else entry.drawn_precision


# --- offline ---------------------------------------------------------------------


class OfflineGeocoder(Geocoder):
    """A geopy geocoder over the bundled gazetteers: no network, instant answers.

    ``country_codes`` (ISO alpha-2) puts places in those countries first,
    the way a document's context does for the matcher.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__(user_agent=_user_agent())
        self.gazetteer = gazetteer or full_gazetteer()

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: list[str] | str | None = None, limit: int = 10):
        """Location(s) for ``query``: curated places first, then GeoNames by size; None if unknown."""
        entries = [e for e in self.gazetteer.lookup(query) if e.point]
        if country_codes:
            wanted = {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes)}
            entries.sort(key=lambda e: e.country not in wanted)  # stable: keeps curated-first within each group
        locations = [self._location(e) for e in entries[:limit]]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(self, query, *, exactly_one: bool = True):  # pragma: no cover - not needed offline
        raise NotImplementedError("the offline geocoder does not reverse-geocode")

    @staticmethod
    def _location(entry: Entry) -> Location:
        lon, lat = entry.point  # type: ignore[misc]
        address = f"{entry.name}, {entry.country}" if entry.country else entry.name
        raw = {
            "id": entry.id,
            "name": entry.name,
            "kind": entry.kind,
            "country": entry.country,
            "source": entry.source,
            "precision": precision_of(entry),
            "origin": entry.origin,
            "population": entry.population,
        }
        return Location(address, Point(lat, lon), raw)


# --- online ----------------------------------------------------------------------


class _Limiter(RateLimiter):
    """geopy's RateLimiter with the clock and sleep injectable, so tests need not wait."""

    def __init__(self, func, *, clock: Callable[[], float] | None = None, sleep: Callable[[float], None] | None = None, **kw):
        super().__init__(func, **kw)
        self._clock_fn = clock or time.monotonic
        self._sleep_fn = sleep or time.sleep

    def _clock(self):
        return self._clock_fn()

    def _sleep(self, seconds):
        self._sleep_fn(seconds)


@dataclass
class GeocodeCache:
    """Online answers on disk, one JSON file, written atomically after each new answer.

    A miss (``None``) is remembered too: asking again would get the same nothing.
    """

    path: Path = field(default_factory=lambda: cache_dir() / "geocode-cache.json")
    _data: dict[str, dict | None] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @staticmethod
    def key(query: str, country_codes: str = "") -> str:
        return " ".join(name_key(query)) + (f"|{country_codes.lower()}" if country_codes else "")

    def _load(self) -> dict[str, dict | None]:
        if self._data is None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self._data = {}  # missing or corrupt: a cache can always be refilled
        return self._data

    def __contains__(self, key: str) -> bool:
        return key in self._load()

    def get(self, key: str) -> dict | None:
        return self._load().get(key)

    def put(self, key: str, value: dict | None) -> None:
        with self._lock:
            self._load()[key] = value
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(self.path, json.dumps(self._data, ensure_ascii=False, indent=0).encode("utf-8"))
            except OSError as exc:
                log.warning("geocode cache not saved: %s", exc)


class OnlineGeocoder:
    """Nominatim behind a rate limiter and a persistent cache.

    ``domain``/``scheme`` choose the server (a self-hosted Nominatim, or a test
    server on 127.0.0.1); ``min_delay_seconds`` is 1 for the public service.
    Errors are raised as geopy's exceptions; the service above turns them into
    a fallback and a message.
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str = NOMINATIM_DOMAIN,
        scheme: str = "https",
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        cache: GeocodeCache | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        proxies: dict | None = None,
    ) -> None:
        self.domain = domain
        self.nominatim = Nominatim(
            user_agent=user_agent or _user_agent(), domain=domain, scheme=scheme, timeout=timeout,
            adapter_factory=URLLibAdapter,  # one request per call: requests' adapter retries behind our back
            **({"proxies": proxies} if proxies is not None else {}),
        )
        self.limited = _Limiter(
            self.nominatim.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,  # a failure falls back at once; the user can retry
            swallow_exceptions=False,
            clock=clock,
            sleep=sleep,
        )
        self.cache = cache or GeocodeCache()
        self.requests = 0  # how many went to the server (tests, and the status bar)
        self._lock = threading.Lock()  # one request at a time for the whole app

    def geocode(self, query: str, country_codes: str = "") -> tuple[Location | None, bool]:
        """(location or None, whether it came from the cache)."""
        key = GeocodeCache.key(query, country_codes)
        if key in self.cache:
            return _from_cache(self.cache.get(key)), True
        with self._lock:
            self.requests += 1
            kw = {"country_codes": country_codes} if country_codes else {}
            # names in English (the app's language), not the local script of the place
            location = self.limited(query, exactly_one=True, addressdetails=False, language="en", **kw)
        self.cache.put(key, _to_cache(location))
        return location, False


def _to_cache(location: Location | None) -> dict | None:
    if location is None:
        return None
    return {"address": location.address, "lat": location.latitude, "lon": location.longitude, "raw": location.raw}


def _from_cache(value: dict | None) -> Location | None:
    if not value:
        return None
    return Location(value["address"], Point(value["lat"], value["lon"]), value.get("raw") or {})


def _nominatim_precision(raw: dict) -> str:
    """OSM's class/type to our three precisions."""
    cls, typ = raw.get("class"), raw.get("type")
    if cls == "boundary" or typ in ("country", "state", "region", "province", "county", "administrative") or raw.get("addresstype") in (
        "country", "state", "region", "province"
    ):
        return "area"
    if cls in ("place", "building", "railway", "aeroway", "amenity", "tourism", "historic", "man_made", "waterway"):
        return "exact"
    return "approximate"


# --- the service the app calls ------------------------------------------------------


@dataclass
class GeocodeResult:
    """One answer, with where it came from and how sure it is."""

    query: str
    lon: float | None
    lat: float | None
    name: str | None
    source: str  # e.g. "GeoNames 1176734 ...", "Nominatim (OpenStreetMap contributors, ODbL)"
    precision: str | None  # exact, approximate or area
    online: bool = False
    cached: bool = False
    status: str = ""  # set when online was wanted but the offline answer is given
    place_id: str | None = None  # the gazetteer id, for offline answers
    error: str = ""  # why the online geocoder gave no answer (timeout, 429, ...); "" when it answered
    raw: dict = field(default_factory=dict, repr=False)  # the online answer as the server gave it (class, type...)

    @property
    def found(self) -> bool:
        return self.lon is not None

    def as_correction(self) -> Correction:
        """This answer as a correction to save (``CorrectionStore.set``)."""
        if self.place_id:
            return Choose(self.place_id)
        return Coordinates(self.lon, self.lat, source=self.source, name=self.name or self.query)


class GeocodingService:
    """Offline by default; ``enable_online()`` adds Nominatim, with the offline answer as a fallback."""

    def __init__(self, gazetteer: Gazetteer | None = None, online: OnlineGeocoder | None = None) -> None:
        self.offline = OfflineGeocoder(gazetteer)
        self.online = online

    @property
    def online_enabled(self) -> bool:
        return self.online is not None

    def enable_online(self, **options) -> OnlineGeocoder:
        """Switch Nominatim on (options as for ``OnlineGeocoder``: user_agent, domain, scheme, timeout...)."""
        self.online = OnlineGeocoder(**options)
        return self.online

    def disable_online(self) -> None:
        self.online = None

    def candidates(self, query: str, country_codes: list[str] | None = None, limit: int = 10) -> list[GeocodeResult]:
        """Every offline reading of ``query`` (for the user to pick from), best first."""
        found = self.offline.geocode(query, exactly_one=False, country_codes=country_codes, limit=limit) or []
        return [self._offline_result(query, loc) for loc in found]

    def geocode(self, query: str, country_codes: list[str] | None = None) -> GeocodeResult:
        """The best answer: online when on and it works, else offline (and ``status`` says why)."""
        offline = self.candidates(query, country_codes, limit=1)
        fallback = offline[0] if offline else GeocodeResult(query, None, None, None, "offline gazetteer", None)
        if self.online is None:
            return fallback
        try:
            location, cached = self.online.geocode(query, ",".join(country_codes or ()))
        except GeocoderTimedOut:
            return _with_status(fallback, "the online geocoder did not answer in time", "did not answer in time")
        except GeocoderRateLimited:
            return _with_status(fallback, "the online geocoder asked us to slow down (429)", "asked us to slow down (429)")
        except GeocoderUnavailable:
            return _with_status(fallback, "the online geocoder is unreachable", "unreachable")
        except GeocoderServiceError as exc:
            return _with_status(
                fallback, f"the online geocoder failed ({exc.__class__.__name__}: {exc})", f"failed ({exc.__class__.__name__})"
            )
        if location is None:
            return _with_status(fallback, "not found online") if fallback.found else fallback
        return GeocodeResult(
            query, location.longitude, location.latitude, location.address, NOMINATIM_SOURCE,
            _nominatim_precision(location.raw or {}), online=True, cached=cached, raw=dict(location.raw or {}),
        )

    def is_cached(self, query: str, country_codes: list[str] | None = None) -> bool:
        """Whether the online geocoder has answered ``query`` before (so asking costs no request)."""
        if self.online is None:
            return False
        return GeocodeCache.key(query, ",".join(country_codes or ())) in self.online.cache

    @staticmethod
    def _offline_result(query: str, loc: Location) -> GeocodeResult:
        raw = loc.raw
        return GeocodeResult(query, loc.longitude, loc.latitude, raw["name"], raw["source"], raw["precision"], place_id=raw["id"])


def _with_status(result: GeocodeResult, why: str, error: str = "") -> GeocodeResult:
    what = "offline result used" if result.found else "no offline result either"
    log.info("geocoding %r: %s; %s", result.query, why, what)
    return GeocodeResult(**{**result.__dict__, "status": f"{why}: {what}", "error": error})


def is_country_level(raw: dict) -> bool:
    """An online answer that is a whole country or continent, not the place asked about."""
    if "country" in (raw.get("type"), raw.get("addresstype")) or "continent" in (raw.get("type"), raw.get("addresstype")):
        return True
    try:
        return int(raw.get("place_rank", 99)) <= 4
    except (TypeError, ValueError):
        return False
