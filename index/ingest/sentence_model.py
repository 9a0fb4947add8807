"""The sentence model: Punkt trained on the corpus itself, stored and reused across builds.

Training takes seconds and its parameters decide every stored per-file result (sentences are
part of them), so a model is kept with the list of files it learned from and reused as long as
those files stay the corpus's largest; a build trains a new one in another process while it
reads the corpus.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.ingest import Progress, file_results, workers
from index.ingest.loaders import iter_texts
from index.ingest.sentences import SentenceSplitter, train_splitter


@dataclass
class SentenceModel:
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
        assert self.sample is not None  # only a model that trains is started
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
            file_results.store_sentence_model(self.directory, self.trained_on, params)
            self.ready = SentenceSplitter(params)
            self.sample = None
        return self.ready

    def abandon(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def sentence_model(
    root: Path,
    paths: list[Path],
    rel: dict[Path, str],
    hashes: dict[Path, str],
    segments_dir: Path,
    progress: Progress,
) -> SentenceModel:
    """Punkt trained on the corpus's largest files, reused while those files stay the largest.

    Largest first, then by path: what an archive gains between refreshes (a day's articles)
    is small next to what it holds, so additions sort after the files the model learned from
    and leave it, and every stored file result, valid; a rebuild picks the same files.
    Training needs only the first few hundred articles, read as they are used.
    """
    sizes = {p: p.stat().st_size for p in paths}
    paths = sorted(paths, key=lambda p: (-sizes[p], rel[p]))
    identities = [(rel[p], hashes[p]) for p in paths]
    stored = file_results.stored_sentence_model(segments_dir, identities)
    if stored is not None:
        key, params = stored
        return SentenceModel(key, [], segments_dir, stored=params)
    progress("training", 0, 1)
    texts = _TrainingTexts(root, paths, identities)
    sample = workers.training_sample(texts)
    texts.finish()
    key = file_results.sentence_model_key(texts.trained_on)
    return SentenceModel(key, texts.trained_on, segments_dir, sample=sample)


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
