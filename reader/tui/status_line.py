"""One line under the question: indexing progress, what a question found, or what went wrong.

Startup shows progress here while the index builds, so the app is never a blank screen.
The line is one row high whatever it says (reader.tcss), so changing it repaints the line
alone: no layout pass over the screen, which would compete with a question being answered.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from reader.textsafe import one_line
from reader.tui import styles

BAR_CELLS = 20


class StatusLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, content: Content) -> None:
        self.update(content, layout=False)

    def say(self, message: str, style: str = "") -> None:
        self.show(Content(message).stylize(style) if style else Content(message))

    def error(self, message: str) -> None:
        # Errors quote file names and metadata: shown inert, like article text.
        self.show(Content("✗ " + one_line(message)).stylize("$text-error"))

    def progress(self, stage: str, done: int, total: int) -> None:
        """`indexing  ██████░░░░  30%  cleaning 3/10`."""
        fraction = done / total if total > 0 else 0.0
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(fraction * BAR_CELLS)
        bar = Content("█" * filled).stylize("$accent") + Content("░" * (BAR_CELLS - filled))
        self.show(
            Content.assemble(
                Content("Indexing the corpus  ").stylize("bold"),
                bar,
                f" {fraction:4.0%}  ",
                styles.line(f"{stage} {done}/{total}", styles.DIM_STYLE),
            )
        )
