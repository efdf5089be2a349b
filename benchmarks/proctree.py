"""Run a program and time it from outside; sample the memory of its whole process tree.

QtWebEngine runs Chromium in child processes (zygote, renderer, GPU/utility),
so the memory of "the app" is the sum over the process and all its
descendants, found through the ppid field of /proc/<pid>/stat.  RSS counts
pages shared between those processes once per process (an over-estimate);
PSS (from /proc/<pid>/smaps_rollup) splits shared pages fairly, so its sum
is the tree's real footprint.  Both are reported.  No psutil needed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field


def _ppids() -> dict[int, int]:
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(b")") + 2 :].split()
        out[int(name)] = int(rest[1])
    return out


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for child, parent in _ppids().items():
        children.setdefault(parent, []).append(child)
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, ()))
    return tree


def _field_kb(path: str, key: bytes) -> int:
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(RSS kB summed, PSS kB summed, number of processes) of the tree."""
    procs = descendants(pid)
    rss = sum(_field_kb(f"/proc/{p}/status", b"VmRSS:") for p in procs)
    pss = sum(_field_kb(f"/proc/{p}/smaps_rollup", b"Pss:") for p in procs)
    return rss, pss, len(procs)


@dataclass
class Result:
    ok: bool
    wall_exit: float | None = None  # s from start to exit
    marks: dict[str, float] = field(default_factory=dict)  # first stdout line starting with a key -> s from start
    lines: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    max_procs: int = 0
    returncode: int | None = None
    error: str = ""

    def info(self, key: str) -> str | None:
        """The rest of the first stdout line ``KEY ...``."""
        for line in self.lines:
            if line.startswith(key + " "):
                return line[len(key) + 1 :]
        return None


def run(cmd: list[str], marks: tuple[str, ...] = (), timeout: float = 120.0, env: dict | None = None,
        interval: float = 0.1, memory: bool = True, cwd: str | None = None) -> Result:
    """Start ``cmd``, note when each mark first appears on stdout, sample the tree's memory.

    On timeout the process group (ours: started in a new session) is killed
    and the result says so; nothing hangs.
    """
    err = tempfile.TemporaryFile()
    res = Result(ok=False)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd, text=True, bufsize=1,
                            start_new_session=True)

    def reader() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            now = time.perf_counter() - t0
            line = line.rstrip("\n")
            res.lines.append(line)
            for m in marks:
                if m not in res.marks and (line == m or line.startswith(m + " ")):
                    res.marks[m] = now

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    deadline = t0 + timeout
    while proc.poll() is None:
        if time.perf_counter() > deadline:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            res.error = "timeout"
            break
        if memory:
            rss, pss, n = tree_memory(proc.pid)
            res.peak_rss_mb = max(res.peak_rss_mb, rss / 1024)
            res.peak_pss_mb = max(res.peak_pss_mb, pss / 1024)
            res.max_procs = max(res.max_procs, n)
        time.sleep(interval)
    if not res.error:
        res.wall_exit = time.perf_counter() - t0
    # Chromium helpers may outlive a crashed parent: never leave them behind.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    th.join(5)
    res.returncode = proc.returncode
    err.seek(0)
    tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
    res.ok = not res.error and proc.returncode == 0 and all(m in res.marks for m in marks)
    if not res.ok and not res.error:
        res.error = f"exit {proc.returncode}: " + " | ".join(tail)[-300:]
    return res
