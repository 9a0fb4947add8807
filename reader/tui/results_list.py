"""The results pane: the agreement summary, then each source with its answer and passages.

An OptionList draws only the lines on screen and lays entries out once per width, and a
result has few entries (see `build_items`), so a long result never mounts widgets. A new
result is first given only the entries that fill the pane: the list measures every entry it
holds (to know its length), and the rest are added once the first screen is drawn. Entries
are measured in the worker that built them (`premeasure`): measuring the 200 entries of fifty
sources took the UI thread 70-120 ms on an archive, long enough for a key pressed meanwhile
to be seen waiting; measured beforehand, the list finds each height cached.

Entry `i` of `items` is option `i` of the list, always: where an entry is drawn is worked out
from the entries' own heights, with OptionList's public API only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.result import SearchResult
from reader.textsafe import printable
from reader.tui import keys
from reader.tui.result_items import ResultItem, Target, build_items, same_entry
from reader.tui.visuals import Block, Part

# The entries held back from the first screen are added once it is drawn, or after this long
# (seconds) if the list is not drawn (another screen on top).
COMPLETE_AFTER = 0.1


class ResultsList(OptionList, inherit_bindings=False):
    BINDINGS = keys.bindings(keys.LISTS)

    class Drawn(Message):
        """A result just shown has been drawn: work that should not delay it can start."""

        def __init__(self, results: ResultsList) -> None:
            super().__init__()
            self.results = results

        @property
        def control(self) -> ResultsList:
            return self.results

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        # Entries are text, never links: skip the per-line pass that styles links.
        self.set_reactive(ResultsList.auto_links, False)
        self.result: SearchResult | None = None
        self.items: list[ResultItem] = []
        self._announce = False  # post Drawn after the next render
        self._later: list[Option] = []  # entries below the first screen, added once it is drawn
        # The entry width the UI thread last measured, for the worker that premeasures.
        self._measured_width: int | None = None

    def show_message(self, message: str) -> None:
        """A line of guidance in place of results (before the first question, on errors)."""
        self.result = None
        self.items = [ResultItem("message", Block([Part(Content(printable(message)))]))]
        self._later = []
        self.set_options([Option(self.items[0].visual, disabled=True)])

    def show_result(self, result: SearchResult, items: list[ResultItem] | None = None) -> None:
        """Show `result`; `items` are its entries if already built (off the UI thread)."""
        self.result = result
        self.items = items if items is not None else build_items(result)
        options = [Option(item.visual, disabled=item.target is None) for item in self.items]
        first = next((i for i, item in enumerate(self.items) if item.target is not None), None)
        shown = max(self._screenful(self.items), 0 if first is None else first + 1)
        self._later = options[shown:]
        self.set_options(options[:shown])
        with self.prevent(OptionList.OptionHighlighted):  # the screen follows it itself
            self.highlighted = first
        self.scroll_home(animate=False, immediate=True)
        self._announce = True
        if self._later:
            self.set_timer(COMPLETE_AFTER, self.complete)

    def update_result(self, result: SearchResult, items: list[ResultItem]) -> None:
        """Show `result`, the question on show answered further, under the reader's eyes.

        The selected entry stays selected (the same passage, or its source's line if answering
        dropped it), without the article pane being told to move. A list scrolled by the
        reader keeps that entry on the same row; one at its top stays at the top, where the
        verdict that came with the answers is.
        """
        old = self.selected_item
        row = None
        if old is not None and self.scroll_y > 0 and self.highlighted is not None:
            row = (self.line_of(self.highlighted) or 0) - round(self.scroll_y)
        self.result = result
        self.items = items
        options = [Option(item.visual, disabled=item.target is None) for item in items]
        index = same_entry(old, items) if old is not None else None
        if index is None or items[index].target is None:
            index = next((i for i, item in enumerate(items) if item.target is not None), None)
        self._later = []
        self.set_options(options)
        with self.prevent(OptionList.OptionHighlighted):  # the article pane stays where it is
            self.highlighted = index  # (scrolled into view from the top)
        if row is not None and index is not None:
            line = self.line_of(index)
            if line is not None:
                self.scroll_to(y=max(line - row, 0), animate=False, immediate=True, force=True)

    def _entry_width(self) -> int | None:
        """The width the list measures entries at (None before it has a size): measured at
        it, each entry is measured once (Content caches its height per width)."""
        region = self.scrollable_content_region
        if not region:
            return None
        width = region.width - self.get_component_styles("option-list--option").padding.width
        self._measured_width = width
        return width

    def on_resize(self) -> None:
        self._entry_width()  # known before the next result is premeasured

    def _height(self, item: ResultItem, width: int) -> int:
        return item.visual.get_height(cast(RulesMap, self.styles), width)

    def premeasure(self, items: list[ResultItem]) -> None:
        """Measure `items` at the width the list will (heights are cached on their contents):
        called in the worker that built them, so the UI thread finds the heights known. The
        width is the one the UI thread measured: the component styles it is read from are
        rebuilt by the UI thread whenever CSS is applied, and a worker reading them then
        failed ("No 'option-list--option' key"), ending the app."""
        width = self._measured_width
        if width is None:
            return
        for item in items:
            self._height(item, width)

    def _screenful(self, items: list[ResultItem]) -> int:
        """How many of `items` fill the pane (all of them if it has no size yet)."""
        width = self._entry_width()
        if width is None:
            return len(items)
        height = self.scrollable_content_region.height
        lines = 0
        for count, item in enumerate(items, 1):
            lines += self._height(item, width)
            if lines >= height:
                return count
        return len(items)

    def line_of(self, index: int) -> int | None:
        """The list's line where entry `index` starts (None if it is not listed yet, or the
        list has no size): the heights of the entries above it, as the list measures them."""
        width = self._entry_width()
        if width is None or not 0 <= index < len(self.options):
            return None
        return sum(self._height(item, width) for item in self.items[:index])

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar takes a column from the entries: measure them again at the new
        width. OptionList measures at the width it had when they were added and does not
        notice the scrollbar appearing, so the last line of a longer entry was cut off.
        Replacing an entry's prompt, here with itself, is its public way to measure again."""
        if self.options:
            self.replace_option_prompt_at_index(0, self.options[0].prompt)

    def complete(self) -> None:
        """Add the entries held back from the first screen."""
        later, self._later = self._later, []
        if later:
            self.add_options(later)

    def on_results_list_drawn(self) -> None:
        self.complete()

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._announce:
            # Handled once this frame has been handed to the terminal: the render is part
            # of a synchronous screen update that no message can interrupt.
            self._announce = False
            self.post_message(self.Drawn(self))
        return lines

    @property
    def selected_item(self) -> ResultItem | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.items):
            return None
        return self.items[self.highlighted]

    def item_index(self, target: Target) -> int | None:
        """The entry that points at `target`, preferring passages over the source line."""
        self.complete()
        found = None
        for index, item in enumerate(self.items):
            if item.target == target:
                if item.kind == "passage":
                    return index
                found = index if found is None else found
        return found

    def action_open(self) -> None:
        self.action_select()

    # Moving down or to the end reaches the whole result, even before the rest is added.
    # Moving never wraps around (as in less or a file manager): `k` at the first entry
    # shows the summary above it, `j` at the last stays there.

    def action_cursor_down(self) -> None:
        self.complete()
        following = next_enabled(self.options, self.highlighted, +1)
        if following is not None:
            self.highlighted = following
        else:
            self.scroll_end(animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        previous = next_enabled(self.options, self.highlighted, -1)
        if previous is not None:
            self.highlighted = previous
        else:  # the first entry: the summary (not selectable) is above it
            self.scroll_home(animate=False, immediate=True)

    def action_first(self) -> None:
        """To the very top: the first entry selected and the summary above it in view."""
        super().action_first()
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        self.complete()
        super().action_last()

    def action_page_down(self) -> None:
        self.complete()
        super().action_page_down()


def next_enabled(options: Sequence[Option], anchor: int | None, direction: int) -> int | None:
    """The next enabled option from `anchor` in `direction`, without wrapping (None: none)."""
    if anchor is None:
        indexes = range(len(options)) if direction > 0 else range(len(options) - 1, -1, -1)
    elif direction > 0:
        indexes = range(anchor + 1, len(options))
    else:
        indexes = range(anchor - 1, -1, -1)
    return next((i for i in indexes if not options[i].disabled), None)
