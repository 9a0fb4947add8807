"""The inverted index gives exactly rank-bm25's BM25Okapi scores (equality, not closeness)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.search.bm25 import BM25Params, fit
from index.search.tokens import terms


def full_scores(model, query: list[str]) -> np.ndarray:
    ids = {t: i for i, t in enumerate(model.terms)}
    out = np.zeros(model.paragraph_count)
    docs, scores = model.scores([ids[t] for t in query if t in ids])
    out[docs] = scores
    return out


def assert_same_scores(docs: list[list[str]], queries: list[list[str]], params: BM25Params) -> None:
    reference = BM25Okapi(docs, k1=params.k1, b=params.b, epsilon=params.epsilon)
    model = fit(docs, params)
    for query in queries:
        expected = reference.get_scores(query)
        got = full_scores(model, query)
        assert np.array_equal(got, expected), (query, np.abs(got - expected).max())


def test_equal_to_rank_bm25_on_sample_corpus(sample_index) -> None:
    db = sample_index.backend.generation.db
    paragraphs = [
        t
        for (t,) in db.execute(
            "SELECT p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id "
            "WHERE a.key = a.canonical ORDER BY p.id"
        )
    ]
    docs = [terms(text) for text in paragraphs]
    assert len(docs) == sample_index.meta["counts"]["paragraphs"]
    questions = [
        "Where does Marinelli live?",
        "Has the embassy in Moscow opened?",
        "Does the campaign receive foreign funding?",
        "How old is Marinelli? Russia Russia California",  # repeated and very common terms
        "Who founded Yes California?",
    ]
    queries = [terms(q) for q in questions]
    common = max(set(sum(docs, [])), key=lambda t: sum(t in d for d in docs))
    assert sum(common in d for d in docs) > len(docs) / 2  # a term with negative idf is exercised
    queries.append([common, "marinelli"])
    for params in (BM25Params(), BM25Params(k1=1.2, b=0.5, epsilon=0.5)):
        assert_same_scores(docs, queries, params)


def test_search_scores_equal_rank_bm25(sample_index) -> None:
    """The scores `reader ask` prints are the model's, for the paragraphs it shows."""
    db = sample_index.backend.generation.db
    texts = [
        t
        for (t,) in db.execute(
            "SELECT p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id "
            "WHERE a.key = a.canonical ORDER BY p.id"
        )
    ]
    question = "Where does Marinelli live?"
    params = sample_index.meta["params"]  # the parameters the index was built with
    expected = BM25Okapi([terms(t) for t in texts], **params).get_scores(terms(question))
    result = sample_index.search(question, passages=50)
    by_text = {t: s for t, s in zip(texts, expected, strict=True)}
    for source in result.sources:
        for passage in source.passages:
            assert passage.score == by_text[passage.text]


@pytest.mark.parametrize("seed", range(40))
def test_equal_to_rank_bm25_on_random_corpora(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(rng.randint(2, 60))]
    docs = [
        [rng.choice(vocab[: rng.randint(1, len(vocab))]) for _ in range(rng.randint(1, 40))]
        for _ in range(rng.randint(1, 80))
    ]
    queries = [[rng.choice(vocab) for _ in range(rng.randint(1, 6))] for _ in range(15)]
    queries.append(["not-in-vocabulary", vocab[0], vocab[0]])
    params = BM25Params(
        k1=rng.choice([0.9, 1.2, 1.5, 2.0]),
        b=rng.choice([0.0, 0.3, 0.75]),
        epsilon=rng.choice([0.0, 0.25, 0.5]),
    )
    assert_same_scores(docs, queries, params)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=25), min_size=1, max_size=30
    ),
    query=st.lists(st.sampled_from("abcdefghz"), min_size=1, max_size=6),
)
def test_equal_to_rank_bm25_property(docs: list[list[str]], query: list[str]) -> None:
    # An eight-letter vocabulary puts most terms in more than half of the paragraphs.
    assert_same_scores(docs, [query], BM25Params())
