"""A long document is read by blocks of whole sentences: the same Atlas, with progress and a way to stop."""
from __future__ import annotations

from pathlib import Path

import pytest

from mapviewer.core.atlas import AtlasBuilder
from mapviewer.core.document import Document
from mapviewer.core.errors import Cancelled
from mapviewer.core.gazetteer import full_gazetteer
from mapviewer.core.gcpause import paused_gc

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def corpus() -> Document:
    """The seed and the labelled texts: places, names no gazetteer knows, pledges and talk."""
    texts = [next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/labelled").glob("*.txt"))]
    return Document("corpus.txt", "\n\n".join(texts))


def _summary(atlas):
    places = [(p.id, p.name, [(r.doc, r.mention.start, r.mention.end, r.mention.sentence, r.mention.candidates)
                              for r in p.refs]) for p in atlas.places]
    readings = {k: (r.pledge, r.talk, r.themes, r.actors, r.under) for k, r in atlas.readings.items()}
    unmapped = [(u.surface, u.start, u.reason) for u in atlas.unmapped]
    return places, readings, unmapped


def test_blocks_cover_the_text_and_cut_only_between_sentences(corpus):
    blocks = corpus.blocks(500)
    assert len(blocks) > 10
    assert blocks[0][0] == 0 and blocks[-1][1] == len(corpus.text)
    assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
    starts = {s.start for s in corpus.sentences}
    assert all(b[0] in starts for b in blocks[1:])
    assert corpus.blocks() == [(0, len(corpus.text))]  # a declaration is one block


def test_reading_by_small_blocks_gives_the_same_atlas(corpus):
    gazetteer = full_gazetteer()
    whole = AtlasBuilder(gazetteer, use_corrections=False).build([corpus])
    steps: list[tuple[int, int, str]] = []
    blocks = AtlasBuilder(gazetteer, use_corrections=False, block_chars=400,
                          progress=lambda *a: steps.append(a)).build([corpus])
    assert whole.places and whole.pledges and whole.unmapped
    assert _summary(blocks) == _summary(whole)
    # progress within the one document: many steps, never backwards, ending at the total
    done = [d for d, _t, _w in steps]
    assert len(steps) > 30 and done == sorted(done)
    assert {t for _d, t, _w in steps} == {steps[0][1]} and done[-1] == steps[0][1]
    assert any("pledges" in w for _d, _t, w in steps) and any("places" in w for _d, _t, w in steps)


def test_a_long_document_can_be_stopped_between_blocks(corpus):
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 5  # the user cancels a little way in

    with pytest.raises(Cancelled):
        AtlasBuilder(full_gazetteer(), use_corrections=False, block_chars=400, cancelled=cancelled).build([corpus])
    assert len(asked) == 6  # it stopped at the first question after the user said so


def test_no_stretch_of_a_long_build_goes_without_asking_whether_to_stop(corpus):
    """Cancel answers soon on any text: no stage of the build goes through the whole text without
    asking (measured on a 50 MB text: at most ~2 s between two steps, most 0.1-0.2 s apart)."""
    import time

    long = Document("long.txt", "\n\n".join([corpus.text] * 120))  # ~1.7 MB: every stage has work to do
    asked: list[float] = []

    def cancelled() -> bool:
        asked.append(time.perf_counter())
        return False

    builder = AtlasBuilder(full_gazetteer(), use_corrections=False, block_chars=40_000, cancelled=cancelled)
    with paused_gc():  # as build_atlas does: a collection's pause is the collector's, not the builder's
        builder.build([long])
    end = time.perf_counter()
    gaps = [b - a for a, b in zip(asked, [*asked[1:], end])]  # from the first step: the matcher's set-up is not the text's
    total = end - asked[0]
    assert max(gaps) < 0.08 * total, f"{max(gaps):.2f} s of {total:.2f} s without a step"
