"""How fast the shipped taggers load and tag: the figures of docs/models.md.

    nice .venv/bin/python training/speed.py [--data ../shared/data] [--sentences 400]

Loads in fresh interpreters (import, then the first call, which reads the weights), then
tags GUM's news sentences (read at run time, never copied): once with empty caches (every
word new to the tagger) and once more warm, as a question's passages are tagged after the
first. Times are the best of a few passes, in process CPU time, so other jobs on a shared
machine disturb them less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.answers import entities as ent  # noqa: E402
from index.answers import tagging  # noqa: E402
from index.answers.perceptron import MissingWeights  # noqa: E402
from training.conll import DATA, read_conllu  # noqa: E402

LOAD = """
import time
t0 = time.perf_counter()
from index.answers import entities, tagging
t1 = time.perf_counter()
tagging.pos_tag(["A", "test", "."])
t2 = time.perf_counter()
entities.entities(["A", "test", "."], ["DT", "NN", "."])
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def best_of(passes: int, work: Callable[[], object], reset: Callable[[], object]) -> float:
    times = []
    for _ in range(passes):
        reset()
        began = time.process_time()
        work()
        times.append(time.process_time() - began)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sentences", type=int, default=400)
    args = parser.parse_args()
    folder = args.data / "gum" / "dep"
    if not folder.is_dir():
        print(f"speed: no {folder} (set --data)", file=sys.stderr)
        return 2

    try:
        tagging.pos_model()
        ent.entity_model()
    except MissingWeights as error:
        print(f"speed: {error}", file=sys.stderr)
        return 2
    loads = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", LOAD], capture_output=True, text=True, cwd=REPO, check=True
        )
        loads.append([float(x) for x in out.stdout.split()])
    imp, pos, entities = (statistics.median(column) for column in zip(*loads, strict=True))
    print(f"import {imp * 1e3:.0f} ms (numpy included); first calls, which read the weights:")
    print(f"  POS {pos * 1e3:.0f} ms, entities {entities * 1e3:.0f} ms (medians of 5 processes)")

    sentences = [
        s.words
        for path in sorted(folder.glob("GUM_news_*.conllu"))
        for s in read_conllu(path)
        if len(s.words) >= 5
    ][: args.sentences]
    texts = [" ".join(words) for words in sentences]
    tokens = sum(len(words) for words in sentences)
    tags = [tagging.pos_tag(words) for words in sentences]

    def cold() -> None:
        tagging.pos_model.cache_clear()
        ent.entity_model.cache_clear()
        tagging.pos_model()
        ent.entity_model()

    def nothing() -> None:
        pass

    rows = [
        ("tokenize", lambda: [tagging.tokenize(t) for t in texts]),
        ("POS tags", lambda: [tagging.pos_tag(w) for w in sentences]),
        ("noun phrases (given tags)", lambda: [tagging.noun_phrases(t) for t in tags]),
        (
            "entities (given tags)",
            lambda: [ent.entities(w, t) for w, t in zip(sentences, tags, strict=True)],
        ),
        ("entities (tags computed)", lambda: [ent.entities(w) for w in sentences]),
    ]
    print(f"{len(sentences)} GUM news sentences, {tokens} tokens; per 25-token sentence:")
    for name, work in rows:
        first = best_of(3, work, cold)  # caches emptied before each pass
        work()
        warm = best_of(5, work, nothing)
        per25 = [t / tokens * 25 * 1e6 for t in (first, warm)]
        print(
            f"  {name:<26} cold {per25[0]:6.0f} us  warm {per25[1]:6.0f} us  "
            f"({tokens / warm:,.0f} tokens/s warm)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
