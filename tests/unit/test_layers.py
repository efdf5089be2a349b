"""Imports go one way: core <- map <- ui. The core never loads Qt or folium."""
import subprocess
import sys


def _loaded_after(imports: str) -> set[str]:
    code = f"import sys; {imports}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_loads_neither_qt_nor_folium():
    mods = _loaded_after(
        "import mapviewer.core.atlas, mapviewer.core.geojson, mapviewer.core.csvexport, "
        "mapviewer.core.readers, mapviewer.core.geocoding, mapviewer.core.corrections"
    )
    assert "PySide6" not in mods and "folium" not in mods and "branca" not in mods


def test_map_layer_loads_no_qt():
    assert "PySide6" not in _loaded_after("import mapviewer.map.page")
