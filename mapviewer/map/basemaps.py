"""Online basemaps, from the tile-provider catalogue folium uses (xyzservices).

Offline (the bundled Natural Earth outlines) is always the default; these
are used only when the user switches online tiles on.
"""
from __future__ import annotations

from dataclasses import dataclass

OFFLINE = "Offline (Natural Earth)"
# Display name -> provider's path in xyzservices, read only when a user
# switches tiles on. CARTO now wants an API key, so the light canvas is
# Esri's grey one.
_PROVIDERS = {
    "OpenStreetMap": ("OpenStreetMap", "Mapnik"),
    "Satellite (Esri)": ("Esri", "WorldImagery"),
    "Light canvas (Esri)": ("Esri", "WorldGrayCanvas"),
}
NAMES = (OFFLINE, *_PROVIDERS)


def known(name: str | None) -> str:
    """The basemap of that name, or offline for anything else (an old or damaged setting)."""
    return name if name in NAMES else OFFLINE


@dataclass(frozen=True)
class TileSpec:
    """What the page needs to draw one tile layer, with its attribution."""

    name: str
    url: str
    attribution: str
    max_zoom: int = 18

    def as_page_data(self) -> dict:
        return {"name": self.name, "url": self.url, "attribution": self.attribution, "maxZoom": self.max_zoom}

    @property
    def origin(self) -> str:
        """scheme://host of the tiles, for the page's CSP and the request guard."""
        scheme, rest = self.url.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0]}"


def tile_spec(name: str) -> TileSpec:
    import xyzservices.providers as xyz

    group, layer = _PROVIDERS[name]
    provider = xyz[group][layer]
    return TileSpec(name, provider.build_url(), provider.html_attribution, int(provider.get("max_zoom") or 18))


def online_specs(chosen: str) -> tuple[TileSpec, ...]:
    """All online layers, the chosen one first (the page shows the first)."""
    names = [chosen] + [n for n in _PROVIDERS if n != chosen] if chosen in _PROVIDERS else list(_PROVIDERS)
    return tuple(tile_spec(n) for n in names)
