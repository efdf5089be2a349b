"""Building the Atlas: the places of one or more documents, with geometry and pledges.

The Atlas (``model``) is the one thing the map, the panel and every export
read, so the link between a feature and its sentences is made here and
only here.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from . import naturalearth, shapes
from .corrections import Choose, Coordinates, Correction, CorrectionStore, NotAPlace
from .document import BLOCK_CHARS, Document
from .errors import Cancelled
from .facilities import find_facilities, with_facilities
from .gazetteer import Entry, Gazetteer, full_gazetteer
from .gcpause import paused_gc
from .geometry import distance_km, geometry_length_km, route_section
from .geoparse import Corridor, Matcher, Mention, find_corridors, resolve
from .pledges import Reading, read_sentences
from .model import Alternative, Atlas, Place, Ref, Unmapped
from .unknowns import Candidate, find_candidates

if TYPE_CHECKING:  # geopy loads only when a geocoder is made
    from .geocoding import GeocodeResult, GeocodingService

MAX_ONLINE_REQUESTS = 50  # per build: at one a second, under a minute of waiting
FAR_KM = 1500  # an online answer this far from every other place of its text is taken for a namesake
MAIN_COUNTRIES = 5  # the online search is limited to the text's most-named countries first


class AtlasBuilder:
    """Turns documents into an Atlas with one gazetteer, one matcher and the user's corrections.

    ``corrections`` defaults to the user's store (so the window, the CLI and
    every export agree); pass ``use_corrections=False`` to read texts as found.

    ``geocoder``, when given with its online geocoder switched on, is asked
    about the names no gazetteer knows (``unknowns.find_candidates``): at most
    ``max_online_requests`` new requests a build (answers already in its cache
    are free), and none after the first failure. Without it the build is
    offline, and those names are listed in ``Atlas.unmapped``.
    ``progress(done, total, what)`` says how far the build is, in characters
    read (``_Meter``): a long document is read in blocks of whole sentences
    of about ``block_chars`` characters (``Document.blocks``; the Atlas is
    the same whatever their size), then as each name is looked up online.
    ``cancelled()`` is asked at each step (each block, a fraction of a
    second apart, and between online look-ups); when it says True the
    build stops with :class:`~mapviewer.core.errors.Cancelled`.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        corrections: CorrectionStore | None = None,
        use_corrections: bool = True,
        geocoder: GeocodingService | None = None,
        max_online_requests: int = MAX_ONLINE_REQUESTS,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        block_chars: int = BLOCK_CHARS,
    ) -> None:
        self.gazetteer = gazetteer or full_gazetteer()
        self.block_chars = block_chars
        self.matcher = Matcher(self.gazetteer)
        self.corrections = corrections if corrections is not None else (CorrectionStore() if use_corrections else None)
        self.geocoder = geocoder
        self.max_online_requests = max_online_requests
        self.progress = progress
        self.cancelled = cancelled
        self._corridors: dict[tuple, tuple] = {}
        self._lengths: dict[int, tuple[float, LineString]] = {}
        self._shapes: dict[str, tuple] = {}

    def _named_things(
        self, doc: Document, mentions: list[Mention], blocks: list[tuple[int, int]], tick: Callable[[], None]
    ) -> tuple[list[Mention], list[Corridor]]:
        """Facilities ("the Port of X") and lines named by their ends, found block by block:
        both are read within a sentence, and blocks end between sentences."""
        out: list[Mention] = []
        corridors: list[Corridor] = []
        for part in _by_block(mentions, blocks):
            found = find_facilities(doc, part, self.gazetteer)
            for f in found:
                self.gazetteer.remember(f.entry)
            part = with_facilities(part, found)
            corridors += find_corridors(doc, part, self.gazetteer)
            out += part
            tick()
        return out, corridors

    def build(self, documents: list[Document]) -> Atlas:
        places: dict[str, Place] = {}
        readings: dict[tuple[int, int], Reading] = {}
        rejected: list[tuple[int, Mention, Correction]] = []
        unknown: list[list[Candidate]] = []
        meter = _Meter(self, documents)
        for d, doc in enumerate(documents):
            fixes = self.corrections.for_document(doc.sha256) if self.corrections else {}
            blocks = doc.blocks(self.block_chars)
            found: list[Mention] = []
            for start, end in blocks:
                meter.at(d, 0, start)
                found += self.matcher.find(doc, start, end)
            spans = [(m.start, m.end) for m in found]
            unknown.append(find_candidates(doc, spans, blocks, tick=lambda done, d=d: meter.at(d, 1, done)))
            mentions = resolve(found, self.gazetteer, tick=meter.again)
            meter.again()  # each stage takes seconds on a 50 MB text: a chance to stop between them
            mentions, overrides = self._apply(mentions, fixes, d, rejected)
            meter.again()
            mentions, corridors = self._named_things(doc, mentions, blocks, meter.again)
            consumed = {id(m) for c in corridors for m in c.parts if not (c.keeps_ends and m.place_id in c.ends)}
            for n, m in enumerate(mentions):
                if n % 5_000 == 4_999:
                    meter.again()
                if id(m) not in consumed:
                    self.add_place(places, self._mention_place(m, overrides), d, m)
            for c in corridors:
                place = self._corridor_place(c)
                fix = fixes.get(place.id)
                if isinstance(fix, NotAPlace):
                    rejected.append((d, Mention(place.id, c.start, c.end, c.surface, c.sentence, "corridor"), fix))
                    continue
                place.correction_key = place.id
                place.alternatives = [
                    Alternative.of(self.gazetteer[pid])
                    for m in c.parts for pid in m.candidates[1:] if pid in self.gazetteer
                ]
                self.add_place(places, place, d, Mention(place.id, c.start, c.end, c.surface, c.sentence, "corridor"))
            readings.update(self._pledges(d, doc, tick=lambda done, d=d: meter.at(d, 2, done)))
        meter.finish()
        notes = list(self.corrections.notes) if self.corrections else []
        unmapped = _Unknowns(self, documents, places, rejected, notes).place(unknown)
        ordered = sorted(places.values(), key=lambda p: (p.refs[0].doc, p.refs[0].mention.start))
        for place in ordered:
            place.name = _declared_name(place)
        pledges = {k: r for k, r in readings.items() if r.pledge}
        return Atlas(list(documents), ordered, pledges, rejected, notes, unmapped, readings)

    def step(self, done: int, total: int, what: str) -> None:
        """Report progress, and stop here if the user cancelled."""
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("mapping was cancelled")
        if self.progress is not None:
            self.progress(done, total, what)

    def _apply(
        self, mentions: list[Mention], fixes: dict[str, Correction], d: int, rejected: list
    ) -> tuple[list[Mention], dict[str, tuple[str, Correction]]]:
        """The user's corrections on one document's mentions.

        Returns the mentions kept (with a chosen place put in) and, per place
        id, the key and correction that made it so (coordinates, a choice).
        """
        kept: list[Mention] = []
        overrides: dict[str, tuple[str, Correction]] = {}
        if not fixes:  # no correction of this document: nothing to look up per mention (a long text has a million)
            return mentions, overrides
        for m in mentions:
            key = m.place_id if m.place_id in fixes else f"name:{m.key}"
            fix = fixes.get(key)
            if fix is None:
                kept.append(m)
                continue
            if isinstance(fix, NotAPlace):
                rejected.append((d, m, fix))
                continue
            if isinstance(fix, Choose) and fix.id in self.gazetteer and fix.id != m.place_id:
                others = tuple(c for c in (m.place_id, *m.candidates) if c != fix.id)
                m = replace(m, place_id=fix.id, candidates=(fix.id, *dict.fromkeys(others)), reason="chosen by the user")
            overrides[m.place_id] = (key, fix)
            kept.append(m)
        return kept, overrides

    def _mention_place(self, m: Mention, overrides: dict[str, tuple[str, Correction]]) -> Place | None:
        key, fix = overrides.get(m.place_id, (m.place_id, None))
        alternatives = [Alternative.of(self.gazetteer[c]) for c in m.candidates if c != m.place_id and c in self.gazetteer]
        chosen_because = "chosen by the user" if isinstance(fix, Choose) else (m.reason or None)
        return self.entry_place(m.place_id, key, fix, alternatives, chosen_because)

    @staticmethod
    def add_place(places: dict[str, Place], place: Place | None, doc: int, mention: Mention) -> None:
        """Add ``place`` (or its twin already in ``places``) as named by ``mention`` in document ``doc``."""
        if place is None:
            return
        existing = places.setdefault(place.id, place)
        if existing is not place and place.correction is not None and existing.correction is None:
            # a later document's correction of the same place applies to it too
            existing.geometry, existing.precision, existing.source = place.geometry, place.precision, place.source
            existing.correction, existing.origin = place.correction, place.origin
        existing.refs.append(Ref(doc, mention))

    def entry_place(
        self, place_id: str, correction_key: str | None = None, correction: Correction | None = None,
        alternatives: list[Alternative] | None = None, chosen_because: str | None = None,
    ) -> Place | None:
        """The Place of a gazetteer entry, with the user's correction applied (None: no geometry)."""
        entry = self.gazetteer[place_id]
        geometry, precision, extent, shape, length_km, source = self._entry_shape(entry)
        if geometry is None:
            return None
        origin, parts = entry.origin, shapes.parts(entry.id) if extent == "outline" else ()
        if isinstance(correction, Coordinates):
            geometry, shape, precision, extent, length_km = Point(correction.lon, correction.lat), "point", "exact", None, None
            source, origin, parts = correction.source_line(), "user", ()
        return Place(
            id=entry.id,
            name=entry.name,
            kind=entry.kind,
            shape=shape,
            geometry=geometry,
            precision=precision,
            source=source,
            length_km=length_km,
            note=entry.note,
            extent=extent,
            country=entry.country,
            origin=origin,
            alternatives=alternatives or [],
            chosen_because=chosen_because,
            correction_key=correction_key or entry.id,
            correction=correction,
            parts=parts,
        )

    def _entry_shape(self, entry: Entry) -> tuple:
        """Geometry, precision, extent, shape, length and source, once per entry.

        A text may name one area thousands of times; its outline is read and
        its length measured on the first mention only.
        """
        cached = self._shapes.get(entry.id)
        if cached is None:
            geometry, precision, extent, source = self._geometry(entry)
            line = geometry is not None and geometry.geom_type.endswith("LineString")
            shape = "line" if line else "point" if geometry is not None and geometry.geom_type == "Point" else entry.shape
            length_km = round(geometry_length_km(geometry), 1) if line else None
            cached = self._shapes[entry.id] = (geometry, precision, extent, shape, length_km, source)
        return cached

    def _geometry(self, entry: Entry) -> tuple[BaseGeometry | None, str, str | None, str]:
        """Geometry, precision, "outline" when it is an area's real outline, and the source.

        An area or a river with no outline in the data is its label point,
        said to be approximate: never a shape that would cover places outside it.
        """
        if entry.route:
            return LineString([(w.lon, w.lat) for w in entry.route]), entry.drawn_precision, None, entry.source
        if entry.naturalearth:
            outline = naturalearth.outline(entry.naturalearth)
            if outline is not None:
                return outline, "area", "outline", _country_source(entry)
        if entry.shape != "point":
            outline = shapes.outline(entry.id)
            if outline is not None:
                line = outline.geom_type.endswith("LineString")
                return outline, entry.drawn_precision, None if line else "outline", _with_outline(entry.source, shapes.source(entry.id))
        if entry.point:  # an area or a river with no outline in the data is only its label point
            return Point(entry.point), entry.drawn_precision if entry.shape == "point" else "approximate", None, entry.source
        return None, "approximate", None, entry.source

    def _corridor_place(self, c: Corridor) -> Place:
        """A line between two named ends: along a known route, else straight.

        The geometry is worked out once per (ends, route): a text may name the
        same corridor hundreds of times.
        """
        key = (c.ends, c.route_id)
        cached = self._corridors.get(key)
        if cached is None:
            cached = self._corridors[key] = self._corridor_geometry(c)
        line, kind, precision, source, route = cached
        return self._line(c, line, kind, precision, source, route)

    def _corridor_geometry(self, c: Corridor) -> tuple[LineString, str, str, str, Entry | None]:
        """Along a known route when every stop lies on it, else straight through the stops, approximate."""
        stops = [self.gazetteer[e] for e in c.ends]
        points = [s.point for s in stops]
        candidates = [self.gazetteer[c.route_id]] if c.route_id else []
        candidates += [r for r in self.gazetteer.routes() if r.id != c.route_id]
        if len(points) == 2 and not any(s.kind in ("country", "territory") for s in stops):
            for route in candidates:
                if c.kind not in (None, "corridor", route.kind):
                    continue  # a motorway beside a railway is not a section of it
                section = route_section([(w.lon, w.lat) for w in route.route], *points)
                if section is not None:
                    return section, route.kind, route.drawn_precision, f"section of {route.name}: {route.source}", route
        kind = self.gazetteer[c.route_id].kind if c.route_id else (c.kind or "corridor")
        named = ", ".join(f"{s.name} ({s.source})" for s in stops)
        where = "the label points of " if any(s.kind in ("country", "territory") for s in stops) else ""
        source = f"straight line through {where}its named ends: {named}"
        return LineString(points), kind, "approximate", source, None

    def _length_km(self, line: LineString) -> float:
        """Geodesic length, once per line object (corridor lines are cached)."""
        key = id(line)
        if key not in self._lengths:
            self._lengths[key] = (round(geometry_length_km(line), 1), line)  # keep line alive: ids stay unique
        return self._lengths[key][0]

    def _line(self, c: Corridor, line: LineString, kind: str, precision: str, source: str, route: Entry | None) -> Place:
        slug = "--".join(e.split("/")[-1].replace(":", "-") for e in c.ends)
        place_id = f"{route.id}:{slug}" if route else f"corridor:{slug}"
        return Place(
            id=place_id,
            name=" ".join(c.surface.split()),
            kind=kind,
            shape="line",
            geometry=line,
            precision=precision,
            source=source,
            length_km=self._length_km(line),
            note=_corridor_note(self.gazetteer, c, precision),
            origin="corridor",
        )

    @staticmethod
    def _pledges(d: int, doc: Document, tick: Callable[[int], None] | None = None) -> dict[tuple[int, int], Reading]:
        """Every sentence's reading: pledges, talk, and facts under a pledge (see ``pledges``)."""
        return {(d, i): r for i, r in read_sentences(doc.text, doc.sentences, tick).items()}


class _Meter:
    """How far a build is, in characters read: each document is read for its
    places, for the names no gazetteer knows and for its pledges, so its
    share of the total is three times its length."""

    WHAT = {0: "Finding places in", 1: "Finding names no gazetteer knows in", 2: "Reading the pledges of"}

    def __init__(self, builder: AtlasBuilder, documents: list[Document]) -> None:
        self.builder = builder
        self.documents = documents
        self.sizes = [max(1, len(doc.text)) for doc in documents]
        self.before = [3 * sum(self.sizes[:d]) for d in range(len(documents))]
        self.total = 3 * sum(self.sizes) or 1
        self.last = (0, "")

    def at(self, d: int, stage: int, done: int) -> None:
        """Document ``d`` is at character ``done`` of stage ``stage`` (0, 1 or 2)."""
        size = self.sizes[d]
        self.last = (self.before[d] + stage * size + min(done, size), f"{self.WHAT[stage]} {self.documents[d].name}…")
        self.builder.step(self.last[0], self.total, self.last[1])

    def again(self) -> None:
        """Where it was, said again: work between two stages is a chance to stop too."""
        self.builder.step(self.last[0], self.total, self.last[1])

    def finish(self) -> None:
        self.builder.step(self.total, self.total, "Putting the places on the map…")


def _by_block(mentions: list[Mention], blocks: list[tuple[int, int]]) -> list[list[Mention]]:
    """The mentions (in text order) in runs, one per block that has any."""
    runs: list[list[Mention]] = [[] for _ in blocks]
    b = 0
    for m in mentions:
        while b < len(blocks) - 1 and m.start >= blocks[b][1]:
            b += 1
        runs[b].append(m)
    return [run for run in runs if run]


def _corridor_note(gazetteer: Gazetteer, c: Corridor, precision: str) -> str:
    stops = [gazetteer[e].name for e in c.ends]
    note = f"from {stops[0]} to {stops[-1]}" + (f" through {', '.join(stops[1:-1])}" if len(stops) > 2 else "")
    if precision == "approximate":
        note += ": only its named ends are known, so it is drawn straight between them"
    return note


def _declared_name(place: Place) -> str:
    """The declaration's own wording for a place: its first mention by name.

    A demonym ("Chinese") is not a name, so it never names the place; the
    gazetteer's spelling stays when the text only ever uses one. A dateline's
    capitals ("NAIROBI, 14 March") give way to the text's next mention in running type.
    """
    named = [" ".join(r.mention.surface.split()) for r in place.refs if r.mention.via in ("name", "alias", "corridor")]
    if not named:
        return place.name
    return next((n for n in named if not (n.isupper() and len(n) > 4)), named[0])


def _country_source(entry: Entry) -> str:
    return f"Natural Earth admin-0 outline, ISO 3166-1 {entry.naturalearth} (public domain)"


def _with_outline(source: str, outline: str | None) -> str:
    """The entry's own source, and the outline's when it is another ("GeoNames admin1 CN.32; outline: DCW-GMT ...")."""
    if not outline or outline == source:
        return source
    return f"{source}; outline: {outline}" if source else f"outline: {outline}"


def build_atlas(
    documents: list[Document],
    gazetteer: Gazetteer | None = None,
    corrections: CorrectionStore | None = None,
    geocoder: GeocodingService | None = None,
    *,
    max_online_requests: int = MAX_ONLINE_REQUESTS,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Atlas:
    """The Atlas of ``documents``: the full gazetteer and the user's corrections unless told otherwise.

    With a ``geocoder`` whose online geocoder is on, names no gazetteer knows
    are looked up online (this blocks: call it off the GUI thread).
    """
    with paused_gc():  # a long text makes many small objects that all live on
        return AtlasBuilder(
            gazetteer, corrections, geocoder=geocoder, max_online_requests=max_online_requests, progress=progress,
            cancelled=cancelled,
        ).build(documents)


# --- names no gazetteer knows ------------------------------------------------------


class _Unknowns:
    """Puts the names no gazetteer knows on the map, through the online geocoder if it is on.

    Per document, each distinct name is looked up once: first within the
    countries the text names most (Nominatim's ``countrycodes``), then, if
    nothing is found there, anywhere. An answer is used as a point Place
    (origin "online") unless it is

    - a whole country or continent: the text's countries are found offline, so
      such an answer means the name itself was not found;
    - found only by the worldwide search and more than ``FAR_KM`` from every
      other place of the text: more likely a namesake than the place meant.

    Those, and the names not found, are listed in ``Atlas.unmapped`` with the
    reason. The user's corrections apply by ``name:<words>``: rejected names
    are never asked about, coordinates and chosen places are used as given.
    After the first failure (timeout, 429, server error, unreachable) nothing
    more is asked, cached answers are still used, and one note says how many
    names were left unmapped; likewise when the request cap is reached.
    """

    def __init__(self, builder: AtlasBuilder, documents, places: dict[str, Place], rejected: list, notes: list[str]) -> None:
        self.b = builder
        self.documents = documents
        self.places = places
        self.rejected = rejected
        self.notes = notes
        geocoder = builder.geocoder
        self.online = geocoder if geocoder is not None and geocoder.online_enabled else None
        self.asked = 0
        self.error = ""
        self.lost_to_error: set[str] = set()
        self.lost_to_cap: set[str] = set()
        self.answers: dict[tuple[str, tuple[str, ...]], GeocodeResult | None] = {}

    def place(self, unknown: list[list[Candidate]]) -> list[Unmapped]:
        unmapped: list[Unmapped] = []
        work = []
        for d, candidates in enumerate(unknown):
            by_key: dict[str, list[Candidate]] = {}
            for c in candidates:
                by_key.setdefault(c.key, []).append(c)
            if by_key:
                work.append((d, by_key))
        total = sum(len(by_key) for _, by_key in work)
        done = 0
        for d, by_key in work:
            doc = self.documents[d]
            fixes = self.b.corrections.for_document(doc.sha256) if self.b.corrections else {}
            codes: list[str] | None = None
            for key, group in by_key.items():
                done += 1
                if self.online is not None:
                    self.b.step(done, total, f"Looking up names online ({done} of {total})…")
                place_id = "online:" + key.replace(" ", "-")
                mentions = [Mention(place_id, c.start, c.end, c.surface, c.sentence, "name", (place_id,), "found online") for c in group]
                fix = fixes.get(place_id) or fixes.get(f"name:{key}")
                if fix is not None and self._corrected(d, key, place_id, group, mentions, fix):
                    continue
                if self.online is None:
                    unmapped += _unmapped(d, group, "not in the offline gazetteers (the online geocoder is off)")
                    continue
                if codes is None:
                    codes = self._countries(d)
                result, restricted, why = self._look_up(group[0].surface, key, codes)
                if result is None:
                    unmapped += _unmapped(d, group, why)
                    continue
                doubt = self._doubt(d, result, restricted)
                if doubt:
                    unmapped += _unmapped(d, group, doubt, result)
                    continue
                place = self._online_place(place_id, key, group[0], result, restricted)
                for m in mentions:
                    self._add(place, d, m)
        self._notes()
        return sorted(unmapped, key=lambda u: (u.doc, u.start))

    # --- corrections ---

    def _corrected(self, d: int, key: str, place_id: str, group: list[Candidate], mentions: list[Mention], fix: Correction) -> bool:
        """Apply the user's correction of these words; False if it cannot apply (then look them up)."""
        if isinstance(fix, NotAPlace):
            self.rejected.extend((d, m, fix) for m in mentions)
            return True
        if isinstance(fix, Coordinates):
            place = Place(
                id=place_id, name=group[0].surface, kind=group[0].kind, shape="point",
                geometry=Point(fix.lon, fix.lat), precision="exact", source=fix.source_line(),
                origin="user", correction_key=f"name:{key}", correction=fix,
            )
        elif isinstance(fix, Choose) and fix.id in self.b.gazetteer:
            place = self.b.entry_place(fix.id, f"name:{key}", fix, chosen_because="chosen by the user")
            if place is None:
                return False
        else:
            return False
        for m in mentions:
            self._add(place, d, replace(m, place_id=place.id, candidates=(place.id,), reason="set by the user"))
        return True

    # --- asking ---

    def _countries(self, d: int) -> list[str]:
        """The countries the document's places lie in, most-named first (ISO alpha-2)."""
        counts: dict[str, int] = {}
        for place in self.places.values():
            if place.country and place.origin != "online":
                n = sum(1 for r in place.refs if r.doc == d)
                if n:
                    counts[place.country] = counts.get(place.country, 0) + n
        return sorted(counts, key=lambda c: (-counts[c], c))[:MAIN_COUNTRIES]

    def _look_up(self, surface: str, key: str, codes: list[str]) -> tuple[GeocodeResult | None, bool, str]:
        """(answer, whether it came from the search within ``codes``, why there is none)."""
        for restricted in ([True, False] if codes else [False]):
            cc = codes if restricted else []
            memo = (key, tuple(cc))
            if memo in self.answers:
                result = self.answers[memo]
            else:
                if not self.online.is_cached(surface, cc):
                    if self.error:
                        self.lost_to_error.add(key)
                        return None, False, f"not looked up: the online geocoder {self.error}"
                    if self.asked >= self.b.max_online_requests:
                        self.lost_to_cap.add(key)
                        return None, False, f"not looked up: at most {self.b.max_online_requests} online look-ups a map"
                    self.asked += 1
                result = self.online.geocode(surface, cc or None)
                if result.error:
                    self.error = result.error
                    self.lost_to_error.add(key)
                    return None, False, f"not looked up: the online geocoder {self.error}"
                result = result if (result.online and result.found) else None
                self.answers[memo] = result
            if result is not None:
                return result, restricted, ""
        return None, False, "not found online"

    def _doubt(self, d: int, result: GeocodeResult, restricted: bool) -> str:
        """Why an online answer should not be drawn, or ""."""
        from .geocoding import is_country_level

        if is_country_level(result.raw):
            return f"online, only a whole country or continent matched ({result.name})"
        if restricted:
            return ""
        point = Point(result.lon, result.lat)
        nearest = None
        for place in self.places.values():
            if place.origin == "online" or not any(r.doc == d for r in place.refs):
                continue
            near = nearest_points(place.geometry, point)[0]
            km = distance_km((near.x, near.y), (result.lon, result.lat))
            nearest = km if nearest is None else min(nearest, km)
            if nearest <= FAR_KM:
                return ""
        if nearest is None:
            return ""  # nothing else on the map to compare with
        return f"found online {nearest:,.0f} km from the text's other places ({result.name}): taken for a namesake"

    # --- places ---

    def _online_place(self, place_id: str, key: str, cand: Candidate, result: GeocodeResult, restricted: bool) -> Place:
        kind = cand.kind if cand.kind != "place" else _OSM_KINDS.get(str(result.raw.get("type")), "place")
        where = "in the text's countries" if restricted else "worldwide"
        return Place(
            id=place_id,
            name=" ".join(cand.surface.split()),
            kind=kind,
            shape="point",
            geometry=Point(result.lon, result.lat),
            precision=result.precision or "approximate",
            source=f"{result.source}: {result.name}",
            note=f"no offline gazetteer knows this name; found online ({result.name})",
            origin="online",
            chosen_because=f"found online, searching {where}",
            correction_key=f"name:{key}",
        )

    def _add(self, place: Place, d: int, mention: Mention) -> None:
        existing = self.places.get(place.id)
        if (
            existing is not None and existing is not place and existing.origin in ("online", "user")
            and existing.geometry.distance(place.geometry) > 1e-6
        ):
            place.id = f"{place.id}@{d}"  # another document's search found another place of that name
        if mention.place_id != place.id:
            mention = replace(mention, place_id=place.id, candidates=(place.id,))
        self.b.add_place(self.places, place, d, mention)

    def _notes(self) -> None:
        if self.lost_to_error:
            n = len(self.lost_to_error)
            self.notes.append(f"online geocoder {self.error}: {n} name{'' if n == 1 else 's'} left unmapped")
        if self.lost_to_cap:
            n = len(self.lost_to_cap)
            self.notes.append(
                f"online look-ups stopped at {self.b.max_online_requests} for this map: {n} name{'' if n == 1 else 's'} left unmapped"
            )


_OSM_KINDS = {
    "city": "city", "town": "town", "village": "locality", "hamlet": "locality", "suburb": "locality",
    "aerodrome": "airport", "harbour": "port", "port": "port", "dam": "dam", "station": "station",
    "mountain_pass": "pass", "state": "region", "province": "region", "region": "region", "county": "region",
}


def _unmapped(d: int, group: list[Candidate], reason: str, result: GeocodeResult | None = None) -> list[Unmapped]:
    lon, lat, found = (result.lon, result.lat, result.name) if result is not None else (None, None, None)
    return [Unmapped(d, c.surface, c.sentence, c.start, c.end, reason, lon, lat, found) for c in group]
