"""The Atlas: the places of one or more documents, with geometry and pledges.

It is the one thing the map, the panel and every export read, so the
link between a feature and its sentences is made here and only here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from . import naturalearth
from .document import Document, Sentence
from .gazetteer import Entry, Gazetteer, default_gazetteer
from .geometry import equal_area_circle, geometry_length_km, route_section
from .geoparse import Corridor, Matcher, Mention, find_corridors
from .pledges import Pledge, classify


@dataclass(frozen=True)
class Ref:
    """A mention located in a document of the Atlas."""

    doc: int
    mention: Mention


@dataclass
class Place:
    id: str
    name: str
    kind: str
    shape: str  # point, line or area
    geometry: BaseGeometry
    precision: str  # exact, approximate or area
    source: str
    refs: list[Ref] = field(default_factory=list)
    length_km: float | None = None
    note: str | None = None
    extent: str | None = None  # "circle" when an area's outline is unknown

    def sentence_keys(self) -> list[tuple[int, int]]:
        """(document, sentence) pairs about this place, in reading order."""
        return sorted({(r.doc, r.mention.sentence) for r in self.refs})


@dataclass
class Atlas:
    documents: list[Document]
    places: list[Place]
    pledges: dict[tuple[int, int], Pledge]

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def sentence(self, doc: int, index: int) -> Sentence:
        return self.documents[doc].sentences[index]

    def places_in_sentence(self, doc: int, index: int) -> list[Place]:
        return [p for p in self.places if any(r.doc == doc and r.mention.sentence == index for r in p.refs)]

    def mentions_in_sentence(self, doc: int, index: int) -> list[tuple[Place, Mention]]:
        return sorted(
            ((p, r.mention) for p in self.places for r in p.refs if r.doc == doc and r.mention.sentence == index),
            key=lambda pm: pm[1].start,
        )


class AtlasBuilder:
    """Turns documents into an Atlas with one gazetteer and one matcher."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.matcher = Matcher(self.gazetteer)

    def build(self, documents: list[Document]) -> Atlas:
        places: dict[str, Place] = {}
        pledges: dict[tuple[int, int], Pledge] = {}
        for d, doc in enumerate(documents):
            mentions = self.matcher.find(doc)
            corridors = find_corridors(doc, mentions, self.gazetteer)
            consumed = {id(m) for c in corridors for m in c.parts}
            for m in mentions:
                if id(m) not in consumed:
                    self._add(places, self._entry_place(m.place_id), d, m)
            for c in corridors:
                place = self._corridor_place(c)
                self._add(places, place, d, Mention(place.id, c.start, c.end, c.surface, c.sentence, "corridor"))
            pledges.update(self._pledges(d, doc, mentions))
        ordered = sorted(places.values(), key=lambda p: (p.refs[0].doc, p.refs[0].mention.start))
        return Atlas(list(documents), ordered, pledges)

    @staticmethod
    def _add(places: dict[str, Place], place: Place | None, doc: int, mention: Mention) -> None:
        if place is None:
            return
        existing = places.setdefault(place.id, place)
        existing.refs.append(Ref(doc, mention))

    def _entry_place(self, place_id: str) -> Place | None:
        entry = self.gazetteer[place_id]
        geometry, precision, extent = self._geometry(entry)
        if geometry is None:
            return None
        shape = "line" if geometry.geom_type.endswith("LineString") else entry.shape
        return Place(
            id=entry.id,
            name=entry.name,
            kind=entry.kind,
            shape=shape,
            geometry=geometry,
            precision=precision,
            source=entry.source,
            length_km=round(geometry_length_km(geometry), 1) if shape == "line" else None,
            note=entry.note,
            extent=extent,
        )

    def _geometry(self, entry: Entry) -> tuple[BaseGeometry | None, str, str | None]:
        """Geometry, precision and, for areas, whether the outline is real."""
        if entry.route:
            return LineString([(w.lon, w.lat) for w in entry.route]), "exact", None
        if entry.naturalearth:
            outline = naturalearth.outline(entry.naturalearth)
            if outline is not None:
                return outline, "area", "outline"
        if entry.area_km2 and entry.point:
            return equal_area_circle(entry.point, entry.area_km2), "area", "circle"
        if entry.point:
            return Point(entry.point), "exact" if entry.shape == "point" else "approximate", None
        return None, "approximate", None

    def _corridor_place(self, c: Corridor) -> Place:
        """A line between two named ends: along a known route, else straight."""
        a, b = (self.gazetteer[e] for e in c.ends)
        ends = (a.point, b.point)
        candidates = [self.gazetteer[c.route_id]] if c.route_id else []
        candidates += [r for r in self.gazetteer.routes() if r.id != c.route_id]
        for route in candidates:
            section = route_section([(w.lon, w.lat) for w in route.route], *ends)
            if section is not None:
                return self._line(c, section, route.kind, "exact", f"section of {route.name}: {route.source}", route)
        straight = LineString(ends)
        kind = self.gazetteer[c.route_id].kind if c.route_id else "corridor"
        source = f"straight line between {a.name} ({a.source}) and {b.name} ({b.source})"
        return self._line(c, straight, kind, "approximate", source, None)

    def _line(self, c: Corridor, line: LineString, kind: str, precision: str, source: str, route: Entry | None) -> Place:
        slug = "--".join(e.split("/")[-1] for e in c.ends)
        place_id = f"{route.id}:{slug}" if route else f"corridor:{slug}"
        return Place(
            id=place_id,
            name=" ".join(c.surface.split()),
            kind=kind,
            shape="line",
            geometry=line,
            precision=precision,
            source=source,
            length_km=round(geometry_length_km(line), 1),
            note=f"from {self.gazetteer[c.ends[0]].name} to {self.gazetteer[c.ends[1]].name}",
        )

    def _pledges(self, d: int, doc: Document, mentions: list[Mention]) -> dict[tuple[int, int], Pledge]:
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        out: dict[tuple[int, int], Pledge] = {}
        previous: Pledge | None = None
        for s in doc.sentences:
            parties = [
                (m.start - s.start, self.gazetteer[m.place_id].name)
                for m in by_sentence.get(s.index, ())
                if self.gazetteer[m.place_id].kind == "country"
            ]
            pledge = classify(s.index, s.text, parties, previous)
            if pledge is not None:
                out[(d, s.index)] = previous = pledge
        return out


def build_atlas(documents: list[Document], gazetteer: Gazetteer | None = None) -> Atlas:
    return AtlasBuilder(gazetteer).build(documents)
