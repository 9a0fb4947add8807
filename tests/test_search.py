"""Search: best passages per source, exact under the ranking shortcuts, stable on ties."""

from __future__ import annotations

import numpy as np
import pytest

from index.errors import QuestionError
from index.search import ranking
from index.search.bm25 import BM25Params, fit
from index.search.tokens import iter_words, terms, terms_of_word


def brute_force(docs, scores, paragraph_source, per_source, max_sources):
    """The definition: sources by their best (score desc, id asc); each source's best N."""
    rows = sorted(zip(docs.tolist(), scores.tolist(), strict=True), key=lambda r: (-r[1], r[0]))
    by_source: dict[int, list] = {}
    for doc, score in rows:
        by_source.setdefault(int(paragraph_source[doc]), []).append((doc, score))
    ranked = list(by_source)[:max_sources]
    picked = [r for s in ranked for r in by_source[s][:per_source]]
    return sorted(picked, key=lambda r: (-r[1], r[0])), len(by_source)


@pytest.mark.parametrize("seed", range(80))
@pytest.mark.parametrize("rank_whole_up_to", [ranking.RANK_WHOLE_UP_TO, 16])
def test_best_per_source_equals_the_definition(seed, rank_whole_up_to, monkeypatch) -> None:
    # A small limit sends most draws through the sampled floors.
    monkeypatch.setattr(ranking, "RANK_WHOLE_UP_TO", rank_whole_up_to)
    rng = np.random.default_rng(seed)
    # Large draws take the shortcut that drops paragraphs too low to be shown.
    n = int(rng.integers(1, 400)) if seed % 2 else int(rng.integers(2_000, 20_000))
    paragraph_source = rng.integers(0, int(rng.integers(1, 30)), size=n).astype(np.int32)
    docs = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
    # Few distinct scores: ties within and across sources are the rule, not the exception.
    scores = rng.choice([0.5, 1.0, 1.5, 2.0], size=docs.size) * rng.integers(1, 4, docs.size)
    # 1-8 per source: a pass per rank; above 8: one sort.
    per_source = int(rng.integers(1, 13))
    max_sources = [None, 1, 3, 20][seed % 4]
    expected = brute_force(docs, scores, paragraph_source, per_source, max_sources)
    if seed % 3 == 0:
        # The scorer gives a paragraph once per query term it has, with its full score.
        again = rng.choice(docs.size, size=int(rng.integers(1, docs.size + 1)))
        docs, scores = np.r_[docs, docs[again]], np.r_[scores, scores[again]]
    if seed % 5 == 0:  # no order of the input is relied upon
        shuffle = rng.permutation(docs.size)
        docs, scores = docs[shuffle], scores[shuffle]
    got = ranking.best_per_source(docs, scores, paragraph_source, per_source, max_sources)
    assert got == expected


def test_dense_and_sparse_scoring_are_identical() -> None:
    rng = np.random.default_rng(3)
    docs = [[f"w{rng.integers(0, 6)}" for _ in range(rng.integers(1, 20))] for _ in range(300)]
    model = fit(docs, BM25Params())
    ids = [0, 1, 2, 1]
    from index.search.bm25 import score_postings

    sparse = score_postings(model.offsets, model.postings, model.contributions, ids)
    dense = score_postings(model.offsets, model.postings, model.contributions, ids, 300)
    assert np.array_equal(sparse[0], dense[0]) and np.array_equal(sparse[1], dense[1])


def test_scorer_buffers_carry_nothing_between_queries() -> None:
    """One PostingsScorer answers query after query (common and rare terms, repeats, terms
    with no postings) exactly as a fresh computation does: its kept buffers leak nothing."""
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(40)]
    # Skewed frequencies: some terms in most paragraphs (the mark-array path), some rare
    # (the sorting path).
    weights = 1 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    docs = [list(rng.choice(vocab, size=int(rng.integers(1, 30)), p=weights)) for _ in range(2000)]
    model = fit(docs, BM25Params())
    from index.search.bm25 import PostingsScorer, score_postings

    scorer = PostingsScorer(model.offsets, model.postings, model.contributions, 2000)
    for _ in range(200):
        ids = [int(i) for i in rng.integers(0, len(model.terms), size=int(rng.integers(0, 6)))]
        got = scorer.scores(ids)
        expected = score_postings(model.offsets, model.postings, model.contributions, ids)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_highlights_are_the_words_carrying_query_terms(sample_index) -> None:
    """Every word of a passage whose terms meet the question's is marked, and no other."""
    question = "Where does Marinelli live? Russian-backed secession"
    query = set(terms(question))
    # Twice (the second time from remembered words), then through `ask`, which marks only
    # the passages it keeps, after answering.
    for result in (
        sample_index.search(question, passages=50),
        sample_index.search(question, passages=50),
        sample_index.ask(question, passages=2),
    ):
        shown = [p for s in result.sources for p in s.passages]
        assert shown
        for passage in shown:
            expected = [
                (start, end)
                for word, start, end in iter_words(passage.text)
                if query & set(terms_of_word(word))
            ]
            assert passage.terms == expected


def test_silent_sources_listed_and_limits(sample_index) -> None:
    result = sample_index.search("hammer and sickle", passages=2)
    names = [s.source for s in result.sources]
    assert sorted(names) == ["Bloomberg", "Breitbart", "CBS Los Angeles", "blog"]
    silent = [s for s in result.sources if not s.passages]
    assert silent and all(s.articles for s in silent)  # listed, with their articles
    assert result.matched_sources == len(result.sources) - len(silent)
    assert all(len(s.passages) <= 2 for s in result.sources)
    limited = sample_index.search("hammer and sickle", passages=1, sources=1)
    assert len(limited.sources) == 1 and len(limited.sources[0].passages) == 1


def test_same_question_same_result(sample_index) -> None:
    first = sample_index.search("Where does Marinelli live?", passages=5)
    assert sample_index.search("Where does Marinelli live?", passages=5) == first


def test_question_of_unseen_words_is_searched_not_refused(sample_index) -> None:
    result = sample_index.search("What happened to the snorkels?")
    assert result.matched_sources == 0 and all(not s.passages for s in result.sources)
    with pytest.raises(QuestionError):
        sample_index.search("What is it about?")
