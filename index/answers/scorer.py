"""The learned answer scorer: a logistic regression over `index.answers.features`.

The weights (training/train_scorer.py; docs/models.md) are a table of feature name → weight,
read from weights/scorer.npz on the first question answered, never at import: `reader ask` on a
question that needs no answer, or a search, does not pay for them. Inference is a sum of a
few dozen weights and a sigmoid per span, in plain Python: per span this is cheaper than
building numpy arrays.

Thresholds ship with the weights, all chosen on a tuning split of the training data: a source
answers only when its best span's probability clears its question type's threshold
(`threshold_for`), or `rules_backed` for a span the rules layer answers with by a strong cue,
and an answer counts as confident enough to call a disagreement with another source only
above `confident`. In the combined layer, the scorer answers a source the rules do not answer
from `fill_in`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
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
    # A threshold per answer type where the tuning split held enough questions of the type to
    # choose one (a date or a number is more often right at a given probability than a
    # descriptive answer); `threshold` for the others.
    by_type: dict[str, float] = field(default_factory=dict)
    # The probability a span the rules layer answers with, by a strong cue (`rules_backed`),
    # must reach instead: the hand-written cues carry news patterns the training text rarely
    # shows ("X, 30,"), and such spans are right as often as those over `threshold` well below
    # it. 1.0 (never) for weights saved without one.
    rules_backed: float = 1.0
    # The probability the scorer's best span must reach to answer a source the rules layer does
    # not answer, in the combined layer (`annotate.read_source`): what it adds to the rules'
    # answers must be as precise as the rest. 1.0 (never) for weights saved without one.
    fill_in: float = 1.0

    def threshold_for(self, answer_type: str) -> float:
        return self.by_type.get(answer_type, self.threshold)

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
        types = data["types"].tolist() if "types" in data else []
        by_type = data["type_thresholds"].astype(float).tolist() if "types" in data else []
        rules_backed = float(data["rules_backed"]) if "rules_backed" in data else 1.0
        fill_in = float(data["fill_in"]) if "fill_in" in data else 1.0
    return Scorer(
        dict(zip(names, weights, strict=True)),
        threshold,
        confident,
        dict(zip(types, by_type, strict=True)),
        rules_backed,
        fill_in,
    )


def save(
    path: Path,
    weights: dict[str, float],
    threshold: float,
    confident: float,
    by_type: dict[str, float] | None = None,
    rules_backed: float = 1.0,
    fill_in: float = 1.0,
) -> None:
    names = sorted(name for name, w in weights.items() if w != 0.0)
    types = sorted(by_type or {})
    np.savez_compressed(
        path,
        names=np.array(names, dtype=str),
        weights=np.array([weights[n] for n in names], dtype=np.float32),
        threshold=np.array(threshold),
        confident=np.array(confident),
        types=np.array(types, dtype=str),
        type_thresholds=np.array([(by_type or {})[t] for t in types], dtype=np.float64),
        rules_backed=np.array(rules_backed),
        fill_in=np.array(fill_in),
    )


@cache
def scorer() -> Scorer:
    """The shipped scorer, read on first use and kept."""
    return load(SCORER_WEIGHTS)
