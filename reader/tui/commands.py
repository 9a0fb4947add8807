"""ctrl+p: the app's actions and every article, by name.

Article titles are data, so they are shown as Content built from plain text; Textual's
own match highlighter parses its input as markup and is not used on them. Only a bounded
number of titles is scored per keystroke, so the palette stays quick on a large archive.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.textsafe import one_line

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

MAX_ARTICLE_CANDIDATES = 300
MAX_ARTICLE_HITS = 30


class ReaderCommands(Provider):
    def _actions(self) -> list[tuple[str, str, str]]:
        # Textual's own "Keys" and "Maximize" are left out (`ReaderApp.get_system_commands`):
        # these do the same with the app's keys and panes, and one name per action is enough.
        return [
            ("Ask a question", "Put the cursor in the question box", "ask"),
            ("Open the library", "Every article, sortable and filterable", "library"),
            ("Keys", "Every key binding and its id", "help"),
            ("Zoom the focused pane", "Again to restore the layout", "zoom"),
            ("Copy the passage", "With its citation: outlet, author, title, date, url", "copy"),
            ("Open the article's web page", "In the browser (http and https only)", "open_url"),
            ("Sources by date or by score", "Toggle the order of the results", "order"),
            ("Write a Markdown report", "The question, verdict, sources and evidence", "export"),
        ]

    async def discover(self) -> Hits:
        for name, help_text, action in self._actions():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, Content(name), partial(self.app.run_action, action), name, help_text
                )
        app = cast("ReaderApp", self.app)
        library = app.library or []
        words = query.casefold().split()
        if not words:
            return
        candidates = []
        for info in library:
            label = f"Read: {one_line(info.title or info.key)} — {one_line(info.source)}"
            folded = label.casefold()
            if all(w in folded for w in words):
                candidates.append((label, info.key))
                if len(candidates) >= MAX_ARTICLE_CANDIDATES:
                    break
        hits = []
        for label, key in candidates:
            score = matcher.match(label)
            if score > 0:
                hits.append((score, label, key))
        hits.sort(key=lambda hit: -hit[0])
        for score, label, key in hits[:MAX_ARTICLE_HITS]:
            yield Hit(score, Content(label), partial(app.read_in_library, key), label)
