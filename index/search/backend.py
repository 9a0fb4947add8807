"""What a search backend gives the engine: ranked passages per source, and the articles.

The facade (`index.corpus.Corpus`) asks, answers and shows through this interface only, so the
same questions, answers, comparisons, CLI and app run on the embedded index
(`index.search.local`) and on an OpenSearch cluster (`index.search.opensearch`). A backend
returns passages with their sentences; answering reads whole articles and copies through it.
"""

from __future__ import annotations

from typing import Any, Protocol

from index.articles import Article, ArticleInfo, Problem
from index.result import SearchResult


class SearchBackend(Protocol):
    """One searchable corpus. Implementations serialise their own access (the app's workers
    call them from several threads)."""

    @property
    def meta(self) -> dict[str, Any]:
        """What the index records about itself: "params" (BM25 k1, b, epsilon), "counts"
        (articles, copies, paragraphs, sources, terms), and whatever else it keeps."""
        ...

    def search(
        self,
        question: str,
        passages: int,
        sources: int | None,
        *,
        marks: bool = True,
        by: str = "source",
    ) -> SearchResult:
        """The best `passages` of each of the best `sources` sources (the engine's default cap
        when None), sources ordered by their best passage; `matched_sources` counts every
        source with a match. With `marks=False` the passages' `terms` may be left empty
        (`term_offsets` marks the ones kept). With `by="article"` the groups are articles
        (`group_by` says so); a backend that cannot group so raises ReaderError."""
        ...

    def term_offsets(self, question: str, texts: list[str]) -> list[list[tuple[int, int]]]:
        """For each text, the (start, end) offsets of the words that carry a question term."""
        ...

    def source_names(self) -> list[str]: ...

    def articles(self) -> list[ArticleInfo]:
        """Every shown article (copies are listed on the article they copy)."""
        ...

    def article(self, key: str) -> Article:
        """An article with its clean paragraphs; ReaderError when there is none."""
        ...

    def copies(self, key: str) -> list[str]:
        """Every copy in `key`'s duplicate group, the shown one first (just `key` if none)."""
        ...

    def article_keys(self) -> list[str]:
        """Every article key, copies included, in corpus order."""
        ...

    def problems(self) -> list[Problem]:
        """Files and lines the build skipped or read with a caveat."""
        ...
