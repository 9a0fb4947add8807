"""Search: best passages per source, exact under the ranking shortcuts, stable on ties."""

from __future__ import annotations

import numpy as np
import pytest

from index import search
from index.bm25 import BM25Params, fit


def brute_force(docs, scores, paragraph_source, per_source, max_sources):
    """The definition: sources by their best (score desc, id asc); each source's best N."""
    rows = sorted(zip(docs.tolist(), scores.tolist(), strict=True), key=lambda r: (-r[1], r[0]))
    by_source: dict[int, list] = {}
    for doc, score in rows:
        by_source.setdefault(int(paragraph_source[doc]), []).append((doc, score))
    ranked = list(by_source)[:max_sources]
    picked = [r for s in ranked for r in by_source[s][:per_source]]
    return sorted(picked, key=lambda r: (-r[1], r[0])), len(by_source)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("window", [5, 40, 20_000])
def test_best_per_source_equals_the_definition(seed, window, monkeypatch) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", window)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    paragraph_source = rng.integers(0, int(rng.integers(1, 30)), size=n).astype(np.int32)
    docs = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
    scores = rng.choice([0.5, 1.0, 1.5, 2.0], size=docs.size) * rng.integers(1, 4, docs.size)
    per_source = int(rng.integers(1, 5))
    max_sources = [None, 1, 3, 20][seed % 4]
    got = search.best_per_source(docs, scores, paragraph_source, per_source, max_sources)
    assert got == brute_force(docs, scores, paragraph_source, per_source, max_sources)


def test_dense_and_sparse_scoring_are_identical() -> None:
    rng = np.random.default_rng(3)
    docs = [[f"w{rng.integers(0, 6)}" for _ in range(rng.integers(1, 20))] for _ in range(300)]
    model = fit(docs, BM25Params())
    ids = [0, 1, 2, 1]
    from index.bm25 import score_postings

    sparse = score_postings(model.offsets, model.postings, model.contributions, ids)
    dense = score_postings(model.offsets, model.postings, model.contributions, ids, 300)
    assert np.array_equal(sparse[0], dense[0]) and np.array_equal(sparse[1], dense[1])


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
