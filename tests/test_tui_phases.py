"""A question shown in phases: passages at once, answers when found, the selection kept.

Each phase is a message whose handler starts the next (passages found, drawn, answers found
for the first sources, then for all). The engine's answering is held back with an event
here, so each phase can be looked at while the next one is still being worked on; tests
never depend on how long anything takes.
"""

from __future__ import annotations

import json
import threading

import pytest
from textual import events
from textual.message import Message

from index.corpus import PendingAsk
from index.errors import AnsweringCancelled
from reader.tui import ask_screen
from reader.tui.app import ReaderApp
from reader.tui.messages import AnswersFound, PassagesFound, QuestionFailed
from reader.tui.result_items import ResultItem, Target, build_items, same_entry
from reader.tui.results_list import ResultsList
from reader.tui.visuals import Block
from tests.tui_helpers import QUESTION, run_async, settle

SIZE = (120, 40)


class HeldAnswers:
    """`PendingAsk.answer`, held until released; records what it raised."""

    def __init__(self, corpus, monkeypatch: pytest.MonkeyPatch, hold_all_only: bool = False):
        self.real = PendingAsk.answer
        self.release = threading.Event()
        self.calls: list[int | None] = []
        self.raised: list[BaseException] = []
        self.hold_all_only = hold_all_only  # let answers of the first sources through

        def answer(pending, sources=None, cancelled=None):
            return self(pending, sources, cancelled)

        monkeypatch.setattr(PendingAsk, "answer", answer)

    def __call__(self, candidates, sources=None, cancelled=None):
        self.calls.append(sources)
        if sources is None or not self.hold_all_only:
            assert self.release.wait(10), "the test never released the answers"
        try:
            return self.real(candidates, sources, cancelled)
        except BaseException as exc:
            self.raised.append(exc)
            raise


async def submit(pilot, question: str) -> None:
    """Type `question` and press Enter, without waiting for it to be answered."""
    app = pilot.app
    app.ask_screen.action_focus_question()
    await pilot.pause()
    await pilot.press("ctrl+u")
    app.post_message(events.Paste(question))
    await pilot.pause()
    await pilot.press("enter")


async def until(pilot, condition, what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def results_of(app: ReaderApp) -> ResultsList:
    return app.ask_screen.query_one(ResultsList)


def status_of(app: ReaderApp) -> str:
    return str(app.ask_screen.status.render())


# -- the engine's split of `ask` -------------------------------------------------------------------


def test_preview_then_answer_is_ask_and_leaves_the_preview_untouched(sample_index) -> None:
    candidates = sample_index.begin_ask(QUESTION, 2)
    preview = candidates.preview()
    before = json.dumps(preview.to_json())
    assert preview.answer_type == "place"
    assert all(s.answer is None and len(s.passages) <= 2 for s in preview.sources)
    assert any(p.terms for s in preview.sources for p in s.passages)  # terms are marked
    answered = candidates.answer()
    assert answered.to_json() == sample_index.ask(QUESTION, 2).to_json()
    assert answered.verdict is not None
    assert json.dumps(preview.to_json()) == before
    # Answering again from the same candidates gives the same answer (nothing was consumed).
    assert candidates.answer().to_json() == answered.to_json()


def test_answering_the_first_sources_answers_only_those(sample_index) -> None:
    candidates = sample_index.begin_ask(QUESTION)
    everything = candidates.answer()
    first = candidates.answer(2)
    assert [s.source for s in first.sources] == [s.source for s in everything.sources[:2]]
    compared = {name for group in first.groups for name in group.sources}
    assert compared <= {s.source for s in first.sources}


def test_cancelled_answering_stops_with_its_own_exception(sample_index) -> None:
    candidates = sample_index.begin_ask(QUESTION)
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    with pytest.raises(AnsweringCancelled):
        candidates.answer(cancelled=cancelled)
    assert asked
    # A question no layer answers (a reason: `question.asks_why`) reads no article: there is
    # nothing to cancel.
    why = "Why were the pier repairs delayed?"
    other = sample_index.begin_ask(why)
    assert other.answer_type == "other"
    assert other.answer(cancelled=cancelled).to_json() == sample_index.ask(why).to_json()


# -- the app ---------------------------------------------------------------------------------------


@run_async
async def test_passages_are_shown_before_the_answers_which_then_replace_them(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = sample_index.ask(QUESTION)
    held = HeldAnswers(sample_index, monkeypatch)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        results = results_of(app)
        await until(pilot, lambda: results.result is not None, "the passages are shown")
        shown = results.result
        assert all(s.answer is None for s in shown.sources)
        assert sum(len(s.passages) for s in shown.sources) > 0
        texts = [item.visual.plain for item in results.items]
        assert "finding each source's answer…" in texts[0]
        assert any("finding its answer…" in t for t in texts if t)
        assert "finding answers…" in status_of(app)
        assert held.calls == [None]  # four sources: all answered at once, no first batch
        held.release.set()
        await settle(pilot)
        assert results.result.to_json() == expected.to_json()
        texts = [item.visual.plain for item in results.items]
        assert not any("finding" in t for t in texts)
        assert texts == [item.visual.plain for item in build_items(expected)]
        assert "finding" not in status_of(app) and "passages from" in status_of(app)
        assert not held.raised


@run_async
async def test_the_first_sources_are_answered_before_the_rest(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask_screen, "ANSWER_FIRST", 2)
    expected = sample_index.ask(QUESTION)
    held = HeldAnswers(sample_index, monkeypatch, hold_all_only=True)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        results = results_of(app)
        await until(pilot, lambda: "answers from 2 of 4" in status_of(app), "two answered")
        sources = results.result.sources
        assert len(sources) == 4
        assert all(s.answer is None for s in sources[2:])
        assert any(s.answer is not None for s in sources[:2])
        summary = results.items[0].visual.plain
        assert "answers from the first 2 sources of 4 so far" in summary
        pending = [i for i in results.items if i.kind == "source" and i.source >= 2]
        assert all("finding its answer…" in i.visual.plain for i in pending if i.target)
        held.release.set()
        await settle(pilot)
        assert held.calls == [2, None]
        assert results.result.to_json() == expected.to_json()


@run_async
async def test_each_phase_is_started_by_the_message_of_the_one_before(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passages found, then drawn; only then does answering start, which reports the first
    sources' answers and then everyone's: one chain of messages, no thread waiting."""
    monkeypatch.setattr(ask_screen, "ANSWER_FIRST", 2)
    monkeypatch.setattr(ask_screen, "WAIT_FOR_DRAWN", 60.0)  # only the drawing starts answers
    log: list[str] = []
    seen: list[Message] = []  # a message bubbling from the screen to the app is seen twice
    real = PendingAsk.answer

    def answer(pending, sources=None, cancelled=None):
        log.append(f"answering {sources}")
        return real(pending, sources, cancelled)

    def hook(message: Message) -> None:
        if any(message is m for m in seen):
            return
        if isinstance(message, PassagesFound):
            log.append(f"passages found, answers follow: {not message.final}")
        elif isinstance(message, ResultsList.Drawn):
            log.append("drawn")
        elif isinstance(message, AnswersFound):
            log.append(f"answers found for {message.answered or 'all'}")
        elif isinstance(message, QuestionFailed):
            log.append(f"failed: {message.error}")
        else:
            return
        seen.append(message)

    monkeypatch.setattr(PendingAsk, "answer", answer)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        await settle(pilot)
        assert log[:3] == ["passages found, answers follow: True", "drawn", "answering 2"]
        # The first sources' answers are handed over as answering goes on to all of them.
        assert sorted(log[3:]) == ["answering None", "answers found for 2", "answers found for all"]
        assert log[-1] == "answers found for all"
        assert results_of(app).result.to_json() == sample_index.ask(QUESTION).to_json()
        # A question no layer answers (a reason) stops at its passages ...
        log.clear()
        await submit(pilot, "Why were the pier repairs delayed?")
        await settle(pilot)
        assert log == ["passages found, answers follow: False", "drawn"]
        # ... a descriptive one is answered where the learned scorer finds its answer
        log.clear()
        await submit(pilot, "What book did Marcus Ruiz Evans write?")
        await settle(pilot)
        assert log[0] == "passages found, answers follow: True"
        assert log[-1] == "answers found for all"


@run_async
async def test_a_new_question_while_answering_wins_and_cancels_the_old_answer(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldAnswers(sample_index, monkeypatch)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        results = results_of(app)
        await until(pilot, lambda: results.result is not None, "the first passages")
        await submit(pilot, "Who opened an embassy in Moscow?")
        await until(
            pilot,
            lambda: results.result.question == "Who opened an embassy in Moscow?",
            "the second question's passages",
        )
        held.release.set()  # both answers may go on now: the first must stop, unseen
        await settle(pilot)
        assert results.result.question == "Who opened an embassy in Moscow?"
        assert (
            results.result.to_json()
            == held.real(sample_index.begin_ask("Who opened an embassy in Moscow?")).to_json()
        )
        assert len(held.raised) == 1 and isinstance(held.raised[0], AnsweringCancelled)


@run_async
async def test_answers_arriving_keep_the_selected_passage_and_its_row(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = build_items(sample_index.ask(QUESTION))
    held = HeldAnswers(sample_index, monkeypatch)
    kept = {(i.source, i.target) for i in expected if i.kind == "passage"}
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        results = results_of(app)
        await until(pilot, lambda: results.result is not None, "the passages are shown")
        results.focus()
        # Down the list until a passage the answers keep is selected with the list scrolled.
        for _ in range(len(results.items)):
            await pilot.press("j")
            item = results.selected_item
            if results.scroll_y > 0 and (item.source, item.target) in kept:
                break
        else:
            raise AssertionError("no kept passage below the first screen")
        chosen = results.selected_item
        article = app.ask_screen.article
        await until(
            pilot,
            lambda: article.article is not None and article.article.key == chosen.target.article,
            "the article pane follows the selection",
        )
        row = results.line_of(results.highlighted) - results.scroll_y
        before = (article.article.key, article.current, article.scroll_y)
        held.release.set()
        await settle(pilot)
        assert results.result.verdict is not None  # the answers arrived
        now = results.selected_item
        assert (now.kind, now.source, now.target) == (chosen.kind, chosen.source, chosen.target)
        assert results.line_of(results.highlighted) - results.scroll_y == row
        assert (article.article.key, article.current, article.scroll_y) == before


@run_async
async def test_answers_arriving_at_the_top_keep_the_top_in_view(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldAnswers(sample_index, monkeypatch)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await submit(pilot, QUESTION)
        results = results_of(app)
        await until(pilot, lambda: results.result is not None, "the passages are shown")
        first = results.selected_item
        assert first.kind == "source" and first.source == 0
        held.release.set()
        await settle(pilot)
        assert results.result.verdict is not None  # the answers arrived
        assert results.scroll_y == 0  # the verdict, which came with the answers, is in view
        assert results.selected_item.kind == "source" and results.selected_item.source == 0


# -- finding an entry again ------------------------------------------------------------------------


def _item(kind: str, source: int | None, target: tuple[str, int] | None) -> ResultItem:
    return ResultItem(kind, Block([]), Target(*target) if target else None, source=source)


def test_same_entry_follows_a_passage_that_moved_and_falls_back_to_its_source() -> None:
    new = [
        _item("summary", None, None),
        _item("source", 0, ("a", 4)),
        _item("passage", 0, ("a", 4)),  # the answer's passage, moved first
        _item("passage", 0, ("a", 1)),
        _item("source", 1, ("b", 0)),
        _item("passage", 1, ("b", 0)),
    ]
    assert same_entry(_item("passage", 0, ("a", 1)), new) == 3
    assert same_entry(_item("passage", 0, ("a", 7)), new) == 1  # dropped: its source's line
    assert same_entry(_item("source", 1, ("b", 2)), new) == 4
    assert same_entry(_item("summary", None, None), new) == 0
    assert same_entry(_item("source", 5, ("z", 0)), new) is None


@run_async
async def test_moving_down_past_the_entries_added_so_far_reaches_the_next_one(
    sample_index,
) -> None:
    result = sample_index.ask(QUESTION)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = results_of(app)
        results.show_result(result)
        loaded = len(results.options)
        assert loaded < len(results.items)  # the rest is added after the first frame
        with results.prevent(ResultsList.OptionHighlighted):
            results.highlighted = loaded - 1
        results.action_cursor_down()
        assert results.highlighted == loaded
        assert results.selected_item is results.items[loaded]
        await settle(pilot)
        assert len(results.options) == len(results.items)
