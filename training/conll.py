"""Readers for the tagged corpora the answer layer's taggers learn from.

Every reader yields plain Python records (no nltk), so the training scripts and the evaluation
share one view of each file format: CoNLL-U (UD English EWT, GUM), CoNLL IOB1 (wikigold) and the
Universal NER IOB2 files. Entity spans are `(start, end, label)` with `end` exclusive, in token
positions of their sentence.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

Span = tuple[int, int, str]


@dataclass
class Sentence:
    """One sentence of a CoNLL-U file; token lists are parallel (multiword ranges dropped)."""

    sent_id: str
    words: list[str]
    upos: list[str]
    xpos: list[str]
    heads: list[int]  # 0 = root, else 1-based position of the head
    deprels: list[str]
    misc: list[str]
    doc: str = ""
    entities: list[Span] = field(default_factory=list)


def open_text(path: Path) -> Iterator[str]:
    """Lines of a plain or gzipped UTF-8 file, without their newlines."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n")


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Sentences of a CoNLL-U file; empty nodes (8.1) and multiword ranges (1-2) are skipped
    because the taggers see the syntactic words, which is how the treebanks tag them."""
    sent_id, doc = "", ""
    rows: list[list[str]] = []
    for line in open_text(path):
        if line.startswith("#"):
            if line.startswith("# sent_id ="):
                sent_id = line.split("=", 1)[1].strip()
            elif line.startswith("# newdoc id ="):
                doc = line.split("=", 1)[1].strip()
            continue
        if not line.strip():
            if rows:
                yield make_sentence(sent_id, doc, rows)
            rows = []
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        rows.append(cols)
    if rows:
        yield make_sentence(sent_id, doc, rows)


def make_sentence(sent_id: str, doc: str, rows: list[list[str]]) -> Sentence:
    return Sentence(
        sent_id=sent_id,
        words=[r[1] for r in rows],
        upos=[r[3] for r in rows],
        xpos=[r[4] for r in rows],
        heads=[int(r[6]) if r[6].isdigit() else 0 for r in rows],
        deprels=[r[7] for r in rows],
        misc=[r[9] for r in rows],
        doc=doc,
    )


def ewt_split(data: Path, split: str) -> list[Sentence]:
    """UD English EWT `train`, `dev` or `test`."""
    return list(read_conllu(data / "ud-english-ewt" / f"en_ewt-ud-{split}.conllu.gz"))


# --- GUM entities -------------------------------------------------------------------------------

ENTITY_FIELD = re.compile(r"(?:^|\|)Entity=([^|]*)")
OPEN_OR_CLOSE = re.compile(r"\((\d+)-([^()]*)(\)?)|(\d+)\)")


@dataclass(frozen=True)
class Mention:
    """A GUM coreference mention: tokens [start, end) of one sentence, its entity type, and
    whether the entity is linked to a Wikipedia page (GUM's `identity` field)."""

    start: int
    end: int
    etype: str
    identity: str


def gum_mentions(sentence: Sentence) -> list[Mention]:
    """Every mention of a GUM sentence, from the bracketed `Entity=` values in MISC.

    The format (GUM's `global.Entity = GRP-etype-infstat-salience-centering-minspan-link-
    identity`): `(ID-etype-...` opens a mention at this token, `ID)` closes the innermost open
    mention of that entity, `(ID-...)` is a one-token mention.
    """
    open_: dict[str, list[tuple[int, str, str]]] = {}
    mentions: list[Mention] = []
    for position, misc in enumerate(sentence.misc):
        found = ENTITY_FIELD.search(misc)
        if not found:
            continue
        for match in OPEN_OR_CLOSE.finditer(found.group(1)):
            if match.group(1) is not None:
                entity, body, closed = match.group(1), match.group(2), match.group(3)
                parts = body.split("-")
                etype = parts[0]
                identity = parts[6] if len(parts) > 6 else ""
                if closed:
                    mentions.append(Mention(position, position + 1, etype, identity))
                else:
                    open_.setdefault(entity, []).append((position, etype, identity))
            else:
                stack = open_.get(match.group(4))
                if stack:
                    start, etype, identity = stack.pop()
                    mentions.append(Mention(start, position + 1, etype, identity))
    return mentions


def gum_documents(data: Path) -> dict[str, list[Sentence]]:
    """GUM's documents by name (sorted), each its sentences in order."""
    documents: dict[str, list[Sentence]] = {}
    for path in sorted((data / "gum" / "dep").glob("*.conllu")):
        documents[path.stem] = list(read_conllu(path))
    return documents


def gum_part(name: str, names: list[str]) -> str:
    """`test`, `dev` or `train` for a GUM document, by a fixed rule on sorted names.

    Within each genre (GUM_<genre>_<name>), documents are taken in name order and every fifth
    one from the first (positions 0, 5, 10, ...) is held out for testing, every fifth from the
    second (1, 6, 11, ...) is the tuning set; the rest train. Stratifying by genre keeps the
    news, interview, bio, voyage, academic and court mixes of the parts alike.
    """
    genre = name.split("_")[1]
    same = sorted(n for n in names if n.split("_")[1] == genre)
    position = same.index(name)
    return {0: "test", 1: "dev"}.get(position % 5, "train")


# --- IOB files ----------------------------------------------------------------------------------


def spans_from_iob(tags: list[str]) -> list[Span]:
    """Entity spans from IOB1 or IOB2 tags: a span starts at B-X, or at I-X after a tag of
    another type (IOB1 writes B- only between two adjacent entities of one type)."""
    spans: list[Span] = []
    start, label = -1, ""
    for position, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        continues = kind == "I" and name == label
        if start >= 0 and not continues:
            spans.append((start, position, label))
            start, label = -1, ""
        if kind in ("B", "I") and not continues:
            start, label = position, name
    return spans


def read_wikigold(data: Path) -> list[tuple[list[str], list[Span]]]:
    """wikigold's sentences: words and their PER/LOC/ORG/MISC spans (file is IOB1)."""
    sentences: list[tuple[list[str], list[Span]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in open_text(data / "wikigold" / "wikigold.conll.txt.gz"):
        if not line.strip():
            if words:
                sentences.append((words, spans_from_iob(tags)))
            words, tags = [], []
            continue
        word, tag = line.rsplit(" ", 1)
        words.append(word)
        tags.append(tag)
    if words:
        sentences.append((words, spans_from_iob(tags)))
    return sentences


def read_uner(data: Path, split: str) -> list[tuple[list[str], list[Span]]]:
    """Universal NER English EWT `dev` or `test`: words and PER/LOC/ORG spans (IOB2)."""
    sentences: list[tuple[list[str], list[Span]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in open_text(data / "uner-english-ewt" / f"en_ewt-ud-{split}.iob2.gz"):
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                sentences.append((words, spans_from_iob(tags)))
            words, tags = [], []
            continue
        cols = line.split("\t")
        words.append(cols[1])
        tags.append(cols[2])
    if words:
        sentences.append((words, spans_from_iob(tags)))
    return sentences
