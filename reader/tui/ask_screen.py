"""The main screen: a question, what every source says about it, and the article being read.

Questions are answered in thread workers (a new question cancels the answering of the one
before it, and a stale result is dropped by its serial number), articles are loaded in
another, so typing, moving and scrolling never wait for the corpus.

A question is shown in phases, a chain of messages (reader.tui.messages), each stage started
by the handler of the one before: the search posts its passages (PassagesFound, tens of
milliseconds); the screen draws them, and the results list says when they are on screen
(ResultsList.Drawn); only then is answering started, which on a large archive takes seconds
and posts the answers of the first sources, those on screen (AnswersFound, partial), then of
all of them and how they compare (AnswersFound, final). Answers fill in the list under the
reader's selection without moving it (ResultsList.update_result).

The first results are drawn in one frame (results and status line) before anything else is
done for them: the article pane follows, answering starts and the articles the list points
at are read ahead only once they are on screen. Threads share one interpreter lock, so work
done alongside, in any thread, delays them.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import get_current_worker

from index.errors import AnsweringCancelled
from index.result import SearchResult
from index.settings import SOURCES_SHOWN
from reader.headlines import NO_MATCH, order_by_date, unlisted_sources
from reader.textsafe import one_line
from reader.tui import keys
from reader.tui.article_view import ArticleView
from reader.tui.citation import cite
from reader.tui.messages import (
    AnswersFound,
    ArticleLoaded,
    PassagesFound,
    QuestionFailed,
    article_loaded,
)
from reader.tui.result_items import QuestionMarks, ResultItem, Target, build_items
from reader.tui.results_list import ResultsList
from reader.tui.status_line import StatusLine

if TYPE_CHECKING:
    from pathlib import Path

    from index.corpus import Corpus, PendingAsk
    from reader.tui.app import ReaderApp
    from reader.tui.articles import ArticleCache

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
# Answering starts once the passages are drawn, or after this long (seconds) if they are not
# (another screen on top): it would take the interpreter from the drawing thread (the
# threads share it) and slow the drawing.
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
    """The question box; pasted or typed control characters are shown inert, never sent on.
    ↑/↓ walk the questions asked before (`reader.tui.history`)."""

    BINDINGS = keys.bindings(keys.QUESTION)

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(one_line(text))

    def _walk(self, question: str | None) -> None:
        if question is not None:
            self.value = question
            self.cursor_position = len(question)

    def action_history_back(self) -> None:
        history = cast("ReaderApp", self.app).history
        self._walk(history.back(self.value))

    def action_history_forward(self) -> None:
        history = cast("ReaderApp", self.app).history
        self._walk(history.forward())


class AskScreen(Screen[None], inherit_bindings=False):
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
        # The question whose passages are being drawn, to answer once they are.
        self.to_answer: tuple[int, PendingAsk, SearchResult] | None = None
        self.asked: str | None = None  # the question on show (or being asked)
        self.sources_wanted: int | None = None  # `m`: sources to list (None: the engine's)
        self.by_date = False  # `d`: sources in date order instead of the engine's
        self.found: SearchResult | None = None  # the result on show, in the engine's order
        self.answered: int | None = None  # how far answering the result on show has got

    @property
    def reader_app(self) -> ReaderApp:
        """The app, typed (Textual's `self.app` is an App of any kind)."""
        return cast("ReaderApp", self.app)

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
        app = self.reader_app
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
        corpus = self.reader_app.corpus
        counts = corpus.meta.get("counts", {}) if corpus else {}
        title = f"reader · {corpus.name}" if corpus else "reader"
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
        self.sources_wanted = None
        self.reader_app.history.add(question)
        self.ask(question)

    def ask(self, question: str) -> None:
        self.serial += 1
        self.asked = question
        if self.reader_app.corpus is None:
            self.pending = question
            self.status.say("The question will be asked as soon as the index is ready.")
            return
        self.workers.cancel_group(self, "read ahead")  # the engine needs the interpreter
        self.workers.cancel_group(self, "answers")  # the last question's, nobody waits for
        self.to_answer = None
        self.status.say(f"Asking: {one_line(question)} …")
        self.find_passages(question, self.serial, self.sources_wanted)

    def _stale(self, serial: int) -> bool:
        """Whether a worker's work for question `serial` is wanted no more (a newer one was
        asked, or the worker was cancelled): then it stops using the interpreter."""
        return serial != self.serial or get_current_worker().is_cancelled

    def _failed(self, serial: int, exc: Exception) -> None:
        self.post_message(QuestionFailed(serial, self.reader_app.failure(exc)))

    @work(thread=True, exclusive=True, group="question", name="find passages")
    def find_passages(self, question: str, serial: int, sources: int | None = None) -> None:
        """The first stage: the passages of every source, laid out for the list."""
        corpus = self.reader_app.corpus
        assert corpus is not None
        try:
            pending = corpus.begin_ask(question, sources=sources)
            found = pending.preview()
        except Exception as exc:  # a bad question, or an engine bug: said on the status line
            self._failed(serial, exc)
            return
        if self._stale(serial):
            return
        answers = pending.answers_follow  # else the passages are all there is
        items, marks = self._layout(found, 0 if answers else None), QuestionMarks.of(found)
        self.post_message(PassagesFound(serial, pending if answers else None, found, items, marks))
        # Measured after being handed over, while the first screen is drawn (which needs only
        # a few entries), so that the list finds the others' heights known.
        self.results.premeasure(items)
        self._read_first_article(found)

    def on_passages_found(self, message: PassagesFound) -> None:
        """The second stage: the passages are drawn; answering waits until they are."""
        if message.serial != self.serial:
            return
        result = message.result
        self.marks = message.marks
        self.shown_serial = message.serial
        self.found, self.answered = result, None if message.final else 0
        self.results.show_result(self._ordered(result), message.items)
        if self.focused is self.question and _has_passages(result):
            # Answered: the keys now move through the results (`/` goes back to the box).
            self.results.focus()
        self.status.say(self._found(result, None if message.final else 0))
        # The whole screen is repainted in the next frame. The panes would report their own
        # changes as messages, which a frame already due can overtake: it would draw
        # something else, and the results would wait a frame more.
        self.refresh()
        self.to_follow = message.serial
        self.set_timer(FOLLOW_FALLBACK_DELAY, self.follow_answer)
        if message.pending is not None:
            serial = message.serial
            self.to_answer = (serial, message.pending, result)
            self.set_timer(WAIT_FOR_DRAWN, lambda: self.start_answering(serial))

    @on(ResultsList.Drawn, "#results")
    def results_drawn(self) -> None:
        """The passages are on screen: the article pane follows them, and answering starts."""
        self.follow_answer()
        self.start_answering()

    def start_answering(self, serial: int | None = None) -> None:
        """Answer the question whose passages were drawn (or, given its `serial`, waited
        WAIT_FOR_DRAWN to be); once only."""
        to_answer = self.to_answer
        if to_answer is None or (serial is not None and serial != to_answer[0]):
            return
        self.to_answer = None
        question, pending, found = to_answer
        if question == self.serial:
            self.find_answers(pending, found, question)

    @work(thread=True, exclusive=True, group="answers", name="find answers")
    def find_answers(self, pending: PendingAsk, found: SearchResult, serial: int) -> None:
        """The last stages: the first sources' answers (partial), then everyone's (final)."""
        worker = get_current_worker()

        def cancelled() -> bool:  # a newer question was asked: stop using the interpreter
            return worker.is_cancelled or serial != self.serial

        try:
            if len(found.sources) > ANSWER_FIRST:
                first = pending.answer(ANSWER_FIRST, cancelled)
                self._answers_found(serial, _answered_first(first, found), ANSWER_FIRST)
            result = pending.answer(None, cancelled)
        except AnsweringCancelled:
            return
        except Exception as exc:  # an engine bug: said on the status line, the app goes on
            self._failed(serial, exc)
            return
        self._answers_found(serial, result, None)

    def _answers_found(self, serial: int, result: SearchResult, answered: int | None) -> None:
        """Lay `result` out here, in the worker, and hand it to the screen. The entries are
        measured before they are handed over, so that the list finds their heights known."""
        items, marks = self._layout(result, answered), QuestionMarks.of(result)
        self.results.premeasure(items)
        if not self._stale(serial):
            self.post_message(AnswersFound(serial, result, items, marks, answered))

    def on_answers_found(self, message: AnswersFound) -> None:
        """The question on show, answered further: filled in under the reader's selection;
        the article pane keeps its place and gains the answers' marks."""
        if message.serial != self.serial or message.serial != self.shown_serial:
            return
        self.marks = message.marks
        self.found, self.answered = message.result, message.answered
        self.results.update_result(self._ordered(message.result), message.items)
        if self.article.article is not None:
            self.article.set_marks(self.marks)
        self.status.say(self._found(message.result, message.answered))

    def _read_first_article(self, result: SearchResult) -> None:
        """Read the first entry's article now, while the results are drawn (the database
        read lets the interpreter go), for the article pane to show it once they are: on a
        large archive, reading it first kept the results waiting tens of milliseconds. The
        next few are read ahead once the results are on screen."""
        for key in _article_keys(result)[:1]:
            _load_quietly(self.reader_app.article_cache, self.reader_app.corpus, key)

    @work(thread=True, exclusive=True, group="read ahead", name="read ahead")
    def read_ahead(self, keys: list[str]) -> None:
        worker = get_current_worker()
        for key in keys:
            if worker.is_cancelled:
                return
            _load_quietly(self.reader_app.article_cache, self.reader_app.corpus, key)

    def _found(self, result: SearchResult, answered: int | None) -> str:
        """The status line for a result: what was found, and how far answering has got."""
        found = [s for s in result.sources if s.passages]
        if not found:
            return NO_MATCH + "."
        passages = sum(len(s.passages) for s in found)
        group = "article" if result.group_by == "article" else "source"
        counts = (
            f"{passages} passage{'s' * (passages != 1)} from {len(found)} "
            f"{group}{'s' * (len(found) != 1)}"
        )
        if answered == 0:
            return f"{counts} · finding answers…"
        if answered is not None:
            return f"{counts} · answers from {answered} of {len(result.sources)}, finding the rest…"
        key = functools.partial(keys.key_of, self.reader_app.user_keymap)
        return (
            f"{counts} · {key('open')} reads, "
            f"{key('article.next_passage')}/{key('article.previous_passage')} steps through "
            "passages"
        )

    def follow_answer(self) -> None:
        """The answer is on screen: now show its first passage's article and read ahead."""
        if self.to_follow != self.serial or self.results.result is None:
            return
        self.to_follow = None
        item = self.results.selected_item
        if item is not None and item.target is not None:
            self.show_target(item.target)
        elif not _has_passages(self.results.result):
            # Nothing matched: the last question's article would look like this one's.
            self.wanted = None
            self.article.show_message(NO_MATCH + ".")
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
        loaded = self.reader_app.article_cache.get(target.article)
        if loaded is not None:
            self.article.show(loaded.article, loaded.copies, self.marks, target.paragraph)
        elif self.reader_app.corpus is not None:
            self.article.show_message("Loading the article…")
            self.load_article(target.article)

    @work(thread=True, exclusive=True, group="article", name="article")
    def load_article(self, key: str) -> None:
        self.post_message(article_loaded(self.reader_app, key))

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
        """To the question box, the question on show selected: typing replaces it, an arrow
        key keeps it for editing. In the article pane, `/` finds words in the article."""
        if self.focused is self.article and self.article.article is not None:
            self._find_in_article()
            return
        self.question.focus()
        if self.question.value:
            self.question.select_all()

    def _find_in_article(self) -> None:
        from reader.tui.find_screen import FindScreen

        def found(text: str | None) -> None:
            if text is None:
                return
            if not text:
                self.article.clear_find()
                return
            count = self.article.find(text)
            if count == 0:
                self.notify(f"“{one_line(text)}” is not in this article.", severity="warning")
            else:
                self.notify(f"{count} matches · n/N step through them · esc ends the find")

        self.app.push_screen(FindScreen(self.article.find_text or ""), found)

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.article and self.article.find_text:
            self.article.clear_find()
        elif focused is self.article:
            self.results.focus()
        elif focused is self.results:
            self.action_focus_question()
        elif focused is self.question and self.results.result is not None:
            self.results.focus()

    def action_more_sources(self) -> None:
        """`m`: ask the question on show again, listing more of the sources that match."""
        result = self.found
        if result is None or self.asked is None:
            self.notify("Ask a question first.", severity="warning")
            return
        hidden = unlisted_sources(result)
        if not hidden:
            self.notify("Every matching source is listed.")
            return
        listed = sum(1 for s in result.sources if s.passages)
        self.sources_wanted = listed + min(hidden, SOURCES_SHOWN)
        self.ask(self.asked)

    def action_export(self) -> None:
        """`e`: the result on show as a Markdown report, in a file the user names."""
        result = self.found
        if result is None or self.asked is None:
            self.notify("Ask a question first: the report is its result.", severity="warning")
            return
        from reader.report import markdown_report
        from reader.tui.export_screen import ExportScreen, default_name

        corpus = self.reader_app.corpus
        text = markdown_report(self._ordered(result), corpus.name if corpus else None)

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote the report to {one_line(str(path))}.")

        self.app.push_screen(ExportScreen(text, default_name(self.asked)), written)

    def action_toggle_order(self) -> None:
        """`d`: sources (and answer groups) by date of their answer, or as the engine ranks
        them; the selection stays on the same entry."""
        self.by_date = not self.by_date
        result = self.found
        self.notify("Sources by date, earliest first." if self.by_date else "Sources by score.")
        if result is None:
            return
        old = self.results.selected_item
        self.results.update_result(self._ordered(result), self._layout(result, self.answered))
        index = self.results.item_index(old.target) if old and old.target else None
        if index is not None:
            with self.results.prevent(OptionList.OptionHighlighted):
                self.results.highlighted = index

    def _ordered(self, result: SearchResult) -> SearchResult:
        return order_by_date(result) if self.by_date else result

    def _layout(self, result: SearchResult, answered: int | None) -> list[ResultItem]:
        """The list's entries for `result` (in the engine's order), in the order chosen."""
        more = keys.key_of(self.reader_app.user_keymap, "ask.more_sources")
        if self.by_date and answered is not None:
            # Sources still awaiting answers are the first ones in the engine's order: in
            # date order they are spread out, so all wait for the final answer here.
            return build_items(order_by_date(result), 0, more)
        return build_items(self._ordered(result), answered, more)

    def action_next_passage(self) -> None:
        if self.focused is self.article and self.article.find_text:
            self._step_find(+1)
        else:
            self._step(+1)

    def action_previous_passage(self) -> None:
        if self.focused is self.article and self.article.find_text:
            self._step_find(-1)
        else:
            self._step(-1)

    def action_next_passage_only(self) -> None:
        self._step(+1)

    def action_previous_passage_only(self) -> None:
        self._step(-1)

    def _step_find(self, direction: int) -> None:
        if not self.article.find_step(direction):
            where = "after" if direction > 0 else "before"
            self.notify(f"No match {where} this one in the article.")

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
            return cite(
                article.paragraphs[index].text,
                article.source,
                article.title,
                article.url,
                author=article.author,
                date=article.date,
            )
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
        info = self.reader_app.article_info(key)
        return cite(
            text,
            info.source if info else source.source,
            ref.title if ref else None,
            ref.url if ref else None,
            author=info.author if info else None,
            date=ref.date if ref else None,
        )

    def action_open_url(self) -> None:
        url = None
        if self.article.article is not None:
            url = self.article.article.url
        self.reader_app.open_article_url(url)


def _has_passages(result: SearchResult | None) -> bool:
    return result is not None and any(s.passages for s in result.sources)


def _answered_first(answered: SearchResult, found: SearchResult) -> SearchResult:
    """The first sources' answers, followed by the other sources' passages as found."""
    rest = found.sources[len(answered.sources) :]
    return replace(answered, sources=answered.sources + rest)


def _article_keys(result: SearchResult) -> list[str]:
    """Articles in the order the results list points at them (answers first per source)."""
    keys_: list[str] = []
    for source in result.sources:
        if source.answer is not None:
            keys_.append(source.answer.article)
        keys_.extend(p.article for p in source.passages)
    return list(dict.fromkeys(keys_))


def _load_quietly(cache: ArticleCache, corpus: Corpus | None, key: str) -> None:
    """Read an article ahead of need. Reading ahead only saves time: if it fails, for any
    reason, the failure is reported when the article is opened (`article_loaded`)."""
    if corpus is None:
        return
    with contextlib.suppress(Exception):
        cache.load(corpus, key)
