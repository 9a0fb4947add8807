"""Search shortcuts give exactly the plain results: ranking with cached per-term sources and a
sampled floor, and piece-by-piece highlighting, each against its plain form."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.search import highlight, ranking
from index.search.bm25 import BM25Params, fit
from index.search.searcher import Searcher
from index.search.tokens import normalize_word, terms


def searcher_over(docs: list[list[str]], paragraph_source: np.ndarray):
    """A Searcher on a fitted model alone (ranking reads no SQLite)."""
    model = fit(docs, BM25Params())
    arrays = {
        "offsets": model.offsets,
        "postings": model.postings,
        "contributions": model.contributions,
        "doc_len": model.doc_len,
        "paragraph_source": paragraph_source,
    }
    return Searcher(SimpleNamespace(db=None, arrays=arrays)), model


@pytest.fixture
def shortcuts(monkeypatch):
    """Small corpora take the archive-sized shortcut: `shown_passages` ranks only what is
    above a sampled floor (`best_per_source`, the reference, is tested against its definition
    in test_search.py)."""
    monkeypatch.setattr(ranking, "SELECT_WHOLE_UP_TO", 16)
    monkeypatch.setattr(ranking, "FLOOR_SAMPLE", 64)


def skewed_corpus(rng: np.random.Generator, paragraphs: int, vocabulary: int, sources: int):
    """Zipf-like term frequencies (a few terms in most paragraphs), paragraphs of 1-40 terms,
    sources of very different sizes."""
    weights = 1 / np.arange(1, vocabulary + 1) ** rng.uniform(0.6, 1.4)
    weights /= weights.sum()
    words = [f"w{i}" for i in range(vocabulary)]
    docs = [
        list(rng.choice(words, size=int(rng.integers(1, 40)), p=weights)) for _ in range(paragraphs)
    ]
    share = rng.dirichlet(np.full(sources, 0.3))
    paragraph_source = rng.choice(sources, size=paragraphs, p=share).astype(np.int32)
    return docs, paragraph_source, words, weights


@pytest.mark.parametrize("seed", range(12))
def test_ranking_equals_scoring_everything(seed, shortcuts) -> None:
    rng = np.random.default_rng(seed)
    docs, paragraph_source, words, weights = skewed_corpus(
        rng, int(rng.integers(300, 1500)), int(rng.integers(20, 120)), int(rng.integers(2, 60))
    )
    searcher, model = searcher_over(docs, paragraph_source)
    ids = {t: i for i, t in enumerate(model.terms)}
    for _ in range(60):
        # Common and rare words, repeats, a word the corpus lacks.
        size = int(rng.integers(1, 14))
        query = list(rng.choice(words, size=size, p=weights if rng.random() < 0.5 else None))
        query += list(rng.choice(query, size=int(rng.integers(0, 3))))
        term_ids = [ids[t] for t in query if t in ids]
        passages = int(rng.integers(1, 6))
        for sources in (None, 1, int(rng.integers(2, 8)), 20, 200):
            expected = searcher.rank_exhaustive(term_ids, passages, sources)
            assert searcher.rank(term_ids, passages, sources) == expected, (query, sources)


def test_ranking_with_terms_in_most_paragraphs(shortcuts) -> None:
    """Terms in more than half the paragraphs have negative idf, floored to epsilon x the
    average idf. With a mostly-common vocabulary the average, the floor and so the
    contributions are negative too; the results must still be exact."""
    rng = np.random.default_rng(11)
    for rare_words, negative in ((40, False), (2, True)):
        docs = []
        for _ in range(800):
            doc = [f"c{i}" for i in range(12) if rng.random() < 0.8]
            if rng.random() < 0.3:
                doc += [f"r{i}" for i in rng.integers(0, rare_words, size=int(rng.integers(1, 4)))]
            docs.append(doc or ["c0"])
        paragraph_source = rng.integers(0, 30, size=len(docs)).astype(np.int32)
        searcher, model = searcher_over(docs, paragraph_source)
        assert (model.idf == model.params.epsilon * model.average_idf).any()  # floored
        assert (model.contributions.min() < 0) == negative
        ids = {t: i for i, t in enumerate(model.terms)}
        for _ in range(40):
            query = [f"c{i}" for i in rng.integers(0, 12, size=3)] + [
                f"r{i}" for i in rng.integers(0, rare_words, size=int(rng.integers(0, 3)))
            ]
            term_ids = [ids[t] for t in query if t in ids]
            for passages, sources in ((3, 5), (1, 1), (2, 20)):
                expected = searcher.rank_exhaustive(term_ids, passages, sources)
                assert searcher.rank(term_ids, passages, sources) == expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the fixture only sets constants, the same for every example
@given(
    seed=st.integers(0, 2**32 - 1),
    paragraphs=st.integers(1, 400),
    vocabulary=st.integers(1, 30),
    sources=st.integers(1, 40),
    passages=st.integers(0, 4),
    shown=st.one_of(st.none(), st.integers(-1, 30)),
)
def test_ranking_on_any_corpus(
    seed, paragraphs, vocabulary, sources, passages, shown, shortcuts
) -> None:
    rng = np.random.default_rng(seed)
    docs, paragraph_source, words, weights = skewed_corpus(rng, paragraphs, vocabulary, sources)
    searcher, model = searcher_over(docs, paragraph_source)
    ids = {t: i for i, t in enumerate(model.terms)}
    query = list(rng.choice(words, size=int(rng.integers(1, 10)), p=weights))
    term_ids = [ids[t] for t in query if t in ids]
    expected = searcher.rank_exhaustive(term_ids, passages, shown)
    assert searcher.rank(term_ids, passages, shown) == expected


def test_ranking_on_sample_corpus(sample_index, shortcuts) -> None:
    searcher = sample_index.backend.searcher
    questions = [
        "Where does Marinelli live?",
        "Has the embassy in Moscow opened?",
        "What did the Russian-backed group say about California independence?",
        "California California secession vote",
        "Who founded Yes California and when did he move to Russia?",
    ]
    for question in questions:
        term_ids = searcher.term_ids(searcher.question_terms(question))
        for passages in (1, 3, 8):
            for sources in (None, 1, 2, 3, 10):
                expected = searcher.rank_exhaustive(term_ids, passages, sources)
                assert searcher.rank(term_ids, passages, sources) == expected


@pytest.mark.parametrize("seed", range(60))
def test_shown_passages_equal_best_per_source(seed, monkeypatch) -> None:
    """The floored selection against `best_per_source` (itself held to the definition in
    test_search.py): many sources, duplicates, ties, sources given or looked up."""
    monkeypatch.setattr(ranking, "SELECT_WHOLE_UP_TO", 16)
    floor = int(np.random.default_rng(seed).integers(8, 300))
    monkeypatch.setattr(ranking, "FLOOR_SAMPLE", floor)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 6_000))
    paragraph_source = rng.choice(
        int(rng.integers(1, 80)), size=n, p=None if seed % 2 else None
    ).astype(np.int32)
    if seed % 3 == 0:  # one source holds most paragraphs
        paragraph_source[rng.random(n) < 0.8] = 0
    docs = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
    scores = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0], size=docs.size) * rng.integers(1, 6, docs.size)
    repeats = 1
    if seed % 2 == 0:  # a paragraph once per query term it has, with its full score
        repeats = int(rng.integers(2, 5))
        again = [rng.choice(docs.size, size=int(rng.integers(1, docs.size + 1)))]
        for _ in range(repeats - 2):
            again.append(rng.choice(docs.size, size=int(rng.integers(1, docs.size + 1))))
        extra = [np.unique(a) for a in again]  # each term: distinct paragraphs
        docs = np.concatenate([docs, *[docs[e] for e in extra]])
        scores = np.concatenate([scores, *[scores[e] for e in extra]])
        shuffle = rng.permutation(docs.size)
        docs, scores = docs[shuffle], scores[shuffle]
    per_source = int(rng.integers(1, 6))
    max_sources = [None, 1, 3, 20, 50][seed % 5]
    expected = ranking.best_per_source(docs, scores, paragraph_source, per_source, max_sources)
    given_sources = paragraph_source[docs] if seed % 4 < 2 else None
    got = ranking.shown_passages(
        docs, scores, paragraph_source, per_source, max_sources, given_sources, repeats
    )
    assert got == expected[0]


# -- highlighting ------------------------------------------------------------------------

WORDISH = st.sampled_from(
    [
        "Trump", "trump", "TRUMP", "Trump's", "Trump’s", "trumps", "pro-Trump", "Trump-backed",
        "U.S.", "U.S", "e.g.", "5.4", "54,000", "2016", "1,2", "don't", "Don’t", "rock'n'roll",
        "state", "states", "stated", "statement", "Zürich", "ZÜRICH", "straße", "Strasse",
        "ﬁnance", "finance", "café", "cafe", "naïve", "Ａｂｃ", "İstanbul", "x_y", "co‐op",
        "co‑op", "—", "-", "'", "’", "(said,", "said.", "“quote”", "a", "the", "I", "élan",
    ]
)  # fmt: skip
SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\xa0", "\u2028", "\u3000", "", ",", ".", "-"])


@st.composite
def texts(draw) -> str:
    parts = draw(st.lists(st.tuples(WORDISH, SPACES), max_size=30))
    return draw(SPACES) + "".join(w + s for w, s in parts)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(passages=st.lists(texts(), min_size=1, max_size=4), query=st.lists(WORDISH, max_size=4))
def test_highlights_equal_the_words_carrying_query_terms(sample_index, passages, query) -> None:
    searcher = sample_index.backend.searcher
    query_terms = set(terms(" ".join(query)))

    def carries(word: str) -> bool:
        normal = normalize_word(word)
        return not query_terms.isdisjoint(searcher.word_terms([normal])[normal])

    got = searcher.highlights(passages, query_terms)
    assert got == [highlight.marked_words(text, carries) for text in passages]


def test_highlights_on_sample_passages_and_forgetting(sample_index, monkeypatch) -> None:
    """Every paragraph of the sample corpus, with a few questions, against the definition;
    again with a piece memory so small it is started afresh on every call."""
    searcher = sample_index.backend.searcher
    texts_all = [t for (t,) in searcher.db.execute("SELECT text FROM paragraphs ORDER BY id")]
    questions = ["Marinelli California secession", "Russia Russian embassy", "U.S. 2016 vote"]
    for limit in (highlight.PIECE_CACHE_LIMIT, 5):
        monkeypatch.setattr(highlight, "PIECE_CACHE_LIMIT", limit)
        for question in questions:
            query_terms = set(searcher.question_terms(question))

            def carries(word: str, query_terms=query_terms) -> bool:
                normal = normalize_word(word)
                return not query_terms.isdisjoint(searcher.word_terms([normal])[normal])

            for start in range(0, len(texts_all), 40):
                chunk = texts_all[start : start + 40]
                expected = [highlight.marked_words(text, carries) for text in chunk]
                assert searcher.highlights(chunk, query_terms) == expected
                assert any(expected)
