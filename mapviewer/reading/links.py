"""The panel's links, as small types: written by the panel, read by the window.

A link is a URL the text browser hands back when clicked; ``parse`` turns it
into one of these, or None for anything else (never an error: the panel's
HTML is ours, but a link is still text).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

FIX_ACTIONS = ("choose", "coords", "online", "reject", "undo")


@dataclass(frozen=True)
class PlaceLink:
    """Show a place: its sentences in the panel, the map brought to it."""

    place_id: str


@dataclass(frozen=True)
class SentenceLink:
    """Bring the map to the places a sentence names."""

    doc: int
    index: int


@dataclass(frozen=True)
class FixLink:
    """Correct a place: choose another, set coordinates, look up online, not a place, undo."""

    action: str
    place_id: str


@dataclass(frozen=True)
class PageLink:
    """Another page of a long text, or of the sentences about a place (``place_id``)."""

    page: int
    place_id: str | None = None


@dataclass(frozen=True)
class ClearFilterLink:
    """Show everything the filter hides."""


Link = PlaceLink | SentenceLink | FixLink | PageLink | ClearFilterLink


def href(link: Link) -> str:
    """The URL the panel writes for ``link`` (ids quoted: they may hold any character)."""
    if isinstance(link, PlaceLink):
        return f"place:{quote(link.place_id, safe='')}"
    if isinstance(link, SentenceLink):
        return f"sentence:{link.doc}:{link.index}"
    if isinstance(link, FixLink):
        return f"fix:{link.action}:{quote(link.place_id, safe='')}"
    if isinstance(link, PageLink):
        return f"page:{link.page}" + (f":{quote(link.place_id, safe='')}" if link.place_id is not None else "")
    return "filter:clear"


def parse(url: str) -> Link | None:
    """The link a URL stands for, or None."""
    scheme, _, rest = url.partition(":")
    if scheme == "place" and rest:
        return PlaceLink(unquote(rest))
    if scheme == "sentence":
        doc, _, index = rest.partition(":")
        return SentenceLink(int(doc), int(index)) if doc.isdigit() and index.isdigit() else None
    if scheme == "fix":
        action, _, place_id = rest.partition(":")
        return FixLink(action, unquote(place_id)) if action in FIX_ACTIONS and place_id else None
    if scheme == "page":
        page, colon, place_id = rest.partition(":")
        if not page.isdigit() or (colon and not place_id):
            return None
        return PageLink(int(page), unquote(place_id) if colon else None)
    if scheme == "filter" and rest == "clear":
        return ClearFilterLink()
    return None
