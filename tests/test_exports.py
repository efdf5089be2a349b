"""Exports without a window: GeoJSON (RFC 7946, read back by GDAL), CSV, HTML,
provenance, and writes that fail cleanly."""
from __future__ import annotations

import csv
import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import LinearRing, shape

from mapviewer.core.csvexport import (
    COLUMNS,
    PLEDGE_COLUMNS,
    csv_bytes,
    pledge_rows,
    pledges_csv_bytes,
    write_csv,
    write_pledges_csv,
)
from mapviewer.core.errors import ExportError
from mapviewer.core.geojson import atlas_to_geojson, geojson_bytes, write_geojson
from mapviewer.core.output import default_title, document_date, html_comment, write_atomic


def mapviewer(*args, timeout=240):
    return subprocess.run([sys.executable, "-m", "mapviewer", *map(str, args)], capture_output=True, text=True, timeout=timeout)


# --- GeoJSON ----------------------------------------------------------------------


def _positions(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def _rings(geometry):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def rfc7946_problems(fc: dict) -> list[str]:
    """A strict reading of RFC 7946 for what this app writes."""
    problems = []
    if fc.get("type") != "FeatureCollection":
        problems.append("not a FeatureCollection")
    if "crs" in fc or any("crs" in f for f in fc["features"]):
        problems.append("crs member (removed by RFC 7946)")
    for f in fc["features"]:
        g, fid = f["geometry"], f.get("id")
        if f.get("type") != "Feature" or not isinstance(f.get("properties"), dict):
            problems.append(f"{fid}: not a Feature with properties")
        if g["type"] not in {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}:
            problems.append(f"{fid}: geometry type {g['type']}")
        for pos in _positions(g["coordinates"]):
            if len(pos) != 2 or not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
                problems.append(f"{fid}: position {pos} is not lon, lat")
        for polygon in _rings(g):
            for k, ring in enumerate(polygon):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    problems.append(f"{fid}: ring not closed")
                elif LinearRing(ring).is_ccw != (k == 0):
                    problems.append(f"{fid}: ring {k} breaks the right-hand rule")
        if not shape(g).is_valid:
            problems.append(f"{fid}: invalid geometry")
    return problems


def test_geojson_is_rfc7946(seed_atlas):
    fc = atlas_to_geojson(seed_atlas)
    assert rfc7946_problems(fc) == []
    assert len(fc["features"]) == len(seed_atlas.places)
    port = next(f for f in fc["features"] if f["id"] == "gwadar-port")
    lon, lat = port["geometry"]["coordinates"]
    assert 62 < lon < 63 and 25 < lat < 25.5  # longitude first
    for f in fc["features"]:
        p = f["properties"]
        assert {"id", "name", "kind", "precision", "source", "mentions", "pledges"} <= p.keys()
        assert p["precision"] in {"exact", "approximate", "area"}
        for m in p["mentions"]:
            doc = seed_atlas.documents[m["document"]]
            assert doc.text[m["start"]:m["end"]] == m["text"]
        if "LineString" in f["geometry"]["type"]:
            assert p["length_km"] > 0


def test_geojson_says_where_it_came_from(seed_atlas):
    meta = atlas_to_geojson(seed_atlas)["mapviewer"]
    assert meta["documents"][0]["sha256"] == seed_atlas.documents[0].sha256
    assert meta["version"] and all(s["licence"] for s in meta["sources"])


def test_a_clockwise_input_polygon_comes_out_counter_clockwise():
    from shapely.geometry import Polygon

    from mapviewer.core.geojson import rfc7946_geometry

    cw = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)], holes=[[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
    g = rfc7946_geometry(cw)
    assert LinearRing(g["coordinates"][0]).is_ccw and not LinearRing(g["coordinates"][1]).is_ccw


def test_gdal_reads_the_geojson_back(seed_atlas, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    from pyogrio.raw import read
    from shapely import from_wkb

    out = write_geojson(seed_atlas, tmp_path / "places.geojson")
    info = pyogrio.read_info(out)
    assert info["features"] == len(seed_atlas.places)
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")
    meta, _fids, geometries, fields = read(out)
    columns = dict(zip(meta["fields"], fields))
    assert list(columns["id"]) == [p.id for p in seed_atlas.places]
    assert "Gwadar Port" in set(columns["name"])
    for place, wkb in zip(seed_atlas.places, geometries):
        assert from_wkb(wkb).equals_exact(place.geometry, tolerance=1e-4) or from_wkb(wkb).buffer(0).symmetric_difference(
            place.geometry.buffer(0)).area < 1e-6


# --- CSV --------------------------------------------------------------------------


def _csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(data.decode("utf-8-sig").splitlines()))


def test_csv_has_every_pledge_with_offsets_that_point_at_the_words(seed_atlas):
    rows = _csv(csv_bytes(seed_atlas))
    assert list(rows[0]) == COLUMNS
    assert {(r["document"], int(r["sentence"])) for r in rows} == {
        (seed_atlas.documents[d].name, i) for d, i in seed_atlas.pledges}
    text = seed_atlas.documents[0].text
    for r in rows:
        assert text[int(r["sentence_start"]):int(r["sentence_end"])] == r["text"]
        if r["place_id"]:
            assert text[int(r["mention_start"]):int(r["mention_end"])] == r["mention_text"]
        assert "mapviewer" in r["made_by"] and r["document_sha256"] == seed_atlas.documents[0].sha256
    taiwan = [r for r in rows if r["place"] == "Taiwan"]  # named in Pakistan's pledge on China's core interests
    assert taiwan and taiwan[0]["themes"] == "Sovereignty and core interests" and taiwan[0]["parties"] == "Pakistan"
    assert not [r for r in rows if r["place"] == "Gwadar Port"]  # named only where the projects are discussed


def test_the_pledge_table_has_every_sentence_with_the_window_s_labels(seed_atlas):
    data = pledges_csv_bytes(seed_atlas)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = _csv(data)
    assert list(rows[0]) == PLEDGE_COLUMNS == ["document", "sentence", "start", "end", "page", "text", "pledge",
                                                "commitment", "parties", "themes", "places"]
    doc = seed_atlas.documents[0]
    assert [int(r["sentence"]) for r in rows] == [s.index for s in doc.sentences]
    for r in rows:
        assert doc.text[int(r["start"]):int(r["end"])] == r["text"] and r["page"] == ""
        assert r["pledge"] == ("yes" if (0, int(r["sentence"])) in seed_atlas.pledges else "no")
    assert rows[1]["parties"] == "Pakistan; China" and rows[1]["pledge"] == "yes"  # "Islamabad and Beijing reaffirmed ..."
    assert rows[11]["parties"] in ("China; Pakistan", "Pakistan; China") and "Infrastructure and connectivity (CPEC 2.0)" in rows[11]["themes"]
    discussed = rows[13]
    assert discussed["pledge"] == "no" and discussed["parties"] == ""
    assert discussed["commitment"].startswith("discussed; under the pledge of ¶ 9 · s. 12 by ")
    assert discussed["places"].split("; ") == ["ml-1-railway", "karakoram-highway:raikot--thakot", "gwadar-port",
                                               "new-gwadar-international-airport"]
    assert rows[3]["pledge"] == "no" and rows[3]["commitment"] == ""  # a plain fact


def test_the_pledge_table_and_the_geojson_say_the_same(seed_atlas):
    rows = {int(r["sentence"]): r for r in _csv(pledges_csv_bytes(seed_atlas))}
    for feature in atlas_to_geojson(seed_atlas)["features"]:
        for p in feature["properties"]["pledges"]:
            row = rows[p["sentence"]]
            assert set(PLEDGE_COLUMNS) <= p.keys()
            assert p["pledge"] == (row["pledge"] == "yes") and "; ".join(p["parties"]) == row["parties"]
            assert "; ".join(p["themes"]) == row["themes"] and "; ".join(p["places"]) == row["places"]
            assert (p["document"], p["commitment"], p["text"]) == (row["document"], row["commitment"], row["text"])


def test_the_pledge_table_carries_its_provenance_beside_it(tmp_path, seed_atlas):
    out = write_pledges_csv(seed_atlas, tmp_path / "pledges.csv")
    meta = json.loads((tmp_path / "pledges.csv-metadata.json").read_text(encoding="utf-8"))
    assert out.read_bytes() == pledges_csv_bytes(seed_atlas)
    assert meta["url"] == "pledges.csv" and [c["name"] for c in meta["tableSchema"]["columns"]] == PLEDGE_COLUMNS
    assert meta["dc:source"] == [f"{seed_atlas.documents[0].name} sha256:{seed_atlas.documents[0].sha256}"]
    assert "mapviewer" in meta["dc:creator"] and any("public domain" in x for x in meta["dc:license"])


def test_csv_cells_never_start_a_formula(tmp_path):
    from mapviewer.core.atlas import build_atlas
    from mapviewer.core.readers import read_document

    doc = tmp_path / "evil.txt"
    doc.write_text("=HYPERLINK(\"x\") Pakistan and China agreed to expand Gwadar Port.\n", encoding="utf-8")
    rows = _csv(csv_bytes(build_atlas([read_document(doc)])))
    assert rows and all(not r["text"].startswith("=") for r in rows)
    assert rows[0]["text"].startswith("'=")
    table = _csv(pledges_csv_bytes(build_atlas([read_document(doc)])))
    assert table[0]["text"].startswith("'=") and table[0]["pledge"] == "yes"


# --- provenance and titles ----------------------------------------------------------


def test_default_title_and_date(seed_atlas):
    assert document_date("Joint Statement, Beijing, 5 February 2025. The sides") == "5 February 2025"
    assert document_date("issued on February 5, 2025 in") == "February 5, 2025"
    assert default_title(seed_atlas) == "Pakistan–China Joint Declaration, 5 February 2025"  # from its file name


def test_an_html_comment_cannot_be_closed_by_a_name():
    comment = html_comment(["doc --> <script>x</script> ---"])
    assert comment.count("-->") == 1 and comment.endswith("-->") and "--" not in comment[4:-3]


# --- atomic writes ------------------------------------------------------------------


def _debris(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_full_disk_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    out = tmp_path / "map.geojson"
    out.write_text("old", encoding="utf-8")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as err:
        write_atomic(out, b"new" * 1000)
    assert "disk is full" in str(err.value) and "\n" not in str(err.value)
    assert out.read_text(encoding="utf-8") == "old" and _debris(tmp_path) == []


def test_an_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "pledges.csv"

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, b"x" * 100_000)
    assert not out.exists() and _debris(tmp_path) == []


@pytest.mark.parametrize("where", ["missing-folder", "file-as-folder", "folder"])
def test_paths_that_cannot_be_written_say_why(tmp_path, where):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    out = {"missing-folder": tmp_path / "no" / "x.csv", "file-as-folder": tmp_path / "a-file" / "x.csv",
           "folder": tmp_path / "a-folder"}[where]
    with pytest.raises(ExportError) as err:
        write_atomic(out, b"data")
    assert str(err.value).startswith(str(out)) and "\n" not in str(err.value)


def test_a_folder_nobody_may_write_is_a_clear_error(tmp_path, seed_atlas):
    # /proc refuses new files even to root, so this holds however the tests run.
    out = Path("/proc/self/x.csv")
    with pytest.raises(ExportError) as err:
        write_csv(seed_atlas, out)
    assert str(err.value).startswith(str(out)) and "\n" not in str(err.value)
    assert not out.exists()


# --- the command line ------------------------------------------------------------------


def test_cli_writes_csv_geojson_and_html_with_provenance(tmp_path, seed_atlas):
    result = mapviewer("export", "--csv", tmp_path / "p.csv", "--geojson", tmp_path / "p.geojson", "--html", tmp_path / "p.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.csv").read_bytes() == csv_bytes(seed_atlas)
    assert json.loads((tmp_path / "p.geojson").read_bytes()) == json.loads(geojson_bytes(seed_atlas))
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html>\n<!--")
    assert f"sha256:{seed_atlas.documents[0].sha256}" in page.split("-->")[0]
    assert "Natural Earth" in page.split("-->")[0]
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", page)  # nothing to load
    assert len(pledge_rows(seed_atlas)) > len(seed_atlas.pledges) / 2


def test_cli_writes_the_pledge_table(tmp_path, seed_atlas):
    result = mapviewer("export", "--pledges", tmp_path / "all.csv")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "all.csv").read_bytes() == pledges_csv_bytes(seed_atlas)
    assert (tmp_path / "all.csv-metadata.json").exists()
    assert "31 sentences, 18 pledges" in result.stdout


@pytest.mark.parametrize("flag", ["--pdf", "--csv", "--png", "--pledges"])
def test_cli_unwritable_output_is_one_line_and_leaves_nothing(tmp_path, flag):
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "out"
    result = mapviewer("export", flag, out)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_cli_png_of_a_page_at_print_scale(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "a4.png"
    result = mapviewer("export", "--png", out, "--page", "A4", "--scale", "2", "--title", "Test title", "--callouts")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (2 * 1123, 2 * 794)  # A4 landscape at 96 dpi, twice
    assert image.text("Title") == "Test title" and "sha256:" in image.text("Source")
    assert "public domain" in image.text("Copyright")


@pytest.mark.parametrize("name, text, title", [
    ("x.md", "# Joint Statement on the Belt and Road\n\nThe two sides agreed.", "Joint Statement on the Belt and Road"),
    ("kenya.txt", "Joint Statement between Kenya and China on Deepening Cooperation\n\nNairobi, 3 May 2024.",
     "Joint Statement between Kenya and China on Deepening Cooperation"),
    ("serbia-china-2024-05-08-joint-statement.txt", "The sides met in Belgrade and agreed to build roads.",
     "Serbia–China Joint Statement, 8 May 2024"),
    ("notes.txt", "The Pakistani side will continue to make all efforts to investigate the attacks.", "Notes"),
])
def test_a_document_s_own_title_or_one_made_from_its_name(name, text, title):
    from mapviewer.core.document import Document
    from mapviewer.core.output import document_title

    assert document_title(Document(name, text)) == title


def test_the_geojson_is_written_a_feature_and_a_sentence_at_a_time(seed_atlas, tmp_path):
    """Streamed (a long text's places hold hundreds of thousands of sentences): the same collection."""
    from mapviewer.core.geojson import geojson_chunks

    chunks = list(geojson_chunks(seed_atlas))
    assert len(chunks) > len(seed_atlas.places) + sum(len(p.sentence_keys()) for p in seed_atlas.places)
    whole = json.loads(b"".join(chunks))
    assert whole == json.loads(json.dumps(atlas_to_geojson(seed_atlas), ensure_ascii=False))
    ml1 = next(f["properties"] for f in whole["features"] if f["id"] == "ml-1-railway")
    assert ml1["length_km"] > 1000 and ml1["pledges"] and list(ml1)[-2:] == ["length_km", "note"]
    out = write_geojson(seed_atlas, tmp_path / "p.geojson")
    assert out.read_bytes() == b"".join(chunks)
