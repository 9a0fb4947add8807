"""Per-article work of a build: clean, cut into paragraphs and sentences, tokenize.

Each article is independent once the sentence model is trained, so large corpora are processed
in chunks by worker processes (one per core). What a chunk produces goes two ways:
* the paragraph texts and sentence offsets, most of a chunk's bytes, are written by the
  worker straight to a small SQLite file (`file_results.write_chunk_texts`) that the build
  copies into the index inside SQLite: the parent process never holds an archive's text;
* what the build computes with (each paragraph's terms as small integer ids, article
  metadata, MinHash signatures) comes back to the parent. Shipping 20 million term strings
  between processes would cost more than computing them, so a worker numbers terms and
  words itself and sends each string once, the first time one of its chunks uses it; the
  parent (`_Numbering`) puts every worker's numbers into one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.articles import Problem, Record
from index.ingest import file_results
from index.ingest.clean import clean_text
from index.ingest.duplicates import copy_quality, minhash_signatures
from index.ingest.file_results import ArticleResult, FileResult
from index.ingest.sentences import SentenceSplitter, paragraphs_from_blocks
from index.search.tokens import WORD_PATTERN, base_forms, normalize_word, terms_of_word

# Punkt learns abbreviations and sentence starters well from a couple of million characters;
# more only costs time.
TRAINING_CHARS = 2_000_000
# Below this much text (about 1,000 articles), starting worker processes costs more than
# it saves.
PARALLEL_FROM_BYTES = 5_000_000


@dataclass
class Part:
    """Records to process: a chunk of a big file, its texts to go to the chunk file `chunk`,
    or a whole small file (`chunk` None), its texts to come back as rows."""

    chunk: str | None
    records: list[Record]


@dataclass
class PartResult:
    chunk: str | None
    rows: list[file_results.Row] | None  # a small file's texts
    articles: list[ArticleResult]
    paragraphs: int
    words: np.ndarray  # int32 ids of the normalised words the part has
    signatures: np.ndarray  # uint32 MinHash rows of the articles that have any word
    has_signature: np.ndarray  # bool per article


@dataclass
class JobResult:
    """Processed parts. Terms and words are numbered by the `WordTerms` of the process that
    did the work (`numbering`); `new_terms` and `new_words` are the ones it had not sent."""

    numbering: str
    new_terms: list[str]  # terms numbered since the previous job, in id order
    new_words: list[tuple[str, dict[str, str]]]  # (word, its word-table entries), likewise
    tokens: np.ndarray  # int32 term ids, all paragraphs of all parts in order
    counts: np.ndarray  # int32 terms per paragraph
    parts: list[PartResult]


@dataclass
class ChunkTokens:
    """What `WordTerms.take` hands over for a job's paragraphs."""

    tokens: np.ndarray
    counts: np.ndarray
    words: list[np.ndarray]  # per part
    new_terms: list[str]
    new_words: list[tuple[str, dict[str, str]]]


class WordTerms:
    """Term ids of the words of paragraphs, each distinct piece of text analysed once.

    A corpus has a few hundred thousand distinct words but tens of millions of word
    occurrences. Paragraphs are cut at white space (`str.split`, in C) into pieces such as
    "Trump's" or "(said,"; the first time a piece is seen in this process its words are
    found with `tokens.WORD_PATTERN` and their terms computed, and every later occurrence
    costs one dictionary lookup (done by `map`, in C). Words never contain white space and
    the pattern looks at nothing outside a match, so the pieces' words, end to end, are
    exactly the paragraph's words.
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.numbering = f"{os.getpid()}-{id(self)}"
        # Word table entries of a previous build (word -> terms, space-joined): a refresh
        # then stems only the words the corpus did not have.
        self.known = known or {}
        self.piece_ids = _PieceIds(self)  # piece of text -> piece id
        self.piece_words: list[tuple[int, ...]] = []  # piece id -> its words' ids
        self.term_start = array("q", [0])  # piece id -> its terms, term_ids[start[i]:start[i+1]]
        self.term_ids = array("i")
        self.term_id: dict[str, int] = {}
        self.terms: list[str] = []
        self.raw_words: dict[str, tuple[int, tuple[int, ...]]] = {}  # -> (word id, term ids)
        self.word_id: dict[str, int] = {}  # normalised word -> word id
        self.words: list[str] = []
        self.word_terms: list[tuple[int, ...]] = []  # word id -> its term ids
        self.word_strings: dict[str, tuple[str, ...]] = {}  # word or base form -> its terms
        # word id -> {the word and its base forms: their terms, space-joined}: the word table
        # also holds base forms of corpus words ("lives" -> "live"), so a question can be
        # answered without stemming (see `tokens.base_forms`).
        self.entries: list[dict[str, str]] = []
        self._sent_terms = self._sent_words = 0
        self._pending = array("i")  # piece ids of the current chunk, in text order
        self._paragraph_pieces = array("q")  # pieces in each paragraph of the chunk

    def add(self, text: str) -> None:
        """Queue one paragraph's words."""
        before = len(self._pending)
        self._pending.extend(map(self.piece_ids.__getitem__, text.split()))
        self._paragraph_pieces.append(len(self._pending) - before)

    def take(self, part_paragraphs: list[int]) -> ChunkTokens:
        """The queued paragraphs' terms, and the words of each part (`part_paragraphs`
        paragraphs each, in order); the next `add` starts anew."""
        pieces = np.array(self._pending, np.int64)
        paragraph_pieces = np.array(self._paragraph_pieces, np.int64)
        self._pending, self._paragraph_pieces = array("i"), array("q")
        starts = np.frombuffer(self.term_start, np.int64)
        term_ids = np.frombuffer(self.term_ids, np.int32)
        # Piece p stands for the terms term_ids[starts[p]:starts[p + 1]]; lay them end to end.
        counts = starts[pieces + 1] - starts[pieces]
        ends = np.cumsum(counts)
        total = int(ends[-1]) if ends.size else 0
        tokens = term_ids[np.repeat(starts[pieces] - (ends - counts), counts) + np.arange(total)]
        del starts, term_ids  # views of the arrays, which must not be resized while viewed
        piece_ends = np.concatenate(([0], np.cumsum(paragraph_pieces)))
        token_ends = np.concatenate(([0], ends))[piece_ends[1:]]
        per_paragraph = np.diff(token_ends, prepend=0)
        words = []
        first = 0
        seen = np.zeros(len(self.piece_words), dtype=bool)
        for count in part_paragraphs:
            here = pieces[piece_ends[first] : piece_ends[first + count]]
            first += count
            if here.size * 8 < seen.size:  # a small part: sorting it is cheaper
                part_pieces = np.unique(here)
            else:
                seen[here] = True
                part_pieces = np.flatnonzero(seen)
                seen[part_pieces] = False
            found: set[int] = set()
            for piece in part_pieces.tolist():
                found.update(self.piece_words[piece])
            words.append(np.array(sorted(found), np.int32))
        new_terms = self.terms[self._sent_terms :]
        new_words = list(
            zip(self.words[self._sent_words :], self.entries[self._sent_words :], strict=True)
        )
        self._sent_terms, self._sent_words = len(self.terms), len(self.words)
        return ChunkTokens(
            tokens=tokens.astype(np.int32),
            counts=per_paragraph.astype(np.int32),
            words=words,
            new_terms=new_terms,
            new_words=new_words,
        )

    def _new_piece(self, piece: str) -> int:
        piece_id = len(self.piece_words)
        words = []
        for raw in WORD_PATTERN.findall(piece):
            known = self.raw_words.get(raw)
            if known is None:
                word = normalize_word(raw)
                word_id = self.word_id.get(word)
                if word_id is None:
                    word_id = self.word_id[word] = self._new_word(word)
                known = self.raw_words[raw] = (word_id, self.word_terms[word_id])
            words.append(known[0])
            self.term_ids.extend(known[1])
        self.term_start.append(len(self.term_ids))
        self.piece_words.append(tuple(words))
        return piece_id

    def _new_word(self, word: str) -> int:
        """Number a normalised word seen for the first time; find its terms and entries."""
        self.entries.append(
            {form: " ".join(self._terms_of(form)) for form in (word, *base_forms(word))}
        )
        ids = []
        for term in self._terms_of(word):
            term_id = self.term_id.get(term)
            if term_id is None:
                term_id = self.term_id[term] = len(self.terms)
                self.terms.append(term)
            ids.append(term_id)
        self.word_terms.append(tuple(ids))
        self.words.append(word)
        return len(self.words) - 1

    def _terms_of(self, word: str) -> tuple[str, ...]:
        """`tokens.terms_of_word`, once per word or base form (forms are often words too)."""
        terms = self.word_strings.get(word)
        if terms is None:
            joined = self.known.get(word)
            # Terms of a word without a space have none: joined by spaces, they split back.
            if joined is not None and " " not in word:
                terms = tuple(joined.split(" ")) if joined else ()
            else:
                terms = terms_of_word(word)
            self.word_strings[word] = terms
        return terms


class _PieceIds(dict):
    """piece of text -> piece id; a piece not seen before is analysed on lookup."""

    def __init__(self, owner: WordTerms) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, piece: str) -> int:
        piece_id = self[piece] = self.owner._new_piece(piece)
        return piece_id


class _Numbering:
    """Every worker's term and word numbers, put into one numbering (the parent's)."""

    def __init__(self) -> None:
        self.term_id: dict[str, int] = {}
        self.terms_of: dict[str, np.ndarray] = {}  # worker numbering -> its term id -> ours
        self.words_of: dict[str, list[str]] = {}  # worker numbering -> its word id -> word
        self.entries: dict[str, dict[str, str]] = {}  # word -> its word-table entries

    def learn(self, job: JobResult) -> np.ndarray:
        """The job's tokens in our term ids; learns the worker's new terms and words."""
        ids = [self.term_id.setdefault(t, len(self.term_id)) for t in job.new_terms]
        known = self.terms_of.get(job.numbering, np.empty(0, np.int32))
        mapping = np.concatenate((known, np.array(ids, np.int32)))
        self.terms_of[job.numbering] = mapping
        words = self.words_of.setdefault(job.numbering, [])
        for word, entries in job.new_words:
            words.append(word)
            self.entries.setdefault(word, entries)
        return mapping[job.tokens] if job.tokens.size else np.empty(0, np.int32)

    def words(self, job: JobResult, part: PartResult) -> list[str]:
        words = self.words_of[job.numbering]
        return [words[i] for i in part.words.tolist()]


def training_sample(texts: Iterable[str], max_chars: int = TRAINING_CHARS) -> list[str]:
    """Clean blocks of the first `texts`, up to `max_chars`; no more texts are read."""
    sample: list[str] = []
    total = 0
    for text in texts:
        for block in clean_text(text).blocks:
            sample.append(block)
            total += len(block)
        if total >= max_chars:
            break
    return sample


@dataclass
class FileJob:
    """A corpus file to process: read by `load` only when its turn comes."""

    path: str  # relative to the corpus folder
    name: str  # what its stored result is called (see `file_results`)
    size: int  # bytes on disk
    load: Callable[[], tuple[list[Record], list[Problem]]]


def process_files(
    files: list[FileJob],
    splitter: SentenceSplitter,
    directory: Path,
    progress: Callable[[str, int, int], None],
    known: dict[str, str] | None = None,
) -> Iterator[FileResult]:
    """One FileResult per file, in order, on every core for big work. Chunk texts are
    written under `directory`; `known` are word table entries already computed.

    A big file is cut into chunks of records (a single .jsonl can hold a whole archive), a
    job each; small files are batched, several to a job. Each file's result can be stored and
    reused on its own. Files are read one after the other while the workers process the jobs
    already read, so reading takes no time of its own and at most a couple of files' raw text
    is in memory.
    """
    directory.mkdir(parents=True, exist_ok=True)
    # Filled in by `jobs` (on the pool's feeder thread) before a file's records are sent.
    opened: list[tuple[FileJob, int, int, list[Problem]]] = []  # job, parts, records, problems

    size = file_results.CHUNK_RECORDS

    work = sum(file_weight(job) for job in files)
    workers = min(os.cpu_count() or 1, 2 if work >= PARALLEL_FROM_BYTES else 1)

    def jobs() -> Iterator[tuple[Path, list[Part]]]:
        batch: list[Part] = []
        # With worker processes, the next files are read on a thread of their own: read
        # here, between jobs, a file's reading would leave the workers idle once they have
        # done the jobs already sent (the pipe to them holds one or two).
        loads = _read_in_background(files) if workers > 1 else ((j, j.load()) for j in files)
        for job, (records, problems) in loads:
            if len(records) > size:
                count = -(-len(records) // size)
                opened.append((job, count, len(records), problems))
                if batch:
                    yield directory, batch
                    batch = []
                for n in range(count):
                    part = records[n * size : (n + 1) * size]
                    yield directory, [Part(f"{job.name}.{n}", part)]
                continue
            opened.append((job, 1, len(records), problems))
            batch.append(Part(None, records))
            if sum(len(part.records) for part in batch) >= size:
                yield directory, batch
                batch = []
        if batch:
            yield directory, batch

    def total() -> int:
        """Articles in all files: counted for files read, estimated by size for the rest."""
        seen = list(opened)
        records = sum(r for _, _, r, _ in seen)
        read = sum(file_weight(job) for job, _, _, _ in seen)
        unread = sum(file_weight(job) for job in files[len(seen) :])
        return records + round(unread * records / read) if read else 0

    numbering = _Numbering()
    pending: list[tuple[PartResult, np.ndarray, np.ndarray, list[str]]] = []
    done = finished = 0
    for result in _run_jobs(jobs(), splitter, workers, known):
        tokens = numbering.learn(result)
        paragraph_start = token_start = 0
        for part in result.parts:
            counts = result.counts[paragraph_start : paragraph_start + part.paragraphs]
            paragraph_start += part.paragraphs
            token_end = token_start + int(counts.sum())
            part_tokens = tokens[token_start:token_end]
            token_start = token_end
            pending.append((part, part_tokens, counts, numbering.words(result, part)))
            done += len(part.articles)
            job, count, _, problems = opened[finished]
            if len(pending) == count:
                yield _merge(job, pending, problems, numbering)
                pending = []
                finished += 1
        progress("processing", done, max(done, total()))


# Files read ahead of the jobs being sent to the workers, at most (bytes as `file_weight`
# counts them; the next file is always read, however large). Reading a file takes a tenth of
# the time its processing does, so one file ahead keeps the workers fed, and an archive's
# records are in memory a file or two at a time, not all at once.
READ_AHEAD_BYTES = 100_000_000


@dataclass
class _ReadAhead:
    """What the reading thread and the taker share, under their condition."""

    ahead: int = 0  # bytes read and not yet taken
    stop: bool = False
    error: BaseException | None = None


def _read_in_background(
    files: list[FileJob],
) -> Iterator[tuple[FileJob, tuple[list[Record], list[Problem]]]]:
    """(job, job.load()) for each file in order, the loading done on a thread of its own up
    to READ_AHEAD_BYTES ahead of what has been taken."""
    done: list[tuple[FileJob, tuple[list[Record], list[Problem]]] | None] = []
    ready = threading.Condition()
    state = _ReadAhead()

    def read() -> None:
        try:
            for job in files:
                with ready:
                    while state.ahead > 0 and state.ahead + file_weight(job) > (READ_AHEAD_BYTES):
                        if state.stop:
                            return
                        ready.wait()
                    if state.stop:
                        return
                loaded = job.load()
                with ready:
                    done.append((job, loaded))
                    state.ahead += file_weight(job)
                    ready.notify_all()
        except BaseException as exc:  # noqa: BLE001 - raised where the results are taken
            with ready:
                state.error = exc
                ready.notify_all()

    reader = threading.Thread(target=read, name="index-read-ahead", daemon=True)
    reader.start()
    try:
        for taken in range(len(files)):
            with ready:
                while len(done) <= taken and state.error is None:
                    ready.wait()
                if state.error is not None and len(done) <= taken:
                    raise state.error
                item = done[taken]
                assert item is not None
                done[taken] = None  # the records go with the jobs, not kept here too
                state.ahead -= file_weight(item[0])
                ready.notify_all()
            yield item
    finally:
        with ready:
            state.stop = True
            ready.notify_all()


def file_weight(job: FileJob) -> int:
    """A file's size as if uncompressed (news text compresses about threefold)."""
    return job.size * 3 if job.path.endswith(".gz") else job.size


def _run_jobs(
    jobs: Iterator[tuple[Path, list[Part]]],
    splitter: SentenceSplitter,
    workers: int,
    known: dict[str, str] | None = None,
) -> Iterator[JobResult]:
    global _inherited_known
    if workers == 1:
        words = WordTerms(known)
        yield from (process_job(*job, splitter, words) for job in jobs)
        return
    # Forking a threaded process (the TUI builds in a worker thread) can deadlock on locks
    # other threads hold, so a threaded caller spawns fresh interpreters instead. Fork is
    # preferred otherwise: it is faster and does not re-import the caller's __main__.
    threaded = threading.active_count() > 1
    context = multiprocessing.get_context("spawn" if threaded else "fork")
    _inherited_known = known  # forked workers have it without copying; spawned ones go without
    try:
        with context.Pool(workers, initializer=_init_worker, initargs=(splitter.params,)) as pool:
            yield from pool.imap(_process_in_worker, jobs)
    finally:
        _inherited_known = None


def _merge(
    job: FileJob,
    parts: list[tuple[PartResult, np.ndarray, np.ndarray, list[str]]],
    problems: list[Problem],
    numbering: _Numbering,
) -> FileResult:
    """One file's parts as one result, with a vocabulary of its own (to be kept alone)."""
    tokens = np.concatenate([t for _, t, _, _ in parts]) if parts else np.empty(0, np.int32)
    present = np.zeros(len(numbering.term_id), dtype=bool)
    present[tokens] = True
    used = np.flatnonzero(present)
    to_file = np.zeros(len(numbering.term_id), np.int32)
    to_file[used] = np.arange(used.size, dtype=np.int32)
    terms: list[str] = list(numbering.term_id) if used.size else []
    words: dict[str, str] = {}
    for word in sorted({w for _, _, _, part_words in parts for w in part_words}):
        words.update(numbering.entries[word])
    results = [part for part, _, _, _ in parts]
    chunked = results[0].chunk is not None
    return FileResult(
        path=job.path,
        name=job.name,
        articles=[a for part in results for a in part.articles],
        vocabulary=[terms[i] for i in used.tolist()],
        tokens=to_file[tokens],
        counts=np.concatenate([c for _, _, c, _ in parts]).astype(np.int32),
        words=words,
        signatures=np.concatenate([part.signatures for part in results]),
        has_signature=np.concatenate([part.has_signature for part in results]),
        chunks=[part.chunk for part in results if part.chunk is not None] if chunked else [],
        problems=problems,
        rows=None if chunked else results[0].rows,
    )


_worker_splitter: SentenceSplitter | None = None
_worker_words: WordTerms | None = None
_inherited_known: dict[str, str] | None = None


def _init_worker(params: object) -> None:
    global _worker_splitter, _worker_words
    _worker_splitter = SentenceSplitter(params)
    _worker_words = WordTerms(_inherited_known)


def _process_in_worker(job: tuple[Path, list[Part]]) -> JobResult:
    assert _worker_splitter is not None and _worker_words is not None
    return process_job(*job, _worker_splitter, _worker_words)


def _sentences_json(spans: list[tuple[int, int]]) -> str:
    """`json.dumps(spans)`, byte for byte, for pairs of ints (a fifth of the time)."""
    return "[" + ", ".join([f"[{start}, {end}]" for start, end in spans]) + "]"


def process_job(
    directory: Path, parts: list[Part], splitter: SentenceSplitter, words: WordTerms
) -> JobResult:
    """Clean, segment and tokenize every part's records; a chunk's texts go to its file in
    `directory`, a small file's come back as rows."""
    done = []
    texts = []
    for part in parts:
        rows: list[file_results.Row] = []
        articles = []
        for seq, record in enumerate(part.records):
            clean = clean_text(record.text)
            paragraphs = paragraphs_from_blocks(clean.blocks, splitter)
            for idx, paragraph in enumerate(paragraphs):
                words.add(paragraph.text)
                rows.append((seq, idx, paragraph.text, _sentences_json(paragraph.sentences)))
            texts.append("\n\n".join(p.text for p in paragraphs))
            articles.append(
                ArticleResult(
                    key=record.key,
                    path=record.path,
                    fields=record.fields,
                    quality=copy_quality(record.text),
                    title=clean.title,
                    removed=json.dumps(clean.removed),
                    paragraphs=len(paragraphs),
                    chars=sum(len(p.text) for p in paragraphs),
                )
            )
        if part.chunk is not None:
            file_results.write_chunk_texts(directory, part.chunk, rows)
        done.append((part.chunk, rows, articles))
    tokens = words.take([len(rows) for _, rows, _ in done])
    signatures, has_signature = minhash_signatures(texts)
    results = []
    first_article = first_row = 0
    for (chunk, rows, articles), part_words in zip(done, tokens.words, strict=True):
        mask = has_signature[first_article : first_article + len(articles)]
        rows_here = int(mask.sum())
        results.append(
            PartResult(
                chunk=chunk,
                rows=None if chunk is not None else rows,
                articles=articles,
                paragraphs=len(rows),
                words=part_words,
                signatures=signatures[first_row : first_row + rows_here],
                has_signature=mask,
            )
        )
        first_article += len(articles)
        first_row += rows_here
    return JobResult(
        numbering=words.numbering,
        new_terms=tokens.new_terms,
        new_words=tokens.new_words,
        tokens=tokens.tokens,
        counts=tokens.counts,
        parts=results,
    )
