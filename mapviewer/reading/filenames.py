"""A file name made from a document's title, safe on every common file system."""
from __future__ import annotations

import re

# The documents' own suffixes: "declaration.txt, 5 February 2025" names a map, not a text file.
_DOCUMENT_SUFFIX = re.compile(r"\.(?:txt|text|md|markdown|html?|xhtml|pdf)(?=$|[\s,+])", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')  # what Windows, macOS or Linux refuse in a name
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))})
MAX_NAME = 120  # characters before the suffix: well inside the 255 bytes most file systems allow


def safe_file_name(title: str, suffix: str, fallback: str = "map") -> str:
    """``title`` as a file name with ``suffix`` (".png"): the documents' own suffixes dropped,
    characters a file system refuses replaced, kept short; ``fallback`` when nothing is left."""
    name = _DOCUMENT_SUFFIX.sub("", title)
    name = _UNSAFE.sub("-", name)
    name = " ".join(name.split()).strip(" .-")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rstrip(" .-")
    if not name:
        name = fallback
    if name.split(".")[0].casefold() in _RESERVED:
        name += "_"
    return name + suffix
