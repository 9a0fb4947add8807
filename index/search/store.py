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
import re
import shutil
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexCorrupt, IndexOutdated, IndexUnwritable, StoredResultDamaged

FORMAT_VERSION = 1
# Bump when a change to cleaning, segmentation or tokenizing changes what a build produces:
# indexes and stored per-file results of another version are then rebuilt, not trusted.
BUILD_VERSION = 4
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


_TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)", SCHEMA))


# Every file a generation holds; meta.json lists their sizes and checksums.
FILES = frozenset({*(f"{name}.npy" for name in ARRAYS), "store.sqlite"})


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
    except (OSError, ValueError):  # unreadable, or damaged into bytes that are not text
        return None
    if not name.startswith("gen-") or "/" in name:
        return None
    path = index_dir / name
    return path if (path / "meta.json").is_file() else None


def read_meta(generation: Path) -> dict[str, Any]:
    """meta.json, checked for the shape every reader of it relies on.

    meta.json holds the other files' checksums, so nothing checks it but this: a damaged or
    planted one must fail here, as IndexCorrupt, not later as a KeyError or a TypeError.
    """
    try:
        meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise IndexCorrupt(f"index metadata unreadable in {generation}: {exc}") from None
    if not isinstance(meta, dict):
        raise IndexCorrupt(f"index metadata damaged in {generation}")
    if meta.get("format") != FORMAT_VERSION:
        raise IndexOutdated(f"index in {generation} has another format")
    problem = _meta_problem(meta)
    if problem:
        raise IndexCorrupt(f"index metadata damaged in {generation}: {problem}")
    return meta


def written_since(generation: Path) -> bool:
    """Whether any index file was modified after it was written (so must be checksummed).

    Whatever writes to an index file later (a crash mid-copy, a full disk, a stray tool, a
    planted file) changes its modification time; comparing times with the ones recorded at
    commit finds it without reading the whole index on every start.
    """
    try:
        files = read_meta(generation)["files"]
    except IndexCorrupt:
        return True
    for name, expected in files.items():
        try:
            if (generation / name).lstat().st_mtime_ns != expected.get("mtime_ns"):
                return True
        except OSError:
            return True
    return False


def _meta_problem(meta: dict[str, Any]) -> str | None:
    def is_int(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    files = meta.get("files")
    if not isinstance(files, dict) or set(files) != FILES:
        return "wrong list of files"
    for entry in files.values():
        if not (
            isinstance(entry, dict)
            and is_int(entry.get("size"))
            and isinstance(entry.get("sha256"), str)
            and is_int(entry.get("mtime_ns", 0))
        ):
            return "bad file entry"
    fingerprint = meta.get("fingerprint")
    if not isinstance(fingerprint, dict) or not all(
        isinstance(stat_, list) and len(stat_) == 2 and all(map(is_int, stat_))
        for stat_ in fingerprint.values()
    ):
        return "bad fingerprint"
    params = meta.get("params")
    if not isinstance(params, dict):
        return "bad parameters"
    counts = meta.get("counts")
    if not isinstance(counts, dict) or not all(map(is_int, counts.values())):
        return "bad counts"
    groups = meta.get("duplicate_groups", [])
    if not isinstance(groups, list) or not all(
        isinstance(group, list) and group and all(isinstance(key, str) for key in group)
        for group in groups
    ):
        return "bad duplicate groups"
    return None


def open_generation(generation: Path, verify: bool = False) -> Generation:
    """Open arrays memory-mapped; sizes are always checked, full checksums when `verify`."""
    meta = read_meta(generation)
    for name, expected in meta["files"].items():
        path = generation / name
        try:
            info = path.lstat()
        except OSError:
            raise IndexCorrupt(f"index file missing: {path}") from None
        if not stat.S_ISREG(info.st_mode):
            raise IndexCorrupt(f"index file is not a regular file: {path}")
        if info.st_size != expected["size"] or (verify and file_sha256(path) != expected["sha256"]):
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
        objects = db.execute("SELECT type, name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        raise IndexCorrupt(f"index database damaged in {generation}: {exc}") from None
    # Only plain tables: a view or trigger under a table's name would run a query of its
    # author's choosing (an endless recursive one, say) whenever the index is read.
    tables = {name for kind, name in objects if kind == "table"}
    if any(kind in ("view", "trigger") for kind, _ in objects) or not _TABLES.issubset(tables):
        db.close()
        raise IndexCorrupt(f"index database in {generation} does not have the expected tables")
    return Generation(path=generation, meta=meta, arrays=arrays, db=db)


class GenerationWriter:
    """Writes one generation into a temporary folder; `commit()` makes it current."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        index_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = index_dir / f"tmp-{os.getpid()}-{time.time_ns()}"
        self.tmp.mkdir()
        # URI filenames, so that chunk files are attached read-only (`copy_paragraphs`).
        # Used by one thread at a time, not always the one that made it (see build._write).
        self.db = sqlite3.connect(
            _uri(self.tmp / "store.sqlite"), uri=True, check_same_thread=False
        )
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
            + SCHEMA
            + "CREATE TEMP TABLE place (name TEXT, seq INTEGER, article INTEGER, first INTEGER,"
            " PRIMARY KEY (name, seq, article));"
        )
        # Files written for good are synced and hashed at once, two at a time (hashlib works
        # outside the GIL), while the rest of the generation is still being written.
        self._hasher = ThreadPoolExecutor(max_workers=2)
        self._digests: dict[str, Future[str]] = {}

    def save_array(self, name: str, array: np.ndarray) -> None:
        assert name in ARRAYS, name
        path = self.tmp / f"{name}.npy"
        np.save(path, np.ascontiguousarray(array), allow_pickle=False)
        self._digests[path.name] = self._hasher.submit(_synced_digest, path)

    def add_articles(self, rows: list[tuple]) -> None:
        self.db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def copy_paragraphs(
        self, texts: Path, places: list[tuple[str, int, int, int, int]], shared: bool = False
    ) -> None:
        """Copy paragraphs from a text file of `segments` (a chunk's, or the `shared` one),
        inside SQLite.

        `places` are (name in the shared file, article in the chunk or file, article id, its
        first paragraph id, its paragraph count), in paragraph id order: rows are appended
        in key order, so the table is written once, compactly, with no Python object per
        paragraph.
        """
        self.db.commit()  # ATTACH cannot run inside a transaction
        try:
            self.db.execute("ATTACH DATABASE ? AS chunk", (_uri(texts, "?mode=ro"),))
        except sqlite3.DatabaseError as exc:
            raise StoredResultDamaged(f"{texts}: {exc}") from None
        try:
            objects = self.db.execute(
                "SELECT type, name FROM chunk.sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchall()
            # A view or trigger in a planted file would run a query of its author's choosing.
            if objects != [("table", "paragraphs")]:
                raise StoredResultDamaged(f"{texts}: unexpected contents")
            self.db.execute("DELETE FROM temp.place")
            self.db.executemany("INSERT INTO temp.place VALUES (?,?,?,?)", (p[:4] for p in places))
            before = self.db.total_changes
            if shared:
                self.db.execute(
                    "INSERT INTO paragraphs SELECT p.first + c.idx, p.article, c.idx, c.text,"
                    " c.sentences FROM temp.place p JOIN chunk.paragraphs c"
                    " ON c.name = p.name AND c.article = p.seq ORDER BY p.first, c.idx"
                )
            else:
                self.db.execute(
                    "INSERT INTO paragraphs SELECT p.first + c.idx, p.article, c.idx, c.text,"
                    " c.sentences FROM chunk.paragraphs c JOIN temp.place p ON p.seq = c.article"
                    " ORDER BY c.rowid"
                )
            copied = self.db.total_changes - before
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise StoredResultDamaged(f"{texts}: {exc}") from None
        finally:
            with contextlib.suppress(sqlite3.DatabaseError):
                self.db.commit()
                self.db.execute("DETACH DATABASE chunk")
        if copied != sum(p[4] for p in places):
            raise StoredResultDamaged(f"{texts}: {copied} paragraphs, expected others")

    def add_terms(self, terms: list[str]) -> None:
        # Sorted: rows arrive in key order and fill the table's pages once.
        rows = sorted(zip(terms, range(len(terms)), strict=True))
        self.db.executemany("INSERT INTO terms VALUES (?,?)", rows)

    def add_words(self, words: dict[str, str]) -> None:
        self.db.executemany("INSERT INTO words VALUES (?,?)", sorted(words.items()))

    def commit(self, meta: dict[str, Any]) -> Path:
        self.db.commit()
        self.db.close()
        paths = sorted(self.tmp.iterdir())
        for path in paths:
            if path.name not in self._digests:
                self._digests[path.name] = self._hasher.submit(_synced_digest, path)
        files = {}
        for path in paths:
            digest = self._digests[path.name].result()
            info = path.stat()
            files[path.name] = {
                "size": info.st_size,
                "sha256": digest,
                "mtime_ns": info.st_mtime_ns,
            }
        self._hasher.shutdown()
        meta = {**meta, "format": FORMAT_VERSION, "files": files}
        (self.tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        _fsync(self.tmp / "meta.json")
        final = self.index_dir / f"gen-{time.time_ns()}-{os.getpid()}"
        os.rename(self.tmp, final)
        _atomic_write(self.index_dir / CURRENT, final.name)
        remove_stale_generations(self.index_dir)
        return final

    def abort(self) -> None:
        self._hasher.shutdown(cancel_futures=True)
        with contextlib.suppress(Exception):
            self.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def article_texts(texts: Path, articles: list[int]) -> dict[int, str]:
    """{article: its paragraphs joined by blank lines} for articles of a chunk's text file."""
    wanted = set(articles)
    paragraphs: dict[int, list[str]] = {article: [] for article in articles}
    try:
        db = sqlite3.connect(_uri(texts, "?mode=ro"), uri=True)
        try:
            objects = db.execute("SELECT type, name FROM sqlite_master").fetchall()
            if objects != [("table", "paragraphs")]:
                raise StoredResultDamaged(f"{texts}: unexpected contents")
            marks = ",".join("?" * len(wanted))
            rows = db.execute(
                f"SELECT article, text FROM paragraphs WHERE article IN ({marks}) ORDER BY rowid",
                sorted(wanted),
            )
            for article, text in rows:
                paragraphs[article].append(text)
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise StoredResultDamaged(f"{texts}: {exc}") from None
    return {article: "\n\n".join(texts) for article, texts in paragraphs.items()}


def shared_article_texts(
    texts: Path, articles: list[tuple[str, int]]
) -> dict[tuple[str, int], str]:
    """{(name, article): its paragraphs joined by blank lines} from the shared text file."""
    out: dict[tuple[str, int], str] = {}
    if not articles:
        return out
    try:
        db = sqlite3.connect(_uri(texts, "?mode=ro"), uri=True)
        try:
            objects = db.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchall()
            if objects != [("table", "paragraphs")]:
                raise StoredResultDamaged(f"{texts}: unexpected contents")
            for name, article in articles:
                rows = db.execute(
                    "SELECT text FROM paragraphs WHERE name = ? AND article = ? ORDER BY idx",
                    (name, article),
                ).fetchall()
                out[(name, article)] = "\n\n".join(text for (text,) in rows)
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise StoredResultDamaged(f"{texts}: {exc}") from None
    return out


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
    """Exclusive lock for building; a second builder waits for the first to finish.

    The lock is the kernel's (flock), so a builder killed with -9 releases it as it dies.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a+b")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise IndexUnwritable(
            f"cannot write the index in {index_dir}: {exc.strerror or exc}"
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _uri(path: Path, query: str = "") -> str:
    return "file:" + urllib.parse.quote(str(path)) + query


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _synced_digest(path: Path) -> str:
    _fsync(path)
    return file_sha256(path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
