"""Every key binding of the app, each with an id, in one table.

One table lets the help screen list every binding with the key it has *now* (after the
user's `[keys]` overrides), lets the config loader reject unknown ids with a useful message,
and lets several panes share one id (`cursor.down` moves in every list), so one override
changes a motion everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import Keys, _character_to_key, format_key, key_to_character

from reader.config import ConfigError

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@dataclass(frozen=True)
class KeySpec:
    id: str
    keys: str  # comma-separated Textual key names, the default
    action: str
    description: str  # short: the footer shows it
    show: bool = False  # in the footer
    priority: bool = False
    help: str = ""  # longer, for the help screen (the description if empty)

    @property
    def explained(self) -> str:
        return self.help or self.description


# Where a binding applies: its table in the help screen and the widget classes that use it.
APP = "Everywhere"
ASK = "Ask screen"
LISTS = "Lists and the article pane"
ARTICLE = "Reading an article"
LIBRARY = "Library"
FILTER = "Library filter box"
HELP = "Help screen"
QUESTION = "Question box"
EXPORT = "Report file box"
FIND = "Find box"

BACK = KeySpec("back", "escape", "back", "Back one level")
COPY = KeySpec(
    "copy",
    "y",
    "copy",
    "Copy",
    show=True,
    help="Copy the passage with its citation (outlet, title, url)",
)
OPEN_URL = KeySpec(
    "open_url", "o", "open_url", "Open url", help="Open the article's web page (http/https only)"
)

SPECS: dict[str, list[KeySpec]] = {
    APP: [
        KeySpec("quit", "q", "quit", "Quit", show=True),
        KeySpec(
            "force_quit", "ctrl+q", "quit", "Quit", priority=True, help="Quit, even while typing"
        ),
        KeySpec("help", "question_mark,f1", "help", "Keys", show=True),
        KeySpec("library", "l", "library", "Library", show=True),
        KeySpec("palette", "ctrl+p", "command_palette", "Command palette", priority=True),
        KeySpec("pane.next", "tab", "app.focus_next", "Next pane"),
        KeySpec("pane.previous", "shift+tab", "app.focus_previous", "Previous pane"),
        KeySpec("zoom", "z", "zoom", "Zoom", help="Zoom the focused pane (again to restore)"),
    ],
    ASK: [
        KeySpec(
            "ask.question",
            "slash",
            "focus_question",
            "Ask",
            show=True,
            help="Question box (in the article pane: find in the article)",
        ),
        BACK,
        COPY,
        OPEN_URL,
        KeySpec(
            "article.next_passage",
            "n",
            "next_passage",
            "Next passage",
            show=True,
            help="Next passage in the article (a find's next match there)",
        ),
        KeySpec(
            "article.previous_passage",
            "N",
            "previous_passage",
            "Previous passage",
            help="Previous passage (a find's previous match there)",
        ),
        KeySpec(
            "passage.next",
            "right_square_bracket",
            "next_passage_only",
            "Next passage",
            help="Next passage of the question, even during a find",
        ),
        KeySpec(
            "passage.previous",
            "left_square_bracket",
            "previous_passage_only",
            "Previous passage",
            help="Previous passage of the question, even during a find",
        ),
        KeySpec(
            "ask.more_sources",
            "m",
            "more_sources",
            "More sources",
            help="List more of the sources that match (when some are not listed)",
        ),
        KeySpec(
            "ask.export",
            "e",
            "export",
            "Report",
            help="Write the result as a Markdown report to a file you name",
        ),
        KeySpec(
            "ask.order",
            "d",
            "toggle_order",
            "Date order",
            help="Sources by date of their answer, or by score (toggles)",
        ),
    ],
    QUESTION: [
        KeySpec("question.earlier", "up", "history_back", "Earlier question"),
        KeySpec("question.later", "down", "history_forward", "Later question"),
    ],
    LISTS: [
        KeySpec("cursor.down", "j,down", "cursor_down", "Down"),
        KeySpec("cursor.up", "k,up", "cursor_up", "Up"),
        KeySpec("cursor.top", "g,home", "first", "Top"),
        KeySpec("cursor.bottom", "G,end", "last", "Bottom"),
        KeySpec("page.down", "space,pagedown", "page_down", "Page down"),
        KeySpec("page.up", "b,pageup", "page_up", "Page up"),
        KeySpec("open", "enter", "open", "Open"),
    ],
    LIBRARY: [
        KeySpec(
            "library.filter",
            "slash",
            "focus_filter",
            "Filter",
            show=True,
            help="Go to the filter box (type words to narrow the list)",
        ),
        KeySpec(
            "library.sort",
            "s",
            "sort",
            "Sort",
            show=True,
            help="Sort by the next column (outlet, title, date, length)",
        ),
        KeySpec("library.reverse", "r", "reverse", "Reverse the order"),
        KeySpec(
            "library.next_article",
            "J",
            "next_article",
            "Next article",
            show=True,
            help="Next article in the list, while reading",
        ),
        KeySpec("library.previous_article", "K", "previous_article", "Previous article"),
        BACK,
        COPY,
        OPEN_URL,
    ],
    FILTER: [
        KeySpec("library.filter_to_list", "down", "to_list", "From the filter to the list"),
    ],
    HELP: [
        KeySpec("help.close", "escape,q,question_mark", "dismiss", "Close"),
    ],
    EXPORT: [
        KeySpec("export.cancel", "escape", "cancel", "Cancel", help="Close without writing"),
    ],
    FIND: [
        KeySpec("find.cancel", "escape", "cancel", "Cancel", help="Close without finding"),
    ],
}

ALL_SPECS: dict[str, KeySpec] = {spec.id: spec for specs in SPECS.values() for spec in specs}


def bindings(context: str, *ids: str) -> list[BindingType]:
    """Textual bindings for `context` (or only `ids` from it), ids attached for the keymap."""
    chosen = [s for s in SPECS[context] if not ids or s.id in ids]
    return [
        Binding(
            s.keys,
            s.action,
            s.description,
            show=s.show,
            priority=s.priority,
            tooltip=s.explained,
            id=s.id,
        )
        for s in chosen
    ]


def is_valid_key(key: str) -> bool:
    """A key Textual can report: modifiers joined by '+' and a key name or one character."""
    *modifiers, name = key.split("+")
    if not name or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in _KEY_NAMES or key_to_character(name) is not None


_KEY_NAMES = frozenset(k.value for k in Keys) | {"space", "question_mark"}


def check_keymap(overrides: Mapping[str, str], where: str) -> dict[str, str]:
    """Validate `[keys]` overrides (binding id -> keys) against the table; Textual key names."""
    keymap = {}
    for binding_id, keys in overrides.items():
        if binding_id not in ALL_SPECS:
            close = [i for i in ALL_SPECS if i.split(".")[-1] == binding_id.split(".")[-1]]
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise ConfigError(
                f"{where}: unknown key binding id '{binding_id}' ({hint}"
                f"valid ids: {', '.join(sorted(ALL_SPECS))})"
            )
        parts = [k.strip() for k in keys.split(",")]
        if not all(parts):
            raise ConfigError(f"{where}: keys.{binding_id}: empty key in {keys!r}")
        for part in parts:
            if not is_valid_key(part):
                raise ConfigError(
                    f"{where}: keys.{binding_id}: {part!r} is not a key name "
                    "(examples: 'x', 'X', 'ctrl+n', 'f2', 'pagedown', 'question_mark')"
                )
        keymap[binding_id] = ",".join(_character_to_key(p) if len(p) == 1 else p for p in parts)
    return keymap


# Keys named in words rather than Textual's symbols (⏎), which not every font or reader knows.
KEY_WORDS = {"enter": "enter", "escape": "esc", "space": "space", "tab": "tab"}


def display_keys(keys: str) -> str:
    """`j,down` -> `j / ↓` for the help screen."""
    shown = []
    for key in keys.split(","):
        *modifiers, name = key.split("+")
        char = key_to_character(name) if len(name) > 1 else name
        if name in KEY_WORDS:
            label = KEY_WORDS[name]
        elif char and char.isprintable() and not char.isspace():
            label = char
        else:
            label = format_key(name)
        shown.append("+".join([*modifiers, label]))
    return " / ".join(shown)


def key_of(keymap: Mapping[str, str], binding_id: str) -> str:
    """The key(s) a binding has now, for text that tells the user what to press."""
    return display_keys(keymap.get(binding_id, ALL_SPECS[binding_id].keys))


# Contexts whose bindings are in force at the same time: the app's everywhere; an ask screen's
# and a library's with the lists and the article pane in them.
_TOGETHER = {
    frozenset({ASK, LISTS}),
    frozenset({LIBRARY, LISTS}),
    frozenset({LIBRARY, FILTER}),
    frozenset({ASK, QUESTION}),
}


def _together(a: str, b: str) -> bool:
    if a == b or frozenset({a, b}) in _TOGETHER:
        return True
    return APP in (a, b) and not {HELP, EXPORT} & {a, b}


def conflicts(keymap: Mapping[str, str]) -> list[str]:
    """One warning per key that the user's `keymap` gives to two bindings in force at once
    (`cursor.down = "l"` takes `l` from the library): the one nearer the focus would win
    silently. Only conflicts involving an overridden binding are told: the defaults are
    designed (help.close on `q` is meant to shadow quit)."""
    bound: list[tuple[str, str, str]] = []  # (key, binding id, context)
    for context, specs in SPECS.items():
        for spec in specs:
            for key in keymap.get(spec.id, spec.keys).split(","):
                bound.append((key.strip(), spec.id, context))
    warnings = []
    seen = set()
    for i, (key, first, where_first) in enumerate(bound):
        for other_key, second, where_second in bound[i + 1 :]:
            if key != other_key or first == second or (first, second, key) in seen:
                continue
            if first not in keymap and second not in keymap:
                continue
            if not _together(where_first, where_second):
                continue
            seen.add((first, second, key))
            warnings.append(
                f"key {display_keys(key)} is bound to both {first} and {second}; "
                "change one of them in [keys]"
            )
    return warnings
