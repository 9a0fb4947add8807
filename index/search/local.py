"""The embedded index as a search backend: one open generation, memory-mapped, and its SQLite.

Searching is the `Searcher`'s; reading articles, copies and the library are SQLite queries
here. One connection is shared by the app's worker threads, so every use takes the lock.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from index.articles import Article, ArticleInfo, Paragraph, Problem, library
from index.errors import ReaderError
from index.result import SearchResult
from index.search import store
from index.search.searcher import Searcher


class LocalIndex:
    """`SearchBackend` over an open generation of the embedded index."""

    def __init__(self, generation: store.Generation) -> None:
        self.generation = generation
        self.searcher = Searcher(generation)
        self._lock = threading.Lock()
        self._copies: dict[str, list[str]] | None = None  # see `_copies_of`

    @property
    def meta(self) -> dict[str, Any]:
        return self.generation.meta

    def search(
        self,
        question: str,
        passages: int,
        sources: int | None,
        *,
        marks: bool = True,
        by: str = "source",
    ) -> SearchResult:
        with self._lock:
            return self.searcher.search(question, passages, sources, marks=marks, by=by)

    def term_offsets(self, question: str, texts: list[str]) -> list[list[tuple[int, int]]]:
        with self._lock:
            return self.searcher.term_offsets(question, texts)

    def source_names(self) -> list[str]:
        with self._lock:
            db = self.generation.db
            return [n for (n,) in db.execute("SELECT name FROM sources ORDER BY id")]

    def articles(self) -> list[ArticleInfo]:
        with self._lock:
            rows = self.generation.db.execute(
                "SELECT a.key, a.path, s.name, a.title, a.author, a.date, a.url, "
                "a.paragraph_count, a.chars, a.canonical FROM articles a "
                "JOIN sources s ON s.id = a.source_id ORDER BY a.id"
            ).fetchall()
        return library(
            [
                (ArticleInfo(key, path, source, title, author, date, url, count, chars, []), shown)
                for key, path, source, title, author, date, url, count, chars, shown in rows
            ]
        )

    def article(self, key: str) -> Article:
        with self._lock:
            db = self.generation.db
            row = db.execute(
                "SELECT a.id, a.key, a.path, s.name, a.title, a.author, a.date, a.url, "
                "a.canonical, a.removed, a.first_paragraph, a.paragraph_count "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.key = ?",
                (key,),
            ).fetchone()
            if row is None:
                raise ReaderError(f"no such article: {key}")
            # An article's paragraphs are stored under consecutive ids: a range of the
            # primary key, not a scan of the table for its article id.
            first, count = row[10], row[11]
            paragraphs = [
                Paragraph(text, [tuple(s) for s in json.loads(sentences)])
                for text, sentences in db.execute(
                    "SELECT text, sentences FROM paragraphs WHERE id >= ? AND id < ? "
                    "AND article_id = ? ORDER BY idx",
                    (first, first + count, row[0]),
                )
            ]
        return Article(
            key=row[1],
            path=row[2],
            source=row[3],
            title=row[4],
            author=row[5],
            date=row[6],
            url=row[7],
            paragraphs=paragraphs,
            canonical=row[8],
            removed=json.loads(row[9]),
        )

    def copies(self, key: str) -> list[str]:
        with self._lock:
            row = self.generation.db.execute(
                "SELECT canonical FROM articles WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return []
            return [row[0], *self._copies_of().get(row[0], [])]

    def _copies_of(self) -> dict[str, list[str]]:
        """Shown article -> its other copies, read once: answering asks for each answer's
        copies, and `canonical` has no index (a lookup would scan every article's row, tens
        of milliseconds per answer on an archive), while copies are a small share of it."""
        if self._copies is None:
            grouped: dict[str, list[str]] = {}
            for key, canonical in self.generation.db.execute(
                "SELECT key, canonical FROM articles WHERE key != canonical ORDER BY key"
            ):
                grouped.setdefault(canonical, []).append(key)
            self._copies = grouped
        return self._copies

    def article_keys(self) -> list[str]:
        with self._lock:
            db = self.generation.db
            return [k for (k,) in db.execute("SELECT key FROM articles ORDER BY id")]

    def problems(self) -> list[Problem]:
        with self._lock:
            rows = self.generation.db.execute(
                "SELECT path, line, reason, warning FROM problems"
            ).fetchall()
        return [Problem(p, r, line, bool(w)) for p, line, r, w in rows]

    def close(self) -> None:
        self.generation.db.close()
