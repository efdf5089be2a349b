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


# --- limits by what a document holds, not by its bytes ---------------------------------


def _pdf_with_photographs(path, megabytes: int) -> None:
    """A few pages of text and, on each, a large photograph (random pixels: nothing compresses them)."""
    import os

    import io

    from pdfmaker import make_pdf
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    pages = [[f"Page {n}. Both sides agreed to expand Gwadar Port.", "The delegation then went to Karachi."]
             for n in range(1, 5)]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(pages))))
    side = int((megabytes * 2**20 / len(pages) / 3) ** 0.5) + 1
    for page in writer.pages:
        image = DecodedStreamObject()
        image.set_data(os.urandom(side * side * 3))
        image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
                      NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8)})
        resources = page["/Resources"]
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im0"): writer._add_object(image)})
    with open(path, "wb") as f:
        writer.write(f)


def test_a_30_mb_pdf_with_photographs_opens(tmp_path):
    path = tmp_path / "declaration-with-photos.pdf"
    _pdf_with_photographs(path, 30)
    assert path.stat().st_size > 30 * 2**20
    doc = read_document(path)
    assert len(doc.pages) == 4 and doc.text.count("Gwadar Port") == 4
    assert doc.page_at(doc.text.index("Page 3")) == 3


def test_a_long_text_opens_whatever_its_bytes(tmp_path, monkeypatch):
    """Limited by its length in characters (one line says so), not by megabytes."""
    from mapviewer.core import readers

    monkeypatch.setattr(readers, "MAX_CHARS", 1000)
    fine = tmp_path / "fine.txt"
    fine.write_text("Gwadar Port is in Pakistan. " * 35, encoding="utf-16")  # 2 KB of bytes, 980 characters
    assert len(read_document(fine).text) == 980
    long = tmp_path / "long.txt"
    long.write_text("Gwadar Port is in Pakistan. " * 36)
    with pytest.raises(InputError) as info:
        read_document(long)
    assert str(info.value) == "long.txt: 1,008 characters is more than the 1,000 a document may have"


def test_a_file_too_big_to_hold_few_enough_characters_is_refused_unread(tmp_path, monkeypatch):
    from mapviewer.core import readers

    monkeypatch.setattr(readers, "MAX_CHARS", 1000)
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:  # sparse: nothing to read, and it must not be read whole
        f.write(b"Gwadar Port. ")
        f.truncate(10_000)
    monkeypatch.setattr(readers, "_read_bytes", lambda *a, **k: pytest.fail("the file was read"))
    with pytest.raises(InputError, match=r"huge.txt: .* more than the 1,000 characters a document may have"):
        read_document(path)


def test_a_pdf_whose_text_is_too_long_says_so(tmp_path, monkeypatch):
    from pdfmaker import make_pdf

    from mapviewer.core import readers

    monkeypatch.setattr(readers, "MAX_CHARS", 100)
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf([["Both sides agreed to expand Gwadar Port."]] * 5))
    with pytest.raises(InputError, match="long.pdf: the text of its pages is more than the 100 characters a document may have"):
        read_document(path)
