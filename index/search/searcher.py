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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from index.errors import QuestionError
from index.result import ArticleRef, Passage, SearchResult, SourceResult
from index.search.bm25 import PostingsScorer
from index.search.store import Generation
from index.search.tokens import (
    WORD_PATTERN,
    iter_words,
    normalize_word,
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
# Remembered words per open index: a few hundred thousand entries of a few dozen bytes, tens
# of MB at most; past that the memory is started afresh.
WORD_CACHE_LIMIT = 300_000
# Pieces of text (runs between white space) remembered with their words, for marking query
# terms: a few hundred bytes each, so at most a few tens of MB.
PIECE_CACHE_LIMIT = 100_000
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
        self.scorer = PostingsScorer(
            _plain(arrays["offsets"]),
            _plain(arrays["postings"]),
            _plain(arrays["contributions"]),
            int(arrays["doc_len"].shape[0]),
        )
        self._names: dict[int, str] | None = None
        self._word_terms: dict[str, tuple[str, ...]] = {}
        # A piece of text (as `str.split` cuts it) -> its words: (start, end, terms).
        self._pieces: dict[str, tuple[tuple[int, int, tuple[str, ...]], ...]] = {}
        self._pieces_of_term: dict[str, set[str]] = {}  # term -> remembered pieces carrying it
        self._term_ids: dict[str, int | None] = {}
        self._term_stats: dict[int, TermStats] = {}
        self._term_stats_bytes = 0
        self._source_count: int | None = None
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
            names = self.source_names()
            if sources is None and len(names) > LIST_SILENT_SOURCES_UP_TO:
                sources = DEFAULT_SOURCES_IN_LARGE_CORPORA
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
            if len(names) <= LIST_SILENT_SOURCES_UP_TO and sources is None:
                for sid in sorted(set(names) - set(by_source), key=lambda s: names[s].casefold()):
                    results.append(SourceResult(names[sid], self._shown_articles(sid), []))
        return SearchResult(question=question, sources=results, matched_sources=matched)

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

        Texts are cut at white space (`str.split`, in C) into pieces such as "Trump's" or
        "(said,". Words never contain white space and the word pattern looks at nothing
        outside a match, so a text's words are its pieces' words, end to end (as the build
        reads them too). Each distinct piece is read once, and remembered with its words and
        their terms; a question then only locates the few pieces that carry its terms (by
        `str.find`, keeping occurrences with white space or the text's ends on both sides,
        which are exactly the pieces `str.split` cut). `marked_words` is the plain form.
        """
        with self._lock:
            split = [text.split() for text in texts]
            pieces: set[str] = set().union(*split) if split else set()
            self._learn_pieces(pieces)
            known = self._pieces
            carrying: set[str] = set()
            for term in query_terms:
                remembered = self._pieces_of_term.get(term)
                if remembered:
                    carrying |= remembered & pieces
            marked = {
                piece: [(s, e) for s, e, terms in known[piece] if not query_terms.isdisjoint(terms)]
                for piece in carrying
            }
        out = []
        for text, words in zip(texts, split, strict=True):
            spans: list[tuple[int, int]] = []
            if not carrying.isdisjoint(words):
                for piece in dict.fromkeys(w for w in words if w in carrying):
                    spans.extend(_piece_spans(text, piece, marked[piece]))
                spans.sort()
            out.append(spans)
        return out

    def _learn_pieces(self, pieces: set[str]) -> None:
        """Remember the words (offsets within the piece) and terms of pieces not seen yet."""
        known = self._pieces
        new = pieces.difference(known)
        if not new:
            return
        if len(known) + len(new) > PIECE_CACHE_LIMIT:
            known.clear()
            self._pieces_of_term.clear()
            new = pieces
        found = {
            p: [(m.start(), m.end(), m.group()) for m in WORD_PATTERN.finditer(p)] for p in new
        }
        normal = {raw: normalize_word(raw) for words in found.values() for _, _, raw in words}
        terms_of = self.word_terms(normal.values())
        by_term = self._pieces_of_term
        for piece, words in found.items():
            entry = tuple((s, e, terms_of[normal[raw]]) for s, e, raw in words)
            known[piece] = entry
            for _, _, terms in entry:
                for term in terms:
                    by_term.setdefault(term, set()).add(piece)

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


def _piece_spans(text: str, piece: str, marked: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    """`marked` (offsets within `piece`) at each place `str.split` cut `piece` from `text`."""
    size = len(piece)
    at = text.find(piece)
    while at >= 0:
        end = at + size
        if (at == 0 or text[at - 1].isspace()) and (end == len(text) or text[end].isspace()):
            for start, stop in marked:
                yield at + start, at + stop
            at = text.find(piece, end)
        else:
            at = text.find(piece, at + 1)


def marked_words(text: str, carries: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The offsets of the words of `text` (as written) for which `carries` is true: the
    definition `Searcher.highlights` is held to."""
    return [m.span() for m in WORD_PATTERN.finditer(text) if carries(m.group())]


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
    `per_source` times, over what is left. Every pass is linear and vectorised. A few
    thousand entries are simply sorted: those passes cost more in calls than in work.
    """
    if docs.size == 0 or per_source <= 0:
        return [], 0
    scores = np.asarray(scores, np.float64)
    if docs.size <= SORT_UP_TO:
        return _best_per_source_sorted(docs, scores, paragraph_source, per_source, max_sources)
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


# Up to this many entries, or when fewer than SHOWN_SHARE of them could be shown,
# `shown_passages` ranks them all; above, it ranks those above a floor first.
SELECT_WHOLE_UP_TO = 8_192
# The floor is set so that about this many entries per shown passage are above it...
FLOOR_ENTRIES_PER_SHOWN = 8
# ... as counted in a regular sample of about this many entries.
FLOOR_SAMPLE = 4_096


def shown_passages(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None,
    sources: np.ndarray | None = None,
    repeats: int | None = None,
) -> list[tuple[int, float]]:
    """`best_per_source`'s passages, ranking only the entries that can be shown.

    A common word gives a hundred thousand entries, of which a few dozen are shown. A
    regular sample sets a floor that about `FLOOR_ENTRIES_PER_SHOWN` entries per shown
    passage exceed; the entries at or above it are ranked (by `best_per_source`). Every
    source with an entry there ranks above every source without one, so when at least
    `max_sources` sources are there, the shown sources are those `best_per_source` picks
    among them. A shown source with fewer than `per_source` paragraphs there gets its best
    other entries ranked too (`sources`, the source of each entry, saves looking them up;
    `repeats` bounds how many entries one paragraph has, by default `docs.size`). Otherwise
    (few sources above the floor) everything is ranked.
    """
    repeats = docs.size if repeats is None else repeats
    wanted = per_source * (max_sources or 0)
    if (
        max_sources is None
        or wanted <= 0
        or docs.size <= SELECT_WHOLE_UP_TO
        or wanted * FLOOR_ENTRIES_PER_SHOWN * 4 > docs.size
    ):
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    step = max(1, docs.size // FLOOR_SAMPLE)
    sample = scores[::step]
    above_in_sample = max(1, wanted * FLOOR_ENTRIES_PER_SHOWN // step)
    if above_in_sample >= sample.size:
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    floor = np.partition(sample, sample.size - above_in_sample)[sample.size - above_in_sample]
    above = np.flatnonzero(scores >= floor)
    picked, present = best_per_source(
        docs[above], scores[above], paragraph_source, per_source, max_sources
    )
    if present < max_sources:
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    counts: dict[int, int] = {}
    for doc, _ in picked:
        source = int(paragraph_source[doc])
        counts[source] = counts.get(source, 0) + 1
    short = [source for source, count in counts.items() if count < per_source]
    if not short:
        return picked
    if sources is None:
        sources = paragraph_source[docs]
    is_short = np.zeros(max(short) + 1, np.bool_)
    is_short[short] = True
    rest = np.flatnonzero(is_short[np.minimum(sources, is_short.size - 1)] & (scores < floor))
    # Of each short source's other entries only its best `per_source * repeats` can matter
    # (a paragraph has at most `repeats` entries), and any tied with the last of them.
    keep = [above]
    most = per_source * repeats
    rest_sources = sources[rest]
    for source in short:
        here = rest[rest_sources == source]
        if here.size > most:
            values = scores[here]
            least = np.partition(values, values.size - most)[values.size - most]
            here = here[values >= least]
        keep.append(here)
    kept = np.concatenate(keep)
    return best_per_source(docs[kept], scores[kept], paragraph_source, per_source, max_sources)[0]


# Up to this many entries `best_per_source` sorts them.
SORT_UP_TO = 2_048


def _best_per_source_sorted(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None,
) -> tuple[list[tuple[int, float]], int]:
    """`best_per_source` by its definition: each paragraph once, best first (ties: lower
    id); sources in order of their best; each chosen source's first `per_source`."""
    unique, first = np.unique(docs, return_index=True)
    values = scores[first]
    order = np.lexsort((unique, -values))
    unique, values = unique[order], values[order]
    sources = paragraph_source[unique].tolist()
    ranked = list(dict.fromkeys(sources))
    taken = dict.fromkeys(ranked[:max_sources], 0)
    out = []
    for doc, score, source in zip(unique.tolist(), values.tolist(), sources, strict=True):
        count = taken.get(source)
        if count is not None and count < per_source:
            taken[source] = count + 1
            out.append((doc, score))
    return out, len(ranked)


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
