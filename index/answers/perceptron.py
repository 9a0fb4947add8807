"""Greedy left-to-right decoding of an averaged perceptron stored as numpy arrays.

Both answer-layer taggers (part of speech, entities) are this one model: a linear score per
label from string features, the label chosen token by token given the labels already chosen.
The weights are kept in a `.npz` (no pickle): the feature strings as one NUL-joined UTF-8 blob,
the feature-to-label weights as a sparse row-per-feature (CSR) matrix, and the weights of the
features that only depend on the previous labels as dense matrices, because those are looked
up once per token and a dense row is the cheapest lookup numpy offers.

Features of a token that do not depend on earlier labels ("static") are scored for the whole
sentence in a few vectorised calls; only the label-dependent part runs token by token. Most
static features come from the five words around a token and depend on one word each, so
`WordWindows` keeps their summed weights per distinct word. `save_model` writes the layout
this module reads; training/perceptron.py learns the weights.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from pathlib import Path

import numpy as np
import numpy.typing as npt

START = "<s>"  # the label "before" the first token (and before the second, for t2)
# Prefixes of the label-dependent feature strings, shared with the trainer.
PREV = "t1="
PREV2 = "t2="
PREV_PAIR = "t12="

FloatArray = npt.NDArray[np.float64]
DENSE_LABELS = 16
REQUIRED = {"labels", "features", "indptr", "cols", "vals", "prev", "prev2", "pair", "allowed"}
NOTHING = "\0"  # no feature is named this (names are NUL-separated in the file)


class MissingWeights(RuntimeError):
    """The model file is absent or unreadable: the taggers cannot run without it."""


class GreedyModel:
    """A trained averaged perceptron ready to label sequences."""

    def __init__(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            raise MissingWeights(
                f"tagger weights {path} are missing or unreadable ({error}); "
                f"rebuild them with the training script named in docs/models.md"
            ) from error
        absent = sorted(REQUIRED - arrays.keys())
        if absent:
            raise MissingWeights(
                f"tagger weights {path} lack {', '.join(absent)}; "
                f"rebuild them with the training script named in docs/models.md"
            )
        self.labels: list[str] = arrays["labels"].tobytes().decode("utf-8").split("\0")
        names = arrays["features"].tobytes().decode("utf-8").split("\0")
        self.vocab: dict[str, int] = {name: i for i, name in enumerate(names)}
        # Row len(names) is empty: unknown features and NOTHING map to it.
        self.empty = len(names)
        indptr = arrays["indptr"].astype(np.int64)
        self.indptr = np.append(indptr, indptr[-1])
        self.cols = arrays["cols"].astype(np.int64)
        self.vals = arrays["vals"].astype(np.float64)
        # The previous-label weights, summed once into one row per (p2, p1), row p2*(L+1)+p1
        # (label L is START), with the transitions that can never happen (I-X after O, in BIO)
        # at -inf: then each token costs one row addition.
        prev = arrays["prev"].astype(np.float64)  # (L+1, L)
        prev2 = arrays["prev2"].astype(np.float64)  # (L+1, L)
        pair = arrays["pair"].astype(np.float64)  # ((L+1)*(L+1), L)
        allowed = arrays["allowed"].astype(np.float64)  # (L+1, L)
        width = prev.shape[0]
        self.transitions = (
            pair.reshape(width, width, -1) + prev[None, :, :] + prev2[:, None, :] + allowed[None]
        ).reshape(width * width, -1)
        # With few labels (the entity tagger's 9) a dense copy is small (a few MB) and makes
        # scoring one gather and one sum; with many (the 49 tags) it would be tens of MB.
        self.dense: npt.NDArray[np.float32] | None = None
        if len(self.labels) <= DENSE_LABELS:
            dense = np.zeros((len(names) + 1, len(self.labels)), dtype=np.float32)
            rows = np.repeat(np.arange(len(names)), np.diff(indptr))
            dense[rows, self.cols] = self.vals
            self.dense = dense
        self.meta: dict[str, str] = {}
        if "meta" in arrays:
            text = arrays["meta"].tobytes().decode("utf-8")
            self.meta = dict(line.split("=", 1) for line in text.split("\0") if line)

    @property
    def size(self) -> int:
        return len(self.labels)

    def static_scores(self, names: Sequence[Sequence[str]]) -> FloatArray:
        """Scores (tokens x labels) of each token's label-independent features, given as
        strings; features the model never learned weigh nothing.

        One pass looks every string up (unknown ones map to an empty row) and a couple of
        numpy calls sum the rows per token, whatever the number of tokens: the taggers call
        this once per sentence, and once per batch of words new to their caches.
        """
        n, size = len(names), self.size
        if n == 0:
            return np.zeros((0, size), dtype=np.float64)
        flat: list[str] = []
        for row in names:
            flat.append(NOTHING)  # every token's run starts with the empty row: none is empty
            flat.extend(row)
        ids = np.fromiter(
            map(self.vocab.get, flat, repeat(self.empty, len(flat))),
            dtype=np.int64,
            count=len(flat),
        )
        per_token = np.fromiter((len(row) + 1 for row in names), dtype=np.int64, count=n)
        if self.dense is not None:
            starts = np.cumsum(per_token) - per_token
            summed: FloatArray = np.add.reduceat(self.dense[ids], starts, axis=0, dtype=np.float64)
            return summed
        starts = self.indptr[ids]
        lengths = self.indptr[ids + 1] - starts
        total = int(lengths.sum())
        # Concatenate the rows' [start, end) ranges without a Python loop.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        owner = np.repeat(np.repeat(np.arange(n), per_token), lengths)
        scores: FloatArray = np.bincount(
            owner * size + self.cols[offsets], weights=self.vals[offsets], minlength=n * size
        ).astype(np.float64, copy=False)
        return scores.reshape(n, size)

    def decode(self, scores: FloatArray) -> list[str]:
        """The label of each token, left to right, each given the two labels before it;
        `scores` are the tokens' label-independent scores (`static_scores`)."""
        n = len(scores)
        if n == 0:
            return []
        start, width, labels = self.size, self.size + 1, self.labels
        transitions = self.transitions
        p1 = p2 = start
        out: list[str] = []
        for position in range(n):
            best = int((scores[position] + transitions[p2 * width + p1]).argmax())
            out.append(labels[best])
            p2, p1 = p1, best
        return out


# The pads stand for the words before the first token and after the last.
PAD_BEFORE = ("<s2>", "<s1>")
PAD_AFTER = ("</s1>", "</s2>")
RolesOf = Callable[[str], tuple[tuple[str, ...], ...]]


def window_features(words: Sequence[str], roles_of: RolesOf) -> list[list[str]]:
    """Each token's features from the five-word window around it, as strings.

    `roles_of(word)` gives the features a word lends, in order, to the token it is (itself),
    to the token after it (as the previous word), before it, two after and two before.
    """
    padded = [*PAD_BEFORE, *words, *PAD_AFTER]
    roles = [roles_of(w) for w in padded]
    out = []
    for i in range(len(words)):
        j = i + 2
        out.append(
            [
                *roles[j][0],
                *roles[j - 1][1],
                *roles[j + 1][2],
                *roles[j - 2][3],
                *roles[j + 2][4],
            ]
        )
    return out


class WordWindows:
    """`window_features` scored from a cache of each word's summed weights per role.

    A word's features depend on the word alone, so the weights they sum to are computed once
    per distinct word: a word met before costs one row gather instead of a dozen string
    builds and lookups, and a news question's passages repeat most of their words.
    """

    CACHE_WORDS = 10_000  # 5 x labels float32 each: 1 KB for 49 tags, 10 MB in all

    def __init__(self, model: GreedyModel, roles_of: RolesOf) -> None:
        self.model = model
        self.roles_of = roles_of
        self.words: dict[str, npt.NDArray[np.float32]] = {}
        self.learn([*PAD_BEFORE, *PAD_AFTER])

    def learn(self, words: Iterable[str]) -> None:
        """Put the role weights of `words` in the cache, scoring all new ones at once."""
        wanted = set(words)
        new = sorted(w for w in wanted if w not in self.words)
        if not new:
            return
        if len(self.words) + len(new) > self.CACHE_WORDS:
            # Start again, keeping the pads; every word of the call is then new.
            self.words = {pad: self.words[pad] for pad in (*PAD_BEFORE, *PAD_AFTER)}
            new = sorted(w for w in wanted if w not in self.words)
        roles = [role for w in new for role in self.roles_of(w)]
        rows = self.model.static_scores(roles).astype(np.float32)
        for k, word in enumerate(new):
            self.words[word] = rows[5 * k : 5 * k + 5]

    def scores(self, words: Sequence[str]) -> FloatArray:
        """What `model.static_scores` gives for `window_features(words, roles_of)`."""
        self.learn(words)
        cache = self.words
        stack = np.stack([cache[w] for w in (*PAD_BEFORE, *words, *PAD_AFTER)])
        n = len(words)
        total: FloatArray = np.add(stack[2 : n + 2, 0], stack[1 : n + 1, 1], dtype=np.float64)
        total += stack[3 : n + 3, 2]
        total += stack[0:n, 3]
        total += stack[4 : n + 4, 4]
        return total


def save_model(
    path: Path,
    labels: Sequence[str],
    weights: dict[str, dict[int, float]],
    allowed: npt.NDArray[np.float32] | None = None,
    meta: dict[str, str] | None = None,
) -> None:
    """Write trained weights (feature -> {label index: weight}) in the layout `GreedyModel`
    reads. Features of the previous labels become the dense matrices; the rest, the CSR."""
    size = len(labels)
    width = size + 1
    index = {label: i for i, label in enumerate(labels)}
    index[START] = size
    prev = np.zeros((width, size), dtype=np.float32)
    prev2 = np.zeros((width, size), dtype=np.float32)
    pair = np.zeros((width * width, size), dtype=np.float32)
    sparse: list[tuple[str, dict[int, float]]] = []
    for name in sorted(weights):
        row = weights[name]
        if not row:
            continue
        target: npt.NDArray[np.float32] | None = None
        if name.startswith(PREV_PAIR):
            first, second = name[len(PREV_PAIR) :].split(" ")
            target = pair[index[first] * width + index[second]]
        elif name.startswith(PREV2):
            target = prev2[index[name[len(PREV2) :]]]
        elif name.startswith(PREV):
            target = prev[index[name[len(PREV) :]]]
        if target is not None:
            for label, weight in row.items():
                target[label] = weight
        else:
            sparse.append((name, row))
    indptr = np.zeros(len(sparse) + 1, dtype=np.int32)
    cols: list[int] = []
    vals: list[float] = []
    for i, (_, row) in enumerate(sparse):
        for label in sorted(row):
            cols.append(label)
            vals.append(row[label])
        indptr[i + 1] = len(cols)
    meta_text = "\0".join(f"{k}={v}" for k, v in sorted((meta or {}).items()))
    np.savez_compressed(
        path,
        labels=np.frombuffer("\0".join(labels).encode("utf-8"), dtype=np.uint8),
        features=np.frombuffer("\0".join(n for n, _ in sparse).encode("utf-8"), dtype=np.uint8),
        indptr=indptr,
        cols=np.asarray(cols, dtype=np.uint8),
        vals=np.asarray(vals, dtype=np.float16),
        prev=prev.astype(np.float16),
        prev2=prev2.astype(np.float16),
        pair=pair.astype(np.float16),
        allowed=allowed if allowed is not None else np.zeros((width, size), dtype=np.float32),
        meta=np.frombuffer(meta_text.encode("utf-8"), dtype=np.uint8),
    )
