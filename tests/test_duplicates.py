"""Near-duplicate grouping and the choice of the copy to show."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from index.duplicates import (
    DEFAULT_THRESHOLD,
    choose_shown,
    cleanliness,
    find_duplicate_groups,
    jaccard,
    shingles,
    similar_pairs,
)
from index.loaders import load_corpus

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ORIGINAL = "breitbart-russia-putin-back-secession.txt"
MANGLED_COPY = "breitbart-russia-putin-back-secession-dataset-copy.txt"

# Made-up words for synthetic articles: random sequences of them share almost no word
# 3-grams, as unrelated articles do.
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "gra", "ben", "tal"]


def sample_texts() -> dict[str, str]:
    records, _ = load_corpus(SAMPLE_CORPUS)
    return {record.key: record.text for record in records}


def synthetic_article(rng: random.Random, paragraphs: int = 4, words: int = 60) -> str:
    vocabulary = [rng.choice(SYLLABLES) + rng.choice(SYLLABLES) for _ in range(400)]
    return "\n\n".join(
        " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."
        for _ in range(paragraphs)
    )


def mangle(text: str) -> str:
    """What a dataset export did to the sample copy: words dropped, lines merged, tags added."""
    words = text.split()
    kept = [word if n % 12 else "" for n, word in enumerate(words)]  # "a  b": a deleted word
    return " ".join(kept) + " tags: alpha, beta, gamma"


# --------------------------------------------------------------------------- sample corpus


def test_sample_copies_are_one_group_and_nothing_else_is_grouped() -> None:
    assert find_duplicate_groups(sample_texts()) == [[MANGLED_COPY, ORIGINAL]]


def test_sample_copies_score_well_above_the_threshold() -> None:
    texts = sample_texts()
    similarity = jaccard(shingles(texts[ORIGINAL]), shingles(texts[MANGLED_COPY]))
    assert similarity > DEFAULT_THRESHOLD + 0.15
    # The article that quotes the other outlet's report at length is still far apart.
    bloomberg = shingles(texts["bloomberg-calexit-leader.txt"])
    assert jaccard(bloomberg, shingles(texts[ORIGINAL])) < 0.1


def test_the_clean_copy_is_shown() -> None:
    texts = sample_texts()
    assert cleanliness(texts[ORIGINAL]) > cleanliness(texts[MANGLED_COPY])
    assert choose_shown([MANGLED_COPY, ORIGINAL], texts) == ORIGINAL
    assert choose_shown([ORIGINAL, MANGLED_COPY], texts) == ORIGINAL


# --------------------------------------------------------------------------- synthetic


def test_mangled_copy_is_grouped_and_shared_quotes_are_not() -> None:
    rng = random.Random(7)
    story = synthetic_article(rng)
    quote = synthetic_article(rng, paragraphs=1, words=50)
    texts = {
        "story": story,
        "copy": mangle(story),
        "first-quoting": synthetic_article(rng) + "\n\n" + quote,
        "second-quoting": quote + "\n\n" + synthetic_article(rng),
        "unrelated": synthetic_article(rng),
    }
    assert find_duplicate_groups(texts) == [["copy", "story"]]
    assert choose_shown(["copy", "story"], texts) == "story"


def test_copies_are_found_among_thousands_of_articles() -> None:
    rng = random.Random(11)
    texts = {f"article-{n:04d}": synthetic_article(rng, paragraphs=3) for n in range(3000)}
    planted = []
    for n in range(0, 3000, 600):
        original = f"article-{n:04d}"
        texts[f"copy-of-{n:04d}"] = mangle(texts[original])
        planted.append(sorted([original, f"copy-of-{n:04d}"]))
    # One story republished three times: one group of four.
    wire = "article-0100"
    for outlet in ("x", "y", "z"):
        texts[f"{outlet}-wire"] = texts[wire] + f"\n\nCopyright {outlet} news."
    expected = sorted(planted + [sorted([wire, "x-wire", "y-wire", "z-wire"])])
    assert find_duplicate_groups(texts) == expected


def test_result_does_not_depend_on_input_order() -> None:
    rng = random.Random(3)
    texts = {f"a{n}": synthetic_article(rng, paragraphs=2) for n in range(50)}
    texts["copy"] = mangle(texts["a7"])
    items = list(texts.items())
    random.Random(5).shuffle(items)
    assert find_duplicate_groups(dict(items)) == find_duplicate_groups(texts) == [["a7", "copy"]]


def test_threshold_decides_how_much_overlap_counts() -> None:
    rng = random.Random(9)
    first = synthetic_article(rng, paragraphs=2)
    second = first.split("\n\n")[0] + "\n\n" + synthetic_article(rng, paragraphs=1)
    texts = {"first": first, "second": second}
    [(_, _, similarity)] = similar_pairs(texts, threshold=0.0)
    assert 0.2 < similarity < DEFAULT_THRESHOLD
    assert find_duplicate_groups(texts) == []
    assert find_duplicate_groups(texts, threshold=0.2) == [["first", "second"]]


def test_texts_without_words_are_never_grouped() -> None:
    texts = {"a": "", "b": "  \n ", "c": "— … —", "d": "Same words here.", "e": "same WORDS, here"}
    assert find_duplicate_groups(texts) == [["d", "e"]]
    assert find_duplicate_groups({}) == []
    assert find_duplicate_groups({"only": "one text"}) == []


# --------------------------------------------------------------------------- shingles


def test_shingles_ignore_case_and_punctuation_but_not_word_order() -> None:
    assert np.array_equal(shingles("The “cat” sat—on the mat."), shingles("the cat sat on THE mat"))
    assert jaccard(shingles("alpha beta gamma delta"), shingles("delta gamma beta alpha")) == 0.0
    # Letters outside ASCII are part of words, not word breaks.
    assert shingles("naïve café").size == 2
    assert not np.array_equal(shingles("café"), shingles("caf"))


def test_short_texts_still_have_shingles() -> None:
    assert shingles("one").size == 1
    assert shingles("one two").size == 2
    assert shingles("one two three four").size == 4
    assert shingles("").size == 0


# --------------------------------------------------------------------------- cleanliness


def test_cleanliness_marks() -> None:
    rng = random.Random(1)
    clean = synthetic_article(rng, paragraphs=8)
    assert cleanliness(clean) == 1.0
    assert cleanliness(clean.replace("\n\n", " ")) < cleanliness(clean)  # paragraphs lost
    gaps = clean.replace(" ", "  ", 20)
    assert cleanliness(gaps) < cleanliness(clean)  # words deleted
    assert cleanliness("[" + clean) < cleanliness(clean)  # a cut through brackets
    assert cleanliness("End.  Next sentence.\n\nMore.") == 1.0  # two spaces after a stop
    assert cleanliness("") == 0.0


def test_choose_shown_breaks_ties_by_length_then_key() -> None:
    texts = {"b": "Short text.", "a": "Short text.", "c": "Short text, a little longer."}
    assert choose_shown(["a", "b", "c"], texts) == "c"
    assert choose_shown(["b", "a"], texts) == "a"
