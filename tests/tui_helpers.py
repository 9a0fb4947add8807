"""Helpers for driving the reader app in tests (Textual's Pilot)."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input

QUESTION = "Where does Marinelli live?"


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test function in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot, rounds: int = 4) -> None:
    """Let workers finish and their messages be handled (a worker's result posts a message,
    whose handler may start another worker: a few rounds reach a quiet state)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def ask(pilot: Pilot, question: str = QUESTION) -> None:
    """Put `question` in the question box and press enter; wait for the answer.

    The question is pasted (one event) rather than typed: Pilot waits for the app to be idle
    after every key, which makes typing a question take a second.
    """
    if not isinstance(pilot.app.focused, Input):
        await pilot.press("slash")
    await pilot.press("ctrl+u")
    pilot.app.post_message(events.Paste(question))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def screen_strips(app: App[Any]) -> list[Strip]:
    """What the terminal shows now, one strip per row. Textual's only public capture is an
    SVG screenshot, so this reads the screen's compositor (private), here alone."""
    return app.screen._compositor.render_strips()


def screen_text(app: App[Any]) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    return "\n".join(strip.text for strip in screen_strips(app))


def widget_text(widget) -> str:
    """The visible lines of a line-API widget (results list, article pane, library list)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def write_config(text: str) -> Path:
    """Write the user's config.toml where the app looks for it (XDG_CONFIG_HOME is a temp dir)."""
    from reader.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pane_lines(screen: str, title: str) -> list[str]:
    """The inside of the bordered pane titled `title` ("Results", "Article") on a screen dump."""
    lines = screen.split("\n")
    top = next((i for i, line in enumerate(lines) if f"╭─ {title} " in line), None)
    if top is None:
        raise AssertionError(f"no pane titled {title!r} on the screen:\n{screen}")
    at = lines[top].index(f"╭─ {title} ")
    right = lines[top].index("╮", at)
    inside = []
    for line in lines[top + 1 :]:
        if line[at : at + 1] == "╰":
            break
        inside.append(line[at + 1 : right])
    return inside


def summary_groups(screen: str) -> tuple[str, dict[str, str]]:
    """The results pane's agreement summary: its headline, and each group letter's text."""
    lines = [line.strip() for line in pane_lines(screen, "Results")]
    block = []
    for line in lines:
        if line.startswith("▌") and block:  # the first source's coloured gutter
            break
        block.append(line)
    text = " ".join(" ".join(block).split()).split(" note: ")[0]
    groups = dict(re.findall(r"\[([A-Z])\] ([^\[]*)", text))
    headline = text.split(" [", 1)[0]
    return headline, {letter: value.strip() for letter, value in groups.items()}
