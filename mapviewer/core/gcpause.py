"""Pause Python's cyclic garbage collector around bulk work.

Turning 100,000 places into page data or an index allocates millions of
small objects that all stay alive; each automatic collection then walks
the whole growing heap for nothing (measured: 5.2 s with, 1.9 s without,
for one data_json of 100k places).  Reference counting still frees
everything as usual; only the cycle search waits until the block ends.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
