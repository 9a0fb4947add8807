"""Train the answer layer's entity tagger on GUM and wikigold; write its weights; score it.

    .venv/bin/python training/train_entities.py [--data ../shared/data] [--tune]

Needs the part-of-speech weights (training/train_pos.py) first: the tagger's features include
the predicted tags, so it learns from the tags it will see at run time. Learns B-/I-/O labels
over PER, LOC, ORG, MISC (training/ner_data.py says how GUM's mentions become names) with the
averaged perceptron of training/perceptron.py and the features of index/answers/entities.py,
writes index/answers/weights/entities.npz, then scores the run-time code
(`index.answers.entities.entities`, names and date rules together) on data it never saw:
the held-out fifth of GUM (training/conll.py `gum_part`) and Universal NER's English EWT dev
and test (PER, LOC, ORG only; its other labels are not in this snapshot). Exact-span matches.

The settings (epochs, feature cut-off) were chosen with --tune, which trains on GUM's training
part only and scores GUM's tuning part; without it, training uses both parts.
Deterministic: a fixed seed, sorted vocabularies, documents in name order.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.answers import entities as ent  # noqa: E402
from index.answers import tagging  # noqa: E402
from index.answers.perceptron import MissingWeights, save_model  # noqa: E402
from training.conll import (  # noqa: E402
    DATA,
    Span,
    gum_documents,
    gum_part,
    read_uner,
    read_wikigold,
)
from training.ner_data import bio, drop_adjective_misc, gum_names, gum_time_spans  # noqa: E402
from training.perceptron import Example, Trainer  # noqa: E402

SEED = 20240602
KINDS = ("PER", "LOC", "ORG", "MISC")
LABELS = ["O", *(f"{p}-{k}" for k in KINDS for p in ("B", "I"))]
TYPE_OF = {"PER": "person", "LOC": "place", "ORG": "organization", "MISC": "other"}
DATE_WORD = "MWYER"  # date_letter()s that make a GUM time mention a date

Labelled = tuple[list[str], list[str], list[Span]]  # words, POS tags, gold spans (typed)


def allowed_transitions() -> np.ndarray:
    """-inf where a label can never follow the previous one (I-X after anything but X)."""
    width = len(LABELS) + 1
    allowed = np.zeros((width, len(LABELS)), dtype=np.float32)
    for p in range(width):
        previous = LABELS[p] if p < len(LABELS) else "O"
        for c, label in enumerate(LABELS):
            if label.startswith("I-") and previous[2:] != label[2:]:
                allowed[p, c] = -np.inf
    return allowed


def typed(spans: Sequence[Span]) -> list[Span]:
    return [(a, b, TYPE_OF[label]) for a, b, label in spans]


def gum_sets(data: Path) -> dict[str, list[Labelled]]:
    """GUM's sentences by part (train, dev, test), with predicted tags, names and dates."""
    documents = gum_documents(data)
    names = sorted(documents)
    parts: dict[str, list[Labelled]] = {"train": [], "dev": [], "test": []}
    for name in names:
        part = gum_part(name, names)
        for sentence in documents[name]:
            tags = tagging.pos_tag(sentence.words)
            gold = typed(gum_names(sentence))
            gold += gum_time_spans(sentence, lambda w, t: ent.date_letter(w, t) in DATE_WORD)
            parts[part].append((sentence.words, tags, sorted(gold)))
    return parts


def wikigold_set(data: Path) -> list[Labelled]:
    out: list[Labelled] = []
    for words, spans in read_wikigold(data):
        tags = tagging.pos_tag(words)
        out.append((words, tags, typed(drop_adjective_misc(spans, tags))))
    return out


def uner_set(data: Path, split: str) -> list[Labelled]:
    return [(w, tagging.pos_tag(w), typed(spans)) for w, spans in read_uner(data, split)]


def examples(sentences: Sequence[Labelled]) -> list[Example]:
    back = {v: k for k, v in TYPE_OF.items()}
    out = []
    for words, tags, spans in sentences:
        names = [(a, b, back[t]) for a, b, t in spans if t in back]
        out.append(Example(ent.entity_features(words, tags), bio(len(words), names)))
    return out


def score(sentences: Sequence[Labelled], types: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Per type: (right, predicted, gold) exact spans; predictions of other types ignored."""
    counts: dict[str, Counter[str]] = {t: Counter() for t in types}
    for words, tags, gold in sentences:
        guess = {(e.start, e.end, e.type) for e in ent.entities(words, tags) if e.type in types}
        truth = {s for s in gold if s[2] in types}
        for a, b, kind in guess:
            counts[kind]["guess"] += 1
            counts[kind]["right"] += (a, b, kind) in truth
        for _, _, kind in truth:
            counts[kind]["gold"] += 1
    return {t: (c["right"], c["guess"], c["gold"]) for t, c in counts.items()}


def report(title: str, table: dict[str, tuple[int, int, int]]) -> None:
    print(f"\n{title}")
    print(f"  {'type':<13} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    total = [0, 0, 0]
    for kind, (right, guess, gold) in table.items():
        total = [total[0] + right, total[1] + guess, total[2] + gold]
        print("  " + row(kind, right, guess, gold))
    print("  " + row("all (micro)", *total))


def row(name: str, right: int, guess: int, gold: int) -> str:
    p = right / guess if guess else 0.0
    r = right / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{name:<13} {p:6.3f} {r:6.3f} {f:6.3f} {gold:6d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer features")
    parser.add_argument("--prune", type=float, default=0.5, help="drop weights this small")
    parser.add_argument("--tune", action="store_true", help="train on GUM train, score GUM dev")
    parser.add_argument("--out", type=Path, default=ent.ENTITY_WEIGHTS)
    args = parser.parse_args()
    for folder in ("gum", "wikigold", "uner-english-ewt"):
        if not (args.data / folder).is_dir():
            print(f"train_entities: no {args.data / folder} (set --data)", file=sys.stderr)
            return 2
    try:
        tagging.pos_model()
    except MissingWeights as error:
        print(f"train_entities: {error}", file=sys.stderr)
        return 2

    began = time.perf_counter()
    gum = gum_sets(args.data)
    wikigold = wikigold_set(args.data)
    train = gum["train"] + wikigold + ([] if args.tune else gum["dev"])
    parts = "GUM train + wikigold" + ("" if args.tune else " + GUM dev")
    tokens = sum(len(w) for w, _, _ in train)
    print(f"training on {parts}: {len(train)} sentences, {tokens} tokens")
    kinds = Counter(t for _, _, spans in train for _, _, t in spans if t != "date")
    print("  names: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    trainer = Trainer(examples(train), LABELS, args.min_count, allowed_transitions())
    print(f"features: {len(trainer.names)}")
    trainer.train(args.epochs, SEED)
    # A tuning run's weights go to a temporary folder, never over the shipped ones.
    scratch = tempfile.TemporaryDirectory()
    out = Path(scratch.name) / "entities-tune.npz" if args.tune else args.out
    meta = {"data": parts, "epochs": str(args.epochs), "seed": str(SEED)}
    save_model(out, LABELS, trainer.averaged(args.prune), allowed_transitions(), meta)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print(f"training took {time.perf_counter() - began:.0f} s")

    ent.ENTITY_WEIGHTS = out
    ent.entity_model.cache_clear()
    kinds_all = ("person", "place", "organization", "other", "date")
    if args.tune:
        report("GUM tuning part (names; dates by rule)", score(gum["dev"], kinds_all))
        ent.entity_model.cache_clear()
        scratch.cleanup()
        return 0
    report("GUM held-out test part (names; dates by rule)", score(gum["test"], kinds_all))
    three = ("person", "place", "organization")
    uner = {split: uner_set(args.data, split) for split in ("dev", "test")}
    for split in ("dev", "test"):
        report(f"Universal NER English EWT {split}", score(uner[split], three))
    report("Universal NER English EWT dev + test", score(uner["dev"] + uner["test"], three))
    return 0


if __name__ == "__main__":
    sys.exit(main())
