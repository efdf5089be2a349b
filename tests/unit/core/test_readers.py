"""Files of every common kind and encoding, and the one-line errors for bad ones."""
import codecs

import pytest

from mapviewer.core.errors import InputError
from mapviewer.core.readers import read_document

TEXT = "Pakistan’s pledge on Gwadar — façade, naïve.\nSecond line."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "crlf"],
)
def test_encodings_decode_to_the_same_text(tmp_path, data):
    path = tmp_path / "d.txt"
    path.write_bytes(data)
    assert read_document(path).text == TEXT


def test_windows_1252(tmp_path):
    path = tmp_path / "d.txt"
    text = "The Pakistani side welcomed the “new” façade of Gwadar’s port, naïvely, café au lait. " * 3
    path.write_bytes(text.encode("cp1252"))
    assert read_document(path).text == text


def test_html_page_keeps_only_visible_text(tmp_path):
    path = tmp_path / "d.html"
    path.write_text(
        "<!doctype html><html><head><title>T</title><script>var x='Beijing';</script></head>"
        "<body><p>Gwadar &amp; Beijing.</p><p>Second <b>para</b>.</p></body></html>",
        encoding="utf-8",
    )
    text = read_document(path).text
    assert "Gwadar & Beijing." in text and "Second para." in text
    assert "var x" not in text


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: p.write_bytes(b""), "no text"),
        (lambda p: p.write_bytes(b"  \n\t \n"), "no text"),
        (lambda p: p.write_bytes(bytes(range(256)) * 20), "binary"),
        (lambda p: p.write_bytes(b"%PDF-1.4\ngarbage"), "PDF"),
    ],
    ids=["missing", "folder", "empty", "whitespace", "binary", "broken-pdf"],
)
def test_bad_input_gives_one_line(tmp_path, setup, message):
    path = tmp_path / "bad.txt"
    setup(path)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
