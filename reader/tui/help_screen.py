"""`?`: every binding, grouped by where it works, with the key it has now and its id.

Keys are read from the app's keymap at the moment the screen opens, so a binding changed in
config.toml shows its new key; the id is what config.toml's `[keys]` table uses.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget

from reader.tui import keys

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

KEY_CELLS = 16
ID_CELLS = max(len(spec_id) for spec_id in keys.ALL_SPECS) + 2


def help_lines(keymap: dict[str, str], width: int, config: Path) -> list[Content]:
    """The help text laid out for `width` cells: ids in a column if they fit, else below;
    `config` is the config file the keys can be changed in."""
    # The key column is as wide as the longest keys (`j / ↓ / ctrl+n` once a user adds
    # one), up to a third of the width; longer keys get a line of their own.
    shown_keys = {
        spec.id: keys.display_keys(keymap.get(spec.id, spec.keys))
        for specs in keys.SPECS.values()
        for spec in specs
    }
    longest = max(cell_len(k) for k in shown_keys.values()) + 4
    key_cells = max(KEY_CELLS, min(longest, width // 3))
    wide = width >= key_cells + 30 + ID_CELLS
    text_cells = max(10, width - key_cells - (ID_CELLS if wide else 0) - 1)
    lines: list[Content] = []
    for context, specs in keys.SPECS.items():
        lines.append(Content(context).stylize("bold $text-accent"))
        for spec in specs:
            shown = shown_keys[spec.id]
            wrapped = textwrap.wrap(spec.explained, text_cells) or [""]
            if cell_len(shown) + 3 > key_cells:
                lines.append(Content(f"  {shown}").stylize("bold"))
                label = Content(" " * key_cells)
            else:
                label = Content(f"  {shown}".ljust(key_cells)).stylize("bold")
            first = Content.assemble(label, wrapped[0].ljust(text_cells) if wide else wrapped[0])
            if wide:
                first += Content(spec.id).stylize("$text-muted")
            lines.append(first)
            lines.extend(Content(" " * key_cells + more) for more in wrapped[1:])
            if not wide:
                lines.append(Content(" " * key_cells + spec.id).stylize("$text-muted"))
        lines.append(Content(""))
    tail = (
        f"Change a key in {shown_config_path(config)} by its id, for example:\n"
        '  [keys]\n  quit = "ctrl+x"\n  "article.next_passage" = "right"\n'
        'and pick a theme with  theme = "nord"  (ctrl+p, "theme", lists them).'
    )
    for line in tail.splitlines():
        for piece in textwrap.wrap(line, width, drop_whitespace=False) or [""]:
            lines.append(Content(piece).stylize("$text-muted"))
    return lines


def shown_config_path(path: Path) -> str:
    """`path` as the user would write it: via $XDG_CONFIG_HOME or ~, not expanded."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if base and path == Path(base) / "reader" / "config.toml":
        return "$XDG_CONFIG_HOME/reader/config.toml"
    home, text = str(Path.home()), str(path)
    return "~" + text[len(home) :] if text.startswith(home) else text


class HelpText(Widget):
    """The bindings table; re-laid out on resize so it reads at 80 columns and at 200."""

    DEFAULT_CSS = "HelpText { height: auto; }"

    def render(self) -> Content:
        width = self.content_region.width or 80
        app = cast("ReaderApp", self.app)
        return Content("\n").join(help_lines(app.user_keymap, width, app.settings.path))


class HelpScreen(ModalScreen[None], inherit_bindings=False):
    BINDINGS = keys.bindings(keys.HELP)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            yield HelpText(id="help-text")
