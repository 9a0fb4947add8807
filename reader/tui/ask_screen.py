"""The main screen: a question, what every source says about it, and the article being read.

Questions are answered in a thread worker (a new question cancels the one before it, and a
stale answer is dropped by its serial number), articles are loaded in another, so typing,
moving and scrolling never wait for the corpus.

A question is shown in phases: its passages as soon as the search has found them (tens of
milliseconds), then each source's answer and the verdict, which on a large archive take
seconds; the first sources, those on screen, are answered before the rest. Answers fill in
the list under the reader's selection without moving it (ResultsList.update_result).

The first results are drawn in one frame (results and status line) before anything else is
done for them: the article pane follows, and the articles the list points at are read ahead,
only once they are on screen. Threads share one interpreter lock, so work done alongside, in
any thread, delays them.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import get_current_worker

from index.errors import AnsweringCancelled, ReaderError
from index.result import SearchResult
from reader.textsafe import one_line
from reader.tui import keys
from reader.tui.article_view import ArticleView
from reader.tui.citation import cite
from reader.tui.messages import ArticleLoaded, QuestionAnswered, QuestionFailed, article_loaded
from reader.tui.result_items import MAX_SOURCES_SHOWN, QuestionMarks, Target, build_items
from reader.tui.results_list import ResultsList
from reader.tui.status_line import StatusLine

PASSAGES_PER_SOURCE = 3
# Articles read ahead after an answer is drawn, so the first moves down the list are instant.
PREFETCH_ARTICLES = 8
# The article pane follows a new answer once the results are drawn; if they are not drawn
# (another screen on top, the article pane zoomed), after this long (seconds) instead.
FOLLOW_FALLBACK_DELAY = 0.1
# Sources answered first, before all of them are: about as many as the results pane shows
# at once (a source with its passages takes a dozen rows or more), so the answers in view
# come in a fraction of the time all of them take. Answering all of them afterwards answers
# these again (the comparison needs every source at once): that fraction is paid twice.
ANSWER_FIRST = 6
# Answering waits for the first results to be drawn, at most this long (seconds): it would
# take the interpreter from the drawing thread (the threads share it) and slow the drawing.
WAIT_FOR_DRAWN = 0.5


def welcome(keymap: dict[str, str]) -> str:
    """The first thing in the results pane: what to do, with the keys the user has now."""
    key = functools.partial(keys.key_of, keymap)
    return (
        "Type a question above and press Enter: every source's answer and passages appear "
        "here, and the article of the selected passage beside them.\n\n"
        f"{key('pane.next')} switches panes, {key('library')} opens the library, "
        f"{key('help')} lists every key, {key('palette')} opens the command palette."
    )


class QuestionInput(Input):
    """The question box; pasted or typed control characters are shown inert, never sent on."""

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(one_line(text))


class AskScreen(Screen, inherit_bindings=False):
    BINDINGS = keys.bindings(keys.ASK)
    AUTO_FOCUS = "#question"

    def __init__(self) -> None:
        super().__init__(id="ask")
        self.serial = 0
        self.pending: str | None = None  # asked before the index was ready
        self.marks = QuestionMarks()
        self.wanted: Target | None = None  # what the article pane should be showing
        self.to_follow: int | None = None  # serial of an answer the article pane awaits
        self.shown_serial: int | None = None  # the question whose results are on show
        self.results_drawn = threading.Event()  # set once a question's first results are drawn

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        yield QuestionInput(
            placeholder="Ask a question (e.g. “Where does … live?”) and press Enter",
            id="question",
        )
        yield StatusLine(id="status")
        with Horizontal(id="panes"):
            yield ResultsList(id="results")
            yield ArticleView(id="article")
        yield Footer()

    def on_mount(self) -> None:
        self.results.border_title = "Results"
        self.article.border_title = "Article"
        app = self.app
        self.results.show_message(welcome(app.user_keymap))
        if app.root is not None:
            self.query_one("#title", Static).update(one_line(f"reader · {app.root.name}"))
        if app.corpus is not None:
            self.corpus_ready()
        elif app.corpus_error is not None:
            self.corpus_failed(app.corpus_error)
        elif app.progress is not None:
            self.corpus_progress(*app.progress)
        else:
            self.status.say("Opening the corpus…")

    # -- parts -----------------------------------------------------------------------------------

    @property
    def question(self) -> Input:
        return self.query_one("#question", Input)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def results(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    @property
    def article(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    # -- the corpus, as the app opens it -------------------------------------------------------

    def corpus_progress(self, stage: str, done: int, total: int) -> None:
        self.status.progress(stage, done, total)

    def corpus_ready(self) -> None:
        corpus = self.app.corpus
        counts = corpus.meta.get("counts", {}) if corpus else {}
        title = f"reader · {corpus.root.name}" if corpus else "reader"
        if counts:
            articles, sources = counts.get("articles", 0), counts.get("sources", 0)
            title += f" · {articles} articles from {sources} sources"
        self.query_one("#title", Static).update(one_line(title))
        if self.pending is not None:
            question, self.pending = self.pending, None
            self.ask(question)
        else:
            self.status.say("Ready.")

    def corpus_failed(self, error: str) -> None:
        self.status.error(error)
        self.results.show_message(f"The corpus could not be opened:\n{error}\n\nPress q to quit.")

    # -- asking ------------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def submitted(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            self.status.say("Type a question first.")
            return
        self.ask(question)

    def ask(self, question: str) -> None:
        self.serial += 1
        if self.app.corpus is None:
            self.pending = question
            self.status.say("The question will be asked as soon as the index is ready.")
            return
        self.workers.cancel_group(self, "read ahead")  # the engine needs the interpreter
        self.status.say(f"Asking: {one_line(question)} …")
        self.results_drawn = threading.Event()
        self.run_question(question, self.serial, self.results_drawn)

    @work(thread=True, exclusive=True, group="question", name="question")
    def run_question(self, question: str, serial: int, drawn: threading.Event) -> None:

        worker = get_current_worker()
        corpus = self.app.corpus

        def cancelled() -> bool:  # a newer question was asked: stop using the interpreter
            return worker.is_cancelled or serial != self.serial

        try:
            # An archive with more outlets than the pane lists is asked for only those, which
            # spares the engine answering sources nobody would scroll to.
            many = corpus.meta.get("counts", {}).get("sources", 0) > MAX_SOURCES_SHOWN
            candidates = corpus.begin_ask(
                question, PASSAGES_PER_SOURCE, MAX_SOURCES_SHOWN if many else None
            )
            found = candidates.preview()
            if cancelled():
                return
            if candidates.answer_type == "other":  # nothing to answer: the passages are all
                self._report(serial, found, None)
                self._read_first_article(found)
                return
            self._report(serial, found, 0)
            self._read_first_article(found)
            drawn.wait(WAIT_FOR_DRAWN)
            if len(found.sources) > ANSWER_FIRST:
                first = candidates.answer(ANSWER_FIRST, cancelled)
                self._report(serial, _answered_first(first, found), ANSWER_FIRST)
            result = candidates.answer(None, cancelled)
        except AnsweringCancelled:
            return
        except ReaderError as exc:
            self.post_message(QuestionFailed(serial, str(exc)))
            return
        except Exception as exc:  # an engine bug: report it on the status line, keep going
            self.post_message(QuestionFailed(serial, f"internal error: {exc!r}"))
            return
        self._report(serial, result, None)

    def _report(self, serial: int, result: SearchResult, answered: int | None) -> None:
        """Lay `result` out here, in the worker, and hand it to the screen.

        The entries are measured here too, so that the list finds their heights known: before
        they are handed over when they follow earlier results of the question, after (while
        the first screen is drawn, which needs only a few of them) when they are the first.
        """
        items, marks = build_items(result, answered), QuestionMarks.of(result)
        first = self.shown_serial != serial
        if not first:
            self.results.premeasure(items)
        if serial == self.serial and not get_current_worker().is_cancelled:
            self.post_message(QuestionAnswered(serial, result, items, marks, answered))
            if first:
                self.results.premeasure(items)

    def _read_first_article(self, result: SearchResult) -> None:
        """Read the first entry's article now, while the results are drawn (the database
        read lets the interpreter go), for the article pane to show it once they are: on a
        large archive, reading it first kept the results waiting tens of milliseconds. The
        next few are read ahead once the results are on screen."""
        for key in _article_keys(result)[:1]:
            _load_quietly(self.app.article_cache, self.app.corpus, key)

    @work(thread=True, exclusive=True, group="read ahead", name="read ahead")
    def read_ahead(self, keys: list[str]) -> None:
        worker = get_current_worker()
        for key in keys:
            if worker.is_cancelled:
                return
            _load_quietly(self.app.article_cache, self.app.corpus, key)

    def on_question_answered(self, message: QuestionAnswered) -> None:
        if message.serial != self.serial:
            return
        result = message.result
        self.marks = message.marks
        if self.shown_serial == message.serial:
            # The question on show, answered further: filled in under the reader's selection;
            # the article pane keeps its place and gains the answers' marks.
            self.results.update_result(result, message.items)
            if self.article.article is not None:
                self.article.set_marks(self.marks)
            self.status.say(self._found(result, message.answered))
            return
        self.shown_serial = message.serial
        self.results.show_result(result, message.items)
        self.status.say(self._found(result, message.answered))
        # The whole screen is repainted in the next frame. The panes would report their own
        # changes as messages, which a frame already due can overtake: it would draw
        # something else, and the results would wait a frame more.
        self.refresh()
        self.to_follow = message.serial
        self.set_timer(FOLLOW_FALLBACK_DELAY, self.follow_answer)

    def _found(self, result: SearchResult, answered: int | None) -> str:
        """The status line for a result: what was found, and how far answering has got."""
        found = [s for s in result.sources if s.passages]
        passages = sum(len(s.passages) for s in found)
        counts = (
            f"{passages} passage{'s' * (passages != 1)} from {len(found)} "
            f"source{'s' * (len(found) != 1)}"
        )
        if answered == 0:
            return f"{counts} · finding answers…"
        if answered is not None:
            return f"{counts} · answers from {answered} of {len(result.sources)}, finding the rest…"
        key = functools.partial(keys.key_of, self.app.user_keymap)
        return (
            f"{counts} · {key('open')} reads, "
            f"{key('article.next_passage')}/{key('article.previous_passage')} steps through "
            "passages"
        )

    @on(ResultsList.Drawn, "#results")
    def follow_answer(self) -> None:
        """The answer is on screen: now show its first passage's article and read ahead."""
        self.results_drawn.set()
        if self.to_follow != self.serial or self.results.result is None:
            return
        self.to_follow = None
        item = self.results.selected_item
        if item is not None and item.target is not None:
            self.show_target(item.target)
        else:  # nothing to open: the article on show keeps no marks of the last question
            self.article.set_marks(self.marks)
        self.read_ahead(_article_keys(self.results.result)[1:PREFETCH_ARTICLES])

    def on_question_failed(self, message: QuestionFailed) -> None:
        if message.serial == self.serial:
            self.status.error(message.error)

    # -- the article pane follows the selection ------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def highlighted(self) -> None:
        self.follow_selection()

    @on(OptionList.OptionSelected, "#results")
    def selected(self) -> None:
        self.article.focus()

    def follow_selection(self) -> None:
        item = self.results.selected_item
        if item is not None and item.target is not None:
            self.show_target(item.target)

    def show_target(self, target: Target) -> None:
        self.wanted = target
        loaded = self.app.article_cache.get(target.article)
        if loaded is not None:
            self.article.show(loaded.article, loaded.copies, self.marks, target.paragraph)
        elif self.app.corpus is not None:
            self.article.show_message("Loading the article…")
            self.load_article(target.article)

    @work(thread=True, exclusive=True, group="article", name="article")
    def load_article(self, key: str) -> None:
        self.post_message(article_loaded(self.app.article_cache, self.app.corpus, key))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        wanted = self.wanted
        if wanted is None or wanted.article != message.key:
            return
        if message.loaded is None:
            self.article.show_message(f"This article could not be read: {message.error}")
        else:
            loaded = message.loaded
            self.article.show(loaded.article, loaded.copies, self.marks, wanted.paragraph)

    @on(ArticleView.Moved, "#article")
    def article_moved(self, message: ArticleView.Moved) -> None:
        """n/N moved in the article: select the same passage in the results, if listed."""
        self.wanted = message.target
        index = self.results.item_index(message.target)
        if index is not None and index != self.results.highlighted:
            with self.results.prevent(OptionList.OptionHighlighted):
                self.results.highlighted = index

    # -- actions -----------------------------------------------------------------------------------

    def action_focus_question(self) -> None:
        self.question.focus()

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.article:
            self.results.focus()
        elif focused is self.results:
            self.question.focus()
        elif focused is self.question and self.results.result is not None:
            self.results.focus()

    def action_next_passage(self) -> None:
        self._step(+1)

    def action_previous_passage(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self.article.article is None:
            self.notify("No article is open.", severity="warning")
        elif not self.article.stops:
            self.notify("The question found no passage in this article.", severity="warning")
        elif not self.article.step(direction):
            where = "after" if direction > 0 else "before"
            self.notify(f"No passage of the question {where} this one in the article.")

    def action_copy(self) -> None:
        text = self._citation()
        if text is None:
            self.notify("Nothing to copy: select a passage first.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify("Copied the passage and its citation.")

    def _citation(self) -> str | None:
        view = self.article
        if self.focused is view and view.article is not None:
            article = view.article
            index = view.current if view.current is not None else view.top_paragraph()
            if index is None:
                return None
            return cite(article.paragraphs[index].text, article.source, article.title, article.url)
        item = self.results.selected_item
        result = self.results.result
        if item is None or item.source is None or result is None:
            return None
        source = result.sources[item.source]
        if item.passage is not None:
            passage = source.passages[item.passage]
            text, key = passage.text, passage.article
        elif source.answer is not None:
            text, key = source.answer.sentence, source.answer.article
        else:
            return None
        ref = next((a for a in source.articles if a.id == key), None)
        return cite(text, source.source, ref.title if ref else None, ref.url if ref else None)

    def action_open_url(self) -> None:
        url = None
        if self.article.article is not None:
            url = self.article.article.url
        self.app.open_article_url(url)


def _answered_first(answered: SearchResult, found: SearchResult) -> SearchResult:
    """The first sources' answers, followed by the other sources' passages as found."""
    rest = found.sources[len(answered.sources) :]
    return replace(answered, sources=answered.sources + rest)


def _article_keys(result) -> list[str]:
    """Articles in the order the results list points at them (answers first per source)."""
    keys_: list[str] = []
    for source in result.sources:
        if source.answer is not None:
            keys_.append(source.answer.article)
        keys_.extend(p.article for p in source.passages)
    return list(dict.fromkeys(keys_))


def _load_quietly(cache, corpus, key: str) -> None:
    with contextlib.suppress(ReaderError):  # an unreadable article is reported when opened
        cache.load(corpus, key)
