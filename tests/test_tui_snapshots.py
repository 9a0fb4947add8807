"""SVG snapshots of the reader app at fixed sizes (update with `pytest --snapshot-update`).

They pin the look of the main states: an answered question at the default CI terminal size
and at 80×24, the library and the help screen. A change to the engine's answers for the
sample question changes them too; review the new SVGs before accepting them.
"""

from __future__ import annotations

from textual.widgets import Input

from reader.tui.app import ReaderApp
from tests.tui_helpers import QUESTION, settle


def _steady_cursor(pilot) -> None:
    """A blinking cursor would make the picture depend on when it is taken."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


async def _answered(pilot) -> None:
    await settle(pilot)
    _steady_cursor(pilot)
    await pilot.press(*QUESTION, "enter")
    await settle(pilot)


async def _reading_second_passage(pilot) -> None:
    await _answered(pilot)
    await pilot.press("j", "j", "j")
    await settle(pilot)


async def _library(pilot) -> None:
    await settle(pilot)
    await pilot.press("tab", "l")
    await settle(pilot)
    _steady_cursor(pilot)
    await pilot.press("down", "j", "enter")
    await settle(pilot)


async def _help(pilot) -> None:
    await settle(pilot)
    await pilot.press("tab", "question_mark")
    await settle(pilot)


def test_answered_question_120x40(snap_compare, sample_index) -> None:
    assert snap_compare(
        ReaderApp(corpus=sample_index), terminal_size=(120, 40), run_before=_answered
    )


def test_reading_a_passage_80x24(snap_compare, sample_index) -> None:
    assert snap_compare(
        ReaderApp(corpus=sample_index), terminal_size=(80, 24), run_before=_reading_second_passage
    )


def test_library_100x30(snap_compare, sample_index) -> None:
    assert snap_compare(
        ReaderApp(corpus=sample_index), terminal_size=(100, 30), run_before=_library
    )


def test_help_80x24(snap_compare, sample_index) -> None:
    assert snap_compare(ReaderApp(corpus=sample_index), terminal_size=(80, 24), run_before=_help)
