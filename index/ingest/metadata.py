"""The corpus metadata file, and how an article's fields are decided.

Scraped text rarely says who published it, so a corpus may carry `sources.toml` next to
its articles: one table per file (keyed by the file's path relative to the corpus root,
or by an article key such as `feed.jsonl#12` for one record of a multi-article file) and
an optional `[defaults]` table for the whole corpus:

    [defaults]
    outlet = "Example Gazette"

    ["politics/2020-01-02-budget.txt"]
    title = "Budget passes"
    date = 2020-01-02

The file is the user's own statement about their articles, so it wins over whatever the
article file itself carries; guesses made from the text or the path come last.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path, PurePosixPath

from index.articles import METADATA_FIELDS, Record
from index.errors import MetadataError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

METADATA_FILE = "sources.toml"
DEFAULTS_TABLE = "defaults"

# Keys a table may hold, and the field each one sets. `outlet` is what people call the
# publisher of a news story; `source` is the engine's name for the same thing.
_KEY_TO_FIELD = {
    "outlet": "source",
    "source": "source",
    "title": "title",
    "author": "author",
    "date": "date",
    "url": "url",
}

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_metadata(root: Path) -> dict[str, dict[str, str]]:
    """Read `root/sources.toml` into {article path or key: {field: value}}.

    Returns {} when the file does not exist: metadata is optional. Every mistake in the
    file is a `MetadataError` with a one-line message that says where it is, because a
    silently ignored typo would leave an outlet unnamed with no hint why.
    """
    path = Path(root) / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MetadataError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MetadataError(f"{path}: not valid UTF-8 (TOML files must be UTF-8)") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(_toml_error_message(path, text, str(error))) from None
    except RecursionError:
        # tomllib reads nested arrays and inline tables recursively; no metadata nests.
        raise MetadataError(f"{path}: values nested too deeply") from None

    metadata: dict[str, dict[str, str]] = {}
    for table_name, table in document.items():
        if not isinstance(table, dict):
            raise MetadataError(
                f"{path}: top-level key {table_name!r} must be a table such as "
                f'["some/file.txt"] or [{DEFAULTS_TABLE}]'
            )
        entry_key = table_name if table_name == DEFAULTS_TABLE else _normalise_path(table_name)
        if entry_key in metadata:
            raise MetadataError(f"{path}: [{_quoted(table_name)}] names a file given twice")
        metadata[entry_key] = _read_table(path, table_name, table)
    return metadata


def resolve_fields(
    record: Record, metadata: dict[str, dict[str, str]], inferred: dict[str, str]
) -> dict[str, str]:
    """Decide an article's fields from every place that may give them.

    Precedence, strongest first: the metadata entry for the record's key (one article of
    a multi-article file), the entry for its file, the fields the file itself carried,
    the metadata `[defaults]`, and last the guesses in `inferred`. Defaults rank below the
    record's own fields because they are a corpus-wide fallback, not a statement about
    this article. A field no layer gives stays missing: nothing is invented.
    """
    layers = [
        inferred,
        metadata.get(DEFAULTS_TABLE, {}),
        record.fields,
        metadata.get(_normalise_path(record.path), {}),
    ]
    if record.key != record.path:
        layers.append(metadata.get(record.key, {}))
    resolved: dict[str, str] = {}
    for layer in layers:
        for name, value in layer.items():
            if name in METADATA_FIELDS and isinstance(value, str) and value.strip():
                resolved[name] = value.strip()
    return resolved


def source_from_path(path: str) -> str:
    """Guess an article's outlet from where it sits in the corpus.

    A file in a subfolder takes the name of its top-level folder, because a folder per
    outlet (with any date folders nested inside it) is the usual way people file saved
    articles: "cnn/2020/01/story.txt" -> "cnn". A top-level file gives its name without
    suffixes ("reuters.jsonl.gz" -> "reuters"), which names the outlet when a whole feed is
    one file and is at least a stable, recognisable label otherwise. A `#record` part of
    an article key is ignored.
    """
    relative = PurePosixPath(_normalise_path(path.split("#", 1)[0]))
    parts = [part for part in relative.parts if part not in ("", "/")]
    if not parts:
        return ""
    if len(parts) > 1:
        return parts[0]
    name = parts[0]
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    return stem or name


def _read_table(path: Path, table_name: str, table: dict) -> dict[str, str]:
    where = f"{path}: [{_quoted(table_name)}]"
    fields: dict[str, str] = {}
    for key, value in table.items():
        if key not in _KEY_TO_FIELD:
            if isinstance(value, dict):
                # `[cnn.story.txt]` without quotes is TOML for nested tables, a common slip.
                raise MetadataError(
                    f"{path}: [{table_name}.{key}] looks like a file path; quote it: "
                    f'["{table_name}.{key}"]'
                )
            allowed = ", ".join(_KEY_TO_FIELD)
            raise MetadataError(f"{where}: unknown key {key!r} (allowed: {allowed})")
        field_name = _KEY_TO_FIELD[key]
        text = _as_text(value)
        if text is None:
            raise MetadataError(
                f"{where}: {key} must be a string"
                + (", a list of strings" if key == "author" else "")
                + (" or a date" if key == "date" else "")
            )
        if field_name in fields and key in ("outlet", "source"):
            raise MetadataError(f"{where}: give either outlet or source, not both")
        if text:
            fields[field_name] = text
    return fields


def _as_text(value: object) -> str | None:
    """A TOML value as the string field it stands for, or None when it cannot be one."""
    if isinstance(value, str):
        return _one_line(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(_one_line(item) for item in value if _one_line(item))
    return None


# TOML strings may hold any control character as an escape ("\u001b"); a field is one line
# of text, so they become spaces like the line breaks do.
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(value: str) -> str:
    return " ".join(_CONTROL_CHARS.sub(" ", value).split())


def _normalise_path(path: str) -> str:
    """Write a file path the way article paths are written: posix, relative, no `./`."""
    cleaned = path.strip().replace("\\", "/")
    while cleaned.startswith("./"):
        cleaned = cleaned[2:]
    return cleaned


def _quoted(name: str) -> str:
    return f'"{name}"' if not re.fullmatch(r"[A-Za-z0-9_-]+", name) else name


def _toml_error_message(path: Path, text: str, message: str) -> str:
    """Rewrite tomllib's "msg (at line L, column C)" as the usual "file:L:C: msg"."""
    position = _TOML_POSITION.search(message)
    if position:
        line, column = position.group(1), position.group(2)
        message = message[: position.start()]
    else:
        at_end = _TOML_AT_END.search(message)
        if at_end:
            message = message[: at_end.start()] + " at end of file"
        lines = text.split("\n")
        line, column = str(len(lines)), str(len(lines[-1]) + 1)
    message = " ".join(message.split())
    return f"{path}:{line}:{column}: {message}"
