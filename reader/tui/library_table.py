"""The library list: one line per article, drawn only where it is on screen.

An archive can hold tens of thousands of articles; a line-API list costs the same to show,
scroll and filter whatever its length, where a widget (or a table row object) per article
would not. Sorting and filtering work on a precomputed lower-cased text per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

from reader.textsafe import one_line
from reader.tui import keys, styles

if TYPE_CHECKING:
    from index.articles import ArticleInfo

SORTS = ("outlet", "title", "date", "length")


@dataclass(frozen=True)
class Columns:
    """Cells per column; narrow panes drop length, then date, to keep titles readable."""

    outlet: int
    title: int
    date: int
    length: int

    @classmethod
    def fit(cls, width: int) -> Columns:
        outlet = 16 if width >= 70 else 12
        date = 10 if width >= 45 else 0
        length = 7 if width >= 50 else 0
        used = outlet + 1 + (date + 1 if date else 0) + (length + 1 if length else 0)
        return cls(outlet, max(4, width - used), date, length)


@dataclass(frozen=True)
class Row:
    """An article as the list shows it, with its sort keys and filter text made once."""

    info: ArticleInfo
    outlet: str
    title: str
    date: str
    outlet_key: str
    title_key: str
    haystack: str  # what the filter searches: outlet, title, date, author, key

    @classmethod
    def of(cls, info: ArticleInfo) -> Row:
        outlet = one_line(info.source)
        title = one_line(info.title or info.key)
        date = one_line(info.date or "")
        hay = " ".join(x for x in (outlet, title, date, info.author or "", info.key) if x)
        return cls(info, outlet, title, date, outlet.casefold(), title.casefold(), hay.casefold())


def sort_rows(rows: list[Row], by: str, reverse: bool = False) -> list[Row]:
    """Stable sorts; undated articles go last whichever way dates are ordered."""
    if by == "outlet":  # by title within each outlet: two stable sorts, no key tuples
        ordered = sorted(sorted(rows, key=attrgetter("title_key")), key=attrgetter("outlet_key"))
    elif by == "title":
        ordered = sorted(rows, key=attrgetter("title_key"))
    elif by == "date":
        dated = sorted((r for r in rows if r.date), key=lambda r: r.date)
        undated = [r for r in rows if not r.date]
        return (dated[::-1] if reverse else dated) + undated
    elif by == "length":
        ordered = sorted(rows, key=lambda r: r.info.chars)
    else:
        raise ValueError(f"unknown sort: {by}")
    return ordered[::-1] if reverse else ordered


def filter_rows(rows: list[Row], query: str) -> list[Row]:
    """Rows whose text contains every word of `query` (case-insensitive)."""
    # One pass per word, each over what the previous one kept: cheaper than testing every
    # word on every row, which matters when typing into a list of tens of thousands.
    for word in query.casefold().split():
        rows = [r for r in rows if word in r.haystack]
    return rows


def length_label(info: ArticleInfo) -> str:
    """Words are what readers judge length by; about 6 characters a word in English news."""
    words = max(1, round(info.chars / 6))
    return f"{words / 1000:.1f}k w" if words >= 1000 else f"{words} w"


class ArticleTable(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = keys.bindings(keys.LISTS)
    COMPONENT_CLASSES = {"article-table--cursor"}

    class Highlighted(Message):
        def __init__(self, table: ArticleTable, row: Row) -> None:
            super().__init__()
            self.table, self.row = table, row

        @property
        def control(self) -> ArticleTable:
            return self.table

    class Selected(Message):
        def __init__(self, table: ArticleTable, row: Row) -> None:
            super().__init__()
            self.table, self.row = table, row

        @property
        def control(self) -> ArticleTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.all_rows: list[Row] = []
        self._sorted: list[Row] = []
        self.rows: list[Row] = []
        self.cursor = 0
        self.sort_by = "outlet"
        self.reverse = False
        self.filter_text = ""
        self.message = "Loading the library…"

    # -- contents ----------------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Show these rows (made with `Row.of` in a worker: slow for a large archive)."""
        self.all_rows = rows
        self.message = "The corpus has no articles." if not rows else ""
        self._sorted = sort_rows(rows, self.sort_by, self.reverse)
        self._refilter(self._sorted)

    def set_filter(self, query: str) -> None:
        # A query that extends the previous one can only narrow it: filter what is shown.
        narrower = query.casefold().startswith(self.filter_text.casefold())
        self.filter_text = query
        self._refilter(self.rows if narrower else self._sorted)

    def set_sort(self, by: str, reverse: bool) -> None:
        self.sort_by, self.reverse = by, reverse
        self._sorted = sort_rows(self.all_rows, by, reverse)
        self._refilter(self._sorted, keep=self.current_row)

    def _refilter(self, rows: list[Row], keep: Row | None = None) -> None:
        """Filter sorted rows (sorting happens once per sort change, not per keystroke).

        The cursor goes to the first match, as in a finder, or stays on `keep` (re-sorting).
        """
        self.rows = filter_rows(rows, self.filter_text)
        self.cursor = next((i for i, r in enumerate(self.rows) if r is keep), 0) if keep else 0
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.refresh()
        self._cursor_moved()

    @property
    def current_row(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            self.cursor = index
            self.refresh()
            self._cursor_moved()

    def _cursor_moved(self) -> None:
        height = self.scrollable_content_region.height
        if height > 0:
            top = round(self.scroll_y)
            if self.cursor < top:
                self.scroll_to(y=self.cursor, animate=False, immediate=True)
            elif self.cursor >= top + height:
                self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        row = self.current_row
        if row is not None:
            self.post_message(self.Highlighted(self, row))

    # -- keys and mouse ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < len(self.rows):
            self.move_to(index)
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))

    # -- drawing ---------------------------------------------------------------------------------

    def header(self, width: int) -> str:
        """Column titles, the sorted one marked with its direction."""
        arrow = "↓" if self.reverse else "↑"
        columns = Columns.fit(width)
        names = {c: f"{c.capitalize()}{arrow if self.sort_by == c else ''}" for c in SORTS}
        hidden = (self.sort_by == "date" and not columns.date) or (
            self.sort_by == "length" and not columns.length
        )
        if hidden:  # the sorted column did not fit: say the order on the title's header
            names["title"] += f" (by {self.sort_by}{arrow})"
        out = _cells(names["outlet"], columns.outlet) + " " + _cells(names["title"], columns.title)
        if columns.date:
            out += " " + _cells(names["date"], columns.date)
        if columns.length:
            out += " " + names["length"].rjust(columns.length)
        return out

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.visual_style
        index = round(self.scroll_y) + y
        if not self.rows:
            if y == 0:
                message = self.message or "No article matches the filter."
                return self._strip(Content(message).stylize(styles.DIM_STYLE), width, base)
            return Strip.blank(width, base.rich_style)
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base.rich_style)
        row = self.rows[index]
        style = (
            base + self.get_visual_style("article-table--cursor") if index == self.cursor else base
        )
        columns = Columns.fit(width)
        count = len(row.info.copies)
        copies = f" (+{count} cop{'y' if count == 1 else 'ies'})" if count else ""
        # The copies mark is kept whole and the title cut instead, so it is never hidden.
        title = _cells(row.title, max(1, columns.title - len(copies))) + copies
        content = Content.assemble(
            Content(_cells(row.outlet, columns.outlet)).stylize("bold"),
            " ",
            Content(_cells(title, columns.title)),
        )
        if columns.date:
            content += " " + Content(_cells(row.date, columns.date)).stylize(styles.DIM_STYLE)
        if columns.length:
            label = length_label(row.info).rjust(columns.length)
            content += " " + Content(label).stylize(styles.DIM_STYLE)
        return self._strip(content, width, style)

    def _strip(self, content: Content, width: int, style: Style) -> Strip:
        options = RenderOptions(self._get_style, cast(RulesMap, self.styles))
        content = content.truncate(width, ellipsis=True)
        strips = content.render_strips(width, 1, style, options)
        strip = strips[0] if strips else Strip([Segment("", style.rich_style)])
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)


def _cells(text: str, cells: int) -> str:
    """`text` cut or padded to `cells` terminal cells (wide characters count two)."""
    if cell_len(text) > cells:
        return set_cell_size(text, max(0, cells - 1)) + "…"
    return set_cell_size(text, cells)
