"""Shared fixtures. Qt runs offscreen; Chromium gets its container flags first."""
from __future__ import annotations

from pathlib import Path

import pytest

from mapviewer.ui import environment

environment.configure(headless=True)  # before any Qt module loads

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_document():
    from mapviewer.core.readers import read_document

    return read_document(SEED)


@pytest.fixture(scope="session")
def seed_atlas(seed_document):
    from mapviewer.core.atlas import build_atlas

    return build_atlas([seed_document])
