"""core.png: a PNG any reader takes, pixels and text as given."""
from __future__ import annotations

import struct
import zlib

import pytest

from mapviewer.core.png import SIGNATURE, png_bytes


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(SIGNATURE)
    out, at = [], len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + length
    return out


def test_pixels_text_and_chunks_read_back():
    width, height, stride = 3, 2, 12  # rows padded to 12 bytes, as Qt pads RGB888 lines
    rows = [bytes([255, 0, 0, 0, 255, 0, 0, 0, 255]), bytes([1, 2, 3, 4, 5, 6, 7, 8, 9])]
    rgb = b"".join(r + b"\xee" * (stride - len(r)) for r in rows)
    data = png_bytes(width, height, rgb, stride, {"Title": "Pakistan–China, 5 February", "Software": "mapviewer"})
    chunks = _chunks(data)
    assert [k for k, _ in chunks] == [b"IHDR", b"iTXt", b"iTXt", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[0][1]) == (3, 2, 8, 2, 0, 0, 0)  # 8-bit RGB
    key, _, rest = chunks[1][1].partition(b"\x00")
    assert key == b"Title" and rest[:4] == b"\x00\x00\x00\x00" and rest[4:].decode("utf-8") == "Pakistan–China, 5 February"
    raw = zlib.decompress(chunks[3][1])
    assert raw == b"\x00" + rows[0] + b"\x00" + rows[1]  # each row: filter "none", then its pixels, no padding


@pytest.mark.parametrize("width, height, stride, size", [(0, 1, 3, 3), (2, 2, 5, 12), (2, 2, 6, 11)])
def test_sizes_that_do_not_fit_the_pixels_are_refused(width, height, stride, size):
    with pytest.raises(ValueError):
        png_bytes(width, height, bytes(size), stride)


def test_an_empty_keyword_is_refused():
    with pytest.raises(ValueError):
        png_bytes(1, 1, b"\x00\x00\x00", 3, {" ": "x"})
