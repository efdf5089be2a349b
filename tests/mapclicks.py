"""Clicking the map page where a user would: at the pixel that shows a coordinate."""
from __future__ import annotations

import math


def pixel(state: dict, lon: float, lat: float) -> tuple[float, float]:
    """Where the page shows a coordinate: Web Mercator at the page's zoom, from its top-left corner."""
    def world(x: float, y: float) -> tuple[float, float]:
        scale = 256 * 2 ** state["zoom"]
        s = math.sin(math.radians(y))
        return (x + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale

    (x, y), (x0, y0) = world(lon, lat), world(*state["topLeft"])
    return x - x0, y - y0


def click(run_js, view, x: float, y: float) -> None:
    """A DOM click at the map's container pixel (x, y), sent to the element there, as a mouse's would be:
    the page's own hit test decides what it hits."""
    run_js(view, "(function(){var m=document.querySelector('.leaflet-container'),r=m.getBoundingClientRect();"
                 "var cx=r.left+%f,cy=r.top+%f,t=document.elementFromPoint(cx,cy)||m;"
                 "t.dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true,clientX:cx,clientY:cy}));"
                 "return 1;})()" % (x, y))
