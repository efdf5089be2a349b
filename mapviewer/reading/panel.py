"""The pledge panel's content: escaped HTML built from the Atlas.

Pure functions, so what the panel says can be tested without a window.
Links are written by ``links.href`` (places, sentences, corrections,
pages); every piece of document text goes through ``html.escape``.

A PDF's pages show as small "p. N" lines between the sentences of the
document view, and each sentence cited about a place says its page.  They
are display only: never inside a sentence (a PDF's pages are joined so that
no sentence spans two), so finding words in the panel is unchanged.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..core.pledges import PledgeFilter, evidence_line, label_parts, under_label
from .links import ClearFilterLink, FixLink, PageLink, PlaceLink, SentenceLink, href

if TYPE_CHECKING:  # the core's geometry (shapely) loads with the first Atlas, off the GUI thread
    from ..core.atlas import Atlas, Place
    from ..core.document import Document

STYLE = """
<style>
 body { font-size: 10.5pt; }
 h2 { margin: 0 0 2px 0; }
 .meta { color: palette(mid); margin-top: 0; }
 p.s { margin: 6px 0; }
 a.s { color: palette(mid); text-decoration: none; font-size: 8.5pt; }
 a.p { text-decoration: none; }
 .hit { background: #ffe066; color: #000; font-weight: bold; }
 .pledge { color: #2e7d32; font-size: 9pt; font-weight: bold; }
 .talk { color: #6a4c93; font-size: 9pt; font-weight: bold; }
 .tags { font-size: 9pt; }
 .under { font-size: 9pt; }
 .why { font-size: 9pt; }
 h3 { margin: 10px 0 2px 0; }
 p.fix { font-size: 8.5pt; margin: 2px 0 8px 0; }
 p.pg { color: palette(mid); font-size: 8pt; margin: 10px 0 0 0; }
</style>
"""


def sentence_html(atlas: Atlas, doc: int, index: int, focus: str | None = None) -> str:
    """One sentence with every place name linked and ``focus``'s names marked."""
    sentence = atlas.sentence(doc, index)
    parts, pos = [], sentence.start
    text = atlas.documents[doc].text
    for place, mention in atlas.mentions_in_sentence(doc, index):
        if mention.start < pos:
            continue  # a corridor may overlap its own ends; keep the first
        parts.append(escape(text[pos : mention.start]))
        words = escape(text[mention.start : mention.end])
        if place.id == focus:
            parts.append(f'<span class="hit">{words}</span>')
        else:
            parts.append(f'<a class="p" href="{href(PlaceLink(place.id))}">{words}</a>')
        pos = mention.end
    parts.append(escape(text[pos : sentence.end]))
    return "".join(parts)


def _pledge_line(atlas: Atlas, doc: int, index: int) -> str:
    """What the sentence is (PLEDGE, or the talk it reports), with the core's labels and the words behind them.

    A talk or fact sentence that falls under a pledge says so, with a link
    to that pledge and its words.
    """
    reading = atlas.reading(doc, index)
    if reading is None:
        return ""
    parts = label_parts(reading)
    out = []
    if parts and (reading.pledge or reading.talk):
        kind = "pledge" if reading.pledge else "talk"
        out.append(f'<br><span class="{kind}">{escape(parts[0])}</span> <span class="tags">· {escape(" · ".join(parts[1:]))}</span>')
    elif parts:
        out.append(f'<br><span class="tags">{escape(" · ".join(parts))}</span>')
    under = atlas.under(doc, index)
    if under is not None:
        cite = citation(atlas, doc, under.sentence)
        link = f'<a href="{href(SentenceLink(doc, under.sentence))}">{escape(cite)}</a>'
        said = atlas.sentence(doc, under.sentence).text
        said = said if len(said) <= 200 else said[:199].rstrip() + "…"
        line = escape(under_label(reading, under, cite)).replace(escape(cite), link, 1)
        out.append(f'<br><span class="under">{line}: “{escape(said)}”</span>')
    why = evidence_line(reading)
    if why:
        out.append(f'<br><span class="why">Why: {escape(why)}</span>')
    return "".join(out)


def page_label(document: Document, start: int, end: int) -> str:
    """Where ``document.text[start:end]`` is in a PDF: "p. 3" or "pp. 3–4"; "" for a text without pages."""
    return document.page_label(start, end)


def citation(atlas: Atlas, doc: int, index: int, page: bool = True) -> str:
    """How a sentence is cited, by the panel, the PDF's list and the pledge table alike
    (``Document.citation``): "s. 14", "¶ 3 · s. 14", "s. 14 · p. 2"."""
    return atlas.documents[doc].citation(index, page)


def _sentence_block(atlas: Atlas, doc: int, index: int, focus: str | None, cite_page: bool = False) -> str:
    cited = escape(citation(atlas, doc, index, page=cite_page))
    return (
        f'<p class="s"><a class="s" href="{href(SentenceLink(doc, index))}">{cited}</a> '
        f"{sentence_html(atlas, doc, index, focus)}{_pledge_line(atlas, doc, index)}</p>"
    )


def place_html(atlas: Atlas, place: Place, flt: PledgeFilter = PledgeFilter(), page: int = 0) -> str:
    """Everything the declaration says about one place, grouped by document.

    What the filter hides is said, with a link that shows it; a place named
    in more than ``PAGE_SENTENCES`` sentences is shown a page at a time.
    """
    facts = [place.kind, f"{place.precision} position" if place.precision != "area" else "area"]
    if place.length_km is not None:
        facts.append(f"{place.length_km:,.0f} km")
    every = place.sentence_keys()
    keys = [k for k in every if flt.accepts(k[0], atlas.governing(*k))]
    count = f"{len(keys)} sentence{'s' if len(keys) != 1 else ''}"
    pledges = sum(1 for k in keys if k in atlas.pledges)
    count += f" · {pledges} pledge{'s' if pledges != 1 else ''}"
    out = [STYLE, f"<h2>{escape(place.name)}</h2>", f'<p class="meta">{escape(" · ".join(facts))} · {count}<br>'
           f"source: {escape(place.source)}{_choice_line(place)}</p>", _parts_list(place), _fix_links(place)]
    hidden = len(every) - len(keys)
    if hidden:
        said = f"{hidden} sentence{'s' if hidden != 1 else ''} about {place.name} {'is' if hidden == 1 else 'are'}"
        out.append(_hidden_note(f"{said} hidden by the filter"))
    pages = page_count(len(keys))
    page = min(max(page, 0), pages - 1)
    first = page * PAGE_SENTENCES
    nav = _page_links(page, pages, first, len(keys), place.id) if pages > 1 else ""
    out.append(nav)
    current = None
    for doc, index in keys[first : first + PAGE_SENTENCES]:
        if len(atlas.documents) > 1 and doc != current:
            out.append(f"<h3>{escape(atlas.documents[doc].name)}</h3>")
            current = doc
        out.append(_sentence_block(atlas, doc, index, place.id, cite_page=True))
    out.append(nav)
    return "".join(out)


def _parts_list(place: Place) -> str:
    """A divided area's parts, each with who administers and who claims it (drawn dashed on the map)."""
    if not place.parts:
        return ""
    rows = "".join(f"<li>{escape(p.name)}: {escape(p.describe())}</li>" for p in place.parts)
    return f'<p class="meta">In parts, drawn dashed on the map (after Natural Earth):</p><ul class="parts">{rows}</ul>'


def _hidden_note(said: str) -> str:
    """What the filter hides, and the link that shows it all again."""
    return f'<p class="meta">{escape(said)} · <a href="{href(ClearFilterLink())}">show all</a></p>'


def _choice_line(place: Place) -> str:
    parts = []
    if place.chosen_because:
        parts.append(f"chosen because: {escape(place.chosen_because)}")
    if place.alternatives:
        others = "; ".join(f"{a.name}, {a.country or '?'}" for a in place.alternatives[:4])
        parts.append(f"other places of that name: {escape(others)}")
    if place.correction:
        parts.append(f"corrected by you ({escape(place.correction.describe())})")
    return "".join(f"<br>{p}" for p in parts)


def _fix_links(place: Place) -> str:
    """The corrections a reader can make; the window turns them into dialogs."""
    def fix(action: str, text: str) -> str:
        return f'<a href="{href(FixLink(action, place.id))}">{text}</a>'

    links = [fix("coords", "Set coordinates…"), fix("online", "Look up online"), fix("reject", "Not a place")]
    if place.origin != "corridor":  # the text's other candidates, or any place of the gazetteer by name
        links.insert(0, fix("choose", "Choose another place…"))
    if place.correction:
        links.append(fix("undo", "Undo my correction"))
    return f'<p class="fix">{" · ".join(links)}</p>'


PAGE_SENTENCES = 500  # a long declaration has a few hundred; laying out 100k sentences takes seconds, 500 ~50 ms


def shown_sentences(atlas: Atlas, flt: PledgeFilter = PledgeFilter()) -> list[tuple[int, int]]:
    """(document, sentence) pairs the document view shows, in reading order."""
    documents = [(d, doc) for d, doc in enumerate(atlas.documents) if flt.document is None or d == flt.document]
    if not (flt.themes or flt.parties):  # every sentence: no test per sentence (100k of them took 0.2 s)
        return [(d, s.index) for d, doc in documents for s in doc.sentences]
    return [(d, s.index) for d, doc in documents for s in doc.sentences if flt.accepts(d, atlas.governing(d, s.index))]


def page_count(shown: int) -> int:
    return max(1, -(-shown // PAGE_SENTENCES))


def document_html(atlas: Atlas, flt: PledgeFilter = PledgeFilter(), page: int = 0) -> str:
    """The text, sentence by sentence, with places linked and pledges marked.

    With a filter, only the pledges it accepts are shown: the text filters
    together with the map.  Very long texts are shown a page of
    ``PAGE_SENTENCES`` at a time, with links to the pages around.
    """
    keys = shown_sentences(atlas, flt)
    pages = page_count(len(keys))
    page = min(max(page, 0), pages - 1)
    first = page * PAGE_SENTENCES
    out = [STYLE]
    nav = _page_links(page, pages, first, len(keys)) if pages > 1 else ""
    current = None
    whole = not (flt.themes or flt.parties)  # every sentence shown: pages without text are marked too
    blank: dict[int, set[int]] = {}

    def marks(d: int, before: int, on: int | None) -> str:
        if d not in blank:
            blank[d] = set(atlas.documents[d].empty_pages()) if whole else set()
        return _pdf_page_marks(atlas.documents[d], before, on, blank[d])

    before = _pdf_page_of(atlas, keys[first - 1]) if 0 < first < len(keys) and keys[first - 1][0] == keys[first][0] else 0
    for n, (d, index) in enumerate(keys[first : first + PAGE_SENTENCES]):
        if d != current:
            if current is not None:
                out.append(marks(current, before, None))
            current = d
            document = atlas.documents[d]
            total = len(document.sentences)
            shown = sum(1 for k in keys if k[0] == d) if flt.active else total
            if shown < total:
                note = _hidden_note(f"{shown} of {total} sentences (filtered) · {total - shown} hidden by the filter")
            else:
                note = "<p class='meta'>click a name or a place on the map</p>"
            out.append(f"<h2>{escape(document.name)}</h2>{note}{nav}")
            nav = ""
            if n:
                before = 0
        on = _pdf_page_of(atlas, (d, index))
        if on is not None and on != before:
            out.append(marks(d, before, on))
        elif on is not None and n == 0:  # a page of the view that opens mid-page
            out.append(f'<p class="pg">p. {on} (continued)</p>')
        before = on or 0
        out.append(_sentence_block(atlas, d, index, None))
    end = first + PAGE_SENTENCES
    if current is not None and (end >= len(keys) or keys[end][0] != current):
        out.append(marks(current, before, None))
    if not keys:  # everything filtered out: say so per document
        for d, document in enumerate(atlas.documents):
            if flt.document is None or d == flt.document:
                total = len(document.sentences)
                said = f"All {total} sentences are" if total != 1 else "The one sentence is"
                out.append(f"<h2>{escape(document.name)}</h2>{_hidden_note(f'{said} hidden by the filter')}")
    if pages > 1:
        out.append(_page_links(page, pages, first, len(keys)))
    return "".join(out)


def _pdf_page_of(atlas: Atlas, key: tuple[int, int]) -> int | None:
    """The PDF page a sentence starts on; None in a text without pages."""
    return atlas.documents[key[0]].page_at(atlas.sentence(*key).start)


def _pdf_page_mark(page: int, empty: bool = False) -> str:
    note = " (no text)" if empty else ""
    return f'<p class="pg"><a name="pdf-page-{page}"></a>p. {page}{note}</p>'


def _pdf_page_marks(document: Document, before: int, page: int | None, empty: set[int]) -> str:
    """The marks between a sentence on page ``before`` and one on ``page``.

    ``page`` gets its mark; the pages in between get one only when they are
    in ``empty`` (pages without text), so pages whose sentences are
    filtered out get none.  With ``page`` None: the ``empty`` pages after
    the last sentence.
    """
    if not document.pages:
        return ""
    stop = len(document.pages) + 1 if page is None else page
    marks = [_pdf_page_mark(n, empty=True) for n in range(before + 1, stop) if n in empty]
    if page is not None:
        marks.append(_pdf_page_mark(page))
    return "".join(marks)


def _page_links(page: int, pages: int, first: int, total: int, place_id: str | None = None) -> str:
    last = min(first + PAGE_SENTENCES, total)
    links = [f"sentences {first + 1:,}–{last:,} of {total:,}"]
    if page > 0:
        links.insert(0, f'<a href="{href(PageLink(page - 1, place_id))}">◀ earlier</a>')
    if page < pages - 1:
        links.append(f'<a href="{href(PageLink(page + 1, place_id))}">later ▶</a>')
    return f'<p class="meta">{" · ".join(links)}</p>'
