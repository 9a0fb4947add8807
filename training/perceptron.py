"""Training an averaged perceptron for greedy left-to-right sequence labelling.

The model is the one index/answers/perceptron.py decodes: label-independent features per
token, plus the previous label, the one before it, and the pair of them. Training decodes with
its own predictions for the previous labels (as at run time) and averages the weights over
every step (Collins 2002), via the usual trick of keeping a second matrix of time-weighted
updates: average = W - U / steps.

Weights are dense numpy rows over a vocabulary fixed before training (features seen at least
`min_count` times in the training data), which makes each step a few array operations instead
of dictionary walks: an epoch over EWT's 200k tokens takes seconds, not minutes.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.answers.perceptron import PREV, PREV2, PREV_PAIR, START


@dataclass
class Example:
    """One training sequence: per-token label-independent features, and the gold labels."""

    features: list[list[str]]
    labels: list[str]


class Trainer:
    """Weights over a vocabulary fixed at the start, learned pass by pass (`train`), then
    averaged and cut (`averaged`) for `index.answers.perceptron.save_model`."""

    def __init__(
        self,
        examples: Sequence[Example],
        labels: Sequence[str],
        min_count: int = 2,
        allowed: npt.NDArray[np.float32] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.size = len(self.labels)
        self.label_index = {label: i for i, label in enumerate(self.labels)}
        counts: Counter[str] = Counter()
        for ex in examples:
            for feats in ex.features:
                counts.update(feats)
        names = sorted(name for name, count in counts.items() if count >= min_count)
        # Every previous-label feature exists, whatever the training data shows.
        every = [*self.labels, START]
        names += [PREV + a for a in every] + [PREV2 + a for a in every]
        names += [f"{PREV_PAIR}{a} {b}" for a in every for b in every]
        self.names = names
        self.vocab = {name: i for i, name in enumerate(names)}
        width = self.size + 1
        self.prev_rows = np.array([self.vocab[PREV + a] for a in every])
        self.prev2_rows = np.array([self.vocab[PREV2 + a] for a in every])
        self.pair_rows = np.array([self.vocab[f"{PREV_PAIR}{a} {b}"] for a in every for b in every])
        self.width = width
        self.allowed = allowed if allowed is not None else np.zeros((width, self.size), np.float32)
        self.weights = np.zeros((len(names), self.size), dtype=np.float64)
        self.totals = np.zeros((len(names), self.size), dtype=np.float64)
        self.steps = 1
        self.static = [
            [
                np.unique(np.array([self.vocab[f] for f in feats if f in self.vocab], np.int64))
                for feats in ex.features
            ]
            for ex in examples
        ]
        self.examples = list(examples)

    def epoch(self, rng: random.Random) -> float:
        """One pass in a shuffled order; returns the training accuracy of the pass."""
        order = list(range(len(self.examples)))
        rng.shuffle(order)
        weights, totals, start = self.weights, self.totals, self.size
        right = seen = 0
        for k in order:
            ex = self.examples[k]
            gold = [self.label_index[label] for label in ex.labels]
            p1 = p2 = start
            for position, static in enumerate(self.static[k]):
                dynamic = [
                    self.prev_rows[p1],
                    self.prev2_rows[p2],
                    self.pair_rows[p2 * self.width + p1],
                ]
                rows = np.concatenate([static, np.array(dynamic, dtype=np.int64)])
                scores = weights[rows].sum(axis=0) + self.allowed[p1]
                guess = int(np.argmax(scores))
                truth = gold[position]
                if guess != truth:
                    weights[rows, truth] += 1.0
                    weights[rows, guess] -= 1.0
                    totals[rows, truth] += self.steps
                    totals[rows, guess] -= self.steps
                else:
                    right += 1
                seen += 1
                self.steps += 1
                p2, p1 = p1, guess
        return right / max(seen, 1)

    def train(self, epochs: int, seed: int) -> None:
        rng = random.Random(seed)
        for number in range(1, epochs + 1):
            began = time.perf_counter()
            accuracy = self.epoch(rng)
            spent = time.perf_counter() - began
            print(f"  epoch {number}: train acc {accuracy:.4f} ({spent:.0f} s)", file=sys.stderr)

    def averaged(self, prune: float = 0.0) -> dict[str, dict[int, float]]:
        """The averaged weights as feature -> {label: weight}, dropping |weight| <= prune."""
        average = self.weights - self.totals / self.steps
        out: dict[str, dict[int, float]] = {}
        for i, name in enumerate(self.names):
            row = average[i]
            keep = np.nonzero(np.abs(row) > prune)[0]
            if len(keep):
                out[name] = {int(j): float(row[j]) for j in keep}
        return out
