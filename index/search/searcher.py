"""Question -> ranked passages, grouped by source.

Every source with a matching paragraph gets its best few passages; sources are ordered by their
best passage. Ties are broken by paragraph id (corpus order) so the same question always gives
the same answer. Of the hundred thousand paragraphs a common word touches, only those above a
sampled floor are ranked (`shown_passages`); the results are exactly those of ranking them
all. Query terms are located in each passage by re-reading its words and looking up their
stored terms, so highlighting agrees with what was actually matched.

A `Searcher` belongs to one open index generation and keeps what every query would otherwise
redo: plain views of the memory-mapped arrays, the scoring buffers, the source names, and the
terms of the words it has already looked up (an archive's passages are written in a vocabulary
of a few tens of thousands of common words, so after a few questions nearly every word of a
passage is answered from memory instead of SQLite).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.errors import QuestionError, ReaderError
from index.result import ArticleRef, Passage, SearchResult, SourceResult
from index.search.bm25 import PostingsScorer
from index.search.highlight import Highlighter
from index.search.ranking import best_per_source, shown_passages
from index.search.store import Generation
from index.search.tokens import (
    iter_words,
    stopwords,
    terms_of_word,
)
from index.settings import LIST_EVERY_SOURCE_UP_TO, PASSAGES_PER_SOURCE, SOURCES_SHOWN

MAX_QUESTION_CHARS = 2_000
# Remembered words per open index: a few hundred thousand entries of a few dozen bytes, tens
# of MB at most; past that the memory is started afresh.
WORD_CACHE_LIMIT = 300_000
# Bytes of per-term figures kept (see `TermStats`: two bytes per posting, one per source);
# past that they are started afresh.
TERM_STATS_LIMIT = 32_000_000
# SQLite's limit on host parameters is 32,766 nowadays but 999 in old builds.
SQL_CHUNK = 900


@dataclass(frozen=True)
class TermStats:
    """What ranking needs to know of one term beyond its postings, read once from them."""

    sources: np.ndarray  # the source of each of the term's postings
    present: np.ndarray  # per source id: whether the term occurs there


class Searcher:
    """The query side of one open index generation (see the module docstring)."""

    def __init__(self, generation: Generation) -> None:
        self.db = generation.db
        arrays = generation.arrays
        # Slicing an np.memmap builds a memmap object per slice; plain views of the same
        # mapped memory do not.
        self.paragraph_source = _plain(arrays["paragraph_source"])
        # Only grouping by article reads it (tests build searchers over arrays without it).
        self.paragraph_article = (
            _plain(arrays["paragraph_article"]) if "paragraph_article" in arrays else None
        )
        self.scorer = PostingsScorer(
            _plain(arrays["offsets"]),
            _plain(arrays["postings"]),
            _plain(arrays["contributions"]),
            int(arrays["doc_len"].shape[0]),
        )
        self._names: dict[int, str] | None = None
        self._word_terms: dict[str, tuple[str, ...]] = {}
        self._highlighter = Highlighter(self.word_terms)
        self._term_ids: dict[str, int | None] = {}
        self._term_stats: dict[int, TermStats] = {}
        self._term_stats_bytes = 0
        self._source_count: int | None = None
        self._lock = threading.RLock()  # the caches and the SQLite connection

    # -- the query -------------------------------------------------------------------------

    def search(
        self,
        question: str,
        passages: int = PASSAGES_PER_SOURCE,
        sources: int | None = None,
        *,
        marks: bool = True,
        by: str = "source",
    ) -> SearchResult:
        """The best `passages` of the best `sources` sources (see `best_per_source`).

        With `marks=False` the passages' `terms` are left empty, for a caller that keeps only
        some of them: `term_offsets` then marks those it keeps. With `by="article"` each
        article is a group of its own (see `_search_by_article`).
        """
        check_question(question)
        stop = stopwords()
        if all(word in stop for word, _, _ in iter_words(question)):
            raise QuestionError(
                "the question has no words to search for (only stopwords or punctuation)"
            )
        if by == "article":
            return self._search_by_article(question, passages, sources, marks)
        with self._lock:
            terms = self.question_terms(question)
            names = self.names_by_id()
            if sources is None and len(names) > LIST_EVERY_SOURCE_UP_TO:
                sources = SOURCES_SHOWN
            chosen, matched = self.rank(self.term_ids(terms), passages, sources)
            rows = self._paragraph_rows([doc for doc, _ in chosen])
            texts = [row[3] for row in rows.values()]
            offsets = self.highlights(texts, set(terms)) if marks else [[] for _ in texts]
            by_source: dict[int, list[Passage]] = {}
            refs: dict[str, ArticleRef] = {}
            for (doc, score), terms_at in zip(chosen, offsets, strict=True):
                _, key, idx, text, sentences, title, url, date = rows[doc]
                refs.setdefault(key, ArticleRef(id=key, title=title, url=url, date=date))
                by_source.setdefault(int(self.paragraph_source[doc]), []).append(
                    Passage(key, idx, score, text, terms_at, sentences)
                )
            results = [
                SourceResult(
                    source=names[s],
                    articles=[refs[k] for k in dict.fromkeys(p.article for p in ps)],
                    passages=ps,
                )
                for s, ps in by_source.items()
            ]
            if len(names) <= LIST_EVERY_SOURCE_UP_TO and sources is None:
                for sid in sorted(set(names) - set(by_source), key=lambda s: names[s].casefold()):
                    results.append(SourceResult(names[sid], self._shown_articles(sid), []))
        return SearchResult(question=question, sources=results, matched_sources=matched)

    def _search_by_article(
        self, question: str, passages: int, articles: int | None, marks: bool
    ) -> SearchResult:
        """Each article with a match as a group: the same ranking as per source, with the
        paragraph's article as the grouping key. For an archive of one outlet, where grouping
        by source gives one group and three passages in all, and a paper contradicting
        itself across days is what a fact-checker looks for.

        Each group's `source` names the article (its title, or its key when the title is
        missing or another shown article has it too), so that answer groups and notes, which
        name groups, tell the articles apart; `outlet` keeps the outlet's name.
        """
        if self.paragraph_article is None:
            raise ReaderError("this index cannot group by article; rebuild it (--rebuild)")
        paragraph_article = self.paragraph_article
        with self._lock:
            terms = self.question_terms(question)
            term_ids = self.term_ids(terms)
            names = self.names_by_id()
            if not term_ids or passages <= 0:
                return SearchResult(question=question, sources=[], group_by="article")
            docs, scores = self.scorer.posting_scores(term_ids)
            if docs.size == 0:
                return SearchResult(question=question, sources=[], group_by="article")
            matched = int(np.unique(paragraph_article[docs]).size)
            chosen = shown_passages(
                docs,
                scores,
                paragraph_article,
                passages,
                SOURCES_SHOWN if articles is None else articles,
            )
            rows = self._paragraph_rows([doc for doc, _ in chosen])
            texts = [row[3] for row in rows.values()]
            offsets = self.highlights(texts, set(terms)) if marks else [[] for _ in texts]
            by_article: dict[str, list[Passage]] = {}
            refs: dict[str, ArticleRef] = {}
            outlets: dict[str, str] = {}
            for (doc, score), terms_at in zip(chosen, offsets, strict=True):
                _, key, idx, text, sentences, title, url, date = rows[doc]
                refs.setdefault(key, ArticleRef(id=key, title=title, url=url, date=date))
                outlets.setdefault(key, names[int(self.paragraph_source[doc])])
                by_article.setdefault(key, []).append(
                    Passage(key, idx, score, text, terms_at, sentences)
                )
        titles = [refs[k].title for k in by_article]
        results = [
            SourceResult(
                source=_article_label(refs[key], titles),
                articles=[refs[key]],
                passages=found,
                outlet=outlets[key],
            )
            for key, found in by_article.items()
        ]
        return SearchResult(
            question=question, sources=results, matched_sources=matched, group_by="article"
        )

    # -- words and terms -------------------------------------------------------------------

    def question_terms(self, question: str) -> list[str]:
        """The question's index terms, in order (repeats count, as in rank-bm25).

        The index stores the terms of every corpus word (and of their base forms), so most
        words are looked up; any other word is stemmed here, which costs microseconds.
        """
        words = [w for w, _, _ in iter_words(question)]
        known = self.word_terms(words)
        return [term for word in words for term in known[word]]

    def word_terms(self, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each normalised word's index terms: remembered, stored, or (rarely) computed."""
        with self._lock:
            cache = self._word_terms
            missing = [w for w in dict.fromkeys(words) if w not in cache]
            if missing:
                if len(cache) + len(missing) > WORD_CACHE_LIMIT:
                    cache.clear()
                cache.update(lookup_words(self.db, missing))
                for word in missing:
                    if word not in cache:
                        cache[word] = terms_of_word(word)
            return cache

    def term_ids(self, terms: list[str]) -> list[int]:
        """Term ids of `terms` in order, leaving out terms the index does not have."""
        with self._lock:
            missing = [t for t in dict.fromkeys(terms) if t not in self._term_ids]
            if missing:
                if len(self._term_ids) + len(missing) > WORD_CACHE_LIMIT:
                    self._term_ids.clear()
                self._term_ids.update(dict.fromkeys(missing))
                for start in range(0, len(missing), SQL_CHUNK):
                    chunk = missing[start : start + SQL_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT term, id FROM terms WHERE term IN ({marks})"
                    self._term_ids.update(self.db.execute(query, chunk))
            ids = [self._term_ids[t] for t in terms]
        return [i for i in ids if i is not None]

    # -- ranking ---------------------------------------------------------------------------

    def rank(
        self, term_ids: list[int], passages: int, sources: int | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """`best_per_source` of the terms' scores, with each posting's source and the matched
        sources read from the terms' cached `TermStats` instead of per posting; `rank_exhaustive`
        is the plain form and the tests hold the two equal."""
        with self._lock:
            if not term_ids or passages <= 0:
                return [], 0
            stats = self.term_stats(term_ids)
            present = np.logical_or.reduce([stats[t].present for t in stats])
            matched = int(np.count_nonzero(present))
            if matched == 0:
                return [], 0
            docs, scores = self.scorer.posting_scores(term_ids)
            given = [stats[t].sources for t in term_ids if stats[t].sources.size]
            chosen = shown_passages(
                docs,
                scores,
                self.paragraph_source,
                passages,
                sources,
                np.concatenate(given),
                len(term_ids),
            )
        return chosen, matched

    def rank_exhaustive(
        self, term_ids: list[int], passages: int, sources: int | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """Every posting scored, then `best_per_source`: what `rank` must equal."""
        with self._lock:
            docs, scores = self.scorer.posting_scores(term_ids)
            return best_per_source(docs, scores, self.paragraph_source, passages, sources)

    def term_stats(self, term_ids: Iterable[int]) -> dict[int, TermStats]:
        """Each distinct term's `TermStats`, in order of first appearance."""
        with self._lock:
            out: dict[int, TermStats] = {}
            for term in term_ids:
                if term in out:
                    continue
                found = self._term_stats.get(term)
                if found is None:
                    found = self._compute_term_stats(term)
                    size = found.sources.nbytes + found.present.nbytes
                    if self._term_stats_bytes + size > TERM_STATS_LIMIT:
                        self._term_stats.clear()
                        self._term_stats_bytes = 0
                    self._term_stats[term] = found
                    self._term_stats_bytes += size
                out[term] = found
            return out

    def _compute_term_stats(self, term: int) -> TermStats:
        scorer = self.scorer
        start, end = int(scorer.offsets[term]), int(scorer.offsets[term + 1])
        count = self.source_count()
        kind = np.int16 if count <= np.iinfo(np.int16).max else np.int32
        sources = self.paragraph_source[scorer.postings[start:end]].astype(kind)
        present = np.zeros(count, np.bool_)
        present[sources] = True
        return TermStats(sources, present)

    def source_count(self) -> int:
        """Source ids run below this."""
        with self._lock:
            if self._source_count is None:
                ids = self.paragraph_source
                self._source_count = int(ids.max()) + 1 if ids.size else 0
            return self._source_count

    def term_offsets(self, question: str, texts: list[str]) -> list[list[tuple[int, int]]]:
        """For each text, where the question's terms are (see `search(..., marks=False)`)."""
        with self._lock:
            return self.highlights(texts, set(self.question_terms(question)))

    def highlights(self, texts: list[str], query_terms: set[str]) -> list[list[tuple[int, int]]]:
        """For each text, the (start, end) offsets of its words that carry a query term."""
        with self._lock:
            return self._highlighter.highlights(texts, query_terms)

    # -- stored rows -----------------------------------------------------------------------

    def names_by_id(self) -> dict[int, str]:
        with self._lock:
            if self._names is None:
                self._names = dict(self.db.execute("SELECT id, name FROM sources"))
            return self._names

    def _paragraph_rows(self, ids: list[int]) -> dict[int, tuple]:
        """The paragraphs `ids`, in that order, with their article's key and metadata:
        (id, key, idx, text, sentences, title, url, date), in one query per SQL_CHUNK ids."""
        found: dict[int, tuple] = {}
        for start in range(0, len(ids), SQL_CHUNK):
            chunk = ids[start : start + SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "SELECT p.id, a.key, p.idx, p.text, p.sentences, a.title, a.url, a.date "
                "FROM paragraphs p JOIN articles a ON a.id = p.article_id "
                f"WHERE p.id IN ({marks})",
                chunk,
            ):
                found[row[0]] = row
        # The sentence offsets are JSON arrays of [start, end]; decoded in one call.
        decoded = json.loads("[" + ",".join(found[i][4] for i in ids) + "]") if ids else []
        return {
            i: (*found[i][:4], [(s, e) for s, e in sentences], *found[i][5:])
            for i, sentences in zip(ids, decoded, strict=True)
        }

    def _shown_articles(self, source_id: int) -> list[ArticleRef]:
        rows = self.db.execute(
            "SELECT key, title, url, date FROM articles WHERE source_id = ? AND key = canonical "
            "ORDER BY key LIMIT 20",
            (source_id,),
        )
        return [ArticleRef(id=k, title=t, url=u, date=d) for k, t, u, d in rows]


def _article_label(ref: ArticleRef, titles: list[str | None]) -> str:
    """What an article is called as a group: its title, unless it has none or shares it."""
    title = (ref.title or "").strip()
    if not title or titles.count(ref.title) > 1:
        return f"{title} ({ref.id})" if title else ref.id
    return title


def _plain(array: np.ndarray) -> np.ndarray:
    return array.view(np.ndarray)


def check_question(question: str) -> None:
    if not question.strip():
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        # Refused, not cut: answering reads the whole question, and a pasted page would be
        # slow to answer and a poor question.
        raise QuestionError(
            f"the question is too long ({len(question):,} characters; "
            f"at most {MAX_QUESTION_CHARS:,})"
        )


def lookup_words(db: sqlite3.Connection, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The stored terms of those of `words` the index has."""
    unique = list(dict.fromkeys(words))
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(unique), SQL_CHUNK):
        chunk = unique[start : start + SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for word, terms in db.execute(
            f"SELECT word, terms FROM words WHERE word IN ({marks})", chunk
        ):
            out[word] = tuple(terms.split())
    return out
