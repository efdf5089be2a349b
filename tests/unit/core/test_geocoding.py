"""Geocoding: the offline adapter, and Nominatim against a fake server on 127.0.0.1 (never the real one)."""
from __future__ import annotations

import json
import socket
import time

import pytest
from fakenominatim import serve
from geopy.geocoders.base import Geocoder

from mapviewer.core.corrections import Choose
from mapviewer.core.geocoding import GeocodeCache, GeocodingService, OfflineGeocoder


pytestmark = pytest.mark.usefixtures("no_proxy")  # the fake server is on 127.0.0.1


@pytest.fixture
def server():
    """The fake Nominatim; ``server.mode`` makes it slow ("slow") or fail ("429", "500")."""

    def answer(query: dict):
        if httpd.mode == "slow":
            time.sleep(0.8)
        if httpd.mode in ("429", "500"):
            return int(httpd.mode), None
        return 200, [{"lat": "25.3960", "lon": "68.3578", "display_name": "Hyderabad, Sindh, Pakistan",
                      "class": "place", "type": "city"}]

    httpd = serve(answer)
    httpd.mode = "ok"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _service(tmp_path, port, **kw):
    clock = {"t": 0.0}
    sleeps: list[float] = []

    def sleep(s):
        sleeps.append(s)
        clock["t"] += s

    service = GeocodingService()
    online = service.enable_online(
        domain=f"127.0.0.1:{port}", scheme="http", timeout=kw.pop("timeout", 1.0),
        cache=GeocodeCache(tmp_path / "geocode-cache.json"), clock=lambda: clock["t"], sleep=sleep, **kw,
    )
    return service, online, sleeps


def test_offline_geocoder_is_a_geopy_geocoder_with_sources():
    geo = OfflineGeocoder()
    assert isinstance(geo, Geocoder)
    loc = geo.geocode("Gawadar")
    assert loc is not None and abs(loc.latitude - 25.12) < 0.1 and abs(loc.longitude - 62.32) < 0.1
    assert loc.raw["source"] and loc.raw["precision"] == "exact"
    both = geo.geocode("Hyderabad", exactly_one=False)
    assert {l.raw["country"] for l in both} >= {"PK", "IN"}
    assert geo.geocode("Hyderabad", country_codes=["IN"]).raw["country"] == "IN"
    assert geo.geocode("Pakistan").raw["precision"] == "approximate"  # a point standing for an area is no outline
    assert geo.geocode("Nowhereville Zzyzx") is None


def test_online_is_off_by_default_and_offline_answers():
    result = GeocodingService().geocode("Kashgar")
    assert result.found and not result.online and result.status == "" and result.place_id == "kashgar"


def test_online_answer_is_cached_and_never_asked_twice(tmp_path, server):
    service, online, sleeps = _service(tmp_path, server.server_port)
    first = service.geocode("Hyderabad", country_codes=["PK"])
    assert first.online and not first.cached and first.precision == "exact"
    assert abs(first.lat - 25.396) < 1e-3 and first.source.startswith("Nominatim")
    assert server.hits[0]["countrycodes"].lower() == "pk"
    assert server.agents[0].startswith("mapviewer/")
    again = service.geocode("HYDERABAD", country_codes=["PK"])
    assert again.cached and len(server.hits) == 1
    # A new process (new service, same cache file) does not ask either.
    service2, _, _ = _service(tmp_path, server.server_port)
    assert service2.geocode("Hyderabad", country_codes=["PK"]).cached and len(server.hits) == 1


def test_at_most_one_request_a_second(tmp_path, server):
    service, online, sleeps = _service(tmp_path, server.server_port, min_delay_seconds=1.0)
    for name in ("Multan", "Sukkur", "Quetta"):
        service.geocode(name)
    assert len(server.hits) == 3
    assert len(sleeps) == 2 and all(abs(s - 1.0) < 1e-6 for s in sleeps)  # the clock never moved by itself


@pytest.mark.parametrize(
    "mode, says",
    [("slow", "did not answer in time"), ("429", "slow down (429)"), ("500", "failed")],
)
def test_server_trouble_falls_back_to_offline_and_says_so(tmp_path, server, mode, says):
    server.mode = mode
    service, _, _ = _service(tmp_path, server.server_port, timeout=0.3)
    result = service.geocode("Gwadar")
    assert result.found and not result.online and result.place_id == "gwadar"
    assert says in result.status and "offline result used" in result.status
    # Failures are not cached: the name is asked again once the server is back.
    server.mode = "ok"
    assert service.geocode("Gwadar").online


def test_unreachable_server_falls_back(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    service, _, _ = _service(tmp_path, port)
    result = service.geocode("Karachi")
    assert result.found and not result.online
    assert "unreachable" in result.status or "failed" in result.status


def test_unknown_everywhere_says_so(tmp_path, server):
    server.mode = "500"
    service, _, _ = _service(tmp_path, server.server_port)
    result = service.geocode("Qwertyuiop Zzyzx")
    assert not result.found and "no offline result either" in result.status


def test_corrupt_cache_is_refilled(tmp_path, server):
    (tmp_path / "geocode-cache.json").write_text("{not json", encoding="utf-8")
    service, _, _ = _service(tmp_path, server.server_port)
    assert service.geocode("Hyderabad").online
    assert json.loads((tmp_path / "geocode-cache.json").read_text(encoding="utf-8"))


def test_result_becomes_a_correction():
    offline = GeocodingService().geocode("Gwadar")
    correction = offline.as_correction()
    assert isinstance(correction, Choose) and correction.id == "gwadar"


def test_a_route_is_as_precise_for_the_geocoder_as_on_the_map():
    from mapviewer.core.atlas import AtlasBuilder
    from mapviewer.core.gazetteer import parse_gazetteer

    gaz = parse_gazetteer({"places": [
        {"id": "line", "name": "Test Line", "kind": "railway", "point": [67.0, 24.9], "source": "test",
         "route": [{"name": "Alpha", "point": [67.0, 24.9], "source": "t"}, {"name": "Beta", "point": [68.4, 25.4], "source": "t"}]},
    ]})
    drawn = AtlasBuilder(gaz, use_corrections=False).entry_place("line")
    assert OfflineGeocoder(gaz).geocode("Test Line").raw["precision"] == drawn.precision == "exact"
