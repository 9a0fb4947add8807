"""An indexed corpus: the one object the CLI and the TUI talk to.

`Corpus.open` gets a current index (`index.search.lifecycle`: built, refreshed or repaired as
needed) and opens it memory-mapped. A question then goes one way: the searcher ranks passages
per source, `PendingAsk` holds them with the analysed question, and answering
(`index.answers`) returns a new result from them; what is shown of a result (which passages,
in which order, with their terms marked) is decided in one place, `_displayed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.articles import Article, ArticleInfo, Problem
from index.errors import AnsweringCancelled, ReaderError
from index.ingest import Progress
from index.result import Passage, SearchResult, SourceResult
from index.search import lifecycle
from index.search.backend import SearchBackend
from index.search.bm25 import BM25Params
from index.search.local import LocalIndex
from index.settings import GROUPINGS, PASSAGES_PER_SOURCE, PASSAGES_READ_FOR_ANSWERS

if TYPE_CHECKING:
    from index.answers.question import Question
    from index.search.cluster import ClusterSettings


@dataclass
class PendingAsk:
    """A question searched for answering, not answered yet (see `Corpus.begin_ask`).

    Answering takes seconds on a large archive, searching milliseconds: an app shows
    `preview()` at once and `answer()` when ready. Both build new results from what is held
    here, so a result on screen is never changed by answering running beside it.
    """

    question: Question  # analysed once, for search and answers alike
    passages: int  # passages shown per source
    found: SearchResult  # up to PASSAGES_READ_FOR_ANSWERS per source, terms not marked
    corpus: Corpus

    @property
    def answer_type(self) -> str:
        """What the question asks for ("person", "place", ...; "other": anything else)."""
        return self.question.answer_type

    @property
    def answers_follow(self) -> bool:
        """Whether `answer()` can give any source an answer (else the passages are all)."""
        from index.answers.layers import answers_follow

        return answers_follow(self.question)

    def preview(self) -> SearchResult:
        """What `answer()` will show, before answers: passages in score order, terms marked,
        `answer_type` set (an app can tell whether answers will follow)."""
        return self.corpus._displayed(
            replace(self.found, answer_type=self.answer_type), self.passages
        )

    def answer(
        self, sources: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> SearchResult:
        """Answers for the first `sources` sources (all if None), and how they compare.

        Answering fewer sources answers them sooner, and compares only them. `cancelled` is
        asked before each article answering reads; once it says yes, AnsweringCancelled is
        raised, so an answer nobody waits for stops using the interpreter.
        """
        from index.answers.annotate import annotate

        found = replace(self.found, sources=self.found.sources[:sources])
        view = self.corpus if cancelled is None else _CancellableView(self.corpus, cancelled)
        return self.corpus._displayed(annotate(self.question, found, view), self.passages)


class Corpus:
    """A corpus behind a search backend: the embedded index (`open`) or a cluster's."""

    def __init__(self, root: Path | None, index_dir: Path | None, backend: SearchBackend) -> None:
        self.root = root  # the corpus folder; None for a corpus known only to a cluster
        self.index_dir = index_dir  # where the embedded index is; None for a cluster
        self.backend = backend
        # Set by `open`: what the user should be told about the index (rebuilt after
        # damage, kept in a fallback folder, not updated), one line each.
        self.warnings: list[str] = []
        self.outdated = False  # the index could not be updated; this is the previous one
        self._single_source: bool | None = None  # see `grouping`

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        index_dir: Path | None = None,
        params: BM25Params | None = None,
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> Corpus:
        """Open the corpus's embedded index, building or refreshing it first if needed."""
        opened = lifecycle.open_index(root, index_dir, params, progress, rebuild)
        backend = LocalIndex(opened.generation)
        corpus = cls(lifecycle.check_corpus_dir(root), opened.index_dir, backend)
        corpus.warnings = opened.warnings
        corpus.outdated = opened.outdated
        return corpus

    @classmethod
    def connect(cls, settings: ClusterSettings) -> Corpus:
        """A corpus indexed into a cluster (`reader index --backend opensearch`)."""
        from index.search.opensearch import OpenSearchIndex

        return cls(None, None, OpenSearchIndex(settings))

    @property
    def name(self) -> str:
        """What the user calls this corpus: its folder's name, or the cluster index's."""
        if self.root is not None:
            return self.root.name
        return getattr(self.backend, "name", "corpus")

    # -- questions -------------------------------------------------------------------------

    def grouping(self, by: str | None = None) -> str:
        """What a question's results are grouped by: `by` if given ("source" or "article"),
        else by article when the corpus has a single source (an archive of one outlet, where
        grouping by source gives one group of three passages) and the backend can, else by
        source."""
        if by is not None:
            if by not in GROUPINGS:
                raise ReaderError(f"unknown grouping '{by}' (choose from {', '.join(GROUPINGS)})")
            return by
        if self._single_source is None:
            self._single_source = len(self.source_names()) == 1
        return (
            "article" if self._single_source and isinstance(self.backend, LocalIndex) else "source"
        )

    def search(
        self,
        question: str,
        passages: int = PASSAGES_PER_SOURCE,
        sources: int | None = None,
        by: str | None = None,
    ) -> SearchResult:
        """Ranked passages per source (or per article, see `grouping`), without answers."""
        return self.backend.search(question, passages, sources, by=self.grouping(by))

    def ask(
        self,
        question: str,
        passages: int = PASSAGES_PER_SOURCE,
        sources: int | None = None,
        by: str | None = None,
    ) -> SearchResult:
        """Passages per source, each source's answer and how the answers compare (per
        article instead, see `grouping`: answers are then compared between articles)."""
        return self.begin_ask(question, passages, sources, by).answer()

    def begin_ask(
        self,
        question: str,
        passages: int = PASSAGES_PER_SOURCE,
        sources: int | None = None,
        by: str | None = None,
    ) -> PendingAsk:
        """The search half of `ask`, with the extra passages answering reads."""
        # Query terms are marked only in the passages kept, after answering (which does not
        # read them): marking is a good part of a query's time.
        found = self.backend.search(
            question,
            max(passages, PASSAGES_READ_FOR_ANSWERS),
            sources,
            marks=False,
            by=self.grouping(by),
        )
        from index.answers.question import analyse

        return PendingAsk(analyse(question), passages, found, self)

    def _displayed(self, result: SearchResult, passages: int) -> SearchResult:
        """What is shown of `result`: per source, the passage that holds its answer first
        (BM25 ranks by the question's words, but the sentence that answers "where does X
        live?" may say "teaching English in Y" and score below paragraphs that merely name
        X), then the rest in score order, `passages` in all, with the query terms marked."""
        shown = [_answer_passage_first(source)[:passages] for source in result.sources]
        texts = [p.text for kept in shown for p in kept]
        offsets = iter(self.backend.term_offsets(result.question, texts))
        return replace(
            result,
            sources=[
                replace(source, passages=[replace(p, terms=next(offsets)) for p in kept])
                for source, kept in zip(result.sources, shown, strict=True)
            ],
        )

    # -- reading ---------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        return self.backend.meta

    def source_names(self) -> list[str]:
        return self.backend.source_names()

    def articles(self) -> list[ArticleInfo]:
        """Every shown article (copies are listed on the article they copy)."""
        return self.backend.articles()

    def article(self, key: str) -> Article:
        return self.backend.article(key)

    def copies(self, key: str) -> list[str]:
        """Every copy in `key`'s duplicate group, the shown one first (just `key` if none)."""
        return self.backend.copies(key)

    def find_article(self, ref: str) -> str:
        """Resolve what a user typed (a key, a file name, a unique prefix) to an article key."""
        keys = self.backend.article_keys()
        if ref in keys:
            return ref
        for match in (
            [k for k in keys if k.rsplit("/", 1)[-1] == ref],
            [k for k in keys if k.startswith(ref)],
            [k for k in keys if ref.casefold() in k.casefold()],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                shown = ", ".join(match[:5]) + (" ..." if len(match) > 5 else "")
                raise ReaderError(f"'{ref}' matches {len(match)} articles: {shown}")
        raise ReaderError(f"no article matches '{ref}' (see `reader sources`)")

    def problems(self) -> list[Problem]:
        return self.backend.problems()


class _CancellableView:
    """The corpus as answering reads it, raising AnsweringCancelled once `cancelled()`."""

    def __init__(self, corpus: Corpus, cancelled: Callable[[], bool]) -> None:
        self._corpus = corpus
        self._cancelled = cancelled

    def _check(self) -> None:
        if self._cancelled():
            raise AnsweringCancelled

    def article(self, key: str) -> Article:
        self._check()
        return self._corpus.article(key)

    def copies(self, key: str) -> list[str]:
        self._check()
        return self._corpus.copies(key)

    def source_names(self) -> list[str]:
        self._check()
        return self._corpus.source_names()


def _answer_passage_first(source: SourceResult) -> list[Passage]:
    """The source's passages with the one that holds its answer first (see `_displayed`)."""
    answer = source.answer
    passages = list(source.passages)
    if answer is None:
        return passages
    for i, passage in enumerate(passages):
        if (passage.article, passage.paragraph) == (answer.article, answer.paragraph):
            passages.insert(0, passages.pop(i))
            break
    return passages
