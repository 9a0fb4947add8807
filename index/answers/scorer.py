"""The learned answer scorer: a logistic regression over `index.answers.features`.

The weights (training/train_scorer.py; docs/models.md) are a table of feature name → weight,
read from weights/scorer.npz on the first question answered, never at import: `reader ask` on a
question that needs no answer, or a search, does not pay for them. Inference is a sum of a
few dozen weights and a sigmoid per span, in plain Python: per span this is cheaper than
building numpy arrays.

Two thresholds ship with the weights, both chosen on a tuning split of the training data: a
source answers only when its best span's probability clears `threshold`, and an answer counts
as confident enough to call a disagreement with another source only above `confident`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.answers.features import Features

SCORER_WEIGHTS = Path(__file__).with_name("weights") / "scorer.npz"


@dataclass(frozen=True)
class Scorer:
    weights: dict[str, float]
    threshold: float
    confident: float

    def probability(self, features: Features) -> float:
        w = self.weights
        z = sum(w.get(name, 0.0) * value for name, value in features)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def load(path: Path) -> Scorer:
    with np.load(path, allow_pickle=False) as data:
        names = data["names"].tolist()
        weights = data["weights"].astype(float).tolist()
        threshold = float(data["threshold"])
        confident = float(data["confident"])
    return Scorer(dict(zip(names, weights, strict=True)), threshold, confident)


def save(path: Path, weights: dict[str, float], threshold: float, confident: float) -> None:
    names = sorted(name for name, w in weights.items() if w != 0.0)
    np.savez_compressed(
        path,
        names=np.array(names, dtype=str),
        weights=np.array([weights[n] for n in names], dtype=np.float32),
        threshold=np.array(threshold),
        confident=np.array(confident),
    )


@cache
def scorer() -> Scorer:
    """The shipped scorer, read on first use and kept."""
    return load(SCORER_WEIGHTS)
