"""The pledges as CSV for spreadsheets: one row per pledge and place it names.

A pledge that names no place still gets one row (with the place empty),
so the file counts every pledge of the declaration.  Offsets are character
offsets into the document's decoded text, as in the GeoJSON ``mentions``.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .atlas import Atlas
from .output import provenance_lines, write_atomic

COLUMNS = [
    "document", "document_sha256", "sentence", "page", "sentence_start", "sentence_end",
    "place_id", "place", "kind", "mention_start", "mention_end", "mention_text",
    "commitment", "themes", "parties", "text", "made_by",
]
# A cell a spreadsheet would run as a formula (CWE-1236); documents are untrusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def pledge_rows(atlas: Atlas) -> list[dict[str, object]]:
    """Rows in reading order: document, sentence, then the place's first mention."""
    rows: list[dict[str, object]] = []
    for (d, index), pledge in sorted(atlas.pledges.items()):
        doc, sentence = atlas.documents[d], atlas.sentence(d, index)
        base = {
            "document": doc.name, "document_sha256": doc.sha256, "sentence": index, "page": doc.page_at(sentence.start),
            "sentence_start": sentence.start, "sentence_end": sentence.end,
            "commitment": pledge.commitment, "themes": "; ".join(pledge.themes),
            "parties": "; ".join(pledge.actors), "text": sentence.text,
        }
        named = sorted(atlas.mentions_in_sentence(d, index), key=lambda pm: pm[1].start)
        seen: set[str] = set()
        for place, mention in named:
            if place.id in seen:
                continue
            seen.add(place.id)
            rows.append({**base, "place_id": place.id, "place": place.name, "kind": place.kind,
                         "mention_start": mention.start, "mention_end": mention.end, "mention_text": mention.surface})
        if not seen:
            rows.append({**base, "place_id": "", "place": "", "kind": "", "mention_start": "", "mention_end": "",
                         "mention_text": ""})
    return rows


def csv_bytes(atlas: Atlas) -> bytes:
    """UTF-8 with a BOM, so Excel reads accents; CRLF rows as RFC 4180 asks.

    CSV has no place for file-level metadata that every reader skips, so
    provenance is a column: the document's SHA-256 on each row, and the
    app's version and data licences in ``made_by``.  The file stays a plain
    table that any spreadsheet or ``csv.DictReader`` reads as it is.
    """
    made_by = " | ".join(line for line in provenance_lines(atlas) if not line.startswith("Document:"))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in pledge_rows(atlas):
        writer.writerow({k: _cell(v) for k, v in {**row, "made_by": made_by}.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(atlas: Atlas, out: str | Path) -> Path:
    return write_atomic(out, csv_bytes(atlas))
