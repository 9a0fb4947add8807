"""Question -> ranked passages, grouped by source.

Every source with a matching paragraph gets its best few passages; sources are ordered by their
best passage. Ties are broken by paragraph id (corpus order) so the same question always gives
the same answer. Query terms are located in each passage by re-reading its words and looking up
their stored terms, so highlighting agrees with what was actually matched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import numpy as np

from index.bm25 import score_postings
from index.errors import QuestionError
from index.result import ArticleRef, Passage, SearchResult, SourceResult
from index.store import Generation
from index.tokens import iter_words, terms_of_word

# Small corpora list the sources that matched nothing, so a reader sees who is silent; in an
# archive of hundreds of outlets that list would bury the results.
LIST_SILENT_SOURCES_UP_TO = 20
# ... and, unless asked for more, show that many sources of an archive (the result says how
# many matched in all).
DEFAULT_SOURCES_IN_LARGE_CORPORA = 20
RANK_WINDOW = 20_000
MAX_QUESTION_CHARS = 2_000


def question_terms(db: sqlite3.Connection, question: str) -> list[str]:
    """The question's index terms, using the stored word -> terms map where it can."""
    words = [w for w, _, _ in iter_words(question)]
    known = lookup_words(db, words)
    out: list[str] = []
    for word in words:
        found = known.get(word)
        out.extend(found if found is not None else terms_of_word(word))
    return out


def lookup_words(db: sqlite3.Connection, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    unique = list(dict.fromkeys(words))
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for word, terms in db.execute(
            f"SELECT word, terms FROM words WHERE word IN ({marks})", chunk
        ):
            out[word] = tuple(terms.split())
    return out


def search(
    generation: Generation, question: str, passages: int = 3, sources: int | None = None
) -> SearchResult:
    if not question.strip():
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        # Refused, not cut: answering reads the whole question, and a pasted page would be
        # slow to answer and a poor question.
        raise QuestionError(
            f"the question is too long ({len(question):,} characters; "
            f"at most {MAX_QUESTION_CHARS:,})"
        )
    db = generation.db
    terms = question_terms(db, question)
    if not terms:
        raise QuestionError(
            "the question has no words to search for (only stopwords or punctuation)"
        )
    marks = ",".join("?" * len(set(terms)))
    term_id = dict(
        db.execute(f"SELECT term, id FROM terms WHERE term IN ({marks})", list(set(terms)))
    )
    arrays = generation.arrays
    ids = [term_id[t] for t in terms if t in term_id]
    docs, scores = score_postings(
        arrays["offsets"],
        arrays["postings"],
        arrays["contributions"],
        ids,
        int(arrays["doc_len"].shape[0]),
    )
    names = dict(db.execute("SELECT id, name FROM sources"))
    if sources is None and len(names) > LIST_SILENT_SOURCES_UP_TO:
        sources = DEFAULT_SOURCES_IN_LARGE_CORPORA
    paragraph_source = arrays["paragraph_source"]
    chosen, matched_sources = best_per_source(docs, scores, paragraph_source, passages, sources)
    fetched = _passages(db, [doc for doc, _ in chosen], set(terms))

    by_source: dict[int, list[Passage]] = {}
    for doc, score in chosen:
        passage = fetched[doc]
        passage.score = score
        by_source.setdefault(int(paragraph_source[doc]), []).append(passage)
    refs = _article_refs(db, {p.article for ps in by_source.values() for p in ps})
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
            results.append(SourceResult(names[sid], _shown_articles_of_source(db, sid), []))
    return SearchResult(question=question, sources=results, matched_sources=matched_sources)


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
    common word can touch half a million paragraphs, so only the best RANK_WINDOW of them
    (and whatever ties the last) are sorted when that is provably enough; a chosen source left
    short of passages by that window is topped up from the rest.
    """
    if docs.size == 0 or per_source <= 0:
        return [], 0
    touched_sources = paragraph_source[docs]
    matched = int(np.count_nonzero(np.bincount(touched_sources)))
    window = np.arange(docs.size)
    if docs.size > RANK_WINDOW and max_sources is not None:
        # Everything scoring at least the window's lowest score, ties included: a source
        # outside it ranks below every source inside, so if the window holds enough sources
        # the chosen ones are exactly those of a full sort.
        threshold = scores[np.argpartition(-scores, RANK_WINDOW - 1)[RANK_WINDOW - 1]]
        candidates = np.flatnonzero(scores >= threshold)
        if np.unique(touched_sources[candidates]).size >= max_sources:
            window = candidates
    picked = window[
        _rank(docs[window], scores[window], touched_sources[window], per_source, max_sources)
    ]
    if window.size < docs.size:
        picked = _top_up(picked, docs, scores, touched_sources, per_source)
    picked = picked[np.lexsort((docs[picked], -scores[picked]))]
    return [(int(docs[i]), float(scores[i])) for i in picked], matched


def _rank(
    docs: np.ndarray,
    scores: np.ndarray,
    sources: np.ndarray,
    per_source: int,
    max_sources: int | None,
) -> np.ndarray:
    """Indexes of the best `per_source` of each of the best `max_sources` sources."""
    if docs.size == 0:
        return np.empty(0, np.int64)
    order = np.lexsort((docs, -scores, sources))  # by source, then score desc, then id
    grouped = sources[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    firsts = order[starts]  # each source's best
    chosen = firsts[np.lexsort((docs[firsts], -scores[firsts]))][:max_sources]
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    keep = order[rank < per_source]
    return keep[np.isin(sources[keep], sources[chosen])]


def _top_up(
    picked: np.ndarray,
    docs: np.ndarray,
    scores: np.ndarray,
    sources: np.ndarray,
    per_source: int,
) -> np.ndarray:
    counts = np.bincount(sources[picked], minlength=int(sources.max()) + 1)
    short = np.flatnonzero((counts > 0) & (counts < per_source))
    if short.size == 0:
        return picked
    rest = np.flatnonzero(np.isin(sources, short))
    rest = rest[~np.isin(rest, picked)]
    extra = rest[_rank(docs[rest], scores[rest], sources[rest], per_source, None)]
    merged = np.concatenate([picked, extra])
    # Keep each short source's best `per_source` of what it had and what was added.
    return merged[_rank(docs[merged], scores[merged], sources[merged], per_source, None)]


def _passages(db: sqlite3.Connection, ids: list[int], query_terms: set[str]) -> dict[int, Passage]:
    """The paragraphs `ids` as Passages (score left at 0), in two queries, not one per id."""
    out: dict[int, Passage] = {}
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows += db.execute(
            "SELECT p.id, a.key, p.idx, p.text, p.sentences FROM paragraphs p "
            f"JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})",
            chunk,
        ).fetchall()
    words = {row[0]: list(iter_words(row[3])) for row in rows}
    known = lookup_words(db, (w for ws in words.values() for w, _, _ in ws))
    for pid, key, idx, text, sentences in rows:
        out[pid] = Passage(
            article=key,
            paragraph=idx,
            score=0.0,
            text=text,
            terms=_matches(words[pid], known, query_terms),
            sentences=[tuple(s) for s in json.loads(sentences)],
        )
    return out


def _matches(
    words: list[tuple[str, int, int]], known: dict[str, tuple[str, ...]], query_terms: set[str]
) -> list[tuple[int, int]]:
    out = []
    for word, start, end in words:
        found = known.get(word)
        if found is None:
            found = terms_of_word(word)
        if query_terms.intersection(found):
            out.append((start, end))
    return out


def term_offsets(db: sqlite3.Connection, text: str, query_terms: set[str]) -> list[tuple[int, int]]:
    """Offsets of the words of `text` that carry any of `query_terms`."""
    words = list(iter_words(text))
    return _matches(words, lookup_words(db, (w for w, _, _ in words)), query_terms)


def _article_refs(db: sqlite3.Connection, keys: set[str]) -> dict[str, ArticleRef]:
    out = {}
    keys_list = sorted(keys)
    for start in range(0, len(keys_list), 500):
        chunk = keys_list[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for key, title, url, date in db.execute(
            f"SELECT key, title, url, date FROM articles WHERE key IN ({marks})", chunk
        ):
            out[key] = ArticleRef(id=key, title=title, url=url, date=date)
    return out


def _shown_articles_of_source(db: sqlite3.Connection, source_id: int) -> list[ArticleRef]:
    rows = db.execute(
        "SELECT key, title, url, date FROM articles WHERE source_id = ? AND key = canonical "
        "ORDER BY key LIMIT 20",
        (source_id,),
    )
    return [ArticleRef(id=k, title=t, url=u, date=d) for k, t, u, d in rows]
