"""Per-article work of a build: clean, cut into paragraphs and sentences, tokenize.

Each article is independent once the sentence model is trained, so large corpora are processed
in chunks by worker processes (one per core). Workers return their terms as small integer
arrays over a chunk-local vocabulary rather than as strings: shipping 20 million term strings
between processes would cost more than computing them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from index.clean import clean_text
from index.duplicates import copy_quality
from index.model import Problem, Record
from index.segments import ArticleResult, FileResult
from index.sentences import SentenceSplitter, paragraphs_from_blocks
from index.tokens import WORD_PATTERN, normalize_word, terms_of_word

# Punkt learns abbreviations and sentence starters well from a couple of million characters;
# more only costs time. The sample is the corpus's beginning in path order, so files added
# later (archives grow at the end) leave the sentence model, and so every old paragraph, as is.
TRAINING_CHARS = 2_000_000
CHUNK_RECORDS = 250
# Below this many records, starting worker processes costs more than it saves.
PARALLEL_FROM_RECORDS = 1_000


@dataclass
class ProcessedChunk:
    articles: list[ArticleResult]
    vocabulary: list[str]  # chunk-local term id -> term
    tokens: np.ndarray  # int32 chunk-local term ids, all paragraphs of the chunk in order
    word_terms: dict[str, tuple[str, ...]]  # normalised word -> its terms, for the word map


def training_sample(records: list[Record], max_chars: int = TRAINING_CHARS) -> list[str]:
    """Clean blocks from the start of the corpus, up to `max_chars`."""
    sample: list[str] = []
    total = 0
    for record in records:
        for block in clean_text(record.text).blocks:
            sample.append(block)
            total += len(block)
        if total >= max_chars:
            break
    return sample


def process_files(
    files: list[tuple[str, list[Record], list[Problem]]],
    splitter: SentenceSplitter,
    progress: Callable[[str, int, int], None],
) -> Iterator[FileResult]:
    """One FileResult per (path, records, problems), in order, on every core for big work.

    Files are cut into chunks of records (a single .jsonl can hold a whole archive); chunks
    never span files, so each file's result can be stored and reused on its own.
    """
    jobs = [
        (path, records[i : i + CHUNK_RECORDS])
        for path, records, _ in files
        for i in range(0, max(len(records), 1), CHUNK_RECORDS)
    ]
    total = sum(len(records) for _, records, _ in files)
    workers = min(os.cpu_count() or 1, 2 if total >= PARALLEL_FROM_RECORDS else 1)
    chunk_results = _run_chunks([records for _, records in jobs], splitter, workers)
    pending: dict[str, list[ProcessedChunk]] = {}
    done = 0
    remaining = {path: len(range(0, max(len(r), 1), CHUNK_RECORDS)) for path, r, _ in files}
    problems = {path: p for path, _, p in files}
    for (path, records), result in zip(jobs, chunk_results, strict=True):
        done += len(records)
        progress("processing", done, total)
        pending.setdefault(path, []).append(result)
        remaining[path] -= 1
        if remaining[path] == 0:
            yield _merge(path, pending.pop(path), problems[path])


def _run_chunks(
    chunks: list[list[Record]], splitter: SentenceSplitter, workers: int
) -> Iterator[ProcessedChunk]:
    if workers == 1:
        yield from (process_chunk(c, splitter) for c in chunks)
        return
    # Forking a threaded process (the TUI builds in a worker thread) can deadlock on locks
    # other threads hold, so a threaded caller spawns fresh interpreters instead. Fork is
    # preferred otherwise: it is faster and does not re-import the caller's __main__.
    threaded = threading.active_count() > 1
    context = multiprocessing.get_context("spawn" if threaded else "fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(splitter.params,)) as pool:
        yield from pool.imap(_process_in_worker, chunks)


def _merge(path: str, chunks: list[ProcessedChunk], problems: list[Problem]) -> FileResult:
    vocabulary: dict[str, int] = {}
    tokens = []
    for chunk in chunks:
        to_file = np.array(
            [vocabulary.setdefault(t, len(vocabulary)) for t in chunk.vocabulary], np.int32
        )
        tokens.append(to_file[chunk.tokens] if chunk.tokens.size else chunk.tokens)
    word_terms: dict[str, tuple[str, ...]] = {}
    for chunk in chunks:
        word_terms.update(chunk.word_terms)
    return FileResult(
        path=path,
        articles=[a for chunk in chunks for a in chunk.articles],
        vocabulary=list(vocabulary),
        tokens=np.concatenate(tokens).astype(np.int32) if tokens else np.empty(0, np.int32),
        word_terms=word_terms,
        problems=problems,
    )


_worker_splitter: SentenceSplitter | None = None


def _init_worker(params: object) -> None:
    global _worker_splitter
    _worker_splitter = SentenceSplitter(params)


def _process_in_worker(records: list[Record]) -> ProcessedChunk:
    assert _worker_splitter is not None
    return process_chunk(records, _worker_splitter)


def process_chunk(records: list[Record], splitter: SentenceSplitter) -> ProcessedChunk:
    vocabulary: dict[str, int] = {}
    raw_ids: dict[str, tuple[int, ...]] = {}  # the same raw word recurs: normalise it once
    word_terms: dict[str, tuple[str, ...]] = {}
    tokens = array("i")
    articles = []
    findall = WORD_PATTERN.findall
    for record in records:
        clean = clean_text(record.text)
        paragraphs = paragraphs_from_blocks(clean.blocks, splitter)
        counts = []
        for paragraph in paragraphs:
            before = len(tokens)
            for raw in findall(paragraph.text):
                ids = raw_ids.get(raw)
                if ids is None:
                    word = normalize_word(raw)
                    terms = word_terms.get(word)
                    if terms is None:
                        terms = word_terms[word] = terms_of_word(word)
                    ids = raw_ids[raw] = tuple(
                        vocabulary.setdefault(t, len(vocabulary)) for t in terms
                    )
                tokens.extend(ids)
            counts.append(len(tokens) - before)
        articles.append(
            ArticleResult(
                key=record.key,
                path=record.path,
                fields=record.fields,
                quality=copy_quality(record.text),
                title=clean.title,
                removed=clean.removed,
                paragraphs=paragraphs,
                token_counts=counts,
            )
        )
    return ProcessedChunk(
        articles=articles,
        vocabulary=list(vocabulary),
        tokens=np.frombuffer(tokens, dtype=np.int32).copy(),
        word_terms=word_terms,
    )
