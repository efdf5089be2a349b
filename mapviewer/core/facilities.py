"""Facilities named after their town: "Bagamoyo port", "the port of Chancay", "Kyaukpyu deep-sea port".

The gazetteers know airports and the world's main ports by name (``geonames``
indexes airportsdata and Natural Earth's ports), so "Bole International Airport"
and "Port of Mombasa" are matched as names and drawn where they are. A facility
that no dataset knows, named by its town and a word for what it is, is found
here: one Mention for the whole phrase, placed at the town with precision
"approximate" and a note saying so; never the town itself, since a town is not
its port. Where the dataset does know the town's port or main airport
("Mombasa's port", "Addis Ababa airport") that one is used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .document import Document
from .gazetteer import Entry, Gazetteer, name_key
from .geoparse import Mention

# A word for what the facility is, with the kind it becomes. Words that name a
# business park or a plant only with a word before them are in _NEEDS_A_QUALIFIER.
_KINDS = {
    "port": "port", "seaport": "port", "harbour": "port", "harbor": "port",
    "airport": "airport", "airfield": "airport",
    "station": "station", "bridge": "bridge", "dam": "dam", "barrage": "dam",
    "zone": "zone", "park": "zone", "crossing": "crossing", "hospital": "hospital",
    "refinery": "plant", "plant": "plant", "project": "plant", "terminal": "port",
}
_NEEDS_A_QUALIFIER = frozenset({"zone", "park", "plant", "project", "crossing", "terminal"})
_NAMED_ALONE = frozenset({"port", "seaport", "harbour", "harbor", "airport", "station"})  # "Mombasa port"
_QUALIFIERS = (
    r"deep[- ]sea|deep[- ]water|international|dry|inland|container|special|economic|industrial|free|trade|"
    r"hydropower|hydroelectric|hydro|power|solar|wind|coal|railway|rail|border|centre|center|central|main|"
    r"sea|river|cargo|oil|gas|desalination|logistics|export|processing|science|technology|friendship"
)
_AFTER = re.compile(
    rf"(?P<poss>['\u2019]s)?[ \u00a0](?P<quals>(?:(?:{_QUALIFIERS})[ \u00a0]){{0,3}})(?P<head>{'|'.join(_KINDS)})\b",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    rf"\b(?:(?:{_QUALIFIERS})[ \u00a0])?(?P<head>port|harbou?r)[ \u00a0]of[ \u00a0]$|\bPort City[ \u00a0]$", re.IGNORECASE
)
_CITY = re.compile(r"[ \u00a0]City\b")
_TOWN_KINDS = frozenset({"city", "town", "locality"})
# Words that make the phrase an organisation: "Karachi Port Trust", "Piraeus Port Authority".
_ORG_AFTER = re.compile(r"[ \u00a0](?:trust|authority|authorities|company|corporation|holdings|group|commission|board)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Facility:
    """A facility a text names by its town; ``entry`` is what the map draws."""

    mention: Mention
    town: Mention
    entry: Entry


def find_facilities(document: Document, mentions: list[Mention], gazetteer: Gazetteer) -> list[Facility]:
    """Town mentions that are part of a facility's name, with the facility each names."""
    text = document.text
    out: list[Facility] = []
    for m in mentions:
        town = gazetteer[m.place_id]
        if town.kind == "port" and _CITY.match(text, m.end):  # "Colombo Port City": a district built by the port
            end = _CITY.match(text, m.end).end()
            entry = replace(_at_town(town, "zone", text[m.start : end]), id=f"facility:zone:{town.id}")
            out.append(Facility(Mention(entry.id, m.start, end, text[m.start : end], m.sentence, "name", (entry.id,)), m, entry))
            continue
        if m.via == "demonym" or town.kind not in _TOWN_KINDS or town.point is None:
            continue
        span = _phrase(text, m)
        if span is None:
            continue
        start, end, kind, qualified = span
        if document.sentence_at(start) is None or document.sentence_at(start).index != m.sentence:
            continue
        surface = text[start:end]
        entry = _known(gazetteer, town, kind) or _at_town(town, kind, surface)
        mention = Mention(entry.id, start, end, surface, m.sentence, "name", (entry.id,), "")
        out.append(Facility(mention, m, entry))
    return out


def _phrase(text: str, m: Mention) -> tuple[int, int, str, bool] | None:
    """(start, end, kind, qualified) of the facility phrase around a town's name, if there is one."""
    after = _AFTER.match(text, m.end)
    if after is not None and not _ORG_AFTER.match(text, after.end()):
        head = after.group("head").lower()
        quals = after.group("quals").strip()
        named = quals or head in _NAMED_ALONE or after.group("head")[0].isupper() and head not in _NEEDS_A_QUALIFIER
        if named:  # not "the Gwadar project" or "Colombo zone": a word, not a name
            kind = "port" if quals.lower().startswith("dry") else _KINDS[head]
            return m.start, after.end(), kind, bool(quals)
    before = _BEFORE.search(text, max(0, m.start - 30), m.start)
    if before is not None and not _ORG_AFTER.match(text, m.end):
        kind = "zone" if before.group().lower().startswith("port city") else "port"
        return before.start(), m.end, kind, False
    return None


def _known(gazetteer: Gazetteer, town: Entry, kind: str) -> Entry | None:
    """The town's own port or main airport in the indexed datasets, if one lies near it."""
    from .flatearth import distance_km

    if kind not in ("port", "airport") or gazetteer.geonames is None:
        return None
    names = [f"{town.name} Port", f"Port of {town.name}"] if kind == "port" else [f"{town.name} Airport"]
    for name in names:
        for pid, _ in gazetteer.geonames.meanings(name_key(name)):
            entry = gazetteer.get(pid)
            if entry is not None and entry.kind == kind and entry.point and distance_km(entry.point, town.point) < 40:
                return entry
    return None


def _at_town(town: Entry, kind: str, surface: str) -> Entry:
    """The facility drawn at its town: approximate, and the note says so."""
    return Entry(
        id=f"facility:{kind}:{town.id}",
        name=" ".join(surface.split()),
        kind=kind,
        source=f"placed at {town.name}: {town.source}",
        country=town.country,
        point=town.point,
        note=f"placed at {town.name}: the {kind}'s own position is not in the bundled data",
        origin="facility",
    )


def with_facilities(mentions: list[Mention], facilities: list[Facility]) -> list[Mention]:
    """The mentions with each facility's town replaced by the facility, in reading order."""
    by_town = {id(f.town): f.mention for f in facilities}
    return [by_town.get(id(m), m) for m in mentions]


