"""The index on disk: refreshed when the corpus changes, atomic, never unpickled."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import numpy as np
import pytest

from index import build as builder
from index import store
from index.bm25 import BM25Params
from index.corpus import Corpus, index_status


def ask_sources(corpus: Corpus, question: str) -> list[str]:
    return [s.source for s in corpus.search(question).sources if s.passages]


def test_refresh_on_added_changed_and_removed_files(corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    first = Corpus.open(corpus_copy, index_dir=index_dir)
    generation = store.current_generation(index_dir)
    assert "Wire" not in ask_sources(first, "tariffs on Canadian lumber")

    (corpus_copy / "wire.txt").write_text("Tariffs on Canadian lumber rose again this week.\n")
    added = Corpus.open(corpus_copy, index_dir=index_dir)
    assert store.current_generation(index_dir) != generation
    assert ask_sources(added, "tariffs on Canadian lumber") == ["wire"]

    (corpus_copy / "wire.txt").write_text("Dairy quotas were debated in Ottawa.\n")
    changed = Corpus.open(corpus_copy, index_dir=index_dir)
    assert ask_sources(changed, "tariffs on Canadian lumber") == []
    assert ask_sources(changed, "dairy quotas") == ["wire"]

    (corpus_copy / "wire.txt").unlink()
    removed = Corpus.open(corpus_copy, index_dir=index_dir)
    assert "wire" not in [s.source for s in removed.search("dairy quotas").sources]


def test_touch_does_not_rebuild(corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    generation = store.current_generation(index_dir)
    path = corpus_copy / "blog-california-embassy-moscow.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert index_status(corpus_copy, index_dir, BM25Params()) == "touched"
    Corpus.open(corpus_copy, index_dir=index_dir)
    assert store.current_generation(index_dir) == generation
    assert index_status(corpus_copy, index_dir, BM25Params()) == "fresh"


def test_changed_parameters_rebuild(corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    corpus = Corpus.open(corpus_copy, index_dir=index_dir, params=BM25Params(k1=0.9))
    assert corpus.meta["params"]["k1"] == 0.9


def test_interrupted_build_leaves_previous_index(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "ix"
    before = Corpus.open(corpus_copy, index_dir=index_dir).search("Where does Marinelli live?")
    generation = store.current_generation(index_dir)
    (corpus_copy / "wire.txt").write_text("Tariffs on Canadian lumber rose again this week.\n")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed ctrl-c in the middle of writing

    monkeypatch.setattr(builder.store.GenerationWriter, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        Corpus.open(corpus_copy, index_dir=index_dir)
    assert store.current_generation(index_dir) == generation
    assert not [p for p in index_dir.iterdir() if p.name.startswith("tmp-")]
    monkeypatch.undo()
    # The old generation is still readable as it was.
    old = Corpus(corpus_copy, index_dir, store.open_generation(generation))
    assert old.search("Where does Marinelli live?") == before
    # And the next open finishes the job.
    assert ask_sources(Corpus.open(corpus_copy, index_dir=index_dir), "Canadian lumber") == ["wire"]


def test_pickled_array_in_cache_is_rejected(sample_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    Corpus.open(sample_corpus, index_dir=index_dir)
    generation = store.current_generation(index_dir)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    target = generation / "postings.npy"
    np.save(target, np.array([Exploit()], dtype=object), allow_pickle=True)
    meta = store.read_meta(generation)
    meta["files"]["postings.npy"]["size"] = target.stat().st_size  # even with a matching size
    store.update_meta(generation, {"files": meta["files"]})
    with pytest.raises(store.IndexCorrupt):
        store.open_generation(generation)
    assert not marker.exists()
    assert pickle  # the exploit above really is a pickle payload


def test_damaged_file_is_detected(sample_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    Corpus.open(sample_corpus, index_dir=index_dir)
    generation = store.current_generation(index_dir)
    with open(generation / "contributions.npy", "r+b") as handle:
        handle.seek(-8, os.SEEK_END)
        handle.write(b"\xff" * 8)
    store.open_generation(generation)  # sizes still match: only the full check sees it
    with pytest.raises(store.IndexCorrupt):
        store.open_generation(generation, verify=True)
    with open(generation / "contributions.npy", "r+b") as handle:
        handle.truncate(100)
    with pytest.raises(store.IndexCorrupt):
        store.open_generation(generation)


def test_two_builders_at_once_both_end_with_a_valid_index(
    sample_corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "ix"
    results, errors = [], []

    def open_it() -> None:
        try:
            results.append(Corpus.open(sample_corpus, index_dir=index_dir))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    generations = [p for p in index_dir.iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 1  # the second waited for the lock, then found it fresh
    first, second = (c.search("Where does Marinelli live?") for c in results)
    assert first == second


def test_refresh_processes_only_changed_files_and_equals_a_rebuild(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import process

    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    processed: list[str] = []
    real = process.process_files

    def counting(files, splitter, progress):
        processed.extend(path for path, _, _ in files)
        return real(files, splitter, progress)

    monkeypatch.setattr(process, "process_files", counting)
    # A new file, first by name but small: the sentence model and every stored result hold.
    (corpus_copy / "00-wire.txt").write_text(
        "Marinelli lives in Yekaterinburg, a wire report said.\n\nHe moved there in 2016.\n"
    )
    refreshed = Corpus.open(corpus_copy, index_dir=index_dir)
    assert processed == ["00-wire.txt"]
    rebuilt = Corpus.open(corpus_copy, index_dir=tmp_path / "fresh")
    for question in (
        "Where does Marinelli live?",
        "Has the embassy in Moscow opened?",
        "Who founded Yes California?",
        "moved there",
    ):
        assert refreshed.ask(question) == rebuilt.ask(question)
    assert refreshed.meta["counts"] == rebuilt.meta["counts"]
    assert refreshed.meta["average_idf"] == rebuilt.meta["average_idf"]
    for name in store.ARRAYS:
        assert np.array_equal(refreshed._gen.arrays[name], rebuilt._gen.arrays[name]), name
