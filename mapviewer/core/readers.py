"""Read a file of any common kind and encoding into a :class:`Document`.

Every failure becomes an :class:`InputError` with a one-line message naming
the file, so the CLI and the GUI can show it as it is.
"""
from __future__ import annotations

import codecs
import contextlib
import html.parser
import logging
import re
import stat
import warnings
from pathlib import Path

from .document import Document
from .errors import InputError

# A document is limited by what it holds, not by its bytes (a PDF with
# photographs is large and short): its text may have this many characters
# (some 15,000 pages; reading it takes a few minutes and memory in proportion),
# and a PDF at most ``MAX_PDF_PAGES`` pages.
MAX_CHARS = 100_000_000
MAX_CHAR_BYTES = 4  # a character takes at most 4 bytes (UTF-8, UTF-32): more bytes cannot be few enough characters
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
    if check_file(path):
        text, pages = join_pages(_pdf_pages(path))
        if not text.strip():
            raise InputError(f"{path.name}: the PDF has no text layer (a scan?); run OCR on it first")
    else:
        pages = ()
        text = decode(_read_bytes(path), path.name)
        if path.suffix.lower() in (".html", ".htm", ".xhtml") or _looks_like_html(text):
            text = html_to_text(text)
    text = _unix_newlines(text)  # a PDF's text has them already: its page offsets stay true
    if not text.strip():
        raise InputError(f"{path.name}: the file has no text")
    if len(text) > MAX_CHARS:
        raise InputError(f"{path.name}: {len(text):,} characters is more than the {MAX_CHARS:,} a document may have")
    return Document(name=path.name, text=text, path=path, pages=pages)


def check_file(path: Path) -> bool:
    """What can be told of a file without reading it all: the errors, at once, and whether it is a PDF.

    Raises the one-line :class:`InputError` of a missing, special, binary or
    far too big file; a file that passes may still fail when read.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device (/dev/zero) would block or never end.
            raise InputError(f"{path}: not a regular file")
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if path.suffix.lower() == ".pdf" or head.startswith(b"%PDF-"):
        return True
    if info.st_size > MAX_CHAR_BYTES * (MAX_CHARS + 1):
        raise InputError(f"{path.name}: {info.st_size / 2**20:,.0f} MB of text is more than the {MAX_CHARS:,} characters "
                         "a document may have")
    if b"\x00" in head and not head.startswith(tuple(bom for bom, _ in _BOMS)) and _utf16_without_bom(head) is None:
        raise InputError(f"{path.name}: looks like a binary file, not text")
    return False


def _unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


PAGE_SEPARATOR = "\n\n"


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The text of a document's pages and where each page starts in it.

    Each page's text is trimmed and the pages with text are joined by a
    blank line, so no sentence runs on from one page to the next (a word
    hyphenated across a page break stays in two halves: joining it would
    move every offset after it).  A page without text gets the start of
    the next page with text (``len(text)`` at the end): one offset per page.
    """
    trimmed = [_unix_newlines(page).strip() for page in pages]
    text = PAGE_SEPARATOR.join(page for page in trimmed if page)
    starts: list[int] = []
    pos = 0
    for page in trimmed:
        starts.append(pos)
        if page:
            pos += len(page) + len(PAGE_SEPARATOR)
    # An empty page has the start the next page with text has (or the end of the text).
    nxt = len(text)
    for i in range(len(trimmed) - 1, -1, -1):
        if trimmed[i]:
            nxt = starts[i]
        else:
            starts[i] = nxt
    return text, tuple(starts)


def _read_bytes(path: Path) -> bytes:
    limit = MAX_CHAR_BYTES * (MAX_CHARS + 1)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # bounded, even if the file grows meanwhile
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if len(data) > limit:
        raise InputError(f"{path.name}: more text than the {MAX_CHARS:,} characters a document may have")
    return data


def _unreadable(path: Path, exc: OSError) -> InputError:
    """One line for each way the file system can refuse a file."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{path}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{path}: permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{path}: is a folder, not a file")
    return InputError(f"{path}: cannot be read ({exc.strerror or exc})")


def decode(data: bytes, name: str) -> str:
    """Decode bytes: BOM first, then strict UTF-8, then a detector's guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: broken {codec} text") from None
    if b"\x00" in data[:4096]:
        # Text has no NUL bytes, except UTF-16 saved without a BOM.
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(f"{name}: looks like a binary file, not text")
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            raise InputError(f"{name}: broken UTF-16 text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _broken_utf8(data):
            raise InputError(f"{name}: broken UTF-8 text (invalid bytes at offset {exc.start})") from None
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


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for mostly-Latin UTF-16 without a BOM, else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    # Latin text in UTF-16 has a zero in nearly every high byte and none in the low ones.
    if odd > half * 0.6 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.05:
        return "utf-16-be"
    return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _broken_utf8(data: bytes) -> bool:
    """True for UTF-8 text with damaged bytes (rather than a legacy encoding).

    Legacy encodings almost never form valid UTF-8 multi-byte sequences;
    a text full of them with a few bad bytes is UTF-8 that got broken.
    """
    good = len(_UTF8_MULTIBYTE.findall(data))
    if good < 2:
        return False
    bad = len(data.decode("utf-8", errors="replace").encode("utf-8")) - len(data)
    # Each invalid byte becomes U+FFFD (3 bytes): +2 per bad byte, roughly.
    return good >= max(1, bad // 2)


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


MAX_PDF_PAGES = 2000


@contextlib.contextmanager
def _quiet(logger_name: str):
    """Keep a library's warnings about a damaged file off stderr (the error says it)."""
    logger = logging.getLogger(logger_name)
    before = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its child loggers inherit this level
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(before)


def _pdf_pages(path: Path) -> list[str]:
    """The extracted text of each page of a PDF, in order (empty for a page without text).

    Read from the file as pypdf needs it, so photographs and fonts are never
    all in memory; the text of the pages may have ``MAX_CHARS`` characters.
    """
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        raise InputError(f"{path.name}: reading PDF needs the pypdf package") from None

    try:
        with _quiet("pypdf"), path.open("rb") as f:
            reader = PdfReader(f)
            if len(reader.pages) > MAX_PDF_PAGES:
                raise InputError(f"{path.name}: {len(reader.pages)} pages is more than the {MAX_PDF_PAGES} a document may have")
            pages, size = [], 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > MAX_CHARS:
                    raise InputError(f"{path.name}: the text of its pages is more than the {MAX_CHARS:,} characters "
                                     "a document may have")
            return pages
    except InputError:
        raise
    except OSError as exc:
        raise _unreadable(path, exc) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"{path.name}: not a readable PDF ({detail})") from None
