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

from index.clean import CleanText, clean_text
from index.model import Paragraph, Record
from index.sentences import SentenceSplitter, paragraphs_from_blocks, train_splitter
from index.tokens import WORD_PATTERN, normalize_word, terms_of_word

# Punkt learns abbreviations and sentence starters well from a couple of million characters;
# more only costs time. The sample is the corpus's beginning in path order, so files added
# later (archives grow at the end) leave the sentence model, and so every old paragraph, as is.
TRAINING_CHARS = 2_000_000
CHUNK_RECORDS = 250
# Below this many records, starting worker processes costs more than it saves.
PARALLEL_FROM_RECORDS = 1_000


@dataclass
class ProcessedArticle:
    key: str
    clean: CleanText
    paragraphs: list[Paragraph]
    token_counts: list[int]  # tokens per paragraph


@dataclass
class ProcessedChunk:
    articles: list[ProcessedArticle]
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


def process_records(
    records: list[Record],
    splitter: SentenceSplitter,
    progress: Callable[[str, int, int], None],
) -> Iterator[ProcessedChunk]:
    """ProcessedChunks in record order, computed on every core for large corpora."""
    chunks = [records[i : i + CHUNK_RECORDS] for i in range(0, len(records), CHUNK_RECORDS)]
    workers = min(os.cpu_count() or 1, 2 if len(records) >= PARALLEL_FROM_RECORDS else 1)
    done = 0
    if workers == 1:
        results: Iterator[ProcessedChunk] = (process_chunk(c, splitter) for c in chunks)
        for chunk, result in zip(chunks, results, strict=True):
            done += len(chunk)
            progress("processing", done, len(records))
            yield result
        return
    # Forking a threaded process (the TUI builds in a worker thread) can deadlock on locks
    # other threads hold, so a threaded caller spawns fresh interpreters instead. Fork is
    # preferred otherwise: it is faster and does not re-import the caller's __main__.
    threaded = threading.active_count() > 1
    context = multiprocessing.get_context("spawn" if threaded else "fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(splitter.params,)) as pool:
        for chunk, result in zip(chunks, pool.imap(_process_in_worker, chunks), strict=True):
            done += len(chunk)
            progress("processing", done, len(records))
            yield result


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
        articles.append(ProcessedArticle(record.key, clean, paragraphs, counts))
    return ProcessedChunk(
        articles=articles,
        vocabulary=list(vocabulary),
        tokens=np.frombuffer(tokens, dtype=np.int32).copy(),
        word_terms=word_terms,
    )


def train(records: list[Record]) -> SentenceSplitter:
    return train_splitter(training_sample(records), max_chars=TRAINING_CHARS)
