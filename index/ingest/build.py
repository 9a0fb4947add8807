"""Build an index from a corpus folder: load, clean, segment, group copies, fit BM25, write.

Only the shown copy of each duplicate group is in the BM25 model: a second copy of an article
would double its terms' document frequencies and put the same passage in the results twice.
The other copies are still stored (paragraphs and all), so they can be read and compared.

Articles are numbered shown copies first, then the other copies, each part in corpus order
(files in path order, records in file order). Paragraph texts never pass through this
process: workers write them to per-chunk SQLite files and SQLite copies them into the index
in that order (see `process`). What is held here is per-article metadata and every
paragraph's term ids, a few bytes per word.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from index.articles import ArticleMeta, Problem, Record
from index.errors import CorpusError, ReaderError, StoredResultDamaged
from index.ingest import file_results, workers
from index.ingest.duplicates import choose_by_quality, groups_from_signatures
from index.ingest.file_results import ArticleResult, FileResult
from index.ingest.files import SUPPORTED_SUFFIXES, corpus_files
from index.ingest.fingerprint import content_hashes, fingerprint
from index.ingest.loaders import PartialLoad, iter_texts, load_file
from index.ingest.metadata import read_metadata, resolve_fields, source_from_path
from index.ingest.sentences import SentenceSplitter, train_splitter
from index.search import bm25, store
from index.search.store import file_sha256

Progress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    articles: int
    paragraphs: int
    sources: int
    duplicate_groups: list[list[str]]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Entry(ArticleMeta):
    """One article with text: its resolved metadata and where its results are."""

    removed: str  # JSON
    quality: tuple[float, int]
    paragraphs: int
    chars: int
    file: int  # index into Prepared.files
    position: int  # article index within its file
    canonical: str = ""


@dataclass
class Prepared:
    """Every file's processed result, and the articles that have text."""

    files: list[FileResult]
    entries: list[Entry]  # in corpus order
    problems: list[Problem]
    hashes: dict[str, str]  # relative path -> sha256 of the bytes that were read
    directory: Path  # where the files' results (and their texts) are stored
    changed: list[FileResult]  # results of files that changed while read: not to be kept


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
    model = _sentence_model(root, paths, rel, hashes, segments_dir, progress)
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
    model: _Model,
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
    todo: list[workers.FileJob], loaded: dict[Path, PartialLoad], model: _Model, root: Path
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


@dataclass
class _Model:
    """The sentence model: stored, or to be trained on `sample`, in another process when
    there is reading to do meanwhile (`start`); `splitter` waits for it."""

    key: str
    trained_on: list[tuple[str, str]]
    directory: Path
    ready: SentenceSplitter | None = None
    stored: Any = None  # the stored model's parameters, as JSON
    sample: list[str] | None = None
    training: Future[Any] | None = None
    pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Train in another process (the build then reads the corpus meanwhile)."""
        # Forking a threaded process can deadlock (see workers._run_jobs): spawn then.
        method = "spawn" if threading.active_count() > 1 else "fork"
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method))
        self.training = self.pool.submit(_trained_params, self.sample)

    def done(self) -> bool:
        return self.training is None or self.training.done()

    @property
    def trains(self) -> bool:
        return self.sample is not None

    def splitter(self) -> SentenceSplitter:
        if self.ready is None and self.stored is not None:
            self.ready = SentenceSplitter(file_results.params_from_json(self.stored))
        if self.ready is None:
            assert self.sample is not None
            params = None
            if self.training is not None and self.pool is not None:
                try:
                    params = self.training.result()
                except BrokenProcessPool:  # the process died (killed, out of memory): here
                    params = None
                finally:
                    self.pool.shutdown()
            if params is None:
                params = _trained_params(self.sample)
            file_results.store_model(self.directory, self.trained_on, params)
            self.ready = SentenceSplitter(params)
            self.sample = None
        return self.ready

    def abandon(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _sentence_model(
    root: Path,
    paths: list[Path],
    rel: dict[Path, str],
    hashes: dict[Path, str],
    segments_dir: Path,
    progress: Progress,
) -> _Model:
    """Punkt trained on the corpus's largest files, reused while those files stay the largest.

    Largest first, then by path: what an archive gains between refreshes (a day's articles)
    is small next to what it holds, so additions sort after the files the model learned from
    and leave it, and every stored file result, valid; a rebuild picks the same files.
    Training needs only the first few hundred articles, read as they are used.
    """
    sizes = {p: p.stat().st_size for p in paths}
    paths = sorted(paths, key=lambda p: (-sizes[p], rel[p]))
    identities = [(rel[p], hashes[p]) for p in paths]
    stored = file_results.stored_model(segments_dir, identities)
    if stored is not None:
        key, params = stored
        return _Model(key, [], segments_dir, stored=params)
    progress("training", 0, 1)
    texts = _TrainingTexts(root, paths, identities)
    sample = workers.training_sample(texts)
    texts.finish()
    key = file_results.model_key(texts.trained_on)
    return _Model(key, texts.trained_on, segments_dir, sample=sample)


def _trained_params(sample: list[str]) -> Any:
    return train_splitter(sample, max_chars=workers.TRAINING_CHARS).params


class _TrainingTexts:
    """The texts the model trains on: the largest files' until their articles' text reaches
    TRAINING_CHARS (whole files count; `trained_on` names them), read only as consumed."""

    def __init__(self, root: Path, paths: list[Path], identities: list[tuple[str, str]]) -> None:
        self.trained_on: list[tuple[str, str]] = []
        self.chars = 0
        self._texts = self._read(root, paths, identities)

    def _read(
        self, root: Path, paths: list[Path], identities: list[tuple[str, str]]
    ) -> Iterator[str]:
        for path, identity in zip(paths, identities, strict=True):
            self.trained_on.append(identity)
            for text in iter_texts(path, root):
                self.chars += len(text)
                yield text
            if self.chars >= workers.TRAINING_CHARS:
                return

    def __iter__(self) -> Iterator[str]:
        return self._texts

    def finish(self) -> None:
        """Read on until it is known which files complete the amount (usually the first)."""
        if self.chars < workers.TRAINING_CHARS:
            for _ in self._texts:
                pass


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
            return _write(root, index_dir, params, progress, files, prepared, started)
    finally:
        file_results.remove(prepared.directory, prepared.changed)


def _write(
    root: Path,
    index_dir: Path,
    params: bm25.BM25Params,
    progress: Progress,
    files: dict[str, list[int]],
    prepared: Prepared,
    started: float,
) -> BuildSummary:
    entries, problems = prepared.entries, prepared.problems
    # Shown copies first, so BM25 paragraph ids are the first paragraph ids.
    shown = [e for e in entries if e.canonical == e.key]
    ordered = shown + [e for e in entries if e.canonical != e.key]
    if not shown:
        raise ReaderError(f"no article text found in {root}")
    sources = sorted({e.source for e in entries}, key=lambda s: (s.casefold(), s))
    source_id = {name: i for i, name in enumerate(sources)}
    article_rows, places = [], []
    first = 0
    for article_id, entry in enumerate(ordered):
        article_rows.append(
            (
                article_id,
                entry.key,
                entry.path,
                source_id[entry.source],
                entry.title,
                entry.author,
                entry.date,
                entry.url,
                entry.canonical,
                first,
                entry.paragraphs,
                entry.chars,
                entry.removed,
            )
        )
        result = prepared.files[entry.file]
        if result.chunks:
            chunk, seq = divmod(entry.position, file_results.CHUNK_RECORDS)
            source, name = result.chunks[chunk], ""
        else:
            source, seq, name = "", entry.position, result.name  # the shared text file
        if not places or places[-1][0] != source:
            places.append((source, []))
        places[-1][1].append((name, seq, article_id, first, entry.paragraphs))
        first += entry.paragraphs
    # Files were hashed as they were read; only what was not read (the metadata file) is left.
    hashes = {
        **content_hashes(root, [f for f in files if f not in prepared.hashes]),
        **prepared.hashes,
    }

    writer = store.GenerationWriter(index_dir)
    tables = _TableWriter(writer, article_rows, places, prepared, sources, hashes, files)
    try:
        # SQLite copies the texts (releasing the GIL) while numpy fits BM25: the two are
        # independent, and each is a few seconds at archive scale.
        tables.start()
        progress("indexing", 0, 1)
        model = bm25.fit_arrays(*_shown_tokens(prepared, shown), params)
        tables.give(model.terms)
        paragraph_article = np.repeat(
            np.arange(len(shown), dtype=np.int32), [e.paragraphs for e in shown]
        )
        shown_sources = np.array([source_id[e.source] for e in shown], np.int32)
        for name in ("offsets", "postings", "frequencies", "contributions", "doc_len", "idf"):
            writer.save_array(name, getattr(model, name))
        writer.save_array("paragraph_article", paragraph_article)
        writer.save_array("paragraph_source", shown_sources[paragraph_article])
        progress("indexing", 1, 1)
        while not tables.finish(timeout=0.1):
            progress("writing", tables.copied, len(places))
        progress("writing", len(places), len(places))
        groups = _groups(entries)
        writer.commit(
            {
                "corpus": str(root),
                "params": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
                "build_version": store.BUILD_VERSION,
                "avgdl": model.avgdl,
                "average_idf": model.average_idf,
                "fingerprint": files,
                "counts": {
                    "articles": len(shown),
                    "copies": len(ordered) - len(shown),
                    "paragraphs": model.paragraph_count,
                    "sources": len(sources),
                    "terms": len(model.terms),
                },
                "duplicate_groups": groups,
                "built_at": time.time(),
            }
        )
    except BaseException:
        tables.cancel()
        writer.abort()
        raise
    return BuildSummary(
        articles=len(shown),
        paragraphs=model.paragraph_count,
        sources=len(sources),
        duplicate_groups=groups,
        problems=problems,
        seconds=time.perf_counter() - started,
    )


class _TableWriter(threading.Thread):
    """Writes every table on its own thread; `terms` once the model is fitted (`give`)."""

    def __init__(
        self,
        writer: store.GenerationWriter,
        article_rows: list[tuple],
        places: list[tuple[str, list[tuple[str, int, int, int, int]]]],
        prepared: Prepared,
        sources: list[str],
        hashes: dict[str, str],
        files: dict[str, list[int]],
    ) -> None:
        super().__init__(name="index-tables", daemon=True)
        self.writer, self.article_rows, self.places = writer, article_rows, places
        self.prepared, self.sources, self.hashes, self.files = prepared, sources, hashes, files
        self.copied = 0
        self.error: BaseException | None = None
        self._cancelled = False
        self._terms: list[str] = []
        self._fitted = threading.Event()

    def give(self, terms: list[str]) -> None:
        """The fitted model's terms, for the terms table."""
        self._terms = terms
        self._fitted.set()

    def run(self) -> None:
        try:
            self._write()
        except BaseException as exc:  # noqa: BLE001 - handed to the building thread
            self.error = exc

    def _write(self) -> None:
        writer, db = self.writer, self.writer.db
        writer.add_articles(self.article_rows)
        directory = self.prepared.directory
        for source, rows in self.places:
            if self._cancelled:
                return
            if source:
                writer.copy_paragraphs(file_results.chunk_path(directory, source), rows)
            else:
                writer.copy_paragraphs(directory / file_results.TEXTS_FILE, rows, shared=True)
            self.copied += 1
        words: dict[str, str] = {}
        for result in self.prepared.files:
            words.update(result.words)
        writer.add_words(words)
        db.executemany("INSERT INTO sources VALUES (?,?)", enumerate(self.sources))
        db.executemany(
            "INSERT INTO problems VALUES (?,?,?,?)",
            ((p.path, p.line, p.reason, int(p.warning)) for p in self.prepared.problems),
        )
        db.executemany(
            "INSERT INTO files VALUES (?,?,?,?)",
            (
                (rel, size, mtime, self.hashes.get(rel, ""))
                for rel, (size, mtime) in self.files.items()
            ),
        )
        while not self._fitted.wait(0.1):
            if self._cancelled:
                return
        writer.add_terms(self._terms)

    def finish(self, timeout: float) -> bool:
        """Wait up to `timeout` s; True once done (raising what went wrong, if anything)."""
        self.join(timeout)
        if self.is_alive():
            return False
        if self.error is not None:
            raise self.error
        return True

    def cancel(self) -> None:
        self._cancelled = True
        if self.is_alive():
            self.join()


def _shown_tokens(
    prepared: Prepared, shown: list[Entry]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The shown paragraphs' terms as BM25 wants them (see `first_appearance_order`)."""
    is_shown = [np.zeros(len(result.articles), dtype=bool) for result in prepared.files]
    for entry in shown:
        is_shown[entry.file][entry.position] = True
    vocabulary: dict[str, int] = {}
    parts, lengths = [], []
    for result, shown_here in zip(prepared.files, is_shown, strict=True):
        if not shown_here.any():
            continue
        to_corpus = np.array(
            [vocabulary.setdefault(t, len(vocabulary)) for t in result.vocabulary], np.int32
        )
        paragraphs = np.array([a.paragraphs for a in result.articles], np.int64)
        paragraph_shown = np.repeat(shown_here, paragraphs)
        parts.append(to_corpus[result.tokens[np.repeat(paragraph_shown, result.counts)]])
        lengths.append(result.counts[paragraph_shown])
    flat = np.concatenate(parts) if parts else np.empty(0, np.int32)
    doc_len = np.concatenate(lengths) if lengths else np.empty(0, np.int32)
    return first_appearance_order(list(vocabulary), flat, doc_len.astype(np.int64))


# Postings' contributions are computed this many at a time, to bound the temporaries.
def first_appearance_order(
    vocabulary: list[str], tokens: np.ndarray, doc_len: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(terms, tokens renumbered, doc_len): the terms that occur, numbered in order of first
    appearance in `tokens` (ids into `vocabulary`), as BM25 requires (see `bm25.fit_arrays`).

    Each term's first position is a running minimum (`np.minimum.at`, one pass): a tenth of
    the time of the stable sort `np.unique(return_index=True)` does on tens of millions of
    tokens.
    """
    n = tokens.size
    position = np.int32 if n < 2**31 else np.int64
    first = np.full(len(vocabulary), n, dtype=position)
    np.minimum.at(first, tokens, np.arange(n, dtype=position))
    present = np.flatnonzero(first < n)
    order = present[np.argsort(first[present])]
    renumber = np.empty(len(vocabulary), np.int32)
    renumber[order] = np.arange(order.size, dtype=np.int32)
    return [vocabulary[i] for i in order.tolist()], renumber[tokens], doc_len


def _groups(entries: list[Entry]) -> list[list[str]]:
    by_shown: dict[str, list[str]] = {}
    for entry in entries:
        by_shown.setdefault(entry.canonical, []).append(entry.key)
    return sorted(
        [
            [shown, *sorted(k for k in keys if k != shown)]
            for shown, keys in by_shown.items()
            if len(keys) > 1
        ]
    )
