"""Which texts to read: the files named, or the bundled declaration."""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Sequence

from ..core.document import Document


def bundled_seed() -> Path:
    """The declaration shown when no file is named."""
    seeds = resources.files("mapviewer.seeds")
    return Path(str(next(p for p in seeds.iterdir() if p.name.endswith(".txt"))))


def read_documents(files: Sequence[Path]) -> list[Document]:
    """Read the files (or the bundled declaration): a bad one fails here, at once."""
    from ..core.readers import read_document

    return [read_document(p) for p in (list(files) or [bundled_seed()])]
