from mapviewer.core.document import Document, split_sentences


def test_offsets_slice_back_to_the_sentence():
    text = "Islamabad and Beijing met. They agreed!  Next?\nA new line without a stop\n\nLast one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Islamabad and Beijing met.",
        "They agreed!",
        "Next?",
        "A new line without a stop",
        "Last one.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert [s.index for s in sentences] == list(range(5))


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Mr. Li met Dr. Khan in the U.S. last week. J. Smith came too."
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Li met Dr. Khan in the U.S. last week.",
        "J. Smith came too.",
    ]


def test_sentence_at_finds_the_holding_sentence():
    doc = Document("t", "One. Two words here. Three.")
    assert doc.sentence_at(0).text == "One."
    assert doc.sentence_at(doc.text.index("words")).text == "Two words here."
    assert doc.sentence_at(4) is None  # the space between sentences


def test_seed_sentences_cover_the_text(seed_document):
    doc = seed_document
    assert len(doc.sentences) > 25
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    key = next(s for s in doc.sentences if "ML-1" in s.text)
    assert key.text.startswith("Key infrastructure projects discussed included")
    assert key.text.endswith("reinforcing its role as a trade hub.")


def test_sha256_is_of_the_text():
    import hashlib

    assert Document("a", "héllo").sha256 == hashlib.sha256("héllo".encode()).hexdigest()


# --- paragraphs and citations ------------------------------------------------------

PARAGRAPHS = "Title of the text\n\nFirst paragraph. It has two sentences.\n\n\nSecond one here.\n  \nThird. Still third! And third?"


def test_blank_lines_make_paragraphs_and_each_sentence_knows_its_own():
    doc = Document("d.txt", PARAGRAPHS)
    assert [s.text for s in doc.sentences][:3] == ["Title of the text", "First paragraph.", "It has two sentences."]
    assert [doc.paragraph_of(s.index) for s in doc.sentences] == [1, 2, 2, 3, 4, 4, 4]
    assert doc.paragraph_count == 4


def test_a_text_without_blank_lines_has_no_paragraph_numbers():
    doc = Document("d.txt", "One sentence. Another.\nA line.")
    assert doc.paragraph_count == 0 and doc.paragraph_of(1) is None
    assert doc.citation(1) == "s. 2"


def test_a_citation_says_what_it_numbers():
    doc = Document("d.txt", PARAGRAPHS)
    assert doc.citation(0) == "¶ 1 · s. 1"
    assert doc.citation(2) == "¶ 2 · s. 3"
    assert doc.citation(6) == "¶ 4 · s. 7"


def test_a_pdf_cites_sentence_and_page_not_paragraphs():
    text = "A first page. More.\n\nThe second page."
    doc = Document("d.pdf", text, pages=(0, text.index("The second")))
    assert doc.paragraph_count == 0  # a PDF's blank lines are its page breaks, not paragraphs
    assert doc.citation(0) == "s. 1 · p. 1" and doc.citation(2) == "s. 3 · p. 2"
