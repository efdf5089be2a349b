"""Names no gazetteer knows, looked up online while the Atlas is built: a fake Nominatim on 127.0.0.1, never the real one."""
from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

import pytest
from fakenominatim import serve

from mapviewer.core.atlas import build_atlas
from mapviewer.core.corrections import Coordinates, CorrectionStore, NotAPlace
from mapviewer.core.document import Document
from mapviewer.core.geocoding import GeocodeCache, GeocodingService
from mapviewer.core.geometry import distance_km

# Invented places, served by the fake server only: no gazetteer can know them.
SERVED = {
    "zorvakand dry port": {"lat": "25.4321", "lon": "63.1234", "display_name": "Zorvakand Dry Port, Balochistan, Pakistan",
                           "class": "landuse", "type": "industrial"},
    "qarshindar": {"lat": "26.0100", "lon": "64.0200", "display_name": "Qarshindar, Balochistan, Pakistan",
                   "class": "place", "type": "town"},
    "ulmabad": {"lat": "24.9000", "lon": "66.8000", "display_name": "Ulmabad, Sindh, Pakistan", "class": "place", "type": "village"},
    "tarvenzi": {"lat": "25.7000", "lon": "65.1000", "display_name": "Tarvenzi, Pakistan", "class": "place", "type": "village"},
}
# Found only by a worldwide search (no countrycodes), and far from Pakistan: a namesake.
WORLDWIDE = {
    "velmoria valley": {"lat": "44.5000", "lon": "-110.5000", "display_name": "Velmoria Valley, Wyoming, United States",
                        "class": "natural", "type": "valley"},
}
# A name that only matches a whole country.
COUNTRY = {
    "drosk region": {"lat": "30.0", "lon": "70.0", "display_name": "Pakistan", "class": "boundary",
                     "type": "administrative", "addresstype": "country", "place_rank": 4},
}


pytestmark = pytest.mark.usefixtures("no_proxy")  # the fake server is on 127.0.0.1


@pytest.fixture
def server():
    """The fake Nominatim; ``server.mode`` makes it slow ("slow") or fail ("429", "500")."""

    def answer(query: dict):
        if httpd.mode == "slow":
            time.sleep(0.8)
        if httpd.mode in ("429", "500"):
            return int(httpd.mode), None
        name = " ".join(query.get("q", "").lower().split())
        found = SERVED.get(name) or COUNTRY.get(name)
        if found is None and "countrycodes" not in query:
            found = WORLDWIDE.get(name)
        return 200, [found] if found else []

    httpd = serve(answer)
    httpd.mode = "ok"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _service(tmp_path, port, timeout=1.0) -> GeocodingService:
    clock = {"t": 0.0}

    def sleep(s):  # the rate limiter's wait, without waiting
        clock["t"] += s

    service = GeocodingService()
    service.enable_online(
        domain=f"127.0.0.1:{port}", scheme="http", timeout=timeout,
        cache=GeocodeCache(tmp_path / "geocode-cache.json"), clock=lambda: clock["t"], sleep=sleep,
    )
    return service


def _build(text: str, service=None, **kw):
    return build_atlas([Document("declaration", text)], corrections=kw.pop("corrections", None) or _no_corrections(), geocoder=service, **kw)


def _no_corrections() -> CorrectionStore:
    return CorrectionStore(Path(tempfile.mkdtemp()) / "corrections.json")  # never written: nothing is corrected


TEXT = (
    "Pakistan and China agreed to build the Zorvakand Dry Port near Gwadar. "
    "Trucks from Karachi will reach the Zorvakand Dry Port within a day."
)


def test_an_unknown_name_becomes_a_place_where_the_server_puts_it(tmp_path, server):
    atlas = _build(TEXT, _service(tmp_path, server.server_port))
    place = next(p for p in atlas.places if p.origin == "online")
    assert place.name == "Zorvakand Dry Port" and place.kind == "port" and place.shape == "point"
    assert (place.geometry.x, place.geometry.y) == pytest.approx((63.1234, 25.4321))
    assert place.source.startswith("Nominatim (OpenStreetMap contributors, ODbL)")
    assert place.precision == "approximate"  # OSM's landuse: not a point feature
    assert place.sentence_keys() == [(0, 0), (0, 1)]
    assert [r.mention.surface for r in place.refs] == ["Zorvakand Dry Port"] * 2
    assert place.correction_key == "name:zorvakand dry port"
    assert any(p is place for p, _ in atlas.mentions_in_sentence(0, 0))  # the panel finds it like any other place
    # the offline places are all still there
    assert {"Pakistan", "China", "Gwadar", "Karachi"} <= {p.name for p in atlas.places}
    assert atlas.unmapped == [] and atlas.notes == []
    # one request, limited to the countries the text names, with the app's User-Agent
    assert len(server.hits) == 1
    assert set(server.hits[0]["countrycodes"].lower().split(",")) >= {"pk", "cn"}
    assert server.hits[0]["accept-language"] == "en"  # names in the app's language


def test_the_same_build_twice_asks_once(tmp_path, server):
    service = _service(tmp_path, server.server_port)
    first = _build(TEXT, service)
    second = _build(TEXT, service)
    again = _build(TEXT, _service(tmp_path, server.server_port))  # a new session: the cache is on disk
    assert len(server.hits) == 1
    for atlas in (first, second, again):
        assert [p.name for p in atlas.places if p.origin == "online"] == ["Zorvakand Dry Port"]


def test_offline_there_are_no_requests_and_the_name_is_listed_unmapped(tmp_path, server):
    offline = _build(TEXT)
    switched_off = GeocodingService()  # the user has not switched the online geocoder on
    also_offline = _build(TEXT, switched_off)
    assert server.hits == []
    for atlas in (offline, also_offline):
        assert not any(p.origin == "online" for p in atlas.places)
        assert [(u.surface, u.sentence) for u in atlas.unmapped] == [("Zorvakand Dry Port", 0), ("Zorvakand Dry Port", 1)]
        assert "online geocoder is off" in atlas.unmapped[0].reason
        assert atlas.unmapped_names() == [("Zorvakand Dry Port", atlas.unmapped[0].reason, 2)]
        assert atlas.notes == []


@pytest.mark.parametrize(
    "mode, says",
    [("slow", "did not answer in time"), ("429", "asked us to slow down (429)"), ("500", "failed")],
)
def test_server_trouble_leaves_the_offline_map_and_a_note(tmp_path, server, mode, says):
    server.mode = mode
    text = TEXT + " Goods then go to Qarshindar, Ulmabad and Tarvenzi."
    atlas = _build(text, _service(tmp_path, server.server_port, timeout=0.3))
    assert not any(p.origin == "online" for p in atlas.places)
    assert {"Pakistan", "China", "Gwadar", "Karachi"} <= {p.name for p in atlas.places}
    (note,) = atlas.notes
    assert note.startswith(f"online geocoder {says}") and note.endswith(": 4 names left unmapped")
    assert {u.surface for u in atlas.unmapped} == {"Zorvakand Dry Port", "Qarshindar", "Ulmabad", "Tarvenzi"}
    assert all(says in u.reason for u in atlas.unmapped)
    assert len(server.hits) == 1  # nothing more asked after the first failure
    # failures are not cached: once the server is back, the next build finds them all
    server.mode = "ok"
    later = _build(text, _service(tmp_path, server.server_port))
    assert {p.name for p in later.places if p.origin == "online"} == {"Zorvakand Dry Port", "Qarshindar", "Ulmabad", "Tarvenzi"}
    assert later.notes == [] and later.unmapped == []


def test_an_unreachable_server_leaves_the_offline_map_and_a_note(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    atlas = _build(TEXT, _service(tmp_path, port))
    assert not any(p.origin == "online" for p in atlas.places)
    assert "Gwadar" in {p.name for p in atlas.places}
    assert len(atlas.notes) == 1 and atlas.notes[0].endswith(": 1 name left unmapped")
    assert "unreachable" in atlas.notes[0] or "failed" in atlas.notes[0]


def test_requests_are_capped_per_build_with_a_note(tmp_path, server):
    text = "Karachi traders go to Zorvakand Dry Port, then to Qarshindar, Ulmabad and Tarvenzi."
    atlas = _build(text, _service(tmp_path, server.server_port), max_online_requests=2)
    assert len(server.hits) == 2
    assert len([p for p in atlas.places if p.origin == "online"]) == 2
    assert atlas.notes == ["online look-ups stopped at 2 for this map: 2 names left unmapped"]
    assert [u.surface for u in atlas.unmapped] == ["Ulmabad", "Tarvenzi"]
    # the next build asks only for the rest: the first two are in the cache
    again = _build(text, _service(tmp_path, server.server_port), max_online_requests=2)
    assert len(server.hits) == 4 and again.notes == [] and again.unmapped == []


def test_a_name_found_nowhere_is_asked_twice_once_then_never(tmp_path, server):
    text = "Trucks from Karachi go on to Brennovar before dawn."
    service = _service(tmp_path, server.server_port)
    atlas = _build(text, service)
    # within the text's country, then worldwide
    assert [("countrycodes" in h) for h in server.hits] == [True, False]
    assert [(u.surface, u.reason) for u in atlas.unmapped] == [("Brennovar", "not found online")]
    _build(text, service)
    assert len(server.hits) == 2  # misses are cached too


def test_a_far_namesake_found_worldwide_is_not_drawn(tmp_path, server):
    text = "Trucks from Karachi cross the Velmoria Valley on the way to Gwadar."
    atlas = _build(text, _service(tmp_path, server.server_port))
    assert not any(p.origin == "online" for p in atlas.places)
    (u,) = atlas.unmapped
    assert u.surface == "Velmoria Valley" and "namesake" in u.reason
    assert (u.lon, u.lat) == (-110.5, 44.5) and "Wyoming" in u.found


def test_a_worldwide_answer_near_the_text_is_drawn(tmp_path, server, monkeypatch):
    monkeypatch.setitem(WORLDWIDE, "halvorn pass", {"lat": "35.0", "lon": "74.0", "display_name": "Halvorn Pass, India",
                                                    "class": "natural", "type": "mountain_pass"})
    text = "Trucks from Islamabad cross the Halvorn Pass in summer."
    atlas = _build(text, _service(tmp_path, server.server_port))
    place = next(p for p in atlas.places if p.origin == "online")
    assert place.name == "Halvorn Pass" and place.kind == "pass"
    assert distance_km((place.geometry.x, place.geometry.y), (74.0, 35.0)) < 0.01
    assert "worldwide" in place.chosen_because


def test_a_whole_country_is_not_taken_for_the_name(tmp_path, server):
    atlas = _build("Rain fell on the Drosk Region near Quetta.", _service(tmp_path, server.server_port))
    assert not any(p.origin == "online" for p in atlas.places)
    assert [u.surface for u in atlas.unmapped] == ["Drosk Region"] and "whole country" in atlas.unmapped[0].reason


def test_the_users_corrections_apply_without_asking(tmp_path, server):
    store = CorrectionStore(tmp_path / "corrections.json")
    doc = Document("declaration", TEXT + " Goods then go to Qarshindar.")
    store.set(doc.sha256, "name:zorvakand dry port", NotAPlace())
    store.set(doc.sha256, "name:qarshindar", Coordinates(64.5, 26.5))
    atlas = build_atlas([doc], corrections=store, geocoder=_service(tmp_path, server.server_port))
    assert server.hits == []
    assert [m.surface for _, m, _ in atlas.rejected] == ["Zorvakand Dry Port", "Zorvakand Dry Port"]
    place = next(p for p in atlas.places if p.name == "Qarshindar")
    assert place.origin == "user" and (place.geometry.x, place.geometry.y) == (64.5, 26.5)
    assert isinstance(place.correction, Coordinates) and place.correction_key == "name:qarshindar"
    assert atlas.unmapped == []


def test_an_online_place_can_be_corrected_through_its_key(tmp_path, server):
    from mapviewer.reading.corrections import correct_place

    store = CorrectionStore(tmp_path / "corrections.json")
    service = _service(tmp_path, server.server_port)
    doc = Document("declaration", TEXT)
    atlas = build_atlas([doc], corrections=store, geocoder=service)
    place = next(p for p in atlas.places if p.origin == "online")
    correct_place(store, atlas, place.id, NotAPlace())
    again = build_atlas([doc], corrections=store, geocoder=service)
    assert not any(p.origin == "online" for p in again.places) and len(again.rejected) == 2


def test_the_seed_asks_nothing_and_keeps_its_places(tmp_path, server, seed_document, seed_atlas):
    atlas = build_atlas([seed_document], geocoder=_service(tmp_path, server.server_port))
    assert server.hits == []
    assert [(p.id, p.name) for p in atlas.places] == [(p.id, p.name) for p in seed_atlas.places]
    assert atlas.unmapped == [] and seed_atlas.unmapped == []


def test_progress_is_reported(tmp_path, server):
    seen = []
    _build("Karachi traders go to Zorvakand Dry Port, then to Qarshindar.", _service(tmp_path, server.server_port),
           progress=lambda n, total, what: seen.append((n, total)) if "online" in what else None)
    assert seen == [(1, 2), (2, 2)]


def test_an_unmapped_name_placed_by_hand_is_drawn_offline(tmp_path):
    store = CorrectionStore(tmp_path / "corrections.json")
    doc = Document("declaration", TEXT)
    (u, _) = build_atlas([doc], corrections=store).unmapped
    store.set(doc.sha256, u.key, Coordinates(63.0, 25.5, source="surveyed by the user"))
    atlas = build_atlas([doc], corrections=store)
    place = next(p for p in atlas.places if p.name == "Zorvakand Dry Port")
    assert place.origin == "user" and place.source == "surveyed by the user" and len(place.refs) == 2
    assert atlas.unmapped == []


def test_online_places_export_like_any_other(tmp_path, server):
    from mapviewer.core.geojson import atlas_to_geojson

    atlas = _build(TEXT, _service(tmp_path, server.server_port))
    (feature,) = [f for f in atlas_to_geojson(atlas)["features"] if f["properties"]["name"] == "Zorvakand Dry Port"]
    assert feature["geometry"] == {"type": "Point", "coordinates": pytest.approx([63.1234, 25.4321])}
    assert feature["properties"]["source"].startswith("Nominatim")
