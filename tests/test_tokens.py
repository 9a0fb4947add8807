"""Index terms: lowercase, Unicode-normalised, numbers kept, hyphenated words whole and split."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.stem.snowball import SnowballStemmer

from index.tokens import (
    WORD_PATTERN,
    iter_words,
    normalize_word,
    possible_stems,
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


# Endings Snowball's English stemmer rewrites; made-up words stack them.
ENDINGS = (
    "ational tional ization izer bility ably ingly edly eedly ies ied sses ness fulness ously "
    "ousness iveness ivity ement ence ance ing ed s y ly li ogy alism ality alize icate icity "
    "ical ful ative ion ent ant able ible ous ive ize al er ic e l ll eed"
)
SUFFIXES = ENDINGS.split()
# Snowball's English exceptional forms (published with the algorithm).
EXCEPTIONS = (
    "skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos "
    "bias andes inning innings outing outings canning cannings herring herrings earring "
    "earrings proceed proceeds proceeded proceeding exceed exceeds exceeded exceeding succeed "
    "succeeds succeeded succeeding"
)


def test_possible_stems_hold_the_stem_of_real_words() -> None:
    """`possible_stems` lets a question skip the stemmer only if it never misses the stem."""
    stem = SnowballStemmer("english").stem
    files = [p for p in SAMPLE_CORPUS.rglob("*") if p.is_file()]
    words = {w for p in files for w, _, _ in iter_words(p.read_text("utf-8", "replace"))}
    # The algorithm's whole-word exceptions, and words whose stems end in written letters.
    words |= set(EXCEPTIONS.split()) | {"mobility", "generalizations", "happily", "hoping"}
    assert len(words) > 1000
    for word in words:
        for part in word.split("-"):
            assert stem(part) in possible_stems(part), part


@settings(max_examples=2000, deadline=None)
@given(st.text("abcdeilnorstuygwx", min_size=1, max_size=7), st.lists(st.sampled_from(SUFFIXES)))
def test_possible_stems_hold_the_stem_of_made_up_words(start: str, endings: list[str]) -> None:
    word = start + "".join(endings[:3])
    assert SnowballStemmer("english").stem(word) in possible_stems(word)


# The word pattern as first written; WORD_PATTERN is a faster form that must find the same words.
PLAIN_WORDS = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)*|[^\W_]+(?:['’\-‐‑][^\W_]+)*")


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("aZé9_.,'’-‐‑ \n\tß١U.S.ﬁ"), max_size=60) | st.text(max_size=60))
def test_word_pattern_finds_the_plain_patterns_words(text: str) -> None:
    found = [m.span() for m in WORD_PATTERN.finditer(text)]
    assert found == [m.span() for m in PLAIN_WORDS.finditer(text)]
