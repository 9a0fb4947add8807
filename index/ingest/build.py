"""Build an index from a corpus folder: load, clean, segment, group copies, fit BM25, write.

Only the shown copy of each duplicate group is in the BM25 model: a second copy of an article
would double its terms' document frequencies and put the same passage in the results twice.
The other copies are still stored (paragraphs and all), so they can be read and compared.

Articles are numbered shown copies first, then the other copies, each part in corpus order
(files in path order, records in file order). Paragraph texts never pass through this
process: workers write them to per-chunk SQLite files and SQLite copies them into the index
in that order (see `workers`). What is held here is per-article metadata and every
paragraph's term ids, a few bytes per word.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import numpy as np

from index.articles import Problem, Record
from index.errors import CorpusError, StoredResultDamaged
from index.ingest import Progress, file_results, workers
from index.ingest.duplicates import choose_by_quality, groups_from_signatures
from index.ingest.file_results import ArticleResult, FileResult
from index.ingest.files import SUPPORTED_SUFFIXES, corpus_files
from index.ingest.fingerprint import fingerprint
from index.ingest.loaders import PartialLoad, load_file
from index.ingest.metadata import read_metadata, resolve_fields, source_from_path
from index.ingest.prepared import BuildSummary, Entry, Prepared
from index.ingest.sentence_model import SentenceModel, sentence_model
from index.ingest.write import write_generation
from index.search import bm25, store
from index.search.store import file_sha256


def prepare_articles(root: Path, progress: Progress, segments_dir: Path) -> Prepared:
    """Load, clean, segment and tokenize every article (reusing stored per-file results);
    resolve metadata; group copies."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    metadata = read_metadata(root)  # a broken metadata file stops the build before any work
    paths, problems = corpus_files(root)
    if not paths:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise CorpusError(f"no articles found in {root} (supported: {supported})")
    progress("checking", 0, len(paths))
    rel = {path: path.relative_to(root).as_posix() for path in paths}
    hashes = {}
    for path in paths:
        try:
            hashes[path] = file_sha256(path)
        except OSError as exc:
            problems.append(Problem(rel[path], f"cannot read: {exc.strerror}"))
    paths = [p for p in paths if p in hashes]
    progress("checking", len(paths), len(paths))
    loaded: dict[Path, PartialLoad] = {}
    model = sentence_model(root, paths, rel, hashes, segments_dir, progress)
    try:
        return _prepare(
            root, metadata, paths, problems, rel, hashes, model, loaded, segments_dir, progress
        )
    finally:
        model.abandon()


def _prepare(
    root: Path,
    metadata: dict[str, dict[str, str]],
    paths: list[Path],
    problems: list[Problem],
    rel: dict[Path, str],
    hashes: dict[Path, str],
    model: SentenceModel,
    loaded: dict[Path, PartialLoad],
    segments_dir: Path,
    progress: Progress,
) -> Prepared:
    names = {path: _segment_name(rel[path], hashes[path], model.key) for path in paths}

    stored: dict[Path, FileResult] = {}
    todo = []
    for path in paths:
        result = file_results.load(segments_dir, names[path])
        if result is not None and result.path == rel[path]:
            stored[path] = result
        else:
            load = partial(_load, path, root, loaded)
            todo.append(workers.FileJob(rel[path], names[path], path.stat().st_size, load))
    training = model.trains
    if training and sum(map(workers.file_weight, todo)) >= workers.PARALLEL_FROM_BYTES:
        # Training takes seconds of one core: read the first files to process meanwhile.
        model.start()
        _read_ahead(todo, loaded, model, root)
    # What the stored results' words are known to mean spares a refresh most stemming.
    known: dict[str, str] = {}
    if todo:
        for result in stored.values():
            known.update(result.words)
    splitter = model.splitter() if todo or training else None
    if training:
        progress("training", 1, 1)
    changed: list[FileResult] = []
    waiting: list[FileResult] = []  # small files' results, their texts not yet stored
    shared = file_results.SharedTexts(segments_dir)

    def keep(results: list[FileResult]) -> None:
        # Texts first, in one transaction for many files: a stored result's texts are there.
        shared.add_many([(r.name, r.rows or []) for r in results if r.rows is not None])
        for result in results:
            result.rows = None
            path = root / result.path
            # Stored only if the file still holds the bytes it was hashed for: a file edited
            # while it was read must not have the new text's result kept under the old
            # text's hash.
            try:
                unchanged = file_sha256(path) == hashes[path]
            except OSError:
                unchanged = False
            if unchanged:
                file_results.save(segments_dir, result)
            else:
                changed.append(result)

    try:
        results = (
            workers.process_files(todo, splitter, segments_dir, progress, known)
            if splitter is not None
            else iter(())
        )
        for result in results:
            stored[root / result.path] = result
            waiting.append(result)
            if sum(len(r.counts) for r in waiting) >= _TEXTS_BATCH:
                keep(waiting)
                waiting = []
        keep(waiting)
    finally:
        shared.close()
    file_results.remove_unused(segments_dir, set(names.values()))

    files = [stored[path] for path in paths]
    entries = []
    source_of = cache(source_from_path)
    for file_index, result in enumerate(files):
        problems.extend(result.problems)
        for position, done in enumerate(result.articles):
            if not done.paragraphs:
                problems.append(Problem(done.key, "no article text left after cleaning"))
                continue
            entries.append(_entry(done, metadata, source_of, file_index, position))
    if not entries:
        failures = [p for p in problems if not p.warning]
        detail = f"; {failures[0]}" + (f" and {len(failures) - 1} more" if failures[1:] else "")
        raise CorpusError(f"no articles found in {root}{detail if failures else ''}")
    prepared = Prepared(
        files, entries, problems, {rel[p]: hashes[p] for p in paths}, segments_dir, changed
    )
    _group_copies(prepared, progress)
    return prepared


# Paragraphs of small files whose texts are stored in one transaction.
_TEXTS_BATCH = 50_000
# Text read ahead while the sentence model trains, at most (bytes as if uncompressed, as
# workers.file_weight counts them): a few of an archive's large files, not the whole corpus.
_READ_AHEAD_BYTES = 250_000_000


def _read_ahead(
    todo: list[workers.FileJob], loaded: dict[Path, PartialLoad], model: SentenceModel, root: Path
) -> None:
    """Read the first files to process while the model trains, until it is trained (perhaps
    in the middle of a file: the rest is read when the file's turn comes)."""
    budget = _READ_AHEAD_BYTES
    for job in todo:
        if model.done() or budget <= 0:
            return
        path = root / job.path
        loaded[path] = reader = PartialLoad(path, root)
        while not model.done() and not reader.step():
            pass
        budget -= workers.file_weight(job)


def _load(
    path: Path, root: Path, loaded: dict[Path, PartialLoad]
) -> tuple[list[Record], list[Problem]]:
    """The file's records: read on from where the read-ahead stopped, or read now."""
    reader = loaded.pop(path, None)
    return reader.result() if reader is not None else load_file(path, root)


def _entry(
    done: ArticleResult,
    metadata: dict[str, dict[str, str]],
    source_of: Callable[[str], str],
    file_index: int,
    position: int,
) -> Entry:
    record = Record(key=done.key, path=done.path, text="", fields=done.fields)
    inferred = {"source": source_of(done.path)}
    if done.title:
        inferred["title"] = done.title
    fields = resolve_fields(record, metadata, inferred)
    return Entry(
        key=done.key,
        path=done.path,
        source=fields.get("source") or source_of(done.path),
        title=fields.get("title"),
        author=fields.get("author"),
        date=fields.get("date"),
        url=fields.get("url"),
        removed=done.removed,
        quality=done.quality,
        paragraphs=done.paragraphs,
        chars=done.chars,
        file=file_index,
        position=position,
        canonical=done.key,
    )


def _group_copies(prepared: Prepared, progress: Progress) -> None:
    """Set each entry's `canonical`: the copy shown for its duplicate group.

    Copies are found on clean text (chrome would hide a match), but which copy is cleaner is
    judged on the raw text: cleaning erases the damage (deleted words, lost line breaks).
    Signatures were computed by the workers; only candidate pairs' texts are read back.
    """
    progress("duplicates", 0, 1)
    files = prepared.files
    file_rows, first_row = [], 0
    for result in files:  # row of each article's signature in all files' signatures stacked
        file_rows.append(first_row + np.cumsum(result.has_signature) - 1)
        first_row += int(result.has_signature.sum())
    keys, rows = [], []
    by_key = {}
    for entry in prepared.entries:
        by_key[entry.key] = entry
        if files[entry.file].has_signature[entry.position]:
            keys.append(entry.key)
            rows.append(int(file_rows[entry.file][entry.position]))
    signatures = np.concatenate([r.signatures for r in files])[rows]
    keys_set = set(keys)

    def read_texts(wanted: list[str]) -> dict[str, str]:
        by_chunk: dict[Path, dict[int, str]] = {}
        in_shared: dict[tuple[str, int], str] = {}
        for key in wanted:
            entry = by_key[key]
            result = files[entry.file]
            if result.chunks:
                chunk, seq = divmod(entry.position, file_results.CHUNK_RECORDS)
                path = file_results.chunk_path(prepared.directory, result.chunks[chunk])
                by_chunk.setdefault(path, {})[seq] = key
            else:
                in_shared[(result.name, entry.position)] = key
        texts = {}
        for path, keys_by_seq in by_chunk.items():
            for seq, text in store.article_texts(path, list(keys_by_seq)).items():
                texts[keys_by_seq[seq]] = text
        shared = prepared.directory / file_results.TEXTS_FILE
        for place, text in store.shared_article_texts(shared, list(in_shared)).items():
            texts[in_shared[place]] = text
        return texts

    # A pair's similarity depends only on the two texts: a refresh reuses the last build's
    # for articles whose stored results (named by file content) it reuses.
    identity = {
        e.key: f"{files[e.file].name}#{e.position}" for e in prepared.entries if e.key in keys_set
    }
    key_of = {value: key for key, value in identity.items()}
    known = {
        (key_of[a], key_of[b]): similarity
        for a, b, similarity in file_results.load_pairs(prepared.directory)
        if a in key_of and b in key_of
    }
    groups = groups_from_signatures(keys, signatures, read_texts, known=known)
    unsure = {r.name for r in prepared.changed}  # read while they changed: not to keep
    file_results.save_pairs(
        prepared.directory,
        [
            (identity[a], identity[b], similarity)
            for (a, b), similarity in known.items()
            if files[by_key[a].file].name not in unsure and files[by_key[b].file].name not in unsure
        ],
    )
    for group in groups:
        shown = choose_by_quality(group, {key: by_key[key].quality for key in group})
        for key in group:
            by_key[key].canonical = shown
    progress("duplicates", 1, 1)


def _segment_name(rel: str, file_hash: str, model_key: str) -> str:
    """What a file's stored result is called: its content, its path (two files with the same
    bytes are two results, each with its own articles' keys), the sentence model and the
    build version."""
    where = hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{file_hash}-{where}-{model_key}-v{store.BUILD_VERSION}"


def build(
    root: Path,
    index_dir: Path,
    params: bm25.BM25Params,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build a new index generation for `root` in `index_dir` and make it current."""
    progress = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    segments_dir = index_dir / "segments"
    try:
        return _build(root, index_dir, params, progress, started)
    except StoredResultDamaged:
        # A stored chunk turned out unreadable while it was copied: build without any.
        file_results.remove_unused(segments_dir, set())
        return _build(root, index_dir, params, progress, started)


def _build(
    root: Path, index_dir: Path, params: bm25.BM25Params, progress: Progress, started: float
) -> BuildSummary:
    files = fingerprint(root)
    prepared = prepare_articles(root, progress, index_dir / "segments")
    try:
        with file_results.disk_full_as_os_error():
            return write_generation(root, index_dir, params, progress, files, prepared, started)
    finally:
        file_results.remove(prepared.directory, prepared.changed)
