"""Shared fixtures. Qt runs offscreen; Chromium gets its container flags first."""
from __future__ import annotations

from pathlib import Path

import pytest

from mapviewer.ui import environment

environment.configure(headless=True)  # before any Qt module loads

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True, scope="session")
def _private_user_folders(tmp_path_factory):
    """Settings, caches and corrections go to a temporary home, never the user's."""
    import os

    home = tmp_path_factory.mktemp("home")
    os.environ["MAPVIEWER_HOME"] = str(home)
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
    yield home


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


@pytest.fixture
def no_proxy(monkeypatch):
    """Requests to the fake geocoder on 127.0.0.1 must not go through a proxy."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
