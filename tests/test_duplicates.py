"""Near-duplicate grouping and the choice of the copy to show."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from index.ingest.duplicates import (
    DEFAULT_THRESHOLD,
    choose_shown,
    cleanliness,
    find_duplicate_groups,
    jaccard,
    shingles,
    similar_pairs,
)
from index.ingest.loaders import load_corpus

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


# --------------------------------------------------------------------------- fast paths

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from index.ingest import duplicates  # noqa: E402


def _plain_cleanliness(text: str) -> float:
    """cleanliness() as its docstring states it, every count taken in full."""
    import re

    words = len(re.findall(r"\w+", text))
    if not words:
        return 0.0
    gaps = len(duplicates._WORD_GAP.findall(text))
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    expected = len(text) / duplicates._LONGEST_TYPICAL_PARAGRAPH
    structure = min(1.0, paragraphs / expected) if expected > 1 else 1.0
    unmatched = 0
    for opening, closing in ("()", "[]", "{}"):
        depth = 0
        for char in re.findall(f"[{re.escape(opening + closing)}]", text):
            if char == opening:
                depth += 1
            elif depth:
                depth -= 1
            else:
                unmatched += 1
        unmatched += depth
    return structure - duplicates._DAMAGE_WEIGHT * (gaps + unmatched) / words


_PIECES = [*"ab_ 9\t\n.!()[]{}é—’\u2003\xa0", "  ", "word", "\n\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80).map("".join))
def test_cleanliness_equals_the_plain_counts(text: str) -> None:
    assert cleanliness(text) == _plain_cleanliness(text)


def test_cleanliness_of_the_sample_corpus_equals_the_plain_counts() -> None:
    for text in sample_texts().values():
        for variant in (text, mangle(text), text[: len(text) // 3] + "(("):
            assert cleanliness(variant) == _plain_cleanliness(variant)


def test_signatures_do_not_depend_on_batching(monkeypatch) -> None:
    rng = random.Random(11)
    texts = ["", "one", *(synthetic_article(rng) for _ in range(30)), "  ", "two words"]
    whole, usable = duplicates.minhash_signatures(texts)
    monkeypatch.setattr(duplicates, "_BATCH_CHARS", 500)  # many small batches
    batched, usable_batched = duplicates.minhash_signatures(texts)
    one_by_one = [duplicates.minhash_signatures([t]) for t in texts]
    assert np.array_equal(whole, batched) and np.array_equal(usable, usable_batched)
    assert usable.tolist() == [bool(s.size) for s, _ in one_by_one]
    assert np.array_equal(whole, np.concatenate([s for s, _ in one_by_one]))


def test_groups_from_signatures_read_only_candidates_and_equal_the_direct_grouping() -> None:
    rng = random.Random(12)
    texts = {f"k{n:02d}": synthetic_article(rng) for n in range(40)}
    texts["k90"] = texts["k05"]  # copies
    texts["k91"] = mangle(texts["k07"])
    texts.update(sample_texts())
    keys = list(texts)[::-1]  # any order: grouping must not depend on it
    signatures, usable = duplicates.minhash_signatures([texts[k] for k in keys])
    read: list[str] = []

    def read_texts(wanted: list[str]) -> dict[str, str]:
        read.extend(wanted)
        return {key: texts[key] for key in wanted}

    usable_keys = [k for k, ok in zip(keys, usable, strict=True) if ok]
    groups = duplicates.groups_from_signatures(usable_keys, signatures, read_texts)
    assert groups == find_duplicate_groups(texts)
    assert ["k05", "k90"] in groups and len(read) < len(texts) / 2


def test_shingle_sets_in_batches_equal_one_by_one(monkeypatch) -> None:
    rng = random.Random(13)
    texts = ["", "one", "two words", *(synthetic_article(rng) for _ in range(25))]
    monkeypatch.setattr(duplicates, "_BATCH_CHARS", 700)
    for ours, theirs in zip(duplicates._shingle_sets(texts), map(shingles, texts), strict=True):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)
