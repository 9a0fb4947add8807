"""Messages that carry work done in threads (opening the corpus, answering) to the UI.

A question goes through a chain of them, each stage started by the handler of the one before,
so no thread ever waits on another: the search posts `PassagesFound`; the screen draws the
passages, and the results list posts `ResultsList.Drawn`; only then does the screen start
answering, which posts `AnswersFound` for the first sources (partial) and then for all (final).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from index.result import SearchResult
from reader.tui.articles import Loaded
from reader.tui.result_items import QuestionMarks, ResultItem

if TYPE_CHECKING:
    from index.articles import ArticleInfo
    from index.corpus import Corpus, PendingAsk
    from reader.tui.app import ReaderApp
    from reader.tui.library_table import Row


class CorpusProgress(Message):
    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class CorpusReady(Message):
    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus


class CorpusFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LibraryLoaded(Message):
    def __init__(self, articles: list[ArticleInfo], rows: list[Row]) -> None:
        super().__init__()
        self.articles = articles
        self.rows = rows  # one per article, made in the worker


class QuestionResult(Message):
    """A stage of question `serial`'s results, with its results-pane entries and article
    marks laid out in the worker that produced it."""

    def __init__(
        self, serial: int, result: SearchResult, items: list[ResultItem], marks: QuestionMarks
    ) -> None:
        super().__init__()
        self.serial, self.result, self.items, self.marks = serial, result, items, marks


class PassagesFound(QuestionResult):
    """The passages of every source, before any answer (the search takes milliseconds).

    `pending` answers them, started once they are drawn; None when there is nothing to
    answer (a question no source's sentence can answer: the passages are all of it).
    """

    def __init__(
        self,
        serial: int,
        pending: PendingAsk | None,
        result: SearchResult,
        items: list[ResultItem],
        marks: QuestionMarks,
    ) -> None:
        super().__init__(serial, result, items, marks)
        self.pending = pending

    @property
    def final(self) -> bool:
        return self.pending is None


class AnswersFound(QuestionResult):
    """Answers: for the first `answered` sources (partial, the rest still to come), or for
    every source and how they compare (final, `answered` None)."""

    def __init__(
        self,
        serial: int,
        result: SearchResult,
        items: list[ResultItem],
        marks: QuestionMarks,
        answered: int | None = None,
    ) -> None:
        super().__init__(serial, result, items, marks)
        self.answered = answered

    @property
    def partial(self) -> bool:
        return self.answered is not None


class QuestionFailed(Message):
    def __init__(self, serial: int, error: str) -> None:
        super().__init__()
        self.serial, self.error = serial, error


class ArticleLoaded(Message):
    def __init__(self, key: str, loaded: Loaded | None, error: str | None = None) -> None:
        super().__init__()
        self.key, self.loaded, self.error = key, loaded, error


def article_loaded(app: ReaderApp, key: str) -> ArticleLoaded:
    """Load an article in a worker thread; the message carries it or the one-line error."""
    try:
        assert app.corpus is not None, "articles are loaded once the corpus is open"
        return ArticleLoaded(key, app.article_cache.load(app.corpus, key))
    except Exception as exc:  # reported in the pane; the app goes on
        return ArticleLoaded(key, None, app.failure(exc))
