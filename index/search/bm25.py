"""BM25 over paragraphs: rank-bm25's `BM25Okapi` scores, computed from an inverted index.

`BM25Okapi.get_scores` walks every paragraph for every query term in Python: Θ(terms ×
paragraphs), about 2 s a query at a million paragraphs. Here the model is fitted once, and each
(term, paragraph) pair's contribution to the score is computed at build time with exactly the
expression rank-bm25 evaluates (same operands, same order, float64), so that a query only adds
up the contributions of its own terms' postings, in query order. A paragraph that lacks a term
receives `idf * 0.0` from rank-bm25, which changes nothing, so skipping it changes nothing
either: the scores are equal to the last bit, not merely close.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

# Score densely once the postings exceed 1/16 of the paragraphs.
DENSE_FROM_SHARE = 16


@dataclass(frozen=True)
class BM25Params:
    # Lucene/Elasticsearch default; rank-bm25 defaults to 1.5 (see benchmarks/retrieval.py).
    k1: float = 1.2
    b: float = 0.75
    epsilon: float = 0.25


@dataclass
class BM25Index:
    """Postings sorted by term then paragraph; term `t` owns `offsets[t]:offsets[t+1]`."""

    params: BM25Params
    terms: list[str]  # term id -> term, in order of first appearance in the corpus
    offsets: np.ndarray  # int64, len(terms) + 1
    postings: np.ndarray  # int32 paragraph ids
    frequencies: np.ndarray  # int32 term frequency of each posting
    contributions: np.ndarray  # float64 idf * tf-saturation of each posting
    doc_len: np.ndarray  # int32 tokens per paragraph
    idf: np.ndarray  # float64 per term, after rank-bm25's epsilon floor
    average_idf: float
    avgdl: float

    @property
    def paragraph_count(self) -> int:
        return int(self.doc_len.shape[0])

    def scores(self, term_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        return PostingsScorer(
            self.offsets, self.postings, self.contributions, self.paragraph_count
        ).scores(term_ids)


def score_postings(
    offsets: np.ndarray,
    postings: np.ndarray,
    contributions: np.ndarray,
    term_ids: list[int],
    paragraph_count: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(paragraph ids, scores) of the paragraphs that contain any of the query's terms.

    Repeated terms count again, as in rank-bm25. `np.bincount` adds each paragraph's
    contributions sequentially in input order, i.e. in query-term order, which is the order
    rank-bm25 adds them in. The plain form, with nothing kept between queries: queries go
    through `PostingsScorer`, which the tests hold to this.
    """
    slices = [slice(int(offsets[t]), int(offsets[t + 1])) for t in term_ids]
    if not slices:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    docs = np.concatenate([postings[s] for s in slices])
    if docs.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    weights = np.concatenate([contributions[s] for s in slices])
    if paragraph_count is not None and docs.size * DENSE_FROM_SHARE > paragraph_count:
        # Common words: one pass over a dense array beats sorting the postings.
        totals = np.bincount(docs, weights=weights, minlength=paragraph_count)
        touched = np.flatnonzero(np.bincount(docs, minlength=paragraph_count))
        return touched.astype(np.int64), totals[touched]
    touched, inverse = np.unique(docs, return_inverse=True)
    return touched.astype(np.int64), np.bincount(inverse, weights=weights)


class PostingsScorer:
    """`score_postings` query after query, summed in place into one buffer kept between them.

    A common word's postings touch a tenth of an archive's paragraphs. Summing them into a
    new paragraph-sized array, or sorting them, costs a fresh multi-megabyte allocation (and
    its page faults) or an O(n log n) sort per query. Here each term adds its contributions
    into one kept array with `np.add.at`: a term's postings are distinct paragraphs, so each
    paragraph receives its terms' contributions one after another, in query order, starting
    from 0.0, which are exactly rank-bm25's sums. Each posting then reads its paragraph's
    total, and the touched entries are reset. The buffer is allocated zeroed by the OS on first
    use, and only its touched pages become resident.
    """

    def __init__(
        self,
        offsets: np.ndarray,
        postings: np.ndarray,
        contributions: np.ndarray,
        paragraph_count: int,
    ) -> None:
        self.offsets = offsets
        self.postings = postings
        self.contributions = contributions
        self.paragraph_count = paragraph_count
        self._totals: np.ndarray | None = None
        self._lock = threading.Lock()

    def posting_scores(self, term_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph, score) for every posting of the terms, in query-term order.

        A paragraph with several of the terms appears once per term, each time with its full
        score: ranking tolerates the repeats, and not removing them saves a sort.
        """
        bounds = [(int(self.offsets[t]), int(self.offsets[t + 1])) for t in term_ids]
        bounds = [(start, end) for start, end in bounds if end > start]
        if not bounds:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        slices = [self.postings[start:end] for start, end in bounds]
        docs = slices[0] if len(slices) == 1 else np.concatenate(slices)
        with self._lock:
            if self._totals is None:
                self._totals = np.zeros(self.paragraph_count, np.float64)
            totals = self._totals
            for (start, end), paragraphs in zip(bounds, slices, strict=True):
                np.add.at(totals, paragraphs, self.contributions[start:end])
            scores = totals[docs]
            totals[docs] = 0.0
        return docs, scores

    def scores(self, term_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph ids ascending, their scores) of the paragraphs with any of the terms."""
        docs, scores = self.posting_scores(term_ids)
        touched, first = np.unique(docs, return_index=True)
        return touched, scores[first]


def fit(paragraph_terms: list[list[str]], params: BM25Params | None = None) -> BM25Index:
    """Fit BM25Okapi on tokenised paragraphs (the same statistics rank-bm25 keeps)."""
    params = params or BM25Params()
    if not paragraph_terms:
        raise ValueError("BM25 needs at least one paragraph")
    term_ids: dict[str, int] = {}
    flat_terms: list[int] = []
    doc_len = np.empty(len(paragraph_terms), np.int64)
    for doc, tokens in enumerate(paragraph_terms):
        doc_len[doc] = len(tokens)
        for token in tokens:
            tid = term_ids.get(token)
            if tid is None:
                tid = term_ids[token] = len(term_ids)
            flat_terms.append(tid)
    return fit_arrays(list(term_ids), np.asarray(flat_terms, np.int64), doc_len, params)


# Contributions are computed this many postings at a time (8 MB of float64 per block).
CONTRIBUTION_BLOCK = 1 << 20


def fit_arrays(
    terms: list[str], term_of_token: np.ndarray, doc_len: np.ndarray, params: BM25Params
) -> BM25Index:
    """Fit from every paragraph's term ids laid end to end (`doc_len` tokens per paragraph).

    `terms` must be in order of first appearance in `term_of_token`: rank-bm25 sums idf in
    that order, and float addition is not associative.

    An archive has tens of millions of tokens, so memory decides the method: one int64 key
    per token (term * paragraphs + paragraph) is sorted in place and the postings, their
    frequencies and the term offsets are read off it, instead of materialising paragraph
    ids, pairs and counts side by side (about ten token-sized arrays, 1.3 GB at 37,000
    articles). Each posting's contribution is rank-bm25's expression on rank-bm25's operands,
    evaluated a block at a time: elementwise float operations give the same bits in any blocks.
    """
    n_docs = doc_len.shape[0]
    if n_docs == 0:
        raise ValueError("BM25 needs at least one paragraph")
    tokens = term_of_token.size
    keys = term_of_token.astype(np.int64)  # term * paragraphs + paragraph, one per token
    keys *= n_docs
    keys += np.repeat(np.arange(n_docs, dtype=np.int32), doc_len)
    keys.sort()
    first = np.empty(tokens, dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    frequencies = np.empty(starts.size, np.int32)
    np.subtract(starts[1:], starts[:-1], out=frequencies[:-1], casting="unsafe")
    frequencies[-1:] = tokens - starts[-1:]
    pairs = keys[starts]
    del keys, starts
    # Pairs are sorted by term: each term's postings start where its first key would be.
    offsets = np.searchsorted(pairs, np.arange(len(terms) + 1, dtype=np.int64) * n_docs)
    df = np.diff(offsets)
    pairs -= np.repeat(np.arange(len(terms), dtype=np.int64) * n_docs, df)
    postings = pairs.astype(np.int32)
    del pairs

    # rank-bm25: avgdl = total tokens / paragraphs (Python division).
    doc_len = doc_len.astype(np.int64)
    avgdl = int(doc_len.sum()) / n_docs
    idf, average_idf = _okapi_idf(df, n_docs, params.epsilon)
    posting_idf = np.repeat(idf, df)
    k1, b = params.k1, params.b
    contributions = np.empty(postings.size, np.float64)
    for start in range(0, postings.size, CONTRIBUTION_BLOCK):
        block = slice(start, start + CONTRIBUTION_BLOCK)
        # rank-bm25's get_scores, per posting:
        #   idf * (q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl)))
        tf = frequencies[block].astype(np.int64)
        dl = doc_len[postings[block]]
        saturation = tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
        contributions[block] = posting_idf[block] * saturation
    return BM25Index(
        params=params,
        terms=terms,
        offsets=offsets,
        postings=postings,
        frequencies=frequencies,
        contributions=contributions,
        doc_len=doc_len.astype(np.int32),
        idf=idf,
        average_idf=average_idf,
        avgdl=avgdl,
    )


def _okapi_idf(df: np.ndarray, n_docs: int, epsilon: float) -> tuple[np.ndarray, float]:
    """rank-bm25's idf: log((N - df + .5) / (df + .5)) as a difference of math.log values,
    summed in first-appearance order, negative ones floored to epsilon * average idf."""
    values = [math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in df.tolist()]
    total = 0.0
    for value in values:  # sequential, like rank-bm25's loop (sum() may compensate on 3.12+)
        total += value
    average_idf = total / len(values)
    floor = epsilon * average_idf
    idf = np.array([floor if v < 0 else v for v in values], np.float64)
    return idf, average_idf
