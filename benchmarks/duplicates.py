"""Measure near-duplicate detection: the figures behind index/duplicates.py's constants.

Prints: the sample copy pair's Jaccard at several shingle sizes; the Jaccard of random
pairs of AllSides articles; the pairs and groups found in one AllSides shard (about 9,300
articles), with examples to judge by eye; LSH recall against exhaustive comparison of
same-day articles; and the time to group all 37,554 AllSides articles.

Usage: .venv/bin/python benchmarks/duplicates.py [--data /work/shared/data]
The evaluation data is read at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from index.ingest.duplicates import (  # noqa: E402
    DEFAULT_THRESHOLD,
    choose_shown,
    cleanliness,
    find_duplicate_groups,
    jaccard,
    shingles,
    similar_pairs,
)
from index.ingest.loaders import load_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def read_allsides(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def sample_pair() -> None:
    records, _ = load_corpus(REPO / "corpus")
    texts = {record.key: record.text for record in records}
    print("== sample corpus: Jaccard of word k-shingles, every pair (loader text, uncleaned)")
    for size in (2, 3, 4, 5):
        sets = {key: shingles(text, size) for key, text in texts.items()}
        values = sorted(
            ((jaccard(sets[a], sets[b]), a, b) for a, b in itertools.combinations(sorted(sets), 2)),
            reverse=True,
        )
        top, second = values[0], values[1]
        print(
            f"  k={size}: highest {top[0]:.3f} ({top[1]} ~ {top[2]}); "
            f"next highest {second[0]:.3f} ({second[1]} ~ {second[2]})"
        )
    for key, text in sorted(texts.items()):
        print(f"  cleanliness {cleanliness(text):6.3f}  {key}")
    groups = find_duplicate_groups(texts)
    print("  groups:", groups, "shown:", [choose_shown(group, texts) for group in groups])


def random_pairs(articles: list[dict], count: int) -> None:
    rng = random.Random(1)
    sets = [shingles(article["text"]) for article in articles]
    values = []
    for _ in range(count):
        a, b = rng.sample(range(len(articles)), 2)
        values.append(jaccard(sets[a], sets[b]))
    array = np.array(values)
    quantiles = np.quantile(array, [0.5, 0.9, 0.99, 0.999])
    print(f"== {count:,} random AllSides pairs, Jaccard of word 3-shingles")
    print("  quantiles 50/90/99/99.9%:", " ".join(f"{q:.4f}" for q in quantiles))
    print(
        f"  max {array.max():.4f}; pairs >= 0.2: {(array >= 0.2).sum()}, "
        f">= 0.5: {(array >= 0.5).sum()}"
    )


def shard_pairs(articles: list[dict]) -> None:
    texts = {article["id"]: article["text"] for article in articles}
    by_id = {article["id"]: article for article in articles}
    started = time.perf_counter()
    pairs = similar_pairs(texts, threshold=0.15)
    elapsed = time.perf_counter() - started
    print(
        f"== one shard, {len(texts):,} articles: pairs found with Jaccard >= 0.15 ({elapsed:.1f} s)"
    )
    print(
        "  (LSH is tuned for 0.5: below ~0.35 many pairs are not candidates, "
        "so the low bins undercount)"
    )
    bins = [0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    histogram = Counter(
        next(f"{low:.2f}-{high:.2f}" for low, high in itertools.pairwise(bins) if low <= j < high)
        for _, _, j in pairs
    )
    for low, high in itertools.pairwise(bins):
        label = f"{low:.2f}-{high:.2f}"
        print(f"  {label}: {histogram.get(label, 0)}")

    def describe(key: str) -> str:
        article = by_id[key]
        return f"{article['source']} {article.get('date_iso')} {article['title'][:70]!r}"

    rng = random.Random(2)
    for low, high in ((0.15, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 1.01)):
        band = [pair for pair in pairs if low <= pair[2] < high]
        print(f"  examples {low}-{high}:")
        for a, b, j in rng.sample(band, min(4, len(band))):
            print(f"    J={j:.2f}\n      {describe(a)}\n      {describe(b)}")

    groups = find_duplicate_groups(texts)
    sizes = Counter(len(group) for group in groups)
    in_groups = sum(len(group) for group in groups)
    print(
        f"  groups at the default threshold {DEFAULT_THRESHOLD}: {len(groups)} "
        f"({in_groups} articles; sizes {dict(sorted(sizes.items()))})"
    )
    for group in groups[:: max(1, len(groups) // 5)][:5]:
        shown = choose_shown(group, texts)
        print("    group:")
        for key in group:
            mark = "*" if key == shown else " "
            print(f"     {mark} {cleanliness(texts[key]):6.3f} {describe(key)}")


def lsh_recall(articles: list[dict]) -> None:
    """Compare LSH with comparing every pair of articles published on the same day."""
    by_day: dict[str, list[dict]] = defaultdict(list)
    for article in articles:
        if article.get("date_iso"):
            by_day[article["date_iso"]].append(article)
    texts = {article["id"]: article["text"] for article in articles}
    sets = {key: shingles(text) for key, text in texts.items()}
    exhaustive = set()
    compared = 0
    for day_articles in by_day.values():
        for a, b in itertools.combinations(day_articles, 2):
            compared += 1
            if jaccard(sets[a["id"]], sets[b["id"]]) >= DEFAULT_THRESHOLD:
                exhaustive.add(tuple(sorted((a["id"], b["id"]))))
    found = {(a, b) for a, b, _ in similar_pairs(texts)}
    missed = exhaustive - found
    print(
        f"== LSH recall: {compared:,} same-day pairs compared exhaustively, "
        f"{len(exhaustive)} at Jaccard >= {DEFAULT_THRESHOLD}; LSH found "
        f"{len(exhaustive & found)}, missed {len(missed)}"
    )


def full_scale(articles: list[dict]) -> None:
    texts = {article["id"]: article["text"] for article in articles}
    by_id = {article["id"]: article for article in articles}
    started, cpu_started = time.perf_counter(), time.process_time()
    groups = find_duplicate_groups(texts)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    in_groups = sum(len(group) for group in groups)
    print(
        f"== all {len(texts):,} AllSides articles: {len(groups)} groups "
        f"({in_groups} articles) in {elapsed:.1f} s ({cpu:.1f} s of CPU)"
    )
    outlets = Counter(
        "same outlet" if len({by_id[key]["source"] for key in group}) == 1 else "several outlets"
        for group in groups
    )
    print(f"  groups within {dict(outlets)}")
    for group in groups[:: max(1, len(groups) // 6)][:6]:
        print("    group:")
        for key in group:
            article = by_id[key]
            print(f"      {article['source']} {article.get('date_iso')} {article['title'][:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--skip-full", action="store_true", help="skip the 37k timing")
    arguments = parser.parse_args()
    allsides = sorted((arguments.data / "allsides-article-bias").glob("articles-*.jsonl.gz"))
    sample_pair()
    shard = read_allsides(allsides[0])
    random_pairs(shard, 100_000)
    shard_pairs(shard)
    if not arguments.skip_full:
        everything = [article for path in allsides for article in read_allsides(path)]
        lsh_recall(everything)
        full_scale(everything)


if __name__ == "__main__":
    main()
