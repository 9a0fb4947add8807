"""The results pane: the agreement summary, then each source with its answer and passages.

An OptionList draws only the lines on screen and lays entries out once per width, and
`build_items` caps how many entries a result makes, so a long result never mounts widgets.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.result import SearchResult
from reader.textsafe import printable
from reader.tui import keys
from reader.tui.result_items import ResultItem, Target, build_items
from reader.tui.visuals import Block, Part


class ResultsList(OptionList, inherit_bindings=False):
    BINDINGS = keys.bindings(keys.LISTS)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.result: SearchResult | None = None
        self.items: list[ResultItem] = []

    def show_message(self, message: str) -> None:
        """A line of guidance in place of results (before the first question, on errors)."""
        self.result = None
        self.items = [ResultItem("message", Block([Part(Content(printable(message)))]))]
        self.set_options([Option(self.items[0].visual, disabled=True)])

    def show_result(self, result: SearchResult, items: list[ResultItem] | None = None) -> None:
        """Show `result`; `items` are its entries if already built (off the UI thread)."""
        self.result = result
        self.items = items if items is not None else build_items(result)
        self.set_options(Option(item.visual, disabled=item.target is None) for item in self.items)
        first = next((i for i, item in enumerate(self.items) if item.target is not None), None)
        with self.prevent(OptionList.OptionHighlighted):  # the screen follows it itself
            self.highlighted = first
        self.scroll_home(animate=False, immediate=True)

    @property
    def selected_item(self) -> ResultItem | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.items):
            return None
        return self.items[self.highlighted]

    def item_index(self, target: Target) -> int | None:
        """The entry that points at `target`, preferring passages over the source line."""
        found = None
        for index, item in enumerate(self.items):
            if item.target == target:
                if item.kind == "passage":
                    return index
                found = index if found is None else found
        return found

    def action_open(self) -> None:
        self.action_select()
