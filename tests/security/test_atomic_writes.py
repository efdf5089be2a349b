"""Kill during a write: the previous file is intact and no partial target appears.

A child process writes a large export (or saves corrections) again and
again; the test SIGKILLs it at a random moment, many times.  The target
must always be a whole file: the old one or a complete new one.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 12

EXPORT_WRITER = r"""
import sys
from mapviewer.core.output import write_atomic
target, size = sys.argv[1], int(sys.argv[2])
n = 0
while True:
    n += 1
    data = (b"%08d" % n) * (size // 8)
    sys.stdout.write("go\n"); sys.stdout.flush()
    write_atomic(target, data)
"""

CORRECTIONS_WRITER = r"""
import sys
from pathlib import Path
from mapviewer.core.corrections import Coordinates, CorrectionStore, NotAPlace
store = CorrectionStore(path=Path(sys.argv[1]))
n = 0
while True:
    n += 1
    sys.stdout.write("go\n"); sys.stdout.flush()
    store.set("a" * 64, "place-%d" % (n % 500), Coordinates(60.0, 25.0, note="x" * 20000))
"""


def _kill_midway(script: str, *args: str, delay: float) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()  # the first write has begun
        assert line == b"go\n", proc.stderr.read().decode()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _whole_export(data: bytes, size: int) -> bool:
    """A complete file of one round: the same 8-byte counter, size bytes long."""
    return len(data) == size and data == data[:8] * (size // 8)


def test_killed_export_leaves_the_previous_file_intact(tmp_path):
    size = 32 * 1024 * 1024
    target = tmp_path / "map.geojson"
    old = b"OLDFILE!" * (size // 8)
    target.write_bytes(old)
    rng = random.Random(7)
    killed_midway = 0
    for _ in range(ROUNDS):
        before = target.read_bytes()
        _kill_midway(EXPORT_WRITER, str(target), str(size), delay=rng.uniform(0.0, 0.25))
        after = target.read_bytes()
        assert _whole_export(after, size), "the target is a whole file, never a partial one"
        assert after == before or after != old  # unchanged, or a complete new version
        debris = [p for p in tmp_path.iterdir() if p != target]
        # A SIGKILLed writer cannot tidy up: only its hidden temporary may remain, never the target name.
        assert all(p.name.startswith(".map.geojson.") and p.name.endswith(".part") for p in debris)
        killed_midway += bool(debris)
        for p in debris:
            p.unlink()
    assert killed_midway, "at least one kill landed in the middle of a write"


def test_failed_write_keeps_the_old_file_and_leaves_no_debris(tmp_path, monkeypatch):
    from mapviewer.core import output
    from mapviewer.core.errors import ExportError

    target = tmp_path / "out.geojson"
    target.write_bytes(b"old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full_disk)
    with pytest.raises(ExportError) as info:
        output.write_atomic(target, b"new" * 1000)
    assert "\n" not in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_interrupted_write_keeps_the_old_file_and_leaves_no_debris(tmp_path, monkeypatch):
    from mapviewer.core import output

    target = tmp_path / "out.geojson"
    target.write_bytes(b"old")

    def ctrl_c(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_killed_corrections_save_leaves_a_readable_file(tmp_path):
    pytest.importorskip("mapviewer.core.corrections")
    from mapviewer.core.corrections import CorrectionStore, NotAPlace

    path = tmp_path / "corrections.json"
    CorrectionStore(path=path).set("b" * 64, "keep-me", NotAPlace())
    rng = random.Random(11)
    for _ in range(ROUNDS):
        _kill_midway(CORRECTIONS_WRITER, str(path), delay=rng.uniform(0.05, 0.4))
        raw = json.loads(path.read_text(encoding="utf-8"))  # always whole JSON
        assert raw["documents"]["b" * 64]["keep-me"]["action"] == "reject"
        store = CorrectionStore(path=path)
        assert store.for_document("b" * 64) and store.notes == []
        for p in tmp_path.iterdir():
            if p != path:
                assert p.name.startswith(".corrections.json.") and p.name.endswith(".part")
                p.unlink()
