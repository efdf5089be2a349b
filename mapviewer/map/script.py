"""The map page's own script: the parts in ``resources/map/`` joined in order.

Each part is a plain file a reader can open on its own (``state`` first,
``api`` last); joined, they run in one scope inside one function, as one
inline script whose hash the page's Content-Security-Policy allows.  No
bundler: the order below is the whole build.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable

PARTS = ("state", "style", "projection", "columns", "basemap", "context", "layers", "cloud", "labels", "api")


def part_file(name: str) -> Traversable:
    return resources.files("mapviewer.resources").joinpath("map", f"{name}.js")


def part_text(name: str) -> str:
    return part_file(name).read_text(encoding="utf-8")


def join_parts(names: tuple[str, ...], tail: str = "") -> str:
    """The parts as one script in one strict-mode function; ``tail`` runs last, inside it."""
    body = "\n".join(f"// --- {name}.js ---\n{part_text(name)}" for name in names)
    return f"(function () {{\n'use strict';\n{body}\n{tail}}})();\n"


@lru_cache(maxsize=1)
def map_script() -> str:
    """The whole page script (``window.mapviewer`` is set by its last part)."""
    return join_parts(PARTS)
