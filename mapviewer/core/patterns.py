"""Regular expressions built from word lists, and compiled on their first use.

The reading modules hold large patterns (every theme word, every title) that
only a text being read needs; compiling them when the module is imported
would put ~10 ms on the window's start for nothing.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable


def word_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, as a trie: Python's engine tries an
    alternation's branches one by one, so 600 names in a flat list are ~20x slower to scan for."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class LazyPattern:
    """A compiled pattern's methods (``search``, ``finditer``, ``fullmatch``...), compiled at the first call.

    ``source`` is the pattern, or a function that makes it (a pattern built
    from a word list costs as much to build as to compile).
    """

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str | Callable[[], str], flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            source = self._source if isinstance(self._source, str) else self._source()
            self._compiled = re.compile(source, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)
