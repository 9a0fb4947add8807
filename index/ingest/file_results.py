"""What a build learned about each corpus file, kept so a refresh redoes only changed files.

Cleaning, sentence splitting and tokenizing are most of a build's time. Their result for a
file depends only on the file's bytes and on the sentence model, so it is stored under
`<file sha256>-<sentence model key>-v<build version>`:
* `<name>.json`: article metadata, the file's vocabulary, its words' terms;
* `<name>.npy` (int32): each paragraph's number of terms, then every paragraph's term ids end
  to end, then the articles' MinHash signatures (for duplicate grouping);
* the paragraph texts and sentence offsets: a file of more than one chunk (CHUNK_RECORDS
  records) has one SQLite file per chunk, `<name>.<n>.sqlite`, written by the worker that
  processed it; the texts of smaller files (most corpora are a file per article) share one
  SQLite file, `TEXTS_FILE`, so that a result costs two small files, not a dozen.
SQLite copies the texts into the index itself. JSON, `.npy` read with `allow_pickle=False`
and SQLite: nothing that can run code when read.

The sentence model is kept with the list of files it was trained on; while those files are
unchanged and still come first, it is reused, so a refresh gives exactly what a rebuild
from scratch would.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.articles import Problem
from index.ingest.duplicates import BANDS, ROWS

SENTENCE_MODEL_FILE = "sentence-model.json"
TEXTS_FILE = "texts.sqlite"
PAIRS_FILE = "pairs.json"
# Records per chunk. A file's article i is record i % CHUNK_RECORDS of chunk i // CHUNK_RECORDS:
# stored results record it, and a result stored with another value is recomputed.
CHUNK_RECORDS = 500
SIGNATURE_WIDTH = BANDS * ROWS
CHUNK_SCHEMA = (
    "CREATE TABLE paragraphs (article INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " text TEXT NOT NULL, sentences TEXT NOT NULL)"
)
SHARED_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS paragraphs (name TEXT NOT NULL, article INTEGER NOT NULL,"
    " idx INTEGER NOT NULL, text TEXT NOT NULL, sentences TEXT NOT NULL,"
    " PRIMARY KEY (name, article, idx)) WITHOUT ROWID"
)

Row = tuple[int, int, str, str]  # (article in chunk or file, paragraph index, text, sentences)


# SQLite's result code for "database or disk is full" (sqlite3.SQLITE_FULL from Python 3.11).
SQLITE_FULL = 13


@contextlib.contextmanager
def disk_full_as_os_error() -> Iterator[None]:
    """SQLite's "database or disk is full" as the OSError every other write gives for it,
    so that a full disk is reported (and handled) the same way whichever write hit it."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from exc
        raise


@dataclass
class ArticleResult:
    """One article of a file, without its text (which stays in SQLite)."""

    key: str
    path: str
    fields: dict[str, str]
    quality: tuple[float, int]  # duplicates.copy_quality of the raw text
    title: str | None
    removed: str  # JSON list of the chrome lines cleaning took out
    paragraphs: int
    chars: int  # characters of paragraph text


@dataclass
class FileResult:
    """One file's articles, their terms as ids over `vocabulary`, and the file's problems.

    With `chunks`, article i of the file is article `i % CHUNK_RECORDS` of chunk file
    `chunks[i // CHUNK_RECORDS]` (every record gives an article, even one left empty);
    otherwise its texts are the rows called `name` in the shared text file.
    """

    path: str
    name: str
    articles: list[ArticleResult]
    vocabulary: list[str]
    tokens: np.ndarray  # int32, every paragraph's terms laid end to end
    counts: np.ndarray  # int32, terms of each paragraph
    words: dict[str, str]  # word -> its terms (space-joined), for the index's word table
    signatures: np.ndarray  # uint32 (articles with any word) x SIGNATURE_WIDTH
    has_signature: np.ndarray  # bool per article
    chunks: list[str]  # chunk text files, in order; empty: the texts are in TEXTS_FILE
    problems: list[Problem]
    rows: list[Row] | None = None  # a small file's texts, fresh from the workers


def write_chunk_texts(directory: Path, name: str, rows: list[Row]) -> None:
    """One chunk's texts, in a file of their own (written by the worker that made them)."""
    tmp = directory / f".{name}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        with disk_full_as_os_error():
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + CHUNK_SCHEMA)
            db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?)", rows)
            db.commit()
    finally:
        db.close()
    os.replace(tmp, chunk_path(directory, name))


def chunk_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.sqlite"


class SharedTexts:
    """The texts of files too small to have chunk files, in one SQLite file.

    A cache like the rest of the folder: a build that finds it unreadable starts it anew
    (and recomputes the results whose texts it held).
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / TEXTS_FILE
        self._db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with disk_full_as_os_error():
                try:
                    self._db = self._connect()
                except sqlite3.OperationalError as exc:
                    if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
                        raise
                    self._db = self._start_anew()
                except sqlite3.DatabaseError:
                    self._db = self._start_anew()
        return self._db

    def _start_anew(self) -> sqlite3.Connection:
        """An unreadable file is replaced; results whose texts it held are then found
        incomplete when copied, and the build is done again without stored results."""
        with contextlib.suppress(OSError):
            self.path.unlink()
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        # A crash (or kill) mid-write leaves the file as it was before the transaction.
        db.executescript("PRAGMA synchronous=OFF;" + SHARED_SCHEMA)
        objects = db.execute("SELECT type, name FROM sqlite_master").fetchall()
        if any(kind in ("view", "trigger") for kind, _ in objects):
            db.close()
            raise sqlite3.DatabaseError("unexpected contents")
        return db

    def add_many(self, results: list[tuple[str, list[Row]]]) -> None:
        """Store files' texts, (name, rows) each, replacing any stored under their names."""
        if not results:
            return
        db = self._open()
        with disk_full_as_os_error(), db:
            for name, rows in results:
                db.execute("DELETE FROM paragraphs WHERE name = ?", (name,))
                db.executemany(
                    "INSERT INTO paragraphs VALUES (?,?,?,?,?)", ((name, *row) for row in rows)
                )

    def keep_only(self, names: set[str]) -> None:
        """Delete the texts of results no longer used."""
        if not self.path.exists():
            return
        db = self._open()
        stored = {n for (n,) in db.execute("SELECT DISTINCT name FROM paragraphs")}
        with db:
            db.executemany("DELETE FROM paragraphs WHERE name = ?", ((n,) for n in stored - names))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def save(directory: Path, result: FileResult) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    name = result.name
    chunks = []
    for chunk in result.chunks:
        info = chunk_path(directory, chunk).stat()
        chunks.append([chunk, info.st_size, info.st_mtime_ns])
    data = {
        "path": result.path,
        "chunk_records": CHUNK_RECORDS,
        "chunks": chunks,
        "paragraphs": int(result.counts.size),
        "vocabulary": result.vocabulary,
        "words": result.words,
        "problems": [[p.path, p.reason, p.line, p.warning] for p in result.problems],
        "articles": [
            [a.key, a.path, a.fields, list(a.quality), a.title, a.removed, a.paragraphs, a.chars]
            for a in result.articles
        ],
        "has_signature": result.has_signature.astype(int).tolist(),
    }
    arrays = np.concatenate(
        (result.counts, result.tokens, result.signatures.view(np.int32).ravel())
    ).astype(np.int32, copy=False)
    tmp = directory / f".{name}.{os.getpid()}"
    np.save(tmp.with_suffix(".npy"), arrays, allow_pickle=False)
    tmp.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Arrays first: a reader that finds the JSON can count on them being there.
    os.replace(tmp.with_suffix(".npy"), directory / f"{name}.npy")
    os.replace(tmp.with_suffix(".json"), directory / f"{name}.json")


def load(directory: Path, name: str) -> FileResult | None:
    """The stored result, or None when it is missing, unreadable or has been written to
    since (it is then recomputed)."""
    try:
        data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        arrays = np.load(directory / f"{name}.npy", allow_pickle=False)
        articles = [
            ArticleResult(key, path, fields, (quality[0], quality[1]), title, removed, count, chars)
            for key, path, fields, quality, title, removed, count, chars in data["articles"]
        ]
        has_signature = np.array(data["has_signature"], dtype=bool)
        paragraphs = data["paragraphs"]
        if (
            arrays.dtype != np.int32
            or arrays.ndim != 1
            or paragraphs != sum(a.paragraphs for a in articles)
            or has_signature.shape != (len(articles),)
            or data["chunk_records"] != CHUNK_RECORDS
            or len(data["chunks"]) not in (0, -(-len(articles) // CHUNK_RECORDS))
        ):
            return None
        counts = arrays[:paragraphs]
        if counts.size != paragraphs or (counts.size and counts.min() < 0):
            return None
        end = paragraphs + int(counts.sum())
        tokens = arrays[paragraphs:end]
        signatures = arrays[end:].view(np.uint32)
        if signatures.size != int(has_signature.sum()) * SIGNATURE_WIDTH or (
            tokens.size and (tokens.min() < 0 or tokens.max() >= len(data["vocabulary"]))
        ):
            return None
        chunks = []
        for chunk, size, mtime_ns in data["chunks"]:
            info = chunk_path(directory, chunk).stat()
            if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                return None
            chunks.append(chunk)
        return FileResult(
            path=data["path"],
            name=name,
            articles=articles,
            vocabulary=data["vocabulary"],
            tokens=tokens,
            counts=counts,
            words=data["words"],
            signatures=signatures.reshape(-1, SIGNATURE_WIDTH),
            has_signature=has_signature,
            chunks=chunks,
            problems=[Problem(p, r, line, bool(w)) for p, r, line, w in data["problems"]],
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def remove_unused(directory: Path, keep: set[str]) -> None:
    """Delete stored results whose name is not in `keep` (and leftovers of killed builds)."""
    if not directory.is_dir():
        return
    texts = SharedTexts(directory)
    try:
        texts.keep_only(keep)
    except (sqlite3.DatabaseError, OSError):
        pass  # texts of old results only take space; the next build tries again
    finally:
        texts.close()
    for path in directory.iterdir():
        if path.name in (SENTENCE_MODEL_FILE, TEXTS_FILE, f"{TEXTS_FILE}-journal", PAIRS_FILE):
            continue
        if path.name.split(".", 1)[0] not in keep:
            with contextlib.suppress(OSError):
                path.unlink()


def remove(directory: Path, results: Iterable[FileResult]) -> None:
    """Delete results stored for files that changed while they were read."""
    results = list(results)
    small = [result.name for result in results if not result.chunks]
    if small and (directory / TEXTS_FILE).exists():
        texts = SharedTexts(directory)
        try:
            db = texts._open()
            with db:
                db.executemany("DELETE FROM paragraphs WHERE name = ?", ((n,) for n in small))
        except sqlite3.DatabaseError:
            pass
        finally:
            texts.close()
    for result in results:
        for name in [
            *(f"{chunk}.sqlite" for chunk in result.chunks),
            f"{result.name}.json",
            f"{result.name}.npy",
        ]:
            with contextlib.suppress(OSError):
                (directory / name).unlink()


def load_pairs(directory: Path) -> list[tuple[str, str, float]]:
    """The Jaccard similarities of the last build's candidate pairs of copies, by article
    identity (`<result name>#<position>`); [] when there are none or they are unreadable."""
    try:
        data = json.loads((directory / PAIRS_FILE).read_text(encoding="utf-8"))
        return [(str(a), str(b), float(s)) for a, b, s in data]
    except (OSError, ValueError, TypeError):
        return []


def save_pairs(directory: Path, pairs: list[tuple[str, str, float]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{PAIRS_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(sorted(pairs)), encoding="utf-8")
    os.replace(tmp, directory / PAIRS_FILE)


def stored_sentence_model(directory: Path, files: list[tuple[str, str]]) -> tuple[str, Any] | None:
    """(key, Punkt parameters as stored) if the stored model was trained on the first of
    `files`; `params_from_json` makes the parameters (importing nltk) when they are used."""
    try:
        data = json.loads((directory / SENTENCE_MODEL_FILE).read_text(encoding="utf-8"))
        trained_on = [tuple(f) for f in data["files"]]
        if not trained_on or files[: len(trained_on)] != trained_on:
            return None
        return data["key"], data["params"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def sentence_model_key(trained_on: list[tuple[str, str]]) -> str:
    """What names a sentence model: the files (path, sha256) it was trained on."""
    return hashlib.sha256(json.dumps(trained_on).encode()).hexdigest()[:16]


def store_sentence_model(directory: Path, trained_on: list[tuple[str, str]], params: Any) -> str:
    key = sentence_model_key(trained_on)
    directory.mkdir(parents=True, exist_ok=True)
    data = {"files": trained_on, "key": key, "params": _params_to_json(params)}
    tmp = directory / f".{SENTENCE_MODEL_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, directory / SENTENCE_MODEL_FILE)
    return key


def _params_to_json(params: Any) -> dict[str, Any]:
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(list(c) for c in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(params.ortho_context),
    }


def params_from_json(data: dict[str, Any]) -> Any:
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    params.ortho_context = defaultdict(int, data["ortho_context"])
    return params
