"""The pledges as CSV for spreadsheets.

Two tables. ``write_csv``: one row per pledge and place it names (a pledge
that names no place still gets one row, with the place empty).
``write_pledges_csv``: one row per sentence of every document, pledge or
not, with the columns of ``PLEDGE_COLUMNS`` (the same as the GeoJSON's
``pledges``), and, beside it, a CSV on the Web metadata file (W3C CSVW,
``OUT.csv-metadata.json``) that says where it came from, since those
columns are fixed.  Offsets are character offsets into the document's
decoded text, as in the GeoJSON ``mentions``; labels are the window's
(``pledges.label_parts``).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from .atlas import Atlas
from .output import provenance, provenance_lines, write_atomic
from .pledges import commitment_label, themes_of, theme_label, under_label

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
            "commitment": commitment_label(pledge), "themes": "; ".join(theme_label(t, pledge.programmes) for t in pledge.themes),
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


# --- every sentence ------------------------------------------------------------------

PLEDGE_COLUMNS = ["document", "sentence", "start", "end", "page", "text", "pledge", "commitment", "parties", "themes", "places"]


def sentence_record(atlas: Atlas, d: int, index: int) -> dict[str, object]:
    """One sentence as the pledge table has it, with lists where the CSV joins them by "; ".

    ``commitment`` is how a pledge commits, or what a talk sentence is, with
    the pledge it falls under; ``parties`` are the committing parties (none
    for a sentence that is no pledge); ``themes`` the theme labels of any
    sentence; ``places`` the ids of the places it names.
    """
    doc, sentence = atlas.documents[d], atlas.sentence(d, index)
    reading = atlas.reading(d, index)
    if reading is not None:
        themes = [theme_label(t, reading.programmes) for t in reading.themes]
        how = commitment_label(reading)
        pledge = atlas.under(d, index)
        under = under_label(reading, pledge, doc.citation(pledge.sentence) if pledge is not None else None)
        how = "; ".join(p for p in (how, under) if p)
    else:
        keys, _, programmes = themes_of(sentence.text)
        themes, how = [theme_label(t, programmes) for t in keys], ""
    return {
        "document": doc.name,
        "sentence": index,
        "start": sentence.start,
        "end": sentence.end,
        "page": doc.page_at(sentence.start),
        "text": sentence.text,
        "pledge": reading is not None and reading.pledge,
        "commitment": how,
        "parties": list(reading.actors) if reading is not None and reading.pledge else [],
        "themes": themes,
        "places": [p.id for p in atlas.places_in_sentence(d, index)],
    }


def sentence_rows(atlas: Atlas) -> Iterator[dict[str, object]]:
    """Every sentence of every document, in reading order, as CSV cells."""
    for d, doc in enumerate(atlas.documents):
        for s in doc.sentences:
            record = sentence_record(atlas, d, s.index)
            yield {
                **record,
                "page": "" if record["page"] is None else record["page"],
                "pledge": "yes" if record["pledge"] else "no",
                "parties": "; ".join(record["parties"]),
                "themes": "; ".join(record["themes"]),
                "places": "; ".join(record["places"]),
            }


def pledges_csv_bytes(atlas: Atlas) -> bytes:
    """The pledge table: UTF-8 with a BOM, CRLF rows, no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PLEDGE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in sentence_rows(atlas):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def pledges_metadata(atlas: Atlas, name: str) -> dict[str, object]:
    """CSVW metadata for the pledge table ``name``: its columns and its provenance."""
    made = provenance(atlas)
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": name,
        "dc:creator": made["software"],
        "dc:source": [f"{d['name']} sha256:{d['sha256']}" for d in made["documents"]],
        "dc:license": [f"{s['name']}: {s['licence']}" for s in made["sources"]],
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True},
        "tableSchema": {"columns": [{"name": c, "titles": c} for c in PLEDGE_COLUMNS]},
    }


def metadata_path(out: str | Path) -> Path:
    """Where CSVW looks for a table's metadata: the table's name plus ``-metadata.json``."""
    out = Path(out)
    return out.with_name(out.name + "-metadata.json")


def write_pledges_csv(atlas: Atlas, out: str | Path) -> Path:
    """Write the pledge table and its metadata file beside it, each atomically."""
    data = pledges_csv_bytes(atlas)
    meta = json.dumps(pledges_metadata(atlas, Path(out).name), ensure_ascii=False, indent=1).encode("utf-8")
    path = write_atomic(out, data)
    write_atomic(metadata_path(out), meta)
    return path
