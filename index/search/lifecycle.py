"""Where a corpus's index lives, whether it is current, and getting a usable one.

An index is checked against the corpus files on every open (paths, sizes, mtimes; a changed
stat is confirmed by content hash, so `touch` does not cost a rebuild) and rebuilt when it is
missing, stale or damaged. Nothing on disk is trusted blindly: a damaged index is rebuilt, an
index that cannot be written in the default cache is built in a private temporary folder
instead, and a build that fails for lack of space leaves the previous index in use. Each of
these leaves a line in `OpenedIndex.warnings` for the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import CorpusError, IndexCorrupt, IndexOutdated, IndexUnwritable
from index.ingest import Progress
from index.ingest import fingerprint as files
from index.search import store
from index.search.bm25 import BM25Params

# Rebuilding again when files changed during a build converges unless something keeps
# writing to the corpus; after this many builds the index is used and the user told.
BUILD_ATTEMPTS = 3


@dataclass
class OpenedIndex:
    """A usable generation and what the user should be told about how it was obtained."""

    generation: store.Generation
    index_dir: Path
    warnings: list[str] = field(default_factory=list)  # one line each
    outdated: bool = False  # the index could not be updated; this is the previous one


@dataclass
class _Notes:
    """What opening found worth telling, gathered on the way (see `OpenedIndex`)."""

    warnings: list[str] = field(default_factory=list)
    outdated: bool = False


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


def open_index(
    root: Path,
    index_dir: Path | None = None,
    params: BM25Params | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> OpenedIndex:
    """The corpus's index, built or refreshed first if needed (see the module docstring)."""
    root = check_corpus_dir(root)
    params = params or BM25Params()
    chosen = index_dir is not None
    index_dir = (index_dir or default_index_dir(root)).resolve()
    if _inside(index_dir, root):
        raise CorpusError(f"the index folder must not be inside the corpus: {index_dir}")
    notes = _Notes()
    try:
        generation = _open_or_build(root, index_dir, params, progress, rebuild, notes)
    except IndexUnwritable as exc:
        if chosen:
            raise
        fallback = _fallback_index_dir(root)
        notes.warnings.append(f"{exc}; using {fallback} instead")
        generation = _open_or_build(root, fallback, params, progress, rebuild, notes)
        index_dir = fallback
    return OpenedIndex(generation, index_dir, notes.warnings, notes.outdated)


def needs_build(root: Path, index_dir: Path | None = None) -> bool:
    """Whether opening the corpus would build its index first (an app shows progress then)."""
    root = check_corpus_dir(root)
    index_dir = (index_dir or default_index_dir(root)).resolve()
    return index_status(root, index_dir, BM25Params()) in ("missing", "stale", "damaged")


def index_status(root: Path, index_dir: Path, params: BM25Params) -> str:
    """ "fresh", "touched" (stats changed, contents not), "stale", "missing" or "damaged"."""
    generation = store.current_generation(index_dir)
    if generation is None:
        # A CURRENT pointer that names no usable generation was left by damage, not by a
        # build (builds write the generation first and the pointer last).
        return "damaged" if (index_dir / store.CURRENT).exists() else "missing"
    try:
        meta = store.read_meta(generation)
    except IndexOutdated:
        return "stale"
    except IndexCorrupt:
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
    except (IndexCorrupt, sqlite3.DatabaseError, ValueError):
        return "damaged"
    now = files.content_hashes(root, changed)
    return "touched" if all(now.get(rel) == hashes.get(rel) for rel in changed) else "stale"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _open_or_build(
    root: Path,
    index_dir: Path,
    params: BM25Params,
    progress: Progress | None,
    rebuild: bool,
    notes: _Notes,
) -> store.Generation:
    """The current generation of `index_dir`, built or repaired first when it must be."""
    if not rebuild and index_status(root, index_dir, params) == "fresh":
        with contextlib.suppress(IndexCorrupt):
            # Without the lock another build may replace it meanwhile: any failure here is
            # looked at again under the lock before it is called damage.
            return _open_checked(index_dir)
    with store.build_lock(index_dir):
        status = "stale" if rebuild else index_status(root, index_dir, params)
        if status == "damaged":
            notes.warnings.append(f"the index in {index_dir} was damaged; rebuilt it")
        if status == "touched":
            generation = store.current_generation(index_dir)
            assert generation is not None
            with contextlib.suppress(OSError):
                store.update_meta(generation, {"fingerprint": files.fingerprint(root)})
            status = "fresh"
        if status == "fresh":
            try:
                return _open_checked(index_dir)
            except IndexCorrupt as exc:
                notes.warnings.append(f"the index was damaged ({exc}); rebuilt it")
        return _build(root, index_dir, params, progress, notes)


def _build(
    root: Path,
    index_dir: Path,
    params: BM25Params,
    progress: Progress | None,
    notes: _Notes,
) -> store.Generation:
    """Build under the lock; on a write failure fall back to the previous generation."""
    from index.ingest.build import build  # the build's modules load only to build

    previous = store.current_generation(index_dir)
    for _ in range(BUILD_ATTEMPTS):
        try:
            build(root, index_dir, params, progress)
        except (OSError, sqlite3.OperationalError) as exc:  # full disk, I/O error, read-only
            reason = getattr(exc, "strerror", None) or str(exc)
            if previous is not None:
                with contextlib.suppress(IndexCorrupt):
                    generation = store.open_generation(previous, verify=True)
                    notes.outdated = True
                    notes.warnings.append(
                        f"could not update the index in {index_dir} ({reason}); "
                        "using the previous index, which may be out of date"
                    )
                    return generation
            raise IndexUnwritable(f"cannot write the index in {index_dir}: {reason}") from None
        generation = _open_checked(index_dir)
        # The files' sizes and times are recorded before they are read: if any changed
        # during the build, what was read may be older or newer than what was recorded,
        # and only another build makes the index agree with the files.
        if generation.meta["fingerprint"] == files.fingerprint(root):
            return generation
        generation.db.close()
    notes.warnings.append(
        "corpus files kept changing while the index was built; "
        "run `reader index` again when they are complete"
    )
    return _open_checked(index_dir)


def _open_checked(index_dir: Path) -> store.Generation:
    generation = store.current_generation(index_dir)
    if generation is None:
        raise IndexCorrupt(f"no index in {index_dir}")
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
        raise IndexUnwritable(f"cannot write the index in {base}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise IndexUnwritable(f"cannot use {base} for the index: it is not a private folder")
    return base / default_index_dir(root).name
