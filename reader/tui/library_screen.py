"""`l`: every article in the corpus, filtered by typing, sorted by a key, read beside the list.

Duplicate copies are one entry (marked with how many copies it has; the article pane lists
them). The article pane is the same widget as on the ask screen; `J`/`K` step through the
list while reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from reader.tui import keys
from reader.tui.article_view import ArticleView
from reader.tui.citation import cite
from reader.tui.library_table import SORTS, ArticleTable, Row
from reader.tui.messages import ArticleLoaded, article_loaded

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class FilterInput(Input):
    """The filter box; ↓ and enter go on to the list, as in a finder."""

    BINDINGS = keys.bindings(keys.FILTER)

    def action_to_list(self) -> None:
        self.screen.query_one(ArticleTable).focus()


class LibraryScreen(Screen[None], inherit_bindings=False):
    BINDINGS = keys.bindings(keys.LIBRARY)
    AUTO_FOCUS = "#filter"

    def __init__(self) -> None:
        super().__init__(id="library")
        self.wanted: str | None = None

    @property
    def reader_app(self) -> ReaderApp:
        """The app, typed (Textual's `self.app` is an App of any kind)."""
        return cast("ReaderApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("Library", id="library-title", markup=False)
        yield FilterInput(
            placeholder="Filter: words from the outlet, title, date or file name", id="filter"
        )
        with Horizontal(id="library-panes"):
            with Vertical(id="library-list"):
                yield Static("", id="library-header", markup=False)
                yield ArticleTable(id="articles")
            yield ArticleView(id="library-article")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#library-list").border_title = "Articles"
        self.reader.border_title = "Article"
        self.reader.show_message("Select an article and press enter to read it.")
        if self.reader_app.library is not None:
            self.library_loaded()

    @property
    def table(self) -> ArticleTable:
        return self.query_one("#articles", ArticleTable)

    @property
    def reader(self) -> ArticleView:
        return self.query_one("#library-article", ArticleView)

    def library_loaded(self) -> None:
        articles = self.reader_app.library or []
        self.table.set_rows(self.reader_app.library_rows or [])
        copies = sum(len(a.copies) for a in articles)
        sources = len({a.source for a in articles})
        title = f"Library · {len(articles)} articles · {sources} sources"
        if copies:
            title += (
                f" · {copies} duplicate cop{'y' if copies == 1 else 'ies'}"
                " folded into the articles they copy"
            )
        self.query_one("#library-title", Static).update(title)
        self._update_header()

    def on_resize(self) -> None:
        self._update_header()

    def _update_header(self) -> None:
        table = self.table
        width = table.scrollable_content_region.width or table.size.width
        count = f"{len(table.rows)} of {len(table.all_rows)}"
        self.query_one("#library-header", Static).update(table.header(width))
        self.query_one("#library-list").border_subtitle = count

    # -- filtering and sorting ----------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._update_header()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        table = self.table
        following = SORTS[(SORTS.index(table.sort_by) + 1) % len(SORTS)]
        table.set_sort(following, table.reverse)
        self._update_header()
        self.notify(f"Sorted by {following}.", timeout=1.5)

    def action_reverse(self) -> None:
        self.table.set_sort(self.table.sort_by, not self.table.reverse)
        self._update_header()

    # -- reading -------------------------------------------------------------------------------

    @on(ArticleTable.Highlighted)
    def row_highlighted(self, event: ArticleTable.Highlighted) -> None:
        self.open_row(event.row)

    @on(ArticleTable.Selected)
    def row_selected(self, event: ArticleTable.Selected) -> None:
        self.open_row(event.row)
        self.reader.focus()

    def open_row(self, row: Row) -> None:
        key = row.info.key
        self.wanted = key
        loaded = self.reader_app.article_cache.get(key)
        if loaded is not None:
            self.reader.show(loaded.article, loaded.copies, paragraph=None)
        elif self.reader_app.corpus is not None:
            self.load_article(key)

    @work(thread=True, exclusive=True, group="library-article", name="library article")
    def load_article(self, key: str) -> None:
        self.post_message(article_loaded(self.reader_app, key))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        if message.key != self.wanted:
            return
        if message.loaded is None:
            self.reader.show_message(f"This article could not be read: {message.error}")
        else:
            self.reader.show(message.loaded.article, message.loaded.copies, paragraph=None)

    def action_next_article(self) -> None:
        self.table.move_to(self.table.cursor + 1)

    def action_previous_article(self) -> None:
        self.table.move_to(self.table.cursor - 1)

    def action_back(self) -> None:
        if self.focused is self.reader:
            self.table.focus()
        else:
            self.app.pop_screen()

    def action_copy(self) -> None:
        view = self.reader
        article = view.article
        if article is None or not article.paragraphs:
            self.notify("Nothing to copy: open an article first.", severity="warning")
            return
        index = view.current if view.current is not None else view.top_paragraph()
        text = article.paragraphs[index if index is not None else 0].text
        self.app.copy_to_clipboard(cite(text, article.source, article.title, article.url))
        self.notify("Copied the paragraph and its citation.")

    def action_open_url(self) -> None:
        article = self.reader.article
        self.reader_app.open_article_url(article.url if article else None)

    def read_key(self, key: str) -> None:
        """Show the article `key` (from the command palette), clearing a filter that hides it."""
        table = self.table
        index = next((i for i, r in enumerate(table.rows) if r.info.key == key), None)
        if index is None and table.filter_text:
            self.query_one("#filter", Input).value = ""
            table.set_filter("")
            index = next((i for i, r in enumerate(table.rows) if r.info.key == key), None)
        if index is not None:
            table.move_to(index)
        self.wanted = key
        self.load_article(key)
        self.reader.focus()
