"""Writing a new index generation from the prepared articles.

Only the shown copy of each duplicate group is in the BM25 model (a second copy would double
its terms' document frequencies and show the same passage twice); the other copies are stored
too, so they can be read and compared. Articles are numbered shown copies first, then the
other copies. SQLite copies the paragraph texts from the workers' files on a thread of its
own while numpy fits BM25.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ReaderError
from index.ingest import Progress, file_results
from index.ingest.fingerprint import content_hashes
from index.ingest.prepared import BuildSummary, Entry, Prepared
from index.search import bm25, store

# Where an article's paragraph texts are: (stored file name or "" for the shared file,
# record within it, article id, first paragraph id, paragraph count).
Place = tuple[str, int, int, int, int]


def write_generation(
    root: Path,
    index_dir: Path,
    params: bm25.BM25Params,
    progress: Progress,
    files: dict[str, list[int]],
    prepared: Prepared,
    started: float,
) -> BuildSummary:
    """Write the index of `prepared` as a new generation of `index_dir` and make it current."""
    entries = prepared.entries
    # Shown copies first, so BM25 paragraph ids are the first paragraph ids.
    shown = [e for e in entries if e.canonical == e.key]
    ordered = shown + [e for e in entries if e.canonical != e.key]
    if not shown:
        raise ReaderError(f"no article text found in {root}")
    sources = sorted({e.source for e in entries}, key=lambda s: (s.casefold(), s))
    source_id = {name: i for i, name in enumerate(sources)}
    article_rows, places = _article_rows(ordered, prepared, source_id)
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
        _save_arrays(writer, model, shown, source_id)
        progress("indexing", 1, 1)
        while not tables.finish(timeout=0.1):
            progress("writing", tables.copied, len(places))
        progress("writing", len(places), len(places))
        groups = _groups(entries)
        counts = {
            "articles": len(shown),
            "copies": len(ordered) - len(shown),
            "paragraphs": model.paragraph_count,
            "sources": len(sources),
            "terms": len(model.terms),
        }
        writer.commit(_meta(root, params, model, files, counts, groups))
    except BaseException:
        tables.cancel()
        writer.abort()
        raise
    return BuildSummary(
        articles=len(shown),
        paragraphs=model.paragraph_count,
        sources=len(sources),
        duplicate_groups=groups,
        problems=prepared.problems,
        seconds=time.perf_counter() - started,
    )


def _article_rows(
    ordered: list[Entry], prepared: Prepared, source_id: dict[str, int]
) -> tuple[list[tuple], list[tuple[str, list[Place]]]]:
    """The articles table's rows, numbered in `ordered`, and where each article's paragraph
    texts are, grouped by stored file in the order SQLite copies them."""
    article_rows: list[tuple] = []
    places: list[tuple[str, list[Place]]] = []
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
    return article_rows, places


def _save_arrays(
    writer: store.GenerationWriter,
    model: bm25.BM25Index,
    shown: list[Entry],
    source_id: dict[str, int],
) -> None:
    """The fitted BM25 arrays, and each paragraph's article and source."""
    for name in ("offsets", "postings", "frequencies", "contributions", "doc_len", "idf"):
        writer.save_array(name, getattr(model, name))
    paragraph_article = np.repeat(
        np.arange(len(shown), dtype=np.int32), [e.paragraphs for e in shown]
    )
    shown_sources = np.array([source_id[e.source] for e in shown], np.int32)
    writer.save_array("paragraph_article", paragraph_article)
    writer.save_array("paragraph_source", shown_sources[paragraph_article])


def _meta(
    root: Path,
    params: bm25.BM25Params,
    model: bm25.BM25Index,
    files: dict[str, list[int]],
    counts: dict[str, int],
    groups: list[list[str]],
) -> dict[str, Any]:
    return {
        "corpus": str(root),
        "params": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
        "build_version": store.BUILD_VERSION,
        "avgdl": model.avgdl,
        "average_idf": model.average_idf,
        "fingerprint": files,
        "counts": counts,
        "duplicate_groups": groups,
        "built_at": time.time(),
    }


class _TableWriter(threading.Thread):
    """Writes every table on its own thread; `terms` once the model is fitted (`give`)."""

    def __init__(
        self,
        writer: store.GenerationWriter,
        article_rows: list[tuple],
        places: list[tuple[str, list[Place]]],
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
    present = np.flatnonzero(np.less(first, n))
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
