"""The panel and the PDF's list say what each sentence is with the core's one vocabulary."""
from __future__ import annotations

import html
import re

from PySide6.QtGui import QImage

from mapviewer.core.pledges import THEMES, evidence_line, label_parts
from mapviewer.reading import panel
from mapviewer.ui.pdf import places_html
from mapviewer.reading.export import PictureOptions
from mapviewer.ui.snapshot import Snapshot, callout_numbers


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_panel_and_the_pdf_use_the_core_labels(seed_atlas):
    snap = Snapshot(PictureOptions(title="t"), QImage(), callout_numbers(seed_atlas))
    pdf = _plain(places_html(seed_atlas, snap))
    for (d, i), reading in seed_atlas.readings.items():
        line = _plain(panel._pledge_line(seed_atlas, d, i))
        parts = label_parts(reading)
        assert parts[0] in line and " · ".join(parts[1:]) in line, i
        assert evidence_line(reading) in line, i
        if seed_atlas.places_in_sentence(d, i):  # the PDF lists the sentences about places
            assert evidence_line(reading) in pdf and " · ".join(label_parts(reading, seed_atlas.under(d, i))) in pdf, i
    for key in THEMES:  # labels, never the internal keys
        assert not re.search(rf"[;:·(\[] ?{key}\b", pdf)
    assert "by unnamed" not in pdf and "because of" not in pdf


def test_the_discussed_projects_lead_to_their_pledge_in_the_panel(seed_atlas):
    markup = panel.place_html(seed_atlas, seed_atlas.place("gwadar-port"))
    text = _plain(markup)
    assert "DISCUSSED · not a pledge" in text
    assert "under the pledge of ¶ 9 · s. 12 by China and Pakistan" in text
    assert "Both countries agreed to advance the high-quality development of CPEC 2.0" in text
    assert 'href="sentence:0:11"' in markup  # the pledge is a click away


def test_a_pledge_reads_who_how_and_why_in_the_panel(seed_atlas):
    text = _plain(panel._pledge_line(seed_atlas, 0, 1))
    assert text.startswith("PLEDGE · reaffirmed, pledging to · by Pakistan and China · Security; Infrastructure and connectivity")
    assert "Why: pledge: “reaffirmed”, “pledging to” · who: “Islamabad and Beijing”" in text


def test_the_evidence_is_not_small_grey_italics():
    style = panel.STYLE
    why = re.search(r"\.why \{([^}]*)\}", style).group(1)
    assert "italic" not in why and "palette(mid)" not in why
    size = re.search(r"font-size: ([\d.]+)pt", why)
    assert size is None or float(size.group(1)) >= 9
