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
