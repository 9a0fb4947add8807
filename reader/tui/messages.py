"""Messages that carry work done in threads (opening the corpus, answering) to the UI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from index.errors import ReaderError
from index.result import SearchResult
from reader.tui.articles import ArticleCache, Loaded
from reader.tui.result_items import QuestionMarks, ResultItem

if TYPE_CHECKING:
    from index.articles import ArticleInfo
    from index.corpus import Corpus


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
    def __init__(self, articles: list[ArticleInfo], rows: list) -> None:
        super().__init__()
        self.articles = articles
        self.rows = rows  # library_table.Row for each article, made in the worker


class QuestionAnswered(Message):
    """A question's results, with their results-pane entries and article marks laid out.

    A question is reported up to three times: its passages as soon as they are found
    (`answered` 0), the answers of its first sources (`answered` that many), and all of it
    (`answered` None).
    """

    def __init__(
        self,
        serial: int,
        result: SearchResult,
        items: list[ResultItem],
        marks: QuestionMarks,
        answered: int | None = None,
    ) -> None:
        super().__init__()
        self.serial, self.result, self.items, self.marks = serial, result, items, marks
        self.answered = answered

    @property
    def final(self) -> bool:
        return self.answered is None


class QuestionFailed(Message):
    def __init__(self, serial: int, error: str) -> None:
        super().__init__()
        self.serial, self.error = serial, error


class ArticleLoaded(Message):
    def __init__(self, key: str, loaded: Loaded | None, error: str | None = None) -> None:
        super().__init__()
        self.key, self.loaded, self.error = key, loaded, error


def article_loaded(cache: ArticleCache, corpus: Corpus, key: str) -> ArticleLoaded:
    """Load an article in a worker thread; the message carries it or the one-line error."""
    try:
        return ArticleLoaded(key, cache.load(corpus, key))
    except ReaderError as exc:
        return ArticleLoaded(key, None, str(exc))
    except Exception as exc:  # an engine bug: report it in the pane, keep the app alive
        return ArticleLoaded(key, None, f"internal error: {exc!r}")
