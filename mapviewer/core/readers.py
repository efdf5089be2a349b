"""Read a file of any common kind and encoding into a :class:`Document`.

Every failure becomes an :class:`InputError` with a one-line message naming
the file, so the CLI and the GUI can show it as it is.
"""
from __future__ import annotations

import codecs
import html.parser
import re
from pathlib import Path

from .document import Document
from .errors import InputError

MAX_BYTES = 20 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_document(path: str | Path) -> Document:
    """Load ``path`` (text, Markdown, HTML or PDF) as a Document."""
    path = Path(path)
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        text = _pdf_text(path, data)
    else:
        text = decode(data, path.name)
        if suffix in (".html", ".htm", ".xhtml") or _looks_like_html(text):
            text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path.name}: the file has no text")
    return Document(name=path.name, text=text, path=path)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path.name}: {size / 2**20:.1f} MB is more than the {MAX_BYTES // 2**20} MB a declaration may have"
            )
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def decode(data: bytes, name: str) -> str:
    """Decode bytes: BOM first, then strict UTF-8, then a detector's guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: broken {codec} text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and not _utf16_without_bom(data):
        raise InputError(f"{name}: looks like a binary file, not text")
    western = _mostly_ascii_cp1252(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise InputError(f"{name}: the text encoding cannot be recognised")
    return str(best)


def _mostly_ascii_cp1252(data: bytes) -> str | None:
    """Windows-1252, the usual legacy encoding of English texts, when it fits.

    Detectors cannot tell cp1252 from cp1250 on a few accented letters; a
    text that is nearly all ASCII and decodes as cp1252 is taken as such.
    """
    non_ascii = sum(b > 0x7F for b in data)
    if non_ascii > len(data) * 0.3:
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> bool:
    sample = data[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:1024]))


class _TextExtractor(html.parser.HTMLParser):
    """Keeps the visible text of a page, one block element per line."""

    _SKIP = {"script", "style", "noscript", "template", "head", "svg"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page, paragraphs separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _pdf_text(path: Path, data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        raise InputError(f"{path.name}: reading PDF needs the pypdf package") from None
    import io

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(f"{path.name}: not a readable PDF ({exc})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(f"{path.name}: the PDF has no text layer (a scan?); run OCR on it first")
    return text
