"""The user's config file: `$XDG_CONFIG_HOME/reader/config.toml` (~/.config by default).

Sections: `[bm25]` (k1, b, epsilon), `[keys]` (binding id -> keys, for the TUI) and `theme`.
The `reader` command reads it once per run, into one `Settings`, and hands that to whatever
runs (the engine's BM25 parameters, the app's keys and theme). A broken config file is a user
error with a one-line message, not a traceback.

What can be checked without Textual is checked here, for every command; the app checks the
rest (binding ids, key names, theme names) against Textual's own tables before it starts.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import ReaderError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BM25_SETTINGS = ("k1", "b", "epsilon")


class ConfigError(ReaderError):
    pass


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reader" / "config.toml"


@dataclass(frozen=True)
class Settings:
    """What the user's config file asks for; empty where it says nothing (the defaults are
    the engine's and the app's own, written once each, never here)."""

    path: Path = field(default_factory=config_path)
    bm25: dict[str, float] = field(default_factory=dict)  # k1, b, epsilon given in [bm25]
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> "key,key"
    theme: str | None = None
    backend: dict[str, Any] = field(default_factory=dict)  # [backend], checked (see _backend)


def load_settings(path: Path | None = None) -> Settings:
    """Read and check the config file at `path` (the user's by default); none is no settings."""
    where = path or config_path()
    config = _read(where)
    return Settings(
        path=where,
        bm25=_bm25(config, where),
        keys=_keys(config, where),
        theme=_theme(config, where),
        backend=_backend(config, where),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        prefix = f"{path}:{where.group(1)}:{where.group(2)}" if where else str(path)
        raise ConfigError(f"{prefix}: {message}") from None
    return data


def _bm25(config: dict[str, Any], where: Path) -> dict[str, float]:
    section = config.get("bm25", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [bm25] must be a table")
    out = {}
    for name, value in section.items():
        if name not in BM25_SETTINGS:
            known = ", ".join(BM25_SETTINGS)
            raise ConfigError(f"{where}: unknown setting bm25.{name} (known: {known})")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: bm25.{name} must be a number")
        out[name] = float(value)
    return out


def _keys(config: dict[str, Any], where: Path) -> dict[str, str]:
    """`[keys]`: binding id -> keys ("j,down"), with dotted ids allowed unquoted.

    TOML reads `article.next_passage = "x"` as a nested table, so nested tables are
    flattened back into dotted ids; a list of keys is accepted as well as a comma string.
    """
    section = config.get("keys", {})
    if not isinstance(section, dict):
        raise ConfigError(f'{where}: [keys] must be a table of binding id = "key"')
    out: dict[str, str] = {}

    def walk(table: dict[str, Any], prefix: str) -> None:
        for name, value in table.items():
            binding_id = f"{prefix}{name}"
            if isinstance(value, dict):
                walk(value, f"{binding_id}.")
            elif isinstance(value, str):
                out[binding_id] = value
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                out[binding_id] = ",".join(value)
            else:
                raise ConfigError(
                    f'{where}: keys.{binding_id} must be a key name in quotes, e.g. "ctrl+n"'
                )

    walk(section, "")
    return out


def _theme(config: dict[str, Any], where: Path) -> str | None:
    """The top-level `theme = "name"`, if set (checked against the app's themes by the app)."""
    value = config.get("theme")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: theme must be a theme name in quotes")
    return value.strip()


# `[backend]`: where questions are searched. Each setting and the kind of value it takes.
BACKEND_SETTINGS: dict[str, tuple[type, str]] = {
    "type": (str, '"local" or "opensearch"'),
    "url": (str, "a node URL, or several separated by commas"),
    "index": (str, "an index name"),
    "user": (str, "a user name"),
    "password": (str, "a password"),
    "ca_file": (str, "the path of a CA bundle"),
    "exact_scores": (bool, "true or false"),
    "shards": (int, "a whole number"),
    "replicas": (int, "a whole number"),
}
BACKENDS = ("local", "opensearch")


def _backend(config: dict[str, Any], where: Path) -> dict[str, Any]:
    section = config.get("backend", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [backend] must be a table")
    for name, value in section.items():
        if name not in BACKEND_SETTINGS:
            known = ", ".join(BACKEND_SETTINGS)
            raise ConfigError(f"{where}: unknown setting backend.{name} (known: {known})")
        kind, what = BACKEND_SETTINGS[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: backend.{name} must be {what}")
    if section.get("type", "local") not in BACKENDS:
        raise ConfigError(f'{where}: backend.type must be "local" or "opensearch"')
    return dict(section)
