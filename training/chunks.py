"""Base noun phrases read off UD dependency trees, to score the tag-pattern chunker.

No English treebank here is annotated with chunks, but a base noun phrase is recoverable from
a dependency tree: a nominal head with its determiners, possessors, adjectival, numeric and
compound modifiers, as long as each modifier's own subtree holds only such words (a
prepositional phrase or a relative clause ends the base phrase). The definition is this
project's, so the figures it gives measure agreement with it, not with CoNLL-2000 chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from index.answers.tagging import noun_phrases
from training.conll import Sentence

HEAD_UPOS = {"NOUN", "PROPN", "PRON", "NUM"}
# Relations that attach a word inside the base noun phrase of its head.
INTERNAL = {
    "det",
    "det:predet",
    "det:poss",
    "amod",
    "nummod",
    "compound",
    "nmod:poss",
    "flat",
    "fixed",
    "goeswith",
}
# Dependents of a head that never start a base phrase of their own.
MODIFIER = {"compound", "flat", "fixed", "goeswith", "nummod", "nmod:poss", "det:poss"}


def base_noun_phrases(sentence: Sentence) -> set[tuple[int, int]]:
    """[start, end) token spans of the sentence's base noun phrases."""
    n = len(sentence.words)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, head in enumerate(sentence.heads):
        if head:
            children[head - 1].append(i)

    def internal(token: int, parent_rel: str) -> set[int] | None:
        """The token's subtree if every word in it belongs in a base noun phrase."""
        found = {token}
        for child in children[token]:
            rel = sentence.deprels[child]
            ok = rel in INTERNAL
            ok = ok or (rel == "case" and sentence.xpos[child] == "POS")
            ok = ok or (rel == "advmod" and parent_rel in ("amod", "nummod"))
            ok = ok or (rel == "punct" and sentence.xpos[child] == "HYPH")
            if not ok:
                return None
            sub = internal(child, rel)
            if sub is None:
                return None
            found |= sub
        return found

    spans: set[tuple[int, int]] = set()
    for h in range(n):
        if sentence.upos[h] not in HEAD_UPOS or sentence.deprels[h] in MODIFIER:
            continue
        tokens = {h}
        for child in children[h]:
            rel = sentence.deprels[child]
            if rel in INTERNAL or (rel == "punct" and sentence.xpos[child] == "HYPH"):
                sub = internal(child, rel)
                if sub is not None:
                    tokens |= sub
        lo = hi = h
        while lo - 1 in tokens:
            lo -= 1
        while hi + 1 in tokens:
            hi += 1
        spans.add((lo, hi + 1))
    # A phrase inside another (a possessor folded into its head's phrase) is not a base phrase.
    return {
        (a, b)
        for a, b in spans
        if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)
    }


def chunk_scores(
    sentences: Sequence[Sentence], tagger: Callable[[Sentence], list[str]]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of exact base noun phrase spans, chunking the tags `tagger`
    gives a sentence (the treebank's own, to score the grammar alone, or predicted ones)."""
    right = guessed = gold_total = 0
    for sentence in sentences:
        gold = base_noun_phrases(sentence)
        guess = set(noun_phrases(tagger(sentence)))
        right += len(gold & guess)
        guessed += len(guess)
        gold_total += len(gold)
    precision = right / max(guessed, 1)
    recall = right / max(gold_total, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)
