"""The reader app: opens the corpus in the background and hosts the ask and library screens.

The first frame is drawn before the corpus is opened: opening (and building a missing or
stale index) runs in a thread worker that reports progress to the ask screen, whose input
takes a question meanwhile and asks it once the index is ready.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from index.errors import ReaderError
from reader.config import ConfigError, Settings
from reader.tui import keys
from reader.tui.articles import ArticleCache
from reader.tui.ask_screen import AskScreen
from reader.tui.history import QuestionHistory
from reader.tui.messages import CorpusFailed, CorpusProgress, CorpusReady, LibraryLoaded

if TYPE_CHECKING:
    from textual.command import Provider

    from index.articles import ArticleInfo
    from index.corpus import Corpus
    from index.search.bm25 import BM25Params
    from index.search.cluster import ClusterSettings
    from reader.tui.library_screen import LibraryScreen
    from reader.tui.library_table import Row

# The library, help and command palette are imported when first used, not before the first
# frame: startup time is what every session pays.


def _reader_commands() -> type[Provider]:
    from reader.tui.commands import ReaderCommands

    return ReaderCommands


class ReaderApp(App[int], inherit_bindings=False):
    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    BINDINGS = keys.bindings(keys.APP)
    COMMANDS = App.COMMANDS | {_reader_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(
        self,
        root: Path | None = None,
        index_dir: Path | None = None,
        params: BM25Params | None = None,
        *,
        corpus: Corpus | None = None,
        settings: Settings | None = None,
        cluster: ClusterSettings | None = None,
        freeze_after_startup: bool = False,
        history: QuestionHistory | None = None,
    ) -> None:
        """Open `root` (or use an already opened `corpus`, as tests do).

        `settings` are the user's, as `check_settings` returns them (keys and theme known to
        Textual); none is the defaults.

        `freeze_after_startup` moves every object alive once the app has started out of the
        garbage collector's sight (`gc.freeze`): set by the `reader` command, where this
        process is the app's alone, and not by tests, which run many apps in one process.
        """
        super().__init__()
        if root is None and corpus is None and cluster is None:
            raise ValueError("give a corpus folder, a cluster or an opened corpus")
        self.cluster = cluster
        self.root = root
        self.index_dir = index_dir
        self.params = params
        self.corpus: Corpus | None = corpus
        self.library: list[ArticleInfo] | None = None
        self.library_rows: list[Row] | None = None  # one per article
        self._info_by_key: dict[str, ArticleInfo] | None = None
        # The latest opening state, for a screen that mounts after it was reported.
        self.progress: tuple[str, int, int] | None = None
        self.corpus_error: str | None = None
        self.article_cache = ArticleCache()
        self.ask_screen = AskScreen()
        self._library_screen: LibraryScreen | None = None
        self.settings = settings if settings is not None else Settings()
        self.user_keymap: dict[str, str] = {}
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.freeze_after_startup = freeze_after_startup
        # Earlier questions for ↑/↓; kept in a file only when the `reader` command passes
        # one (tests run many apps and must not write the user's state folder).
        self.history = history if history is not None else QuestionHistory()

    def article_info(self, key: str) -> ArticleInfo | None:
        """The library's record of article `key` (author, date...); None before it is read."""
        if self.library is None:
            return None
        if self._info_by_key is None or len(self._info_by_key) != len(self.library):
            self._info_by_key = {info.key: info for info in self.library}
        return self._info_by_key.get(key)

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        """Keep the overrides, so the help screen can show the keys in force."""
        self.user_keymap = dict(keymap)
        super().set_keymap(keymap)

    def get_default_screen(self) -> AskScreen:
        return self.ask_screen

    def on_mount(self) -> None:
        if self.settings.theme:
            self.theme = self.settings.theme
        for warning in keys.conflicts(self.user_keymap):
            self.notify(warning, title="config.toml", severity="warning", timeout=15, markup=False)
        if self.corpus is None:
            # After the first frame: opening competes with drawing it for the interpreter.
            self.call_after_refresh(self.open_corpus)
        else:
            self.post_message(CorpusReady(self.corpus))

    @property
    def library_screen(self) -> LibraryScreen:
        """The library, made on first use and kept (with its filter and sort) afterwards."""
        if self._library_screen is None:
            from reader.tui.library_screen import LibraryScreen

            self._library_screen = LibraryScreen()
            self.install_screen(self._library_screen, name="library")
        return self._library_screen

    # -- the corpus ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="corpus", name="open corpus")
    def open_corpus(self) -> None:
        last: list[tuple[str, int]] = []

        def progress(stage: str, done: int, total: int) -> None:
            if not last:  # the index is being built: the build may start worker processes
                start_resource_tracker()
            # One message per percent or stage: a large corpus calls this per article.
            step = (stage, done * 100 // total if total else 0)
            if not last or last[0] != step:
                last[:] = [step]
                self.post_message(CorpusProgress(stage, done, total))

        try:
            # Imported here, in the worker, after the first frame: the engine's imports
            # (numpy, the index modules) are a large part of startup.
            from index.corpus import Corpus

            if self.cluster is not None:
                corpus = Corpus.connect(self.cluster)
            else:
                assert self.root is not None
                corpus = Corpus.open(
                    self.root, index_dir=self.index_dir, params=self.params, progress=progress
                )
        except Exception as exc:  # an engine bug, too, must not leave a blank, frozen app
            self.post_message(CorpusFailed(self.failure(exc)))
            return
        self.post_message(CorpusReady(corpus))

    def on_corpus_progress(self, message: CorpusProgress) -> None:
        self.progress = (message.stage, message.done, message.total)
        if self.ask_screen.is_mounted:
            self.ask_screen.corpus_progress(*self.progress)

    def on_corpus_ready(self, message: CorpusReady) -> None:
        self.corpus = message.corpus
        if self.ask_screen.is_mounted:
            self.ask_screen.corpus_ready()
        self.load_library()

    def on_corpus_failed(self, message: CorpusFailed) -> None:
        self.corpus_error = message.error
        if self.ask_screen.is_mounted:
            self.ask_screen.corpus_failed(message.error)

    @work(thread=True, exclusive=True, group="library", name="library")
    def load_library(self) -> None:
        assert self.corpus is not None
        try:
            articles = self.corpus.articles()
        except Exception as exc:
            message = f"The library could not be read: {self.failure(exc)}"
            self.notify(message, severity="error", markup=False)
            return
        from reader.tui.library_table import Row

        rows = [Row.of(info) for info in articles]
        self.post_message(LibraryLoaded(articles, rows))

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.library = message.articles
        self._info_by_key = None
        self.library_rows = message.rows
        if self._library_screen is not None and self._library_screen.is_mounted:
            self._library_screen.library_loaded()
        self.warm_up()

    @work(thread=True, exclusive=True, group="warm up", name="warm up")
    def warm_up(self) -> None:
        """Pay, while the first question is being typed, what answering it would pay first.

        The engine imports its answering half on the first question (about 50 ms). Then,
        with the corpus, the library and the app's screens made, a full garbage collection
        runs once and freezes what is left: those objects live as long as the app, and
        otherwise every later full collection walks all of them again (50-100 ms each, every
        question or two, wherever it falls: often between Enter and the answer being drawn).
        """
        import index.answers.annotate  # noqa: F401

        if self.freeze_after_startup:
            gc.collect()
            gc.freeze()

    # -- errors -----------------------------------------------------------------------------------

    def failure(self, exc: Exception) -> str:
        """What the user is told, in one line, when work done in a worker fails.

        A ReaderError is the user's or the data's (a bad question, an unreadable file) and
        says so itself. Anything else is a bug: it is reported as an internal error where the
        work was wanted (status line, article pane), its traceback goes to Textual's log, and
        the app stays up. Every worker's failure goes through here; safe to call from one.
        """
        if isinstance(exc, ReaderError):
            return str(exc)
        self.log.error("".join(traceback.format_exception(exc)))
        return f"internal error: {type(exc).__name__}: {exc}"

    # -- actions ----------------------------------------------------------------------------------

    def action_help(self) -> None:
        from reader.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_library(self) -> None:
        if self.screen is self.ask_screen:
            self.push_screen(self.library_screen)

    def action_ask(self) -> None:
        while self.screen is not self.ask_screen and len(self.screen_stack) > 1:
            self.pop_screen()
        self.ask_screen.action_focus_question()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands without those the app has under its own names (Keys, Zoom)."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Minimize"):
                yield command

    def _screen_action(self, action: str) -> None:
        """A command for the screen on show (the palette has closed by then)."""
        method = getattr(self.screen, f"action_{action}", None)
        if method is None:
            self.notify("Not available here.", severity="warning")
        else:
            method()

    def action_copy(self) -> None:
        self._screen_action("copy")

    def action_open_url(self) -> None:
        self._screen_action("open_url")

    def action_order(self) -> None:
        self._screen_action("toggle_order")

    def action_export(self) -> None:
        self._screen_action("export")

    def action_zoom(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
        elif self.focused is not None:
            screen.maximize(self.focused)

    def read_in_library(self, key: str) -> None:
        """Open an article (chosen in the command palette) in the library's article pane."""
        library = self.library_screen
        if self.screen is self.ask_screen:
            self.push_screen(library)
        self.call_after_refresh(library.read_key, key)

    def open_article_url(self, url: str | None) -> None:
        """Open an article's web page; only http(s), since the URL comes from scraped data."""
        if not url:
            self.notify("This article has no web address.", severity="warning")
            return
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            self.notify("Only http and https addresses are opened.", severity="warning")
            return
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            # With no graphical session, a console browser would take over this terminal.
            self.copy_to_clipboard(url)
            self.notify("No graphical browser here: the address was copied instead.")
            return
        self.open_url(url)
        self.notify("Opening the article in the browser.")


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real standard error (/dev/null).

    A large build runs in worker processes, started by "spawn" from this threaded app, and
    spawning starts the tracker once, handing it `sys.stderr.fileno()`. While the app runs,
    sys.stderr is Textual's capture, whose fileno() is -1, and the build failed with
    "ValueError: bad value(s) in fds_to_keep". The tracker gets /dev/null instead: anything
    it printed would land in the middle of the app's screen.
    """
    from multiprocessing import resource_tracker

    captured = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = captured


def check_settings(settings: Settings) -> Settings:
    """`settings` with its keys and theme checked against Textual's own (the config file has
    been read and checked otherwise by then): errors are one line, before the app starts.
    The keys come back as the app binds them (`?` as `question_mark`)."""
    where = str(settings.path)
    keymap = keys.check_keymap(settings.keys, where)
    theme = settings.theme
    if theme is not None and theme not in BUILTIN_THEMES:
        names = ", ".join(sorted(BUILTIN_THEMES))
        raise ConfigError(f"{where}: unknown theme '{theme}' (themes: {names})")
    return replace(settings, keys=keymap)
