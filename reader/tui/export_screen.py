"""`e`: the result on show written as a Markdown report (`reader.report`) to a file the user
names; the name offered is made from the question, in the current folder.

A file that exists is never overwritten (it is the user's): the box says so and keeps the
name for editing. Writing is a few kilobytes, done at once.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.textsafe import one_line
from reader.tui import keys


def default_name(question: str) -> str:
    """`reader-where-does-x-live.md`: the question's words, short and file-name safe."""
    words = re.findall(r"[^\W_]+", question.casefold())
    slug = "-".join(words)[:48].strip("-") or "report"
    return f"reader-{slug}.md"


def write_report(path: Path, text: str) -> str | None:
    """Write `text` to a new file at `path`; the reason in one line if it cannot be."""
    try:
        with path.expanduser().open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        return f"{path} exists; choose another name"
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


class ExportScreen(ModalScreen[Path | None]):
    """Asks where to write the report; dismissed with the path written, or None."""

    BINDINGS = keys.bindings(keys.EXPORT)

    def __init__(self, text: str, name: str) -> None:
        super().__init__()
        self.text = text
        self.suggested = name

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body") as body:
            body.border_title = "Write a Markdown report"
            body.border_subtitle = "enter writes · esc cancels"
            yield Static("File (a new one; relative to the current folder):", markup=False)
            yield Input(value=self.suggested, id="export-path")
            yield Static("", id="export-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.query_one("#export-error", Static).update("Type a file name.")
            return
        path = Path(name)
        error = write_report(path, self.text)
        if error is not None:
            self.query_one("#export-error", Static).update(one_line(error))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
