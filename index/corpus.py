"""An indexed corpus: the one object the CLI and the TUI talk to.

`Corpus.open` finds the corpus's index in the cache, checks it against the files (paths, sizes,
mtimes; a changed stat is confirmed by content hash, so `touch` does not cost a rebuild),
rebuilds it when it is missing or stale, and opens it memory-mapped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.articles import Article, Paragraph, Problem
from index.errors import CorpusError, ReaderError
from index.ingest import fingerprint as files
from index.result import Passage, SearchResult, SourceResult
from index.search import searcher, store
from index.search.bm25 import BM25Params

Progress = Callable[[str, int, int], None]

# Answers are read from more passages than are shown: the sentence that answers a question is
# often not in a source's single best-scoring paragraph.
ANSWER_CANDIDATES = 8


@dataclass
class ArticleInfo:
    key: str
    path: str
    source: str
    title: str | None
    author: str | None
    date: str | None
    url: str | None
    paragraphs: int
    chars: int
    copies: list[str]  # keys of the other copies of this article (not shown)


class AnsweringCancelled(Exception):
    """`Corpus.answer` stopped because its `cancelled` callback said the answer is not wanted."""


@dataclass
class Candidates:
    """A question searched for answering, not answered yet (see `Corpus.search_for_answers`).

    Answering takes seconds on a large archive, searching milliseconds: an app shows
    `Corpus.preview` of this at once and `Corpus.answer` of it when ready. Both copy what they
    return, so a result on screen is never changed by answering running beside it.
    """

    question: str
    passages: int  # passages shown per source
    found: SearchResult  # up to ANSWER_CANDIDATES passages per source, terms not marked
    answer_type: str  # what the question asks for ("person", "place", ...; "other": nothing)


def default_index_dir(root: Path) -> Path:
    """$XDG_CACHE_HOME/reader/<folder name>-<hash of its absolute path>."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in root.name)[:40] or "corpus"
    return Path(cache) / "reader" / f"{name}-{digest}"


def check_corpus_dir(root: Path) -> Path:
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    return root.resolve()


def index_status(root: Path, index_dir: Path, params: BM25Params) -> str:
    """ "fresh", "touched" (stats changed, contents not), "stale", "missing" or "damaged"."""
    generation = store.current_generation(index_dir)
    if generation is None:
        # A CURRENT pointer that names no usable generation was left by damage, not by a
        # build (builds write the generation first and the pointer last).
        return "damaged" if (index_dir / store.CURRENT).exists() else "missing"
    try:
        meta = store.read_meta(generation)
    except store.IndexOutdated:
        return "stale"
    except store.IndexCorrupt:
        return "damaged"
    if meta.get("build_version") != store.BUILD_VERSION:
        return "stale"  # built by another version of the engine
    if meta.get("params") != {"k1": params.k1, "b": params.b, "epsilon": params.epsilon}:
        return "stale"
    current = files.fingerprint(root)
    stored = meta["fingerprint"]
    if current == stored:
        return "fresh"
    if set(current) != set(stored):
        return "stale"
    changed = [rel for rel in current if current[rel] != stored[rel]]
    try:
        db = store.open_generation(generation).db
        try:
            hashes = dict(db.execute("SELECT path, sha256 FROM files"))
        finally:
            db.close()
    except (store.IndexCorrupt, sqlite3.DatabaseError, ValueError):
        return "damaged"
    now = files.content_hashes(root, changed)
    return "touched" if all(now.get(rel) == hashes.get(rel) for rel in changed) else "stale"


class Corpus:
    def __init__(self, root: Path, index_dir: Path, generation: store.Generation) -> None:
        self.root = root
        self.index_dir = index_dir
        self._gen = generation
        self._searcher = searcher.Searcher(generation)
        self._lock = threading.Lock()  # one SQLite connection, shared by worker threads
        self._copies: dict[str, list[str]] | None = None  # see `_copies_of`
        # Set by `open`: what the user should be told about the index (rebuilt after
        # damage, kept in a fallback folder, not updated), one line each.
        self.warnings: list[str] = []
        self.outdated = False  # the index could not be updated; this is the previous one

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        index_dir: Path | None = None,
        params: BM25Params | None = None,
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> Corpus:
        """Open the corpus's index, building or refreshing it first if needed.

        Nothing on disk is trusted blindly: a damaged index is rebuilt, an index that cannot
        be written in the default cache is built in a private temporary folder instead, and
        a build that fails for lack of space leaves the previous index in use. Each of these
        leaves a line in `warnings`.
        """
        root = check_corpus_dir(root)
        params = params or BM25Params()
        chosen = index_dir is not None
        index_dir = (index_dir or default_index_dir(root)).resolve()
        if _inside(index_dir, root):
            raise CorpusError(f"the index folder must not be inside the corpus: {index_dir}")
        state = _OpenState()
        try:
            generation = _open_or_build(root, index_dir, params, progress, rebuild, state)
        except store.IndexUnwritable as exc:
            if chosen:
                raise
            fallback = _fallback_index_dir(root)
            state.warnings.append(f"{exc}; using {fallback} instead")
            generation = _open_or_build(root, fallback, params, progress, rebuild, state)
            index_dir = fallback
        corpus = cls(root, index_dir, generation)
        corpus.warnings = state.warnings
        corpus.outdated = state.outdated
        return corpus

    @staticmethod
    def needs_build(root: Path, index_dir: Path | None = None) -> bool:
        root = check_corpus_dir(root)
        index_dir = (index_dir or default_index_dir(root)).resolve()
        return index_status(root, index_dir, BM25Params()) in ("missing", "stale", "damaged")

    # -- questions -------------------------------------------------------------------------

    def search(self, question: str, passages: int = 3, sources: int | None = None) -> SearchResult:
        """Ranked passages per source, without answers."""
        with self._lock:
            return self._searcher.search(question, passages, sources)

    def ask(self, question: str, passages: int = 3, sources: int | None = None) -> SearchResult:
        """Passages per source, each source's answer and how the answers compare."""
        return self.answer(self.search_for_answers(question, passages, sources))

    def search_for_answers(
        self, question: str, passages: int = 3, sources: int | None = None
    ) -> Candidates:
        """The first half of `ask`: the search, with the extra passages answering reads."""
        # Query terms are marked only in the passages kept, after answering (which does not
        # read them): marking is a good part of a query's time.
        with self._lock:
            found = self._searcher.search(
                question, max(passages, ANSWER_CANDIDATES), sources, marks=False
            )
        from index.answers.question import analyse

        return Candidates(question, passages, found, analyse(question).answer_type)

    def preview(self, candidates: Candidates) -> SearchResult:
        """What `ask` would show before answers: `passages` per source in score order, terms
        marked, no answers, `answer_type` set (an app can tell whether answers will follow)."""
        result = _copy_result(candidates.found, None)
        for source in result.sources:
            del source.passages[candidates.passages :]
        result.answer_type = candidates.answer_type
        with self._lock:
            self._searcher.mark_terms(result)
        return result

    def answer(
        self,
        candidates: Candidates,
        sources: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """The second half of `ask`: answers for the first `sources` sources (all if None).

        Answering fewer sources answers them sooner, and compares only them. `cancelled` is
        asked before each article answering reads; once it says yes, AnsweringCancelled is
        raised, so an answer nobody waits for stops using the interpreter.
        """
        from index.answers.annotate import annotate

        result = _copy_result(candidates.found, sources)
        annotate(result, self if cancelled is None else _CancellableView(self, cancelled))
        for source in result.sources:
            _answer_passage_first(source)
            del source.passages[candidates.passages :]
        with self._lock:
            self._searcher.mark_terms(result)
        return result

    # -- reading ---------------------------------------------------------------------------

    @property
    def meta(self) -> dict:
        return self._gen.meta

    def source_names(self) -> list[str]:
        with self._lock:
            return [n for (n,) in self._gen.db.execute("SELECT name FROM sources ORDER BY id")]

    def articles(self) -> list[ArticleInfo]:
        """Every shown article (copies are listed on the article they copy)."""
        with self._lock:
            rows = self._gen.db.execute(
                "SELECT a.key, a.path, s.name, a.title, a.author, a.date, a.url, "
                "a.paragraph_count, a.chars, a.canonical FROM articles a "
                "JOIN sources s ON s.id = a.source_id ORDER BY a.id"
            ).fetchall()
        copies: dict[str, list[str]] = {}
        for row in rows:
            if row[0] != row[9]:
                copies.setdefault(row[9], []).append(row[0])
        return [
            ArticleInfo(*row[:9], copies=copies.get(row[0], [])) for row in rows if row[0] == row[9]
        ]

    def article(self, key: str) -> Article:
        with self._lock:
            db = self._gen.db
            row = db.execute(
                "SELECT a.id, a.key, a.path, s.name, a.title, a.author, a.date, a.url, "
                "a.canonical, a.removed, a.first_paragraph, a.paragraph_count "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.key = ?",
                (key,),
            ).fetchone()
            if row is None:
                raise ReaderError(f"no such article: {key}")
            # An article's paragraphs are stored under consecutive ids: a range of the
            # primary key, not a scan of the table for its article id.
            first, count = row[10], row[11]
            paragraphs = [
                Paragraph(text, [tuple(s) for s in json.loads(sentences)])
                for text, sentences in db.execute(
                    "SELECT text, sentences FROM paragraphs WHERE id >= ? AND id < ? "
                    "AND article_id = ? ORDER BY idx",
                    (first, first + count, row[0]),
                )
            ]
        return Article(
            key=row[1],
            path=row[2],
            source=row[3],
            title=row[4],
            author=row[5],
            date=row[6],
            url=row[7],
            paragraphs=paragraphs,
            canonical=row[8],
            removed=json.loads(row[9]),
        )

    def copies(self, key: str) -> list[str]:
        """Every copy in `key`'s duplicate group, the shown one first (just `key` if none)."""
        with self._lock:
            row = self._gen.db.execute(
                "SELECT canonical FROM articles WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return []
            return [row[0], *self._copies_of().get(row[0], [])]

    def _copies_of(self) -> dict[str, list[str]]:
        """Shown article -> its other copies, read once: answering asks for each answer's
        copies, and `canonical` has no index (a lookup would scan every article's row, tens
        of milliseconds per answer on an archive), while copies are a small share of it."""
        if self._copies is None:
            grouped: dict[str, list[str]] = {}
            for key, canonical in self._gen.db.execute(
                "SELECT key, canonical FROM articles WHERE key != canonical ORDER BY key"
            ):
                grouped.setdefault(canonical, []).append(key)
            self._copies = grouped
        return self._copies

    def find_article(self, ref: str) -> str:
        """Resolve what a user typed (a key, a file name, a unique prefix) to an article key."""
        with self._lock:
            keys = [k for (k,) in self._gen.db.execute("SELECT key FROM articles ORDER BY id")]
        if ref in keys:
            return ref
        for match in (
            [k for k in keys if k.rsplit("/", 1)[-1] == ref],
            [k for k in keys if k.startswith(ref)],
            [k for k in keys if ref.casefold() in k.casefold()],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                shown = ", ".join(match[:5]) + (" ..." if len(match) > 5 else "")
                raise ReaderError(f"'{ref}' matches {len(match)} articles: {shown}")
        raise ReaderError(f"no article matches '{ref}' (see `reader sources`)")

    def problems(self) -> list[Problem]:
        with self._lock:
            rows = self._gen.db.execute("SELECT path, line, reason, warning FROM problems")
            return [Problem(p, r, line, bool(w)) for p, line, r, w in rows]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# Rebuilding again when files changed during a build converges unless something keeps
# writing to the corpus; after this many builds the index is used and the user told.
_BUILD_ATTEMPTS = 3


@dataclass
class _OpenState:
    warnings: list[str] = field(default_factory=list)
    outdated: bool = False


def _open_or_build(
    root: Path,
    index_dir: Path,
    params: BM25Params,
    progress: Progress | None,
    rebuild: bool,
    state: _OpenState,
) -> store.Generation:
    """The current generation of `index_dir`, built or repaired first when it must be."""
    if not rebuild and index_status(root, index_dir, params) == "fresh":
        with contextlib.suppress(store.IndexCorrupt):
            # Without the lock another build may replace it meanwhile: any failure here is
            # looked at again under the lock before it is called damage.
            return _open_checked(index_dir)
    with store.build_lock(index_dir):
        status = "stale" if rebuild else index_status(root, index_dir, params)
        if status == "damaged":
            state.warnings.append(f"the index in {index_dir} was damaged; rebuilt it")
        if status == "touched":
            generation = store.current_generation(index_dir)
            assert generation is not None
            with contextlib.suppress(OSError):
                store.update_meta(generation, {"fingerprint": files.fingerprint(root)})
            status = "fresh"
        if status == "fresh":
            try:
                return _open_checked(index_dir)
            except store.IndexCorrupt as exc:
                state.warnings.append(f"the index was damaged ({exc}); rebuilt it")
        return _build(root, index_dir, params, progress, state)


def _build(
    root: Path, index_dir: Path, params: BM25Params, progress: Progress | None, state: _OpenState
) -> store.Generation:
    """Build under the lock; on a write failure fall back to the previous generation."""
    from index.ingest.build import build  # the build's modules load only to build

    previous = store.current_generation(index_dir)
    for _ in range(_BUILD_ATTEMPTS):
        try:
            build(root, index_dir, params, progress)
        except (OSError, sqlite3.OperationalError) as exc:  # full disk, I/O error, read-only
            reason = getattr(exc, "strerror", None) or str(exc)
            if previous is not None:
                with contextlib.suppress(store.IndexCorrupt):
                    generation = store.open_generation(previous, verify=True)
                    state.outdated = True
                    state.warnings.append(
                        f"could not update the index in {index_dir} ({reason}); "
                        "using the previous index, which may be out of date"
                    )
                    return generation
            raise store.IndexUnwritable(
                f"cannot write the index in {index_dir}: {reason}"
            ) from None
        generation = _open_checked(index_dir)
        # The files' sizes and times are recorded before they are read: if any changed
        # during the build, what was read may be older or newer than what was recorded,
        # and only another build makes the index agree with the files.
        if generation.meta["fingerprint"] == files.fingerprint(root):
            return generation
        generation.db.close()
    state.warnings.append(
        "corpus files kept changing while the index was built; "
        "run `reader index` again when they are complete"
    )
    return _open_checked(index_dir)


def _open_checked(index_dir: Path) -> store.Generation:
    generation = store.current_generation(index_dir)
    if generation is None:
        raise store.IndexCorrupt(f"no index in {index_dir}")
    return store.open_generation(generation, verify=store.written_since(generation))


def _fallback_index_dir(root: Path) -> Path:
    """A private folder under the system's temporary folder, for when the cache is read-only.

    The folder is this user's alone (others could read the articles in an index, or plant
    one for this user to read): it is refused when it is a link or someone else's.
    """
    import tempfile  # needed for this fallback only; not worth loading on every start

    base = Path(tempfile.gettempdir()) / f"reader-{os.getuid()}"
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        info = base.lstat()
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
            base.chmod(0o700)
    except OSError as exc:
        raise store.IndexUnwritable(
            f"cannot write the index in {base}: {exc.strerror or exc}"
        ) from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise store.IndexUnwritable(f"cannot use {base} for the index: it is not a private folder")
    return base / default_index_dir(root).name


class _CancellableView:
    """The corpus as answering reads it, raising AnsweringCancelled once `cancelled()`."""

    def __init__(self, corpus: Corpus, cancelled: Callable[[], bool]) -> None:
        self._corpus = corpus
        self._cancelled = cancelled

    def _check(self) -> None:
        if self._cancelled():
            raise AnsweringCancelled

    def article(self, key: str) -> Article:
        self._check()
        return self._corpus.article(key)

    def copies(self, key: str) -> list[str]:
        self._check()
        return self._corpus.copies(key)

    def source_names(self) -> list[str]:
        self._check()
        return self._corpus.source_names()


def _copy_result(result: SearchResult, sources: int | None) -> SearchResult:
    """`result` (its first `sources` sources) with its own sources and passages, for
    answering or marking to change without touching `result`."""
    return replace(
        result,
        sources=[
            replace(s, passages=[_copy_passage(p) for p in s.passages])
            for s in result.sources[:sources]
        ],
        groups=list(result.groups),
        notes=list(result.notes),
    )


def _copy_passage(passage: Passage) -> Passage:
    return replace(passage, terms=list(passage.terms))


def _answer_passage_first(source: SourceResult) -> None:
    """Put the passage that holds the source's answer first.

    BM25 ranks by the question's words, but the sentence that answers "where does X live?"
    may say "teaching English in Y" and score below shorter paragraphs that merely name X. A
    reader asked a question wants the passage that answers it; the rest stay in score order.
    """
    answer = source.answer
    if answer is None:
        return
    for i, passage in enumerate(source.passages):
        if (passage.article, passage.paragraph) == (answer.article, answer.paragraph):
            source.passages.insert(0, source.passages.pop(i))
            return
