"""Sentence offsets, the corpus-trained splitter and passage cutting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.articles import Paragraph
from index.ingest.clean import clean_text
from index.ingest.sentences import (
    LONG_BLOCK_CHARS,
    PASSAGE_MAX_CHARS,
    PASSAGE_MAX_SENTENCES,
    SEED_ABBREVIATIONS,
    SentenceSplitter,
    paragraphs_from_blocks,
    train_splitter,
)
from tests.conftest import SAMPLE_CORPUS


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]


@pytest.fixture(scope="module")
def trained(corpus_texts: list[str]) -> SentenceSplitter:
    return train_splitter(corpus_texts)


@pytest.fixture(params=["seed-only", "trained"])
def splitter(request: pytest.FixtureRequest, trained: SentenceSplitter) -> SentenceSplitter:
    return SentenceSplitter() if request.param == "seed-only" else trained


def _sentences(splitter: SentenceSplitter, text: str) -> list[str]:
    return [text[s:e] for s, e in splitter.spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Sen. Warren and Dr. Jones at 2 p.m. on Nov. 14. They talked.",
            [
                "Mr. Smith met Sen. Warren and Dr. Jones at 2 p.m. on Nov. 14.",
                "They talked.",
            ],
        ),
        (
            "He moved to Washington, D.C. from L.A. in 2011, e.g. for work. It paid well.",
            ["He moved to Washington, D.C. from L.A. in 2011, e.g. for work.", "It paid well."],
        ),
        (
            "The U.S. economy grew 5.4 percent, i.e. faster than the U.K. did. Analysts agreed.",
            [
                "The U.S. economy grew 5.4 percent, i.e. faster than the U.K. did.",
                "Analysts agreed.",
            ],
        ),
        (
            "She met J. K. Rowling and George W. Bush. Both smiled.",
            ["She met J. K. Rowling and George W. Bush.", "Both smiled."],
        ),
        (
            "He was married to a woman trying to immigrate to the U. S. and so he lived abroad.",
            ["He was married to a woman trying to immigrate to the U. S. and so he lived abroad."],
        ),
        ("Is it true? Nobody knows! “We will see,” she said.", None),
    ],
)
def test_sentence_boundaries(splitter: SentenceSplitter, text: str, expected: list[str] | None):
    if expected is None:
        expected = ["Is it true?", "Nobody knows!", "“We will see,” she said."]
    assert _sentences(splitter, text) == expected


def test_spans_are_stripped_ordered_offsets(splitter: SentenceSplitter):
    text = "  First one here.   Second one, Mr. Doe said.\n Third?  "
    spans = splitter.spans(text)
    assert [text[s:e] for s, e in spans] == [
        "First one here.",
        "Second one, Mr. Doe said.",
        "Third?",
    ]
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!\n“”J.K")), max_size=200))
def test_spans_cover_all_text_without_overlap(text: str):
    spans = SentenceSplitter().spans(text)
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert not text[position:start].strip()  # nothing but spaces between sentences
        position = end
    assert not text[position:].strip()


def test_empty_text_has_no_spans():
    assert SentenceSplitter().spans("") == []
    assert SentenceSplitter().spans("   \n ") == []


def test_seed_list_covers_common_news_abbreviations():
    for abbreviation in ["mr", "mrs", "dr", "sen", "gov", "gen", "st", "jr", "inc", "corp"]:
        assert abbreviation in SEED_ABBREVIATIONS
    for abbreviation in ["u.s", "u.k", "u.n", "l.a", "d.c", "a.m", "p.m", "e.g", "i.e", "etc"]:
        assert abbreviation in SEED_ABBREVIATIONS
    for month in ["jan", "feb", "aug", "sept", "oct", "nov", "dec"]:
        assert month in SEED_ABBREVIATIONS


def test_training_learns_the_corpus_abbreviations():
    # "Cmte." is no English abbreviation the seed list knows; a corpus that uses it often
    # teaches Punkt that a period after it does not end the sentence.
    corpus = [
        f"The Cmte. chairman said the {n} members met. Each Cmte. member voted. "
        f"A second Cmte. hearing was held on day {n}. Reporters were told little."
        for n in range(60)
    ]
    text = "The Cmte. chairman spoke first. Nobody else did."
    assert _sentences(SentenceSplitter(), text)[0] == "The Cmte."
    assert _sentences(train_splitter(corpus), text) == [
        "The Cmte. chairman spoke first.",
        "Nobody else did.",
    ]
    # Nothing is learned when the budget is spent before the first text.
    assert _sentences(train_splitter(corpus, max_chars=0), text)[0] == "The Cmte."


def test_training_skips_bad_items():
    splitter = train_splitter(["", "   ", None, "A short text. Another one."])  # type: ignore[list-item]
    assert _sentences(splitter, "Mr. Doe left. He was tired.") == ["Mr. Doe left.", "He was tired."]


# --- paragraphs and passages ------------------------------------------------------------


def _check_paragraph(paragraph: Paragraph) -> None:
    assert paragraph.sentences
    assert paragraph.sentences[0][0] == 0
    assert paragraph.sentences[-1][1] == len(paragraph.text)
    for start, end in paragraph.sentences:
        assert paragraph.text[start:end] == paragraph.text[start:end].strip()


def test_short_blocks_stay_whole(splitter: SentenceSplitter):
    blocks = ["One sentence only.", "Two here. And two.", "A heading without a period"]
    paragraphs = paragraphs_from_blocks(blocks, splitter)
    assert [p.text for p in paragraphs] == blocks
    assert [len(p.sentences) for p in paragraphs] == [1, 2, 1]
    for paragraph in paragraphs:
        _check_paragraph(paragraph)


def test_long_block_becomes_passages_of_a_few_whole_sentences(splitter: SentenceSplitter):
    sentences = [
        f"Sentence number {i} says that the council met on day {i} and voted on a plan."
        for i in range(30)
    ]
    block = " ".join(sentences)
    assert len(block) > LONG_BLOCK_CHARS
    paragraphs = paragraphs_from_blocks([block], splitter)
    assert len(paragraphs) >= 5
    recovered = []
    for paragraph in paragraphs:
        _check_paragraph(paragraph)
        assert 3 <= len(paragraph.sentences) <= PASSAGE_MAX_SENTENCES + 1
        assert len(paragraph.text) <= PASSAGE_MAX_CHARS + 250
        recovered += [paragraph.text[s:e] for s, e in paragraph.sentences]
    assert recovered == sentences


def test_an_overlong_sentence_is_never_cut(splitter: SentenceSplitter):
    giant = "This clause goes on, " * 150 + "and finally ends."
    block = f"A short opener. {giant} A short closer."
    paragraphs = paragraphs_from_blocks([block], splitter)
    texts = [p.text[s:e] for p in paragraphs for s, e in p.sentences]
    assert giant in texts


def test_blank_blocks_are_skipped(splitter: SentenceSplitter):
    assert paragraphs_from_blocks(["", "  "], splitter) == []


def test_one_line_dataset_copy_becomes_several_passages(trained: SentenceSplitter):
    text = (SAMPLE_CORPUS / "breitbart-russia-putin-back-secession-dataset-copy.txt").read_text(
        encoding="utf-8"
    )
    paragraphs = paragraphs_from_blocks(clean_text(text).blocks, trained)
    assert 4 <= len(paragraphs) <= 8
    for paragraph in paragraphs:
        _check_paragraph(paragraph)
        assert 2 <= len(paragraph.sentences) <= PASSAGE_MAX_SENTENCES + 1
    sentences = [p.text[s:e] for p in paragraphs for s, e in p.sentences]
    assert any("immigrate to the U. S. and so he currently lives" in s for s in sentences)
    assert any("as far as you can get from L. A." in s for s in sentences)
    assert not any(s.endswith((" U.", " L.")) for s in sentences)
    assert paragraphs[-1].text.endswith("The left, and Russia, have a different view.")


def test_glued_sample_gives_paragraphs_with_correct_offsets(trained: SentenceSplitter):
    text = (SAMPLE_CORPUS / "bloomberg-calexit-leader.txt").read_text(encoding="utf-8")
    paragraphs = paragraphs_from_blocks(clean_text(text).blocks, trained)
    assert len(paragraphs) >= 28
    for paragraph in paragraphs:
        _check_paragraph(paragraph)
    sentences = [p.text[s:e] for p in paragraphs for s, e in p.sentences]
    assert (
        "So how did he get mixed up with a pro-Kremlin group called the Anti-Globalist "
        "Movement of Russia?" in sentences
    )
    assert not any(s.endswith(("p.m.", "Nov.", "St.")) for s in sentences)
    assert any("St. Petersburg State University" in s for s in sentences)
    assert any(s.startswith("It’s 1 p.m. in Yekaterinburg and midnight") for s in sentences)
    assert any("a post dated Nov. 14 calls for Russia" in s for s in sentences)
    # "L.A." here ends its sentence ("... as far as you can get from L.A. But the heart").
    assert any(s.endswith("as far as you can get from L.A.") for s in sentences)


# --- the splitter is Punkt, exactly -----------------------------------------------------
# SentenceSplitter finds Punkt's boundaries without Punkt's per-paragraph machinery (a
# paragraph with no candidate break skips it; the decision at each candidate is remembered;
# candidate and realignment patterns run on `re`). These tests hold it to Punkt's own
# `span_tokenize`, run with nltk's patterns on its `regex` engine.


def _punkt_reference(splitter: SentenceSplitter):
    from nltk.tokenize import punkt

    from index.ingest.sentences import _punkt

    ours = _punkt()

    class NltkPatterns(ours.LanguageVars):
        """Our language settings, but nltk's own sentence-end and realignment patterns."""

        __slots__ = ()
        period_context_re = punkt.PunktLanguageVars.period_context_re
        re_boundary_realignment = punkt.PunktLanguageVars.re_boundary_realignment

    return punkt.PunktSentenceTokenizer(
        splitter.params, lang_vars=NltkPatterns(), token_cls=ours.Token
    )


def _assert_punkt_spans(splitter: SentenceSplitter, texts: list[str]) -> None:
    reference = _punkt_reference(splitter)
    for text in texts:
        assert splitter.punkt_spans(text) == list(reference.span_tokenize(text)), text


def test_spans_are_punkts_on_the_sample_corpus(splitter: SentenceSplitter, corpus_texts: list[str]):
    texts = [*corpus_texts, *(block for t in corpus_texts for block in clean_text(t).blocks)]
    _assert_punkt_spans(splitter, texts)


# Characters that matter to Punkt: sentence ends, closing punctuation, the spaces `re` and
# `regex` disagree on (U+001C-U+001F), other spaces, initials, titles, numbers.
_PUNKT_ALPHABET = [
    *"ab .?!,;:\"')]}([{-\n\t\x0b\x1c\x1d\x1e\x1f\xa0\u2003“”‘’«»AZ19*@",
    *["Mr.", "U.S.", " J. ", "Sen.", "...", "--", " e.g. ", "5.4", "Dr. ", " Inc. "],
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PUNKT_ALPHABET), max_size=60).map("".join))
def test_spans_are_punkts_on_generated_text(text: str):
    _assert_punkt_spans(SentenceSplitter(), [text])


def test_spans_are_punkts_on_many_generated_texts(trained: SentenceSplitter):
    import random

    rng = random.Random(7)
    texts = [
        "".join(rng.choice(_PUNKT_ALPHABET) for _ in range(rng.randint(1, 80))) for _ in range(3000)
    ]
    _assert_punkt_spans(trained, texts)
    # Remembered decisions give the same answers the second time.
    _assert_punkt_spans(trained, texts[:500])


def _checked_splitter(params) -> tuple[SentenceSplitter, list[int]]:
    """A splitter whose every decision is compared with Punkt's on the whole context."""
    splitter = SentenceSplitter(params)
    reference = SentenceSplitter(params)._tokenizer
    judged = [0]
    remembered = splitter._breaks

    def compared(before: str, after: str, following: str | None) -> bool:
        decision = remembered(before, after, following)
        assert decision == reference.text_contains_sentbreak(before + after), (before, after)
        judged[0] += 1
        return decision

    splitter._breaks = compared  # type: ignore[method-assign]
    return splitter, judged


def test_decisions_from_remembered_words_are_punkts(corpus_texts: list[str]):
    """Every context a candidate is judged in gets Punkt's own decision, with parameters
    that exercise each case: learned abbreviations, collocations, sentence starters and
    orthographic evidence, initials, numbers, ellipses, quotes and odd spaces."""
    import random

    from index.ingest.sentences import _punkt

    params = _punkt().module.PunktParameters()
    params.abbrev_types.update({"sen", "u.s", "dr", "inc", "no", "st"})
    params.collocations.update({("march", "the"), ("no", "5"), ("it", "we")})
    params.sent_starters.update({"the", "but", "we"})
    for word, flags in {"the": 0b110110, "we": 0b000010, "march": 0b100001, "it": 0b011}.items():
        params.ortho_context[word] = flags
    splitter, judged = _checked_splitter(params)
    words = [
        *["said.", "The", "the", "march.", "March", "March.", "Sen.", "sen.", "J.", "J.K."],
        *["5.", "No.", "no.", "...", "U.S.", "wall.", "Inc.", "St.", "We", "we", "It", "it"],
        *["”", "“", '"', "'", ")", "(", "?", "!", "?!", ".", "—", "5", "1999.", "e.g.", "x"],
    ]
    spaces = [" ", " ", " ", "  ", "\xa0", "\n", "\t", "\x1c", ""]
    rng = random.Random(11)
    texts = [
        "".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randint(1, 30)))
        for _ in range(4000)
    ]
    _assert_punkt_spans(splitter, texts)
    _assert_punkt_spans(splitter, texts[:500])  # and again, from what was remembered
    # Real text, with the parameters trained on it.
    trained, judged_trained = _checked_splitter(train_splitter(corpus_texts).params)
    blocks = [block for t in corpus_texts for block in clean_text(t).blocks]
    _assert_punkt_spans(trained, [*corpus_texts, *blocks])
    assert judged[0] > 10_000 and judged_trained[0] > 100


def test_the_fallback_splitter_never_ends_a_sentence_at_an_initial() -> None:
    from index.answers.evidence import split

    text = (
        "Dana B. Okafor took over in 1990. The firm of E. W. Ruiz grew. It moved to the U.S. "
        "Then it grew."
    )
    assert [text[s:e] for s, e in split(text)] == [
        "Dana B. Okafor took over in 1990.",
        "The firm of E. W. Ruiz grew.",
        "It moved to the U.S.",
        "Then it grew.",
    ]
    text = "The bridge reopened on Jan. 3 after repairs. Sen. Ruiz came. It was in May. Then rain."
    assert [text[s:e] for s, e in split(text)] == [
        "The bridge reopened on Jan. 3 after repairs.",
        "Sen. Ruiz came.",
        "It was in May.",
        "Then rain.",
    ]
