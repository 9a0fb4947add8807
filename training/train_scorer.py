"""Train the learned answer scorer; write index/answers/weights/scorer.npz.

    .venv/bin/python training/train_scorer.py [--data ../shared/data] [--per-shift N]

Data (read from ../shared/data, never copied):
- SQuAD v1.1 dev, the articles at EVEN positions of its `data` list only (the odd ones are the
  benchmark's held-out half: never read here). Of those, the articles at positions 0, 8, 16,
  ... are the TUNING split: not fitted on, used to choose the two thresholds. The rest are fitted.
- SQuADShifts (new_wiki, reddit, amazon_reviews), up to --per-shift questions of each, fitted.
- Not QED: it is the benchmark's other held-out set.

Each question gives a positive source (its own paragraph: candidate spans equal to a gold
answer after SQuAD normalisation are positives, the others negatives) and NEGATIVE sources:
the paragraphs of the same article (or of a block of 40 neighbouring paragraphs, where an
article is one review or thread) that BM25 ranks highest for the question but that do not hold
any gold answer. Every span of those is a negative: this is how "this source does not say" is
learned rather than guessed. Candidates and features come from the run-time code
(`index.answers.features.source_candidates`), so training sees what answering sees.

The model is an L2-regularised logistic regression fitted by full-batch Adam in numpy, with a
listwise term beside its log loss (LISTWISE: within each question's own paragraph, minus the
log of the gold spans' softmax share), so that the weights also learn which span of a source
answers, not only whether each span does. Then, on
the tuning split (all of it), each question is asked of its paragraph and of the 9 others of its
article BM25 ranks highest (as the benchmark does with 20), and the thresholds are chosen:
- `threshold` (a source answers): among the thresholds whose precision (exact match of the gold
  source's answer when it answers) is at least MIN_PRECISION and with which at most
  MAX_OTHERS_ANSWERING of the other sources answer (sources that do not hold the answer: a
  wrong source answering is the error a reader cannot see), the one with the best F1 over all
  questions; if none qualifies, the most precise.
- per answer type (the rules' typing: date, number, person, ...) with at least
  MIN_TYPE_QUESTIONS tuning questions, a threshold by the same rule on that type's questions
  alone; a type that reaches the precision floor only by answering fewer than
  MIN_TYPE_ANSWERED of its questions keeps `threshold`.
- `confident` (an answer may be called in disagreement with another): the lowest at or above
  `threshold` whose precision reaches CONFIDENT_PRECISION while still answering at least
  MIN_CONFIDENT_ANSWERED of the questions (above that, a precision rests on too few answers),
  as the median of that choice over BOOTSTRAP resamples of the tuning questions (seeded).
- `rules_backed` (a span the rules layer answers with by a strong cue may answer below
  `threshold`, `index.answers.learned.rules_back`): lowered from `threshold` in steps of 0.05
  while the answers it adds are right at least MIN_PRECISION of the time and at most
  MAX_OTHERS_ANSWERING of the other sources answer.
- `fill_in` (the combined layer, `index.answers.annotate.read_source`): the probability at
  which the scorer's best span answers a source the rules do not answer, the lowest on the
  grid at which the answers it adds are right at least MIN_PRECISION of the time.
It also prints how the rules' question typing (`index.answers.question`) agrees with the type
of the gold answers (SQuAD even articles) and with TREC question classes (evaluation only: no
weight is learned from TREC).

Deterministic: fixed seed, sorted feature names, full-batch optimisation.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import string
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.answers import scorer as scorer_module  # noqa: E402
from index.answers.entities import entities_in  # noqa: E402
from index.answers.features import source_candidates  # noqa: E402
from index.answers.question import analyse  # noqa: E402
from index.answers.scorer import Scorer  # noqa: E402
from index.result import Passage  # noqa: E402

SEED = 12012
DATA = REPO.parent / "shared" / "data"
NEGATIVE_SOURCES = 2
TUNING_OTHERS = 9
BLOCK = 40
MIN_COUNT = 3
L2 = 1e-4
# Weight of the listwise term (the gold span's softmax share among its paragraph's spans)
# beside the pointwise one (each span's probability of answering): the first teaches which
# span of a source answers, the second whether the source answers at all.
LISTWISE = 0.5
STEPS = 400
MIN_PRECISION = 0.60
MAX_OTHERS_ANSWERING = 0.05
CONFIDENT_PRECISION = 0.75
MIN_TYPE_QUESTIONS = 100  # fewer tuning questions of a type: it keeps the global threshold
MIN_TYPE_ANSWERED = 0.10  # a type's own threshold must still answer this share of its questions
MIN_CONFIDENT_ANSWERED = 0.05  # fewer answers than this make a precision too noisy to trust
BOOTSTRAP = 200  # resamples of the tuning questions that `confident` is the median over
STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "is",
        "was",
        "were",
        "are",
        "by",
        "with",
        "what",
        "who",
    ]
)


# --- data --------------------------------------------------------------------------------------


@dataclass
class Item:
    question: str
    golds: list[str]
    paragraph: int  # index into its pool
    pool: list[str]  # the paragraphs it competes with


def normalize(text: str) -> str:
    text = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def f1(prediction: str, golds: list[str]) -> float:
    best = 0.0
    for gold in golds:
        p, g = normalize(prediction).split(), normalize(gold).split()
        common = sum((Counter(p) & Counter(g)).values())
        if common:
            precision, recall = common / len(p), common / len(g)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def read_squad_like(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)["data"]
    return data


def items_of(articles: list[dict[str, Any]]) -> list[Item]:
    """Questions with their pool: the article's paragraphs, or a block of 40 neighbouring
    paragraphs where articles are too small (or one huge thread) to hold distractors."""
    paragraphs = [(a, p["context"], p["qas"]) for a, art in enumerate(articles)
                  for p in art["paragraphs"]]  # fmt: skip
    out: list[Item] = []
    for k, (a, _, qas) in enumerate(paragraphs):
        size = len(articles[a]["paragraphs"])
        if 5 <= size <= 80:
            members = [i for i, (b, _, _) in enumerate(paragraphs) if b == a]
        else:
            start = (k // BLOCK) * BLOCK
            members = list(range(start, min(start + BLOCK, len(paragraphs))))
        pool = [paragraphs[i][1] for i in members]
        for qa in qas:
            golds = [x["text"] for x in qa["answers"]]
            out.append(Item(qa["question"], golds, members.index(k), pool))
    return out


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in STOP]


class Pools:
    """BM25 over each pool, built once per pool."""

    def __init__(self) -> None:
        self._bm25: dict[int, BM25Okapi] = {}

    def ranked(self, item: Item) -> list[int]:
        key = id(item.pool)
        if key not in self._bm25:
            self._bm25[key] = BM25Okapi([words(p) or ["_"] for p in item.pool])
        scores = self._bm25[key].get_scores(words(item.question) or ["_"])
        return sorted(range(len(item.pool)), key=lambda i: (-scores[i], i))


def holds_answer(paragraph: str, golds: list[str]) -> bool:
    text = f" {normalize(paragraph)} "
    return any(f" {normalize(g)} " in text for g in golds if normalize(g))


def source(text: str, key: str) -> list[Passage]:
    return [Passage(key, 0, 1.0, text)]


# --- fitting -----------------------------------------------------------------------------------


@dataclass
class Rows:
    features: list[list[tuple[str, float]]]
    labels: list[int]
    groups: list[int]  # the question a gold source's span belongs to; -1 for other sources


def collect(items: list[Item], pools: Pools) -> Rows:
    rows = Rows([], [], [])
    started = time.perf_counter()
    for n, item in enumerate(items):
        if n and n % 2000 == 0:
            print(f"  {n}/{len(items)} questions, {len(rows.labels)} spans, "
                  f"{time.perf_counter() - started:.0f}s", flush=True)  # fmt: skip
        q = analyse(item.question)
        if q.answer_type == "yesno":
            continue
        gold = source_candidates(q, source(item.pool[item.paragraph], "gold"))
        labels = [int(normalize(c.span.text) in {normalize(g) for g in item.golds}) for c in gold]
        if not any(labels):
            continue  # its answer is not among the spans: nothing to learn from it
        group = n  # the question's number
        for c, label in zip(gold, labels, strict=True):
            rows.features.append(c.features)
            rows.labels.append(label)
            rows.groups.append(group)
        negatives = [i for i in pools.ranked(item) if i != item.paragraph
                     and not holds_answer(item.pool[i], item.golds)]  # fmt: skip
        for i in negatives[:NEGATIVE_SOURCES]:
            for c in source_candidates(q, source(item.pool[i], "other")):
                rows.features.append(c.features)
                rows.labels.append(0)
                rows.groups.append(-1)
    return rows


def fit(rows: Rows) -> dict[str, float]:
    counts = Counter(name for feats in rows.features for name, _ in feats)
    names = sorted(name for name, c in counts.items() if c >= MIN_COUNT)
    index = {name: i for i, name in enumerate(names)}
    r, c, v = [], [], []
    for row, feats in enumerate(rows.features):
        for name, value in feats:
            if name in index and value:
                r.append(row)
                c.append(index[name])
                v.append(value)
    rr, cc = np.array(r, dtype=np.int64), np.array(c, dtype=np.int64)
    vv = np.array(v, dtype=np.float64)
    y = np.array(rows.labels, dtype=np.float64)
    n, d = len(y), len(names)
    groups = np.array(rows.groups, dtype=np.int64)
    in_group = np.flatnonzero(groups >= 0)
    gids = groups[in_group]
    starts = np.flatnonzero(np.r_[True, gids[1:] != gids[:-1]])
    seg = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(gids)]))
    ypos = y[in_group]
    print(f"fitting: {n} spans ({int(y.sum())} positive), {d} features, {len(vv)} values")
    w = np.zeros(d)
    m1, m2 = np.zeros(d), np.zeros(d)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, STEPS + 1):
        z = np.bincount(rr, weights=w[cc] * vv, minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        dz = (p - y) / n
        # within the question's own paragraph, the gold spans against the others (softmax)
        gz = z[in_group]
        e = np.exp(gz - np.maximum.reduceat(gz, starts)[seg])
        total, right = np.add.reduceat(e, starts), np.add.reduceat(e * ypos, starts)
        dz[in_group] += LISTWISE * (e / total[seg] - ypos * e / right[seg]) / len(starts)
        grad = np.bincount(cc, weights=dz[rr] * vv, minlength=d) + L2 * w
        m1 = b1 * m1 + (1 - b1) * grad
        m2 = b2 * m2 + (1 - b2) * grad * grad
        w -= lr * (m1 / (1 - b1**step)) / (np.sqrt(m2 / (1 - b2**step)) + 1e-8)
        if step % 100 == 0:
            loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            print(f"  step {step}: log loss {loss:.4f}", flush=True)
    return {name: float(w[i]) for i, name in enumerate(names)}


# --- choosing the thresholds -------------------------------------------------------------------


def tuning_runs(items: list[Item], pools: Pools, model: Scorer) -> list[dict[str, Any]]:
    """Per tuning question: the gold source's best span and probability, and the best
    probability of each other source, as answering computes them."""
    from index.answers.annotate import answer_from
    from index.answers.learned import ranked_spans

    out = []
    for item in items:
        q = analyse(item.question)
        if q.answer_type == "yesno":
            continue
        gold_source = source(item.pool[item.paragraph], "gold")
        gold = ranked_spans(q, gold_source)
        backed = next((c for c in gold if c.cue == 1.0), None)  # see learned.rules_back
        by_rules = answer_from(q, gold_source)
        others, others_backed, others_rules = [], [], []
        for i in [i for i in pools.ranked(item) if i != item.paragraph][:TUNING_OTHERS]:
            other = source(item.pool[i], "other")
            found = ranked_spans(q, other)
            others.append(found[0].score if found else 0.0)
            others_backed.append(max((c.score for c in found if c.cue == 1.0), default=0.0))
            others_rules.append(answer_from(q, other) is not None)
        out.append({
            "type": q.answer_type,
            "value": gold[0].value if gold else None,
            "p": gold[0].score if gold else 0.0,
            "backed_value": backed.value if backed else None,
            "backed_p": backed.score if backed else 0.0,
            "rules_value": by_rules.value if by_rules else None,
            "golds": item.golds,
            "others": others,
            "others_backed": others_backed,
            "others_rules": others_rules,
        })  # fmt: skip
    return out


def answer_of(r: dict[str, Any], limit: float, backed: float) -> str | None:
    """What the gold source answers with: its best span at `limit`, else a span the rules
    answer with by a strong cue at `backed` (`learned.learned_answer`)."""
    if r["value"] is not None and r["p"] >= limit:
        return str(r["value"])
    if r["backed_value"] is not None and r["backed_p"] >= backed:
        return str(r["backed_value"])
    return None


def curve(
    runs: list[dict[str, Any]],
    t: float,
    by_type: dict[str, float] | None = None,
    backed: float = 1.0,
) -> dict[str, float]:
    """The tuning figures with threshold `t`, or each question's type's threshold where
    `by_type` has one, and `backed` for the spans the rules back."""
    at = {kind: threshold for kind, threshold in (by_type or {}).items()}
    answers = [(r, answer_of(r, at.get(r["type"], t), backed)) for r in runs]
    answered = [(r, a) for r, a in answers if a is not None]
    em = sum(normalize(a) in {normalize(g) for g in r["golds"]} for r, a in answered)
    f1_all = sum(f1(a, r["golds"]) for r, a in answered) / max(len(runs), 1)
    others = [
        p >= at.get(r["type"], t) or b >= backed
        for r in runs
        for p, b in zip(r["others"], r["others_backed"], strict=True)
    ]
    return {
        "t": t,
        "answered": len(answered) / max(len(runs), 1),
        "precision": em / max(len(answered), 1),
        "f1": f1_all,
        "others": sum(others) / max(len(others), 1),
    }


def choose_rules_backed(
    runs: list[dict[str, Any]], threshold: float, by_type: dict[str, float]
) -> float:
    """The probability a span the rules back must reach (`Scorer.rules_backed`): lowered from
    the threshold in steps of 0.05 while the answers it adds are right at least
    MIN_PRECISION of the time and at most MAX_OTHERS_ANSWERING of the other sources answer;
    1.0 (never) if the first step already fails."""
    chosen = 1.0
    base = {id(r) for r in runs if answer_of(r, by_type.get(r["type"], threshold), 1.0)}
    print("\nrules-backed: floor, answers added, right, others answering")
    for step in range(int(threshold * 20), 0, -1):
        floor = step / 20
        added = [(r, answer_of(r, by_type.get(r["type"], threshold), floor)) for r in runs
                 if id(r) not in base]  # fmt: skip
        added = [(r, a) for r, a in added if a is not None]
        right = sum(normalize(a) in {normalize(g) for g in r["golds"]} for r, a in added)
        others = curve(runs, threshold, by_type, floor)["others"]
        print(f"  {floor:.2f}  {len(added)}  {right}  {others:.1%}")
        if added and (right < MIN_PRECISION * len(added) or others > MAX_OTHERS_ANSWERING):
            break
        chosen = floor
    print(f"rules-backed floor {chosen:.2f}")
    return chosen


def choose_fill_in(
    runs: list[dict[str, Any]], threshold: float, by_type: dict[str, float]
) -> float:
    """The probability the scorer's best span must reach to answer where the rules layer does
    not (`Scorer.fill_in`, the combined layer): the lowest on the grid at which the answers
    it adds are right at least MIN_PRECISION of the time, as every threshold here is chosen;
    1.0 (never) if none is."""
    print("\ncombined layer: fill-in, answers added, right, answered, EM when answered, F1, "
          "others answering")  # fmt: skip
    chosen = 1.0
    for step in range(99, 4, -1):
        t = step / 100
        answers, others = [], []
        for r in runs:
            at = max(by_type.get(r["type"], threshold), t)
            filled = r["value"] if r["rules_value"] is None and r["p"] >= at else None
            answers.append((r, r["rules_value"] or filled, filled is not None))
            others += [by_rules or p >= at for p, by_rules in zip(r["others"], r["others_rules"],
                                                                  strict=True)]  # fmt: skip
        added = [(r, a) for r, a, filled in answers if filled]
        right = sum(normalize(a) in {normalize(g) for g in r["golds"]} for r, a in added)
        answered = [(r, a) for r, a, _ in answers if a is not None]
        em = sum(normalize(a) in {normalize(g) for g in r["golds"]} for r, a in answered)
        f1_all = sum(f1(a, r["golds"]) for r, a in answered) / max(len(runs), 1)
        if step % 5 == 0:
            print(f"  {t:.2f}  {len(added)}  {right}  {len(answered) / max(len(runs), 1):.1%}  "
                  f"{em / max(len(answered), 1):.3f}  {f1_all:.3f}  "
                  f"{sum(others) / max(len(others), 1):.1%}")  # fmt: skip
        if added and right >= MIN_PRECISION * len(added):
            chosen = t
    print(f"fill-in {chosen:.2f}")
    return chosen


def best_threshold(grid: list[dict[str, float]]) -> float | None:
    """The threshold with the best F1 among those precise enough and with few enough other
    sources answering; None if none is."""
    ok = [r for r in grid if r["precision"] >= MIN_PRECISION
          and r["others"] <= MAX_OTHERS_ANSWERING]  # fmt: skip
    if ok:
        return max(ok, key=lambda r: (r["f1"], r["t"]))["t"]
    return None


def choose_by_type(runs: list[dict[str, Any]], threshold: float) -> dict[str, float]:
    """A threshold per answer type with at least MIN_TYPE_QUESTIONS tuning questions, chosen
    by the global rule (`best_threshold`). A type with fewer questions, or whose answers
    reach the precision floor on their own only when fewer than MIN_TYPE_ANSWERED of them are
    answered (descriptive "what" answers), keeps the global threshold: a threshold that
    answers almost none of a type's questions would make the type unanswerable."""
    out: dict[str, float] = {}
    print("\nper answer type: questions, threshold, answered, EM when answered, others answering")
    for kind in sorted({r["type"] for r in runs}):
        mine = [r for r in runs if r["type"] == kind]
        if len(mine) < MIN_TYPE_QUESTIONS:
            print(f"  {kind:<13} {len(mine):>4}  (too few: {threshold:.2f})")
            continue
        found = best_threshold([curve(mine, t / 100) for t in range(5, 100)])
        if found is not None and curve(mine, found)["answered"] < MIN_TYPE_ANSWERED:
            found = None  # precise only by answering almost nothing of the type
            row = curve(mine, threshold)
            print(
                f"  {kind:<13} {len(mine):>4}  (never precise enough: {threshold:.2f})  "
                f"{row['answered']:.1%}  {row['precision']:.3f}  {row['others']:.1%}"
            )
            continue
        t = out[kind] = found
        row = curve(mine, t)
        print(f"  {kind:<13} {len(mine):>4}  {t:.2f}  {row['answered']:.1%}  "
              f"{row['precision']:.3f}  {row['others']:.1%}")  # fmt: skip
    return out


def choose(runs: list[dict[str, Any]]) -> tuple[float, float]:
    grid = [curve(runs, t / 100) for t in range(5, 100)]
    print("\nthreshold  answered  EM-when-answered  F1-overall  others-answering (tuning split)")
    for row in grid[::5]:
        print(f"  {row['t']:.2f}     {row['answered']:.1%}     {row['precision']:.3f}"
              f"          {row['f1']:.3f}       {row['others']:.1%}")  # fmt: skip
    found = best_threshold(grid)
    # none precise enough: the most precise
    threshold = (
        found if found is not None else max(grid, key=lambda r: (r["precision"], r["t"]))["t"]
    )
    confident = robust_confident(runs, threshold)
    chosen = curve(runs, threshold)
    print(f"chosen threshold {threshold:.2f}: answered {chosen['answered']:.1%}, EM when "
          f"answered {chosen['precision']:.3f}, F1 {chosen['f1']:.3f}, others answering "
          f"{chosen['others']:.1%}; confident {confident:.2f}")  # fmt: skip
    return threshold, confident


def confident_at(p: np.ndarray, right: np.ndarray, threshold: float) -> float:
    """The lowest grid threshold at or above `threshold` whose answers (p >= t) are right at
    least CONFIDENT_PRECISION of the time while still being at least MIN_CONFIDENT_ANSWERED of
    the questions; max(threshold, 0.9) if none is."""
    for t in np.arange(5, 100) / 100:
        if t < threshold - 1e-9:
            continue
        answered = p >= t
        n = int(answered.sum())
        if n >= MIN_CONFIDENT_ANSWERED * len(p) and right[answered].mean() >= CONFIDENT_PRECISION:
            return float(t)
    return max(threshold, 0.9)


def robust_confident(runs: list[dict[str, Any]], threshold: float) -> float:
    """`confident_at` on the tuning questions, as the median over BOOTSTRAP resamples of them.
    Precision above a high threshold rests on few answers and the curve is flat there, so the
    first threshold that reaches it moves a lot with small changes to the model (0.82 or 0.91
    for two models a near-zero-weight feature apart); the median over resamples does not."""
    p = np.array([r["p"] if r["value"] is not None else 0.0 for r in runs])
    right = np.array([r["value"] is not None and normalize(r["value"])
                      in {normalize(g) for g in r["golds"]} for r in runs])  # fmt: skip
    rng = np.random.default_rng(SEED)
    picks = [confident_at(p[i], right[i], threshold)
             for i in (rng.integers(0, len(p), len(p)) for _ in range(BOOTSTRAP))]  # fmt: skip
    once = confident_at(p, right, threshold)
    chosen = float(np.median(picks))
    print(f"confident: {once:.2f} on the tuning split as it is; median over {BOOTSTRAP} "
          f"resamples {chosen:.2f} (10th-90th percentile {np.percentile(picks, 10):.2f}-"
          f"{np.percentile(picks, 90):.2f})")  # fmt: skip
    return round(chosen, 2)


# --- question typing, checked against data ---------------------------------------------------

TREC = {"HUM": "person", "LOC": "place", "NUM": "number", "ENTY": "other", "DESC": "other",
        "ABBR": "other"}  # fmt: skip


def typing_report(articles: list[dict[str, Any]], data: Path) -> None:
    """How the rules' answer type agrees with the type of the gold answer (the entity tagger's
    type of the gold span in its paragraph, "other" when it is not one entity)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for art in articles:
        for p in art["paragraphs"]:
            found = {(e.start, e.end): e.type for e in _entities(p["context"])}
            for qa in p["qas"]:
                a = qa["answers"][0]
                span = (a["answer_start"], a["answer_start"] + len(a["text"]))
                gold = found.get(span, "other")
                pairs[(analyse(qa["question"]).answer_type, gold)] += 1
    total = sum(pairs.values())
    typed = sum(n for (rule, _), n in pairs.items() if rule not in ("other", "yesno"))
    right = sum(n for (rule, gold), n in pairs.items() if rule == gold and rule != "other")
    print(
        f"\nquestion typing vs gold answer type (SQuAD even articles, {total} q): typed "
        f"{typed / total:.1%}; of those, the gold answer has the type {right / typed:.1%}"
    )
    for rule in ("person", "place", "date", "number", "organization", "other"):
        row = {g: pairs[(rule, g)] for g in ("person", "place", "organization", "date", "number",
                                               "other")}  # fmt: skip
        print(f"  rules {rule:<12} gold: " + ", ".join(f"{g} {n}" for g, n in row.items()))
    trec = data / "trec-qc" / "TREC.test"
    if trec.exists():
        agree = n = 0
        for line in trec.read_text(encoding="latin-1").splitlines():
            label, _, text = line.partition(" ")
            coarse, _, fine = label.partition(":")
            want = "date" if label == "NUM:date" else TREC.get(coarse, "other")
            got = analyse(text).answer_type
            got = "other" if got in ("organization", "yesno") and want == "other" else got
            n += 1
            agree += got == want or (want == "person" and got == "organization")
        print(
            f"TREC test (evaluation only): rules type agrees with the coarse class on "
            f"{agree / n:.1%} of {n} questions"
        )


def _entities(text: str) -> list[Any]:
    from index.answers.evidence import split

    out = []
    for s, e in split(text):
        for ent in entities_in(text[s:e]):
            out.append(ent._replace(start=ent.start + s, end=ent.end + s))
    return out


# --- main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--per-shift", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=scorer_module.SCORER_WEIGHTS)
    args = parser.parse_args()
    started = time.perf_counter()
    rng = random.Random(SEED)
    squad = read_squad_like(args.data / "squad-v1.1-dev" / "dev-v1.1.json.gz")
    even = {i: art for i, art in enumerate(squad) if i % 2 == 0}  # never the odd ones
    tuning = items_of([art for i, art in even.items() if i % 8 == 0])
    fitted = items_of([art for i, art in even.items() if i % 8 != 0])
    for name in ("new_wiki", "reddit", "amazon_reviews"):
        shift = items_of(read_squad_like(args.data / "squadshifts" / f"{name}_v1.0.json.gz"))
        rng.shuffle(shift)
        fitted += shift[: args.per_shift]
    rng.shuffle(fitted)
    print(f"{len(fitted)} questions to fit on, {len(tuning)} to tune on")
    pools = Pools()
    rows = collect(fitted, pools)
    weights = fit(rows)
    print(f"fitted in {time.perf_counter() - started:.0f}s")
    scorer_module.save(args.out, weights, 0.5, 0.9)  # thresholds replaced below
    scorer_module.SCORER_WEIGHTS = args.out  # answering below reads these weights
    scorer_module.scorer.cache_clear()
    runs = tuning_runs(tuning, pools, scorer_module.scorer())
    threshold, confident = choose(runs)
    by_type = choose_by_type(runs, threshold)
    overall = curve(runs, threshold, by_type)
    print(f"with the per-type thresholds: answered {overall['answered']:.1%}, EM when answered "
          f"{overall['precision']:.3f}, F1 {overall['f1']:.3f}, others answering "
          f"{overall['others']:.1%}")  # fmt: skip
    backed = choose_rules_backed(runs, threshold, by_type)
    fill_in = choose_fill_in(runs, threshold, by_type)
    scorer_module.save(args.out, weights, threshold, confident, by_type, backed, fill_in)
    overall = curve(runs, threshold, by_type, backed)
    print(f"and rules-backed spans from {backed:.2f}: answered {overall['answered']:.1%}, EM when "
          f"answered {overall['precision']:.3f}, F1 {overall['f1']:.3f}, others answering "
          f"{overall['others']:.1%}")  # fmt: skip
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1e6:.2f} MB, {sum(1 for w in weights.values() if w)} weights)"
    )
    typing_report(list(even.values()), args.data)
    print(f"done in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
