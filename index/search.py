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
MAX_QUESTION_CHARS = 2_000


def question_terms(db: sqlite3.Connection, question: str) -> list[str]:
    """The question's index terms, using the stored word -> terms map where it can."""
    if len(question) > MAX_QUESTION_CHARS:
        question = question[:MAX_QUESTION_CHARS]
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
        arrays["offsets"], arrays["postings"], arrays["contributions"], ids
    )
    chosen = _best_per_source(docs, scores, arrays["paragraph_source"], passages)

    query_terms = set(terms)
    by_source: dict[int, list[Passage]] = {}
    for doc, score in chosen:
        source = int(arrays["paragraph_source"][doc])
        by_source.setdefault(source, []).append(_passage(db, doc, score, query_terms))

    names = dict(db.execute("SELECT id, name FROM sources"))
    results = [
        SourceResult(source=names[s], articles=_articles_of(db, ps), passages=ps)
        for s, ps in by_source.items()
    ]
    if sources is not None:
        results = results[:sources]
    elif len(names) <= LIST_SILENT_SOURCES_UP_TO:
        for sid in sorted(set(names) - set(by_source), key=lambda s: names[s].casefold()):
            results.append(SourceResult(names[sid], _shown_articles_of_source(db, sid), []))
    return SearchResult(question=question, sources=results)


def _best_per_source(
    docs: np.ndarray, scores: np.ndarray, paragraph_source: np.ndarray, per_source: int
) -> list[tuple[int, float]]:
    """Up to `per_source` best paragraphs of each source, best first overall."""
    if docs.size == 0 or per_source <= 0:
        return []
    order = np.lexsort((docs, -scores))  # by score descending, then paragraph id
    ranked_sources = paragraph_source[docs[order]]
    by_source = np.argsort(ranked_sources, kind="stable")
    grouped = ranked_sources[by_source]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[starts, grouped.size])
    rank_in_source = np.arange(grouped.size) - np.repeat(starts, sizes)
    keep = np.sort(by_source[rank_in_source < per_source])
    picked = order[keep]
    return [(int(docs[i]), float(scores[i])) for i in picked]


def _passage(db: sqlite3.Connection, doc: int, score: float, query_terms: set[str]) -> Passage:
    key, idx, text, sentences = db.execute(
        "SELECT a.key, p.idx, p.text, p.sentences FROM paragraphs p "
        "JOIN articles a ON a.id = p.article_id WHERE p.id = ?",
        (doc,),
    ).fetchone()
    return Passage(
        article=key,
        paragraph=idx,
        score=score,
        text=text,
        terms=term_offsets(db, text, query_terms),
        sentences=[tuple(s) for s in json.loads(sentences)],
    )


def term_offsets(db: sqlite3.Connection, text: str, query_terms: set[str]) -> list[tuple[int, int]]:
    words = list(iter_words(text))
    known = lookup_words(db, (w for w, _, _ in words))
    out = []
    for word, start, end in words:
        found = known.get(word)
        if found is None:
            found = terms_of_word(word)
        if query_terms.intersection(found):
            out.append((start, end))
    return out


def _articles_of(db: sqlite3.Connection, passages: list[Passage]) -> list[ArticleRef]:
    keys = list(dict.fromkeys(p.article for p in passages))
    return [_article_ref(db, k) for k in keys]


def _article_ref(db: sqlite3.Connection, key: str) -> ArticleRef:
    title, url, date = db.execute(
        "SELECT title, url, date FROM articles WHERE key = ?", (key,)
    ).fetchone()
    return ArticleRef(id=key, title=title, url=url, date=date)


def _shown_articles_of_source(db: sqlite3.Connection, source_id: int) -> list[ArticleRef]:
    rows = db.execute(
        "SELECT key, title, url, date FROM articles WHERE source_id = ? AND key = canonical "
        "ORDER BY key LIMIT 20",
        (source_id,),
    )
    return [ArticleRef(id=k, title=t, url=u, date=d) for k, t, u, d in rows]
