"""Question -> ranked passages, grouped by source.

Every source with a matching paragraph gets its best few passages; sources are ordered by their
best passage. Ties are broken by paragraph id (corpus order) so the same question always gives
the same answer. Query terms are located in each passage by re-reading its words and looking up
their stored terms, so highlighting agrees with what was actually matched.

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

import numpy as np

from index.bm25 import PostingsScorer
from index.errors import QuestionError
from index.result import ArticleRef, Passage, SearchResult, SourceResult
from index.store import Generation
from index.tokens import (
    HYPHENS,
    WORD_PATTERN,
    compound_terms,
    iter_words,
    normalize_word,
    possible_stems,
    stopwords,
    terms_of_word,
)

# Small corpora list the sources that matched nothing, so a reader sees who is silent; in an
# archive of hundreds of outlets that list would bury the results.
LIST_SILENT_SOURCES_UP_TO = 20
# ... and, unless asked for more, show that many sources of an archive (the result says how
# many matched in all).
DEFAULT_SOURCES_IN_LARGE_CORPORA = 20
MAX_QUESTION_CHARS = 2_000
# Remembered words (and spellings of them) per open index: a few hundred thousand entries of a
# few dozen bytes, tens of MB at most; past that the memory is started afresh.
WORD_CACHE_LIMIT = 300_000
# SQLite's limit on host parameters is 32,766 nowadays but 999 in old builds.
SQL_CHUNK = 900


class Searcher:
    """The query side of one open index generation (see the module docstring)."""

    def __init__(self, generation: Generation) -> None:
        self.db = generation.db
        arrays = generation.arrays
        # Slicing an np.memmap builds a memmap object per slice; plain views of the same
        # mapped memory do not.
        self.paragraph_source = _plain(arrays["paragraph_source"])
        self.scorer = PostingsScorer(
            _plain(arrays["offsets"]),
            _plain(arrays["postings"]),
            _plain(arrays["contributions"]),
            int(arrays["doc_len"].shape[0]),
        )
        self._names: dict[int, str] | None = None
        self._word_terms: dict[str, tuple[str, ...]] = {}
        self._spelled: dict[str, tuple[str, ...]] = {}  # a word as written -> its terms
        self._term_ids: dict[str, int | None] = {}
        self._lock = threading.RLock()  # the caches and the SQLite connection

    # -- the query -------------------------------------------------------------------------

    def search(
        self, question: str, passages: int = 3, sources: int | None = None, *, marks: bool = True
    ) -> SearchResult:
        """The best `passages` of the best `sources` sources (see `best_per_source`).

        With `marks=False` the passages' `terms` are left empty, for a caller that keeps only
        some of them: `mark_terms` then marks those it keeps.
        """
        check_question(question)
        stop = stopwords()
        if all(word in stop for word, _, _ in iter_words(question)):
            raise QuestionError(
                "the question has no words to search for (only stopwords or punctuation)"
            )
        with self._lock:
            terms = self.question_terms(question)
            docs, scores = self.scorer.posting_scores(self.term_ids(terms))
            names = self.source_names()
            if sources is None and len(names) > LIST_SILENT_SOURCES_UP_TO:
                sources = DEFAULT_SOURCES_IN_LARGE_CORPORA
            chosen, matched = best_per_source(
                docs, scores, self.paragraph_source, passages, sources
            )
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
            if len(names) <= LIST_SILENT_SOURCES_UP_TO and sources is None:
                for sid in sorted(set(names) - set(by_source), key=lambda s: names[s].casefold()):
                    results.append(SourceResult(names[sid], self._shown_articles(sid), []))
        return SearchResult(question=question, sources=results, matched_sources=matched)

    # -- words and terms -------------------------------------------------------------------

    def question_terms(self, question: str) -> list[str]:
        """The question's index terms, in order (repeats count, as in rank-bm25).

        A word the index has never seen gives only those of its terms the index could have
        (see `unseen_word_terms`): the others would score and mark nothing.
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
                        cache[word] = unseen_word_terms(self.db, word)
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

    def mark_terms(self, result: SearchResult) -> None:
        """Set the `terms` of every passage of `result` (see `search(..., marks=False)`)."""
        passages = [p for source in result.sources for p in source.passages]
        with self._lock:
            offsets = self.highlights(
                [p.text for p in passages], set(self.question_terms(result.question))
            )
        for passage, terms_at in zip(passages, offsets, strict=True):
            passage.terms = terms_at

    def highlights(self, texts: list[str], query_terms: set[str]) -> list[list[tuple[int, int]]]:
        """For each text, the (start, end) offsets of its words that carry a query term.

        Each distinct spelling is judged once: its normalised word's terms against the
        query's. The offsets are then found without a second pass of the word pattern: every
        word starts with a letter or digit, and nothing between two words is one (the pattern
        would have made it a word), so a word's first occurrence after the previous word's end
        is the word itself.
        """
        with self._lock:
            written = [WORD_PATTERN.findall(text) for text in texts]
            spellings = set().union(*written) if written else set()
            spelled = self._spelled
            new = spellings.difference(spelled)
            if new:
                if len(spelled) + len(new) > WORD_CACHE_LIMIT:
                    spelled.clear()
                    new = spellings
                normal = {raw: normalize_word(raw) for raw in new}
                known = self.word_terms(normal.values())
                spelled.update((raw, known[word]) for raw, word in normal.items())
            matching = {raw for raw in spellings if not query_terms.isdisjoint(spelled[raw])}
        out = []
        for text, raws in zip(texts, written, strict=True):
            spans: list[tuple[int, int]] = []
            if not matching.isdisjoint(raws):
                end = 0
                for raw in raws:
                    start = text.find(raw, end)
                    end = start + len(raw)
                    if raw in matching:
                        spans.append((start, end))
            out.append(spans)
        return out

    # -- stored rows -----------------------------------------------------------------------

    def source_names(self) -> dict[int, str]:
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


def search(
    generation: Generation, question: str, passages: int = 3, sources: int | None = None
) -> SearchResult:
    """One question on a generation (a `Searcher` kept open answers the next ones faster)."""
    return Searcher(generation).search(question, passages, sources)


def question_terms(db: sqlite3.Connection, question: str) -> list[str]:
    """The question's index terms, using the stored word -> terms map where it can."""
    words = [w for w, _, _ in iter_words(question)]
    known = lookup_words(db, words)
    out: list[str] = []
    for word in words:
        found = known.get(word)
        out.extend(found if found is not None else unseen_word_terms(db, word))
    return out


def unseen_word_terms(db: sqlite3.Connection, word: str) -> tuple[str, ...]:
    """The terms of a word the index does not store, or () when none can be an index term.

    Its terms need the stemmer, and the stemmer needs nltk, whose import takes longer than
    answering the question. So, without it: a part of a hyphenated word that the index stores
    on its own has its stored stem; for the other parts, `possible_stems` bounds what the
    stemmer can make of them (and the whole's term starts with its first part's stem and a
    hyphen). If the index has none of those terms, the word can match nothing and is never
    stemmed; scores and marked words are the same either way.
    """
    if not word or word in stopwords():
        return ()
    if word[0].isdigit() or "." in word:
        return terms_of_word(word)  # kept as written: no stemming
    parts = [p for p in HYPHENS.split(word) if p]
    stems = _stored_stems(db, parts)
    if len(parts) > 1 and len(stems) == len(set(parts)):
        return compound_terms(parts, [stems[p] for p in parts])
    options = [{stems[p]} if p in stems else possible_stems(p) for p in parts]
    if _any_term(db, set().union(*options)):
        return terms_of_word(word)
    if len(parts) > 1:
        for first in options[0]:
            # Terms starting with `first` and a hyphen: "-" is U+002D, "." the next code point.
            if db.execute(
                "SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1",
                (first + "-", first + "."),
            ).fetchone():
                return terms_of_word(word)
    return ()


def _stored_stems(db: sqlite3.Connection, parts: list[str]) -> dict[str, str]:
    """The stems of those `parts` the index stores as words of their own.

    A stored word's terms are `terms_of_word` of it, which for a plain word (no hyphen, not a
    stopword, not starting with a digit) is its stem alone; digits are their own stem.
    """
    stop = stopwords()
    out = {p: p for p in parts if p.isdigit()}
    plain = [p for p in parts if p not in out and p not in stop and not p[0].isdigit()]
    for part, terms in lookup_words(db, plain).items():
        if len(terms) == 1:
            out[part] = terms[0]
    return out


def _any_term(db: sqlite3.Connection, candidates: set[str]) -> bool:
    unique = list(candidates)
    for start in range(0, len(unique), SQL_CHUNK):
        chunk = unique[start : start + SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        if db.execute(f"SELECT 1 FROM terms WHERE term IN ({marks}) LIMIT 1", chunk).fetchone():
            return True
    return False


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


def best_per_source(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """Up to `per_source` best paragraphs of each of the `max_sources` best sources.

    Returns (paragraph, score) best first, and how many sources matched at all. Sources rank
    by their best paragraph; ties go to the lower paragraph id, so results are stable. A
    paragraph may be given more than once (once per query term it has, always with the same
    score, as `PostingsScorer.posting_scores` gives them); it counts once. Scores are finite.

    A common word touches a hundred thousand paragraphs, of which a few dozen are shown: no
    sort of them all. One pass finds each source's best score (`np.maximum.at`), which ranks
    the sources; a sample sets a floor under each chosen source's shown scores, and one pass
    keeps what is above it; then each chosen source's next best is found like its best,
    `per_source` times, over what is left. Every pass is linear and vectorised.
    """
    if docs.size == 0 or per_source <= 0:
        return [], 0
    scores = np.asarray(scores, np.float64)
    sources = paragraph_source[docs]
    count = int(sources.max()) + 1
    best, lowest = _group_best(sources, scores, docs, count)
    ranked = np.flatnonzero(best > -np.inf)  # scores are finite: these are the sources present
    matched = int(ranked.size)
    ranked = ranked[np.lexsort((lowest[ranked], -best[ranked]))][:max_sources]
    chosen = np.zeros(count, np.bool_)
    chosen[ranked] = True
    within = _contenders(sources, scores, docs, chosen, per_source)
    _, first = np.unique(docs[within], return_index=True)  # each paragraph once
    within = within[first]
    top = _top_per_group(sources[within], scores[within], docs[within], count, per_source)
    picked = within[top]
    picked = picked[np.lexsort((docs[picked], -scores[picked]))]
    return [(int(d), float(s)) for d, s in zip(docs[picked], scores[picked], strict=True)], matched


# Up to this many entries the chosen sources' paragraphs are ranked whole; above, a sample of
# about that many (one entry in 8 at least) first sets a floor under each source's shown scores.
RANK_WHOLE_UP_TO = 4_096


def _contenders(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, chosen: np.ndarray, per_group: int
) -> np.ndarray:
    """Positions of the chosen groups' entries that may be among their group's best
    `per_group`; the others certainly are not.

    The chosen sources of a common-word question still hold tens of thousands of touched
    paragraphs, nearly all of them scoring far below the shown ones. The `per_group`-th best
    score of a group within any subset of its entries is at most its `per_group`-th best
    overall, so it is a floor: nothing below it can be shown. A regular sample gives every
    large group such a floor at a small fraction of the cost of ranking them whole; a group
    with fewer than `per_group` paragraphs in the sample keeps all its entries.
    """
    if scores.size <= RANK_WHOLE_UP_TO:
        return np.flatnonzero(chosen[groups])
    sample = np.arange(0, scores.size, max(8, scores.size // RANK_WHOLE_UP_TO))
    sample = sample[chosen[groups[sample]]]
    count = chosen.size
    top = sample[_top_per_group(groups[sample], scores[sample], docs[sample], count, per_group)]
    # Each sampled group's `per_group`-th best: the lowest of its best `per_group` paragraphs,
    # if it has that many (a paragraph may be there twice: it is counted once).
    _, first = np.unique(docs[top], return_index=True)
    distinct = np.bincount(groups[top[first]], minlength=count)
    floor = np.full(count, np.inf)  # groups not chosen: nothing
    np.minimum.at(floor, groups[top], scores[top])
    floor[chosen & (distinct < per_group)] = -np.inf
    return np.flatnonzero(scores >= floor[groups])


def _group_best(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each group's best score, and the lowest id among its entries with that score."""
    best = np.full(count, -np.inf)
    np.maximum.at(best, groups, scores)
    at_best = np.flatnonzero(scores == best[groups])
    lowest = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(lowest, groups[at_best], docs[at_best])
    return best, lowest


def _top_per_group(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, count: int, per_group: int
) -> np.ndarray:
    """Positions of each group's best `per_group` entries (score descending, id ascending)."""
    if per_group > 8:
        # Many per group: one sort beats a pass per rank.
        order = np.lexsort((docs, -scores, groups))
        ordered = groups[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
        return order[rank < per_group]
    live = scores.copy()
    taken = []
    for _ in range(per_group):
        best, lowest = _group_best(groups, live, docs, count)
        take = np.flatnonzero((live == best[groups]) & (docs == lowest[groups]))
        take = take[live[take] > -np.inf]
        if take.size == 0:
            break
        taken.append(take)
        live[take] = -np.inf
    return np.concatenate(taken) if taken else np.empty(0, np.int64)
