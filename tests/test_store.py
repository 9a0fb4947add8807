"""The index on disk: refreshed when the corpus changes, atomic, never unpickled."""

from __future__ import annotations

import itertools
import os
import pickle
import threading
from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.errors import IndexCorrupt
from index.ingest import sentence_model, write
from index.ingest.files import corpus_files
from index.search import store
from index.search.bm25 import BM25Params
from index.search.lifecycle import index_status
from index.search.local import LocalIndex
from tests.conftest import SAMPLE_CORPUS


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

    monkeypatch.setattr(store.GenerationWriter, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        Corpus.open(corpus_copy, index_dir=index_dir)
    assert store.current_generation(index_dir) == generation
    assert not [p for p in index_dir.iterdir() if p.name.startswith("tmp-")]
    monkeypatch.undo()
    # The old generation is still readable as it was.
    old = Corpus(corpus_copy, index_dir, LocalIndex(store.open_generation(generation)))
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
    with pytest.raises(IndexCorrupt):
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
    with pytest.raises(IndexCorrupt):
        store.open_generation(generation, verify=True)
    with open(generation / "contributions.npy", "r+b") as handle:
        handle.truncate(100)
    with pytest.raises(IndexCorrupt):
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
    from index.ingest import workers

    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    processed: list[str] = []
    real = workers.process_files

    def counting(files, *args):
        processed.extend(job.path for job in files)
        return real(files, *args)

    monkeypatch.setattr(workers, "process_files", counting)
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
        assert np.array_equal(
            refreshed.backend.generation.arrays[name], rebuilt.backend.generation.arrays[name]
        ), name


# --------------------------------------------------------------------------- build internals


def _archive(folder: Path, articles: int, seed: int) -> None:
    """A .jsonl feed of `articles` made-up stories (words shared across them, some copies)."""
    import json
    import random

    rng = random.Random(seed)
    words = ["harbour", "ferry", "strike", "council", "vote", "budget", "lives", "Mr.", "U.S."]
    words += [f"w{n}" for n in range(300)]
    lines = []
    for n in range(articles):
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(rng.randint(3, 40))).capitalize() + "."
            for _ in range(rng.randint(1, 6))
        ]
        lines.append(
            json.dumps({"id": f"a{n}", "title": f"Story {n}", "text": "\n".join(paragraphs)})
        )
    lines.append(lines[3].replace('"id": "a3"', '"id": "copy-of-a3"'))  # a copy: a duplicate group
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _same_index(first: Corpus, second: Corpus, questions: list[str]) -> None:
    for question in questions:
        assert first.ask(question) == second.ask(question)
    assert first.meta["counts"] == second.meta["counts"]
    assert first.meta["average_idf"] == second.meta["average_idf"]
    assert first.meta["duplicate_groups"] == second.meta["duplicate_groups"]
    for name in store.ARRAYS:
        assert np.array_equal(
            first.backend.generation.arrays[name], second.backend.generation.arrays[name]
        ), name
    tables = ("articles", "paragraphs", "terms", "words", "sources")
    for table in tables:
        rows = [
            g.db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for g in (first.backend.generation, second.backend.generation)
        ]
        assert rows[0] == rows[1], table


QUESTIONS = ["Where does Marinelli live?", "ferry strike vote", "council budget", "moved there"]


def test_refresh_equals_rebuild_with_chunked_small_and_identical_files(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file bigger than a chunk keeps its texts in chunk files, small files share one;
    two files with the same bytes are two results. A refresh after adding, changing and
    removing files of each kind equals a build from scratch, table for table."""
    from index.ingest import file_results

    monkeypatch.setattr(file_results, "CHUNK_RECORDS", 7)
    _archive(corpus_copy, 30, seed=1)
    (corpus_copy / "twin.txt").write_text(
        (corpus_copy / "blog-california-embassy-moscow.txt").read_text()
    )
    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    assert list((index_dir / "segments").glob("*.0.sqlite")), "the feed is stored in chunks"
    assert (index_dir / "segments" / file_results.TEXTS_FILE).exists()

    _archive(corpus_copy, 33, seed=2)  # the feed changes
    (corpus_copy / "00-wire.txt").write_text("Marinelli lives in Yekaterinburg, the wire said.\n")
    (corpus_copy / "twin.txt").unlink()
    refreshed = Corpus.open(corpus_copy, index_dir=index_dir)
    rebuilt = Corpus.open(corpus_copy, index_dir=tmp_path / "fresh")
    _same_index(refreshed, rebuilt, QUESTIONS)
    # Nothing of the removed and changed files' results is left behind.
    names = {p.name.split(".", 1)[0] for p in (index_dir / "segments").iterdir()}
    assert len(names - {"sentence-model", "texts", "pairs"}) == len(corpus_files(corpus_copy)[0])


def test_two_workers_build_what_one_builds(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.ingest import file_results, workers

    monkeypatch.setattr(file_results, "CHUNK_RECORDS", 5)
    _archive(corpus_copy, 40, seed=3)
    monkeypatch.setattr(workers, "PARALLEL_FROM_BYTES", 10**12)
    one = Corpus.open(corpus_copy, index_dir=tmp_path / "one")
    monkeypatch.setattr(workers, "PARALLEL_FROM_BYTES", 0)
    calls = []
    real = workers._run_jobs
    monkeypatch.setattr(
        workers,
        "_run_jobs",
        lambda jobs, s, workers, *a: calls.append(workers) or real(jobs, s, workers, *a),
    )
    two = Corpus.open(corpus_copy, index_dir=tmp_path / "two")
    assert calls == [2]
    _same_index(one, two, QUESTIONS)


def test_damaged_stored_texts_make_a_build_from_scratch(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored texts damaged behind the records' back (same size and time) are found when
    copied, and the build starts over without stored results instead of failing."""
    import os
    import sqlite3

    from index.ingest import file_results

    monkeypatch.setattr(file_results, "CHUNK_RECORDS", 7)
    _archive(corpus_copy, 20, seed=4)
    index_dir = tmp_path / "ix"
    Corpus.open(corpus_copy, index_dir=index_dir)
    chunk = sorted((index_dir / "segments").glob("*.1.sqlite"))[0]
    info = chunk.stat()
    with sqlite3.connect(chunk) as db:
        db.execute("DELETE FROM paragraphs WHERE article = 2")
    os.truncate(chunk, info.st_size)
    os.utime(chunk, ns=(info.st_atime_ns, info.st_mtime_ns))
    shared = index_dir / "segments" / file_results.TEXTS_FILE
    with sqlite3.connect(shared) as db:
        db.execute("DELETE FROM paragraphs WHERE idx = 0")
    (corpus_copy / "00-wire.txt").write_text("A wire story about the ferry strike.\n")
    refreshed = Corpus.open(corpus_copy, index_dir=index_dir)
    rebuilt = Corpus.open(corpus_copy, index_dir=tmp_path / "fresh")
    _same_index(refreshed, rebuilt, QUESTIONS)


def test_build_fit_equals_rank_bm25() -> None:
    """The build's fit (terms renumbered by first appearance, then `bm25.fit_arrays`) scores
    every paragraph exactly as rank-bm25 does on the same token lists."""
    from rank_bm25 import BM25Okapi

    from index.search.bm25 import BM25Params, fit_arrays

    rng = np.random.default_rng(5)
    cases = [
        (np.array([0], np.int32), np.array([1])),  # one paragraph, one term
        (np.array([0, 1, 1, 0], np.int32), np.array([2, 0, 2])),  # an empty paragraph
    ]
    for paragraphs in (1, 17, 400):
        lengths = rng.integers(0, 30, paragraphs)
        lengths[0] = max(1, lengths[0])
        tokens = rng.zipf(1.4, int(lengths.sum())) % 120
        cases.append((tokens.astype(np.int32), lengths))
    for tokens, lengths in cases:
        vocabulary = [f"t{i}" for i in range(int(tokens.max()) + 1)]
        terms, renumbered, doc_len = write.first_appearance_order(
            vocabulary, tokens, lengths.astype(np.int64)
        )
        ends = np.cumsum(lengths)
        documents = [
            [vocabulary[t] for t in tokens[end - n : end]]
            for end, n in zip(ends.tolist(), lengths.tolist(), strict=True)
        ]
        for params in (BM25Params(), BM25Params(k1=1.5, b=0.3, epsilon=0.5)):
            model = fit_arrays(terms, renumbered, doc_len, params)
            reference = BM25Okapi(documents, k1=params.k1, b=params.b, epsilon=params.epsilon)
            ids = {t: i for i, t in enumerate(model.terms)}
            for query in (["t0"], ["t1", "t0", "t1"], vocabulary[-3:], ["t0", "absent"]):
                expected = reference.get_scores(query)
                got = np.zeros(len(documents))
                docs, scores = model.scores([ids[t] for t in query if t in ids])
                got[docs] = scores
                assert np.array_equal(got, expected), (query, params)


def test_first_appearance_order_numbers_terms_as_they_first_occur() -> None:
    vocabulary = ["a", "b", "c", "d", "e"]
    tokens = np.array([3, 1, 3, 4, 1, 0], np.int32)
    terms, renumbered, _ = write.first_appearance_order(vocabulary, tokens, np.array([6]))
    assert terms == ["d", "b", "e", "a"]  # "c" never occurs
    assert renumbered.tolist() == [0, 1, 0, 2, 1, 3]


def test_word_terms_are_index_tokens_terms() -> None:
    """The build's tokenizer (pieces between spaces, each analysed once per process) gives
    every paragraph exactly `index.tokens.terms`, and the word table every word's and base
    form's terms."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from index.ingest.workers import WordTerms
    from index.search.tokens import WORD_PATTERN, base_forms, normalize_word, terms, terms_of_word

    sample = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    pieces = st.sampled_from(
        [
            *"ab -'’‐.,5\u2003\x1c\n",
            "U.S.",
            "co-op",
            "Lives",
            "running",
            "ﬁne",
            "２０",
            "don't",
            "ﷺ",
        ]
    )

    def check(paragraphs: list[str], words: WordTerms) -> None:
        chunk = words.take([len(paragraphs)])
        known = dict(zip(words.words, words.entries, strict=True))
        position = 0
        for paragraph, count in zip(paragraphs, chunk.counts.tolist(), strict=True):
            got = [words.terms[i] for i in chunk.tokens[position : position + count].tolist()]
            assert got == terms(paragraph), paragraph
            position += count
        expected_words = {normalize_word(w) for p in paragraphs for w in WORD_PATTERN.findall(p)}
        assert {words.words[i] for i in chunk.words[0].tolist()} == expected_words
        for word in expected_words:
            forms = [word, *base_forms(word)]
            assert known[word] == {f: " ".join(terms_of_word(f)) for f in forms}

    shared = WordTerms()  # one per worker workers, over many chunks
    for text in [*sample, *sample]:
        paragraphs = [p for p in text.split("\n") if p.strip()]
        for paragraph in paragraphs:
            shared.add(paragraph)
        check(paragraphs, shared)
    # A refresh starts from the word table a build stored (space-joined terms); a word whose
    # normalised form has spaces (its terms might too) is never taken from it.
    known = {form: terms for entries in shared.entries for form, terms in entries.items()}
    known[normalize_word("ﷺ")] = "wrong"
    for start in (WordTerms(known), WordTerms({"the": "", "said": "said"})):
        for text in [*sample, "ﷺ said the"]:
            paragraphs = [p for p in text.split("\n") if p.strip()]
            for paragraph in paragraphs:
                start.add(paragraph)
            check(paragraphs, start)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(pieces, max_size=30).map("".join), min_size=1, max_size=4))
    def generated(paragraphs: list[str]) -> None:
        for paragraph in paragraphs:
            shared.add(paragraph)
        check(paragraphs, shared)

    generated()


def test_training_reads_only_what_it_needs_and_trains_on_what_whole_files_give(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model trains on the largest files whose articles reach TRAINING_CHARS (whole
    files count), reading only as many articles as the sample takes: the same sample and
    the same files as loading those files whole."""
    from index.ingest import workers
    from index.ingest.loaders import load_file

    _archive(corpus_copy, 60, seed=6)
    paths, _ = corpus_files(corpus_copy)
    paths.sort(key=lambda p: (-p.stat().st_size, p.relative_to(corpus_copy).as_posix()))
    identities = [(p.relative_to(corpus_copy).as_posix(), "h") for p in paths]
    for budget in (50, 3_000, 9_000, 10**7):
        monkeypatch.setattr(workers, "TRAINING_CHARS", budget)
        texts = sentence_model._TrainingTexts(corpus_copy, paths, identities)
        sample = workers.training_sample(texts, budget)
        texts.finish()
        records, trained_on = [], []
        for path, identity in zip(paths, identities, strict=True):  # the whole-file rule
            records.extend(load_file(path, corpus_copy)[0])
            trained_on.append(identity)
            if sum(len(r.text) for r in records) >= budget:
                break
        assert texts.trained_on == trained_on
        assert sample == workers.training_sample([r.text for r in records], budget)


def _jobs_recording(count: int, loaded: list[int], failing: int | None = None) -> list:
    from index.articles import Record
    from index.ingest import workers

    def load(n: int):
        def run():
            loaded.append(n)
            if n == failing:
                raise OSError(f"file {n} cannot be read")
            return [Record(key=f"f{n}.txt", path=f"f{n}.txt", text=f"Text {n}.")], []

        return run

    return [workers.FileJob(f"f{n}.txt", f"name{n}", 10, load(n)) for n in range(count)]


def test_files_are_read_in_order_at_most_one_big_file_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from index.ingest import workers

    monkeypatch.setattr(workers, "READ_AHEAD_BYTES", 15)  # a file weighs 10: one ahead
    loaded: list[int] = []
    jobs = _jobs_recording(6, loaded)
    taken = []
    reads = workers._read_in_background(jobs)
    for job, (records, problems) in reads:
        taken.append(job.path)
        assert records[0].key == job.path and problems == []
        deadline = time.monotonic() + 5
        while len(loaded) < min(len(taken) + 1, len(jobs)) and time.monotonic() < deadline:
            time.sleep(0.001)  # the reader reads the next file meanwhile...
        time.sleep(0.01)
        assert len(loaded) <= len(taken) + 1  # ...and no further
    assert taken == [job.path for job in jobs] and loaded == list(range(6))


def test_a_failed_read_ahead_is_raised_where_the_files_are_taken() -> None:
    from index.ingest import workers

    loaded: list[int] = []
    reads = workers._read_in_background(_jobs_recording(4, loaded, failing=2))
    assert [job.path for job, _ in itertools.islice(reads, 2)] == ["f0.txt", "f1.txt"]
    with pytest.raises(OSError, match="file 2 cannot be read"):
        next(reads)


def test_copies_are_the_duplicate_groups(sample_index) -> None:
    rows = list(sample_index.backend.generation.db.execute("SELECT key, canonical FROM articles"))
    groups: dict[str, set[str]] = {}
    for key, canonical in rows:
        groups.setdefault(canonical, set()).add(key)
    assert any(len(keys) > 1 for keys in groups.values())  # the sample has a copied story
    for key, canonical in rows:
        copies = sample_index.copies(key)
        assert copies[0] == canonical and set(copies) == groups[canonical]
        assert len(copies) == len(set(copies))
    assert sample_index.copies("no-such-article") == []
