"""The command line as a user runs it: exit codes, one-line errors, files written."""
from __future__ import annotations

import json
import subprocess
import sys


def mapviewer(*args, timeout=120, env=None):
    return subprocess.run([sys.executable, "-m", "mapviewer", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def fresh_account(home, **extra):
    """The environment of a user who never ran the app (every folder of the app's inside ``home``)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != "MAPVIEWER_HOME"}
    return {**env, "HOME": str(home), **extra}


def test_geojson_export_of_the_bundled_declaration(tmp_path):
    out = tmp_path / "seed.geojson"
    result = mapviewer("export", "--geojson", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Gwadar Port", "ML-1 railway", "Beijing", "Islamabad"} <= names
    for f in data["features"]:
        assert {"id", "name", "kind", "precision", "source", "mentions", "pledges"} <= f["properties"].keys()


def test_missing_file_exits_2_with_one_line(tmp_path):
    result = mapviewer("export", tmp_path / "nope.txt", "--geojson", tmp_path / "x.geojson")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr
    assert not (tmp_path / "x.geojson").exists()


def test_unwritable_export_path_exits_2(tmp_path):
    result = mapviewer("export", "--geojson", tmp_path / "no" / "such" / "dir" / "x.geojson")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_bad_size_is_a_usage_error(tmp_path):
    result = mapviewer("export", "--png", tmp_path / "x.png", "--size", "huge")
    assert result.returncode == 2 and "1600x1000" in result.stderr


def test_no_display_says_how_to_run_headless():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "mapviewer"], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "QT_QPA_PLATFORM=offscreen" in result.stderr


def test_version():
    result = mapviewer("--version")
    assert result.returncode == 0 and result.stdout.startswith("mapviewer ")


def test_verbose_logs_to_the_user_log_folder(tmp_path):
    import os

    result = mapviewer("export", "-v", "--geojson", tmp_path / "x.geojson")
    assert result.returncode == 0
    log = result.stderr.strip().split("logging to ")[-1]
    assert log.startswith(os.environ["MAPVIEWER_HOME"]) and os.path.exists(log)


def test_a_png_export_prints_no_qt_chatter(tmp_path):
    result = mapviewer("export", "--png", tmp_path / "x.png", "--size", "400x300", timeout=240)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_first_run_on_a_fresh_account_builds_nothing(tmp_path):
    """The GeoNames index and the map page ship ready (data/prebuilt/): nothing is built on the user's time."""
    env = fresh_account(tmp_path / "home")
    result = mapviewer("export", "-v", "--png", tmp_path / "x.png", "--size", "400x300", timeout=240, env=env)
    assert result.returncode == 0, result.stderr
    assert "building" not in result.stderr
    cache = tmp_path / "home" / ".cache" / "mapviewer"
    assert list(cache.glob("map-shell-*.html")) and not list(cache.glob("geonames-*"))
    log = (tmp_path / "home" / ".local" / "state" / "mapviewer" / "mapviewer.log").read_text(encoding="utf-8")
    assert "Building" not in log


def test_a_first_run_that_must_build_says_so_on_stderr_with_verbose(tmp_path):
    """Without the shipped files (MAPVIEWER_PREBUILT=0: as if they were stale) a first run builds
    the index and the page, and ``-v`` says what and for how long; the next run builds nothing."""
    env = fresh_account(tmp_path / "home", MAPVIEWER_PREBUILT="0")
    args = ("export", "-v", "--png", tmp_path / "x.png", "--size", "400x300")
    first = mapviewer(*args, timeout=240, env=env)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    for what in ("building the GeoNames index (once, a few seconds)", "building the map page (once)"):
        assert f"mapviewer: {what}…" in lines
        assert any(line.startswith(f"mapviewer: {what}: done in ") and line.endswith(" s") for line in lines)
    again = mapviewer(*args, timeout=240, env=env)
    assert again.returncode == 0 and "building" not in again.stderr
