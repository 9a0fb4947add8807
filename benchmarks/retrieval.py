"""Paragraph retrieval on SQuAD v1.1 dev, and cold `reader ask` time on the sample corpus.

    python benchmarks/retrieval.py [--runs 15]

Rows, side by side in one run:
  rank-bm25 baseline   BM25Okapi with its defaults on lowercased whitespace tokens
  reader tokens        the same BM25Okapi arithmetic on reader's terms (index.search.tokens),
                       scored by reader's inverted index (index.search.bm25)
  reader end-to-end    every SQuAD paragraph written as an article of a .jsonl corpus and asked
                       through the engine (loading, cleaning, segmentation, index, search)
hit@k: the question's own paragraph is among the first k of the 2,067 paragraphs.
Cold `reader ask`: whole processes, index warm, answers by the default layer (its taggers and
scorer load when a source has no rules answer), with the engine's bytecode compiled first, as
installing the package does (a checkout with PYTHONDONTWRITEBYTECODE set would otherwise
compile every module again in every process, a cost no installed copy pays).
The data is read from ../shared/data at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.corpus import Corpus  # noqa: E402
from index.search.bm25 import BM25Params, fit  # noqa: E402
from index.search.tokens import terms  # noqa: E402

SQUAD = REPO.parent / "shared" / "data" / "squad-v1.1-dev" / "dev-v1.1.json.gz"
KS = (1, 5, 20)
# Two questions of the dev set: where a source has no rules answer, the default layer loads the
# taggers and the scorer, so both pay for the learned weights.
COLD_QUESTIONS = ("Where does Marinelli live?", "How old is Marinelli?")


def load_squad() -> tuple[list[str], list[tuple[str, int]]]:
    data = json.loads(gzip.decompress(SQUAD.read_bytes()))
    paragraphs, questions = [], []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            pid = len(paragraphs)
            paragraphs.append(paragraph["context"])
            questions.extend((qa["question"], pid) for qa in paragraph["qas"])
    return paragraphs, questions


def hits(rankings: list[list[int]], gold: list[int]) -> dict[int, float]:
    return {
        k: float(np.mean([g in r[:k] for r, g in zip(rankings, gold, strict=True)])) for k in KS
    }


def rank_with_rank_bm25(paragraphs, questions) -> tuple[dict[int, float], float]:
    model = BM25Okapi([p.lower().split() for p in paragraphs])
    started = time.perf_counter()
    rankings = []
    for question, _ in questions:
        scores = model.get_scores(question.lower().split())
        rankings.append(list(np.argsort(-scores, kind="stable")[: max(KS)]))
    per_query = (time.perf_counter() - started) / len(questions)
    return hits(rankings, [g for _, g in questions]), per_query


def rank_with_reader_tokens(paragraphs, questions) -> tuple[dict[int, float], float]:
    model = fit([terms(p) for p in paragraphs], BM25Params())
    ids = {t: i for i, t in enumerate(model.terms)}
    started = time.perf_counter()
    rankings = []
    for question, _ in questions:
        docs, scores = model.scores([ids[t] for t in terms(question) if t in ids])
        order = np.lexsort((docs, -scores))[: max(KS)]
        rankings.append([int(d) for d in docs[order]])
    per_query = (time.perf_counter() - started) / len(questions)
    return hits(rankings, [g for _, g in questions]), per_query


def rank_end_to_end(paragraphs, questions, workdir: Path) -> tuple[dict[int, float], float]:
    corpus_dir = workdir / "squad-corpus"
    corpus_dir.mkdir()
    with open(corpus_dir / "paragraphs.jsonl", "w", encoding="utf-8") as out:
        for pid, text in enumerate(paragraphs):
            out.write(json.dumps({"id": str(pid), "source": f"p{pid}", "text": text}) + "\n")
    corpus = Corpus.open(corpus_dir, index_dir=workdir / "squad-index")
    started = time.perf_counter()
    rankings = []
    for question, _ in questions:
        result = corpus.search(question, passages=1, sources=max(KS))
        rankings.append([int(s.source[1:]) for s in result.sources if s.passages])
    per_query = (time.perf_counter() - started) / len(questions)
    return hits(rankings, [g for _, g in questions]), per_query


def cold_ask_times(runs: int, workdir: Path, question: str) -> list[float]:
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "index"), str(REPO / "reader")],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(workdir / "cache")}
    command = [sys.executable, "-m", "reader.cli", "ask", question]
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)  # builds the index
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="cold `reader ask` runs")
    args = parser.parse_args()
    paragraphs, questions = load_squad()
    print(f"SQuAD v1.1 dev: {len(paragraphs)} paragraphs, {len(questions)} questions")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            ("rank-bm25 baseline", *rank_with_rank_bm25(paragraphs, questions)),
            ("reader tokens", *rank_with_reader_tokens(paragraphs, questions)),
            ("reader end-to-end", *rank_end_to_end(paragraphs, questions, Path(tmp))),
        ]
        times = {q: cold_ask_times(args.runs, Path(tmp), q) for q in COLD_QUESTIONS}
    print(f"{'':22}{'hit@1':>8}{'hit@5':>8}{'hit@20':>8}{'ms/query':>10}")
    for name, hit, per_query in rows:
        print(f"{name:22}" + "".join(f"{hit[k]:8.3f}" for k in KS) + f"{per_query * 1000:10.2f}")
    print("targets               >=0.780 >=0.930")
    for question, seconds in times.items():
        print(
            f"\ncold `reader ask {question!r}` on the sample corpus, warm index, "
            f"{len(seconds)} runs: median {statistics.median(seconds):.3f}s, "
            f"min {min(seconds):.3f}s, max {max(seconds):.3f}s (target median <= 0.35s)"
        )


if __name__ == "__main__":
    main()
