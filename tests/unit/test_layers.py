"""Imports go one way: core <- map <- reading <- ui, and the cli beside ui.

Checked twice: statically, every import statement of every module (those inside
functions too, which load later but still tie the layers), and at run time,
that loading the lower layers loads neither Qt nor folium.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mapviewer"
ORDER = ["core", "map", "reading", "ui"]  # each may import those before it
FORBIDDEN = {  # third-party packages a layer must not touch
    "core": {"PySide6", "shiboken6", "folium", "branca", "jinja2"},
    "map": {"PySide6", "shiboken6"},
    "reading": {"PySide6", "shiboken6", "folium", "branca", "jinja2"},
    "ui": set(),
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        out.append((".".join(("mapviewer", *parts)).removesuffix(".__init__"), path))
    return out


def _imports(module: str, path: Path) -> set[str]:
    """Absolute names of everything a module imports, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)  # "from . import panel"
    return found


def _layer(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "mapviewer" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER or parts[1] == "cli" else None


@pytest.mark.parametrize("module, path", _modules(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_module_imports_down_the_layers_only(module, path):
    own = _layer(module)
    for name in _imports(module, path):
        target = _layer(name)
        if module != "mapviewer.__main__":  # ``python -m mapviewer`` is the command line itself
            assert target != "cli", f"{module} imports {name}: nothing imports the command line"
        if own in ORDER and target in ORDER:
            assert ORDER.index(target) <= ORDER.index(own), f"{module} ({own}) imports {name} ({target})"
        if own in FORBIDDEN:
            assert name.split(".")[0] not in FORBIDDEN[own], f"{module} ({own}) imports {name}"


def test_every_module_is_in_a_layer():
    assert {_layer(m) for m, _ in _modules()} - {None} == {*ORDER, "cli"}
    loose = [m for m, _ in _modules() if _layer(m) is None and m not in ("mapviewer", "mapviewer.__main__")]
    assert loose == []


def _loaded_after(imports: str) -> set[str]:
    code = f"import sys; {imports}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_and_the_reading_layer_load_neither_qt_nor_folium():
    mods = _loaded_after(
        "import mapviewer.core.atlas, mapviewer.core.geojson, mapviewer.core.csvexport, "
        "mapviewer.core.readers, mapviewer.core.geocoding, mapviewer.core.corrections, "
        "mapviewer.reading.session, mapviewer.reading.panel, mapviewer.reading.export, mapviewer.reading.corrections"
    )
    assert "PySide6" not in mods and "folium" not in mods and "branca" not in mods


def test_map_layer_loads_no_qt():
    assert "PySide6" not in _loaded_after("import mapviewer.map.page")
