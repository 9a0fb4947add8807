"""The index on disk: a folder of `.npy` arrays, one SQLite file and `meta.json`.

No pickle anywhere: `.npy` files are loaded with `allow_pickle=False` and everything else is
SQLite or JSON, so a planted cache file can corrupt an answer at worst, never run code.

Each build writes a new *generation* folder and then atomically replaces the `CURRENT` pointer
(write temp + `os.replace`), so an interrupted build leaves the previous index untouched and a
reader never sees half an index. A lock file serialises builds of the same index.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ReaderError

FORMAT_VERSION = 1
ARRAYS = (
    "offsets",
    "postings",
    "frequencies",
    "contributions",
    "doc_len",
    "idf",
    "paragraph_article",
    "paragraph_source",
)
CURRENT = "CURRENT"

SCHEMA = """
CREATE TABLE terms (term TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY, terms TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
    source_id INTEGER NOT NULL, title TEXT, author TEXT, date TEXT, url TEXT,
    canonical TEXT NOT NULL, first_paragraph INTEGER NOT NULL, paragraph_count INTEGER NOT NULL,
    chars INTEGER NOT NULL, removed TEXT NOT NULL
);
CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    text TEXT NOT NULL, sentences TEXT NOT NULL
);
CREATE TABLE problems (path TEXT, line INTEGER, reason TEXT, warning INTEGER);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT);
"""


class IndexCorrupt(ReaderError):
    """The stored index does not match its own checksums or format; it must be rebuilt."""


@dataclass
class Generation:
    """An opened index generation: memory-mapped arrays, a SQLite connection, its metadata."""

    path: Path
    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]
    db: sqlite3.Connection


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not name.startswith("gen-") or "/" in name:
        return None
    path = index_dir / name
    return path if (path / "meta.json").is_file() else None


def read_meta(generation: Path) -> dict[str, Any]:
    try:
        meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"index metadata unreadable in {generation}: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
        raise IndexCorrupt(f"index in {generation} has an unknown format")
    return meta


def open_generation(generation: Path, verify: bool = False) -> Generation:
    """Open arrays memory-mapped; sizes are always checked, full checksums when `verify`."""
    meta = read_meta(generation)
    files = meta.get("files", {})
    for name, expected in files.items():
        path = generation / name
        try:
            size = path.stat().st_size
        except OSError:
            raise IndexCorrupt(f"index file missing: {path}") from None
        if size != expected["size"] or (verify and _sha256(path) != expected["sha256"]):
            raise IndexCorrupt(f"index file damaged: {path}")
    arrays = {}
    for name in ARRAYS:
        try:
            arrays[name] = np.load(generation / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"index file damaged: {generation / name}.npy ({exc})") from None
    uri = f"file:{generation / 'store.sqlite'}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        db.execute("SELECT count(*) FROM sources").fetchone()
    except sqlite3.DatabaseError as exc:
        raise IndexCorrupt(f"index database damaged in {generation}: {exc}") from None
    return Generation(path=generation, meta=meta, arrays=arrays, db=db)


class GenerationWriter:
    """Writes one generation into a temporary folder; `commit()` makes it current."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        index_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = index_dir / f"tmp-{os.getpid()}-{time.time_ns()}"
        self.tmp.mkdir()
        self.db = sqlite3.connect(self.tmp / "store.sqlite")
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)

    def save_array(self, name: str, array: np.ndarray) -> None:
        assert name in ARRAYS, name
        np.save(self.tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)

    def commit(self, meta: dict[str, Any]) -> Path:
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()
        files = {}
        for path in sorted(self.tmp.iterdir()):
            files[path.name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
            _fsync(path)
        meta = {**meta, "format": FORMAT_VERSION, "files": files}
        (self.tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        _fsync(self.tmp / "meta.json")
        final = self.index_dir / f"gen-{time.time_ns()}-{os.getpid()}"
        os.rename(self.tmp, final)
        _atomic_write(self.index_dir / CURRENT, final.name)
        remove_stale_generations(self.index_dir)
        return final

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def update_meta(generation: Path, changes: dict[str, Any]) -> None:
    """Rewrite meta.json atomically (e.g. a new fingerprint after files were only touched)."""
    meta = read_meta(generation)
    meta.update(changes)
    _atomic_write(generation / "meta.json", json.dumps(meta, indent=1))


def remove_stale_generations(index_dir: Path) -> None:
    """Delete generations and temp folders other than the current one.

    A temp folder of a build still running in another process is left alone: builds hold
    the lock, and this runs only under it.
    """
    keep = current_generation(index_dir)
    for path in index_dir.iterdir():
        if path.is_dir() and path.name.startswith(("gen-", "tmp-")) and path != keep:
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Exclusive lock for building; a second builder waits for the first to finish."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
