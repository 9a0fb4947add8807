"""index/stemmer.py against nltk's Snowball English stemmer on every word of real news text.

    .venv/bin/python benchmarks/stemmer_check.py [--datasets allsides,bbc,...] [--timing-words N]

Indexes store the stems nltk's stemmer made, so the project's stemmer must make the same stem
of every word. For each dataset in ../shared/data (read at run time, never copied), every
distinct word is checked twice: as tokens.py passes it to the stemmer (normalised, split at
hyphens) and as written (capitals, typographic apostrophes, possessives). Then both stemmers
are timed on the same sample of words (median of passes) and both imports are timed in fresh
interpreters, holding the machine's shared benchmark lock (/tmp/reader-bench.lock) for the
timed part only. Exit status 1 if any word's stems differ.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.search.stemmer import snowball_stem as stem  # noqa: E402
from index.search.tokens import WORD_PATTERN, normalize_word  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SEED = 20261122
PASSES = 5
IMPORT_RUNS = 7
BENCH_LOCK = Path("/tmp/reader-bench.lock")  # shared by everyone timing on this machine


def _jsonl_gz(path: Path, fields: tuple[str, ...]) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield from (str(record.get(f) or "") for f in fields)


def allsides() -> Iterator[str]:
    for path in sorted((DATA / "allsides-article-bias").glob("*.jsonl.gz")):
        yield from _jsonl_gz(path, ("title", "text"))


def bbc() -> Iterator[str]:
    yield from _jsonl_gz(DATA / "bbc-news-fulltext" / "bbc-fulltext.jsonl.gz", ("title", "text"))


def reuters() -> Iterator[str]:
    yield from _jsonl_gz(DATA / "reuters-21578" / "reuters21578.jsonl.gz", ("title", "body"))


def fnc1() -> Iterator[str]:
    csv.field_size_limit(sys.maxsize)
    for name, column in (
        ("train_bodies.csv", "articleBody"),
        ("competition_test_bodies.csv", "articleBody"),
        ("train_stances.csv", "Headline"),
        ("competition_test_stances.csv", "Headline"),
    ):
        with open(DATA / "fnc-1" / name, encoding="utf-8", newline="") as rows:
            yield from (row[column] for row in csv.DictReader(rows))


def rte3() -> Iterator[str]:
    with open(DATA / "rte3-3way" / "rte3_3way_en.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield from (str(record.get(f) or "") for f in ("text", "hypothesis"))


def squad() -> Iterator[str]:
    with gzip.open(DATA / "squad-v1.1-dev" / "dev-v1.1.json.gz", "rt", encoding="utf-8") as f:
        for article in json.load(f)["data"]:
            for paragraph in article["paragraphs"]:
                yield paragraph["context"]
                yield from (qa["question"] for qa in paragraph["qas"])


DATASETS: dict[str, Callable[[], Iterable[str]]] = {
    "allsides": allsides,
    "bbc": bbc,
    "reuters": reuters,
    "fnc-1": fnc1,
    "rte3": rte3,
    "squad": squad,
}


def distinct_words(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """(words as tokens.py stems them, words as written)."""
    written: set[str] = set()
    for text in texts:
        written.update(WORD_PATTERN.findall(text))
    stemmed: set[str] = set()
    for word in written:
        stemmed.update(p for p in normalize_word(word).split("-") if p)
    return stemmed, written


def mismatches(words: Iterable[str], nltk_stem: Callable[[str], str]) -> list[tuple[str, str, str]]:
    out = []
    for word in words:
        ours, theirs = stem(word), nltk_stem(word)
        if ours != theirs:
            out.append((word, theirs, ours))
    return out


def seconds_per_word(stemmer: Callable[[str], str], words: list[str]) -> float:
    """Median over passes of one call per word (no cache in either stemmer)."""
    times = []
    for _ in range(PASSES):
        start = time.perf_counter()
        for word in words:
            stemmer(word)
        times.append((time.perf_counter() - start) / len(words))
    return statistics.median(times)


def import_seconds(statement: str) -> float:
    """Median time of `statement` in a fresh interpreter (what a cold `reader ask` pays)."""
    code = "\n".join(
        [
            "import time",
            "start = time.perf_counter()",
            statement,
            "print(time.perf_counter() - start)",
        ]
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=REPO, check=True).stdout)
        for _ in range(IMPORT_RUNS)
    ]  # fmt: skip
    return statistics.median(runs)


@contextlib.contextmanager
def bench_lock() -> Iterator[None]:
    with open(BENCH_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--timing-words", type=int, default=50_000)
    args = parser.parse_args(argv)
    from nltk.stem.snowball import SnowballStemmer

    nltk_stem = SnowballStemmer("english", ignore_stopwords=False).stem
    every_word: set[str] = set()
    failed = 0
    print(f"{'dataset':<10} {'words':>9} {'mismatch':>9} {'as written':>11} {'mismatch':>9}")
    for name in args.datasets.split(","):
        stemmed, written = distinct_words(DATASETS[name]())
        bad, bad_written = mismatches(stemmed, nltk_stem), mismatches(written, nltk_stem)
        failed += len(bad) + len(bad_written)
        every_word |= stemmed
        counts = f"{len(stemmed):>9,} {len(bad):>9} {len(written):>11,} {len(bad_written):>9}"
        print(f"{name:<10} {counts}", flush=True)
        for word, theirs, ours in (bad + bad_written)[:20]:
            print(f"    {word!r}: nltk {theirs!r}, ours {ours!r}")

    sample = sorted(every_word)
    random.Random(SEED).shuffle(sample)
    sample = sample[: args.timing_words]
    print(f"\nall datasets: {len(every_word):,} distinct words (as stemmed), {failed} mismatches")
    with bench_lock():
        load = os.getloadavg()[0]
        ours, theirs = seconds_per_word(stem, sample), seconds_per_word(nltk_stem, sample)
        import_ours = import_seconds("import index.search.stemmer")
        import_nltk = import_seconds("import nltk.stem.snowball")
    per_word = f"ours {ours * 1e6:.2f} µs, nltk {theirs * 1e6:.2f} µs ({theirs / ours:.1f}x)"
    print(f"per word ({len(sample):,} words, median of {PASSES} passes): {per_word}")
    print(
        f"import (median of {IMPORT_RUNS} fresh interpreters): index.search.stemmer "
        f"{import_ours * 1e3:.1f} ms, nltk.stem.snowball {import_nltk * 1e3:.1f} ms"
    )
    print(f"load average (1 min) when timing began: {load:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
