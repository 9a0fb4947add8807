"""Index terms: lowercase, Unicode-normalised, numbers kept, hyphenated words whole and split."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.stem.snowball import SnowballStemmer

from index.search.tokens import (
    WORD_PATTERN,
    iter_words,
    normalize_word,
    stopwords,
    terms,
    terms_of_word,
)

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_lowercase_stem_and_stopwords() -> None:
    assert terms("Where does he LIVE? The residents lived") == ["live", "resid", "live"]


def test_hyphenated_words_indexed_whole_and_split() -> None:
    assert terms("anti-American") == ["anti-american", "anti", "american"]
    assert terms_of_word("fourth-largest") == ("fourth-largest", "fourth", "largest")


def test_numbers_and_acronyms_kept() -> None:
    assert terms("$54,000 and 5.4 percent in 2019") == ["54000", "5.4", "percent", "2019"]
    assert terms("the U.S. and L.A.") == ["u.s", "l.a"]


def test_unicode_normalised() -> None:
    # Full-width letters and a typographic apostrophe meet their plain forms.
    assert terms("ＲＵＳＳＩＡ’s") == terms("Russia's") == ["russia"]
    assert terms("café") == terms("CAFÉ")


def test_offsets_point_into_original_text() -> None:
    text = "Mr. O’Brien’s anti-war  stance, ＵＳ 1,200"
    words = list(iter_words(text))
    assert [w for w, _, _ in words] == ["mr", "obrien", "anti-war", "stance", "us", "1200"]
    for word, start, end in words:
        assert normalize_word(text[start:end]) == word


def test_negations_are_not_stopwords() -> None:
    assert {"no", "not", "never"}.isdisjoint(stopwords())


def test_stemming_follows_nltk() -> None:
    """Terms use the project's stemmer; it must make nltk's stems (tests/test_stemmer.py)."""
    stem = SnowballStemmer("english").stem
    for word in ("generalizations", "happily", "hoping", "skies", "proceeding", "yelling"):
        assert terms_of_word(word) == (stem(word),)
    assert terms_of_word("self-sufficiency") == ("self-suffici", "self", "suffici")


# The word pattern as first written; WORD_PATTERN is a faster form that must find the same words.
PLAIN_WORDS = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)*|[^\W_]+(?:['’\-‐‑][^\W_]+)*")


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("aZé9_.,'’-‐‑ \n\tß١U.S.ﬁ"), max_size=60) | st.text(max_size=60))
def test_word_pattern_finds_the_plain_patterns_words(text: str) -> None:
    found = [m.span() for m in WORD_PATTERN.finditer(text)]
    assert found == [m.span() for m in PLAIN_WORDS.finditer(text)]
