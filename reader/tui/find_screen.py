"""`/` in the article pane: the words to find in the article on show.

A small box over the app; Enter finds, Escape closes without finding. The finding itself, and
stepping through what was found with n/N, is the article pane's (`ArticleView.find`).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from reader.tui import keys


class FindScreen(ModalScreen[str | None]):
    """Dismissed with the text to find (stripped, maybe empty), or None when cancelled."""

    BINDINGS = keys.bindings(keys.FIND)

    def __init__(self, previous: str = "") -> None:
        super().__init__()
        self.previous = previous

    def compose(self) -> ComposeResult:
        with Vertical(id="find-body") as body:
            body.border_title = "Find in the article"
            body.border_subtitle = "enter finds · n/N step · esc cancels"
            yield Input(value=self.previous, id="find-text", placeholder="words to find")

    def on_mount(self) -> None:
        box = self.query_one("#find-text", Input)
        box.focus()
        box.select_all()

    @on(Input.Submitted, "#find-text")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
