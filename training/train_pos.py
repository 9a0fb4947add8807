"""Train the answer layer's part-of-speech tagger on UD English EWT; write its weights.

    .venv/bin/python training/train_pos.py [--data ../shared/data] [--nltk-baseline]

Learns Penn Treebank tags (EWT's XPOS column) from EWT train with the averaged perceptron of
training/perceptron.py and the features of index/answers/tagging.py, writes
index/answers/weights/pos.npz, then reloads it through the run-time code and prints its
accuracy on EWT dev (used to choose the settings) and test (reported), the accuracy on GUM
(news, interviews, biographies... never trained on; a check on news-like text), and the base
noun-phrase chunker's agreement with noun phrases read off the treebank's dependency trees.
Deterministic: a fixed seed, sorted vocabularies.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.answers import tagging  # noqa: E402
from index.answers.perceptron import save_model  # noqa: E402
from training.chunks import chunk_scores  # noqa: E402
from training.conll import DATA, Sentence, ewt_split, gum_documents  # noqa: E402
from training.perceptron import Example, Trainer  # noqa: E402

SEED = 20240601


def examples(sentences: Sequence[Sentence]) -> list[Example]:
    out = []
    for sentence in sentences:
        out.append(Example(tagging.pos_features(sentence.words), sentence.xpos))
    return out


def accuracy(sentences: Sequence[Sentence], known: set[str]) -> tuple[float, float, int]:
    """Token accuracy, accuracy on words absent from training, and the token count."""
    right = total = unknown_right = unknown = 0
    for sentence in sentences:
        for word, gold, guess in zip(
            sentence.words, sentence.xpos, tagging.pos_tag(sentence.words), strict=True
        ):
            total += 1
            right += gold == guess
            if word not in known:
                unknown += 1
                unknown_right += gold == guess
    return right / total, unknown_right / max(unknown, 1), total


def per_tag(sentences: Sequence[Sentence], tags: Sequence[str]) -> None:
    """Precision and recall of the tags the answer layer leans on (names, numbers, nouns)."""
    right: Counter[str] = Counter()
    guessed: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for sentence in sentences:
        for truth, guess in zip(sentence.xpos, tagging.pos_tag(sentence.words), strict=True):
            gold[truth] += 1
            guessed[guess] += 1
            right[truth] += truth == guess
    for tag in tags:
        p = right[tag] / max(guessed[tag], 1)
        r = right[tag] / max(gold[tag], 1)
        print(f"  {tag:<5} P {p:.3f} R {r:.3f} ({gold[tag]} tokens)")


def predicted_tags(sentence: Sentence) -> list[str]:
    return tagging.pos_tag(sentence.words)


def treebank_tags(sentence: Sentence) -> list[str]:
    return sentence.xpos


def nltk_baseline(train: Sequence[Sentence], held_out: dict[str, list[Sentence]]) -> None:
    """nltk's own averaged perceptron (its features, 5 passes) on the same split, for scale."""
    import random

    from nltk.tag.perceptron import PerceptronTagger

    random.seed(SEED)  # nltk shuffles with the global generator
    baseline = PerceptronTagger(load=False)
    baseline.train([list(zip(s.words, s.xpos, strict=True)) for s in train], nr_iter=5)
    for name, sentences in held_out.items():
        right = total = 0
        for sentence in sentences:
            guess = [tag for _, tag in baseline.tag(sentence.words)]
            right += sum(g == t for g, t in zip(guess, sentence.xpos, strict=True))
            total += len(guess)
        print(f"nltk PerceptronTagger, {name}: accuracy {right / total:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer features")
    parser.add_argument("--prune", type=float, default=0.5, help="drop weights this small")
    parser.add_argument("--out", type=Path, default=tagging.POS_WEIGHTS)
    parser.add_argument(
        "--nltk-baseline", action="store_true", help="also train and score nltk's tagger"
    )
    args = parser.parse_args()
    source = args.data / "ud-english-ewt"
    if not source.is_dir():
        print(f"train_pos: no {source} (set --data)", file=sys.stderr)
        return 2

    began = time.perf_counter()
    train, dev, test = (ewt_split(args.data, part) for part in ("train", "dev", "test"))
    labels = sorted({tag for sentence in train for tag in sentence.xpos})
    print(f"EWT train: {len(train)} sentences, {sum(len(s.words) for s in train)} tokens")
    trainer = Trainer(examples(train), labels, min_count=args.min_count)
    print(f"features: {len(trainer.names)}, labels: {len(labels)}")
    trainer.train(args.epochs, SEED)
    weights = trainer.averaged(prune=args.prune)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"data": "UD English EWT train", "epochs": str(args.epochs), "seed": str(SEED)}
    save_model(args.out, labels, weights, meta=meta)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"training took {time.perf_counter() - began:.0f} s")

    tagging.POS_WEIGHTS = args.out
    tagging.pos_model.cache_clear()
    known = {word for sentence in train for word in sentence.words}
    for name, sentences in (("EWT dev", dev), ("EWT test", test)):
        acc, unk, total = accuracy(sentences, known)
        print(f"{name}: accuracy {acc:.4f} ({total} tokens), on unseen words {unk:.4f}")
    print("EWT test, per tag:")
    per_tag(test, ("NNP", "NNPS", "NN", "NNS", "CD", "JJ", "VBD", "VBN"))
    gum = [s for sentences in gum_documents(args.data).values() for s in sentences]
    acc, unk, total = accuracy(gum, known)
    print(f"GUM (all six genres here, not trained on): accuracy {acc:.4f} ({total} tokens)")
    print("base noun phrases vs. those read off the dependency trees (training/chunks.py):")
    for name, sentences in (("EWT dev", dev), ("EWT test", test)):
        for source, tagger in (("predicted", predicted_tags), ("treebank", treebank_tags)):
            p, r, f = chunk_scores(sentences, tagger)
            print(f"  {name}, {source} tags: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if args.nltk_baseline:
        nltk_baseline(train, {"EWT dev": dev, "EWT test": test})
    return 0


if __name__ == "__main__":
    sys.exit(main())
