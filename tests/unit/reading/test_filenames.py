"""The export's file name comes from the document's title, safe for any file system."""
from __future__ import annotations

import pytest

from mapviewer.reading.filenames import MAX_NAME, safe_file_name


@pytest.mark.parametrize("title, suffix, expected", [
    ("pakistan-china-joint-declaration-2025-02-05.txt", ".png", "pakistan-china-joint-declaration-2025-02-05.png"),
    ("declaration.txt, 5 February 2025", ".pdf", "declaration, 5 February 2025.pdf"),
    ("a.txt + b.PDF", ".geojson", "a + b.geojson"),
    ('CPEC: "phase 2" / 2025?', ".png", "CPEC- -phase 2- - 2025.png"),
    ("..\\..\\etc\\passwd", ".csv", "etc-passwd.csv"),
    ("   ", ".png", "map.png"),
    ("CON.txt", ".png", "CON_.png"),
    ("report.v2.txt", ".html", "report.v2.html"),
])
def test_titles_become_safe_names(title, suffix, expected):
    assert safe_file_name(title, suffix) == expected


def test_long_titles_are_cut():
    name = safe_file_name("x" * 1000, ".png")
    assert len(name) == MAX_NAME + len(".png")
