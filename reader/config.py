"""The user's config file: `$XDG_CONFIG_HOME/reader/config.toml` (~/.config by default).

Sections: `[bm25]` (k1, b, epsilon), `[keys]` (binding id -> keys, for the TUI) and `theme`.
A broken config file is a user error with a one-line message, not a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from index.errors import ReaderError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(ReaderError):
    pass


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reader" / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        prefix = f"{path}:{where.group(1)}:{where.group(2)}" if where else str(path)
        raise ConfigError(f"{prefix}: {message}") from None
    return data


def bm25_settings(config: dict[str, Any], path: Path | None = None) -> dict[str, float]:
    section = config.get("bm25", {})
    where = path or config_path()
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [bm25] must be a table")
    out = {}
    for name, value in section.items():
        if name not in ("k1", "b", "epsilon"):
            raise ConfigError(f"{where}: unknown setting bm25.{name} (known: k1, b, epsilon)")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: bm25.{name} must be a number")
        out[name] = float(value)
    return out


def key_overrides(config: dict[str, Any], path: Path | None = None) -> dict[str, str]:
    """`[keys]`: binding id -> keys ("j,down"), with dotted ids allowed unquoted.

    TOML reads `article.next_passage = "x"` as a nested table, so nested tables are
    flattened back into dotted ids; a list of keys is accepted as well as a comma string.
    """
    where = path or config_path()
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


def theme_setting(config: dict[str, Any], path: Path | None = None) -> str | None:
    """The top-level `theme = "name"`, if set (checked against the app's themes by the app)."""
    value = config.get("theme")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path or config_path()}: theme must be a theme name in quotes")
    return value.strip()
