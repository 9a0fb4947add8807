"""Every span of a sentence that could answer a question: what the learned scorer chooses from.

The rules layer could only answer with capitalised names, dates and numbers, which covers less
than half of what questions ask for. Here a sentence offers its base noun phrases ("the
ceremonial mace"), its typed entities ("University of Notre Dame", "October 1"), quantities with
the noun they count ("58 people", "32nd floor": a number means nothing without its noun, and the
noun is what ties it to the question), and a noun phrase joined to the one its "of" introduces
("the president of the movement"). The scorer, not this module, decides which one answers.

Tagging is the costly step (pure Python, about 20k tokens a second), so a sentence is tagged
when the scorer reads it, never at index time, and kept in a cache: the same sentences come
back for every question about one story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from index.answers.entities import Entity, entities
from index.answers.tagging import known_word, noun_phrases, pos_tag, tokenize
from index.answers.values import SCALES, UNITS

MAX_TOKENS = 12  # longer spans are clauses, not answers
NUMBER_WORDS = frozenset([*UNITS, *SCALES])  # "three", "twenty", "dozen", "hundred"
ARTICLES = frozenset(["the", "a", "an"])
DETERMINERS = frozenset(["this", "that", "these", "those", "his", "her", "its", "their", "our"])
PRONOUN_TAGS = frozenset(["PRP", "PRP$", "EX", "WP", "WDT", "WP$"])


@dataclass(frozen=True)
class Span:
    """A candidate answer: tokens [first, last) of a sentence and characters [start, end)."""

    first: int
    last: int
    start: int
    end: int
    text: str
    kind: str  # an entity type (person, place, ..., other), np, name, quantity or np_of


@dataclass(frozen=True)
class Tagged:
    """A sentence read once: its tokens, their tags and offsets, and its candidate spans."""

    text: str
    words: tuple[str, ...]
    lower: tuple[str, ...]
    tags: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]
    spans: tuple[Span, ...]


@lru_cache(maxsize=65536)
def tagged(sentence: str) -> Tagged:
    """The sentence tokenised, tagged and split into candidate spans (cached: see above)."""
    tokens = tokenize(sentence)
    words = [t.text for t in tokens]
    tags = pos_tag(words) if words else []
    offsets = tuple((t.start, t.end) for t in tokens)
    spans = _spans(sentence, words, tags, offsets)
    return Tagged(
        sentence, tuple(words), tuple(w.lower() for w in words), tuple(tags), offsets, spans
    )


def _spans(
    text: str, words: list[str], tags: list[str], offsets: tuple[tuple[int, int], ...]
) -> tuple[Span, ...]:
    found: dict[tuple[int, int], str] = {}

    def joined(k: int) -> bool:
        """Whether token k is a hyphen, dash or slash written between two words without
        spaces ("Anheuser-Busch", "Disney–ABC", "Capital Cities/ABC"): the tokenizer splits
        these, as the treebank the tagger learned from does. Not after a figure: "61-yard"
        is 61 yards, "three-tier" three tiers, and the figure may be the answer."""
        return (
            0 < k < len(words) - 1
            and words[k] in ("-", "–", "/")
            and words[k - 1][-1:].isalpha()
            and words[k - 1].lower() not in NUMBER_WORDS
            and words[k + 1][:1].isalpha()
            and offsets[k - 1][1] == offsets[k][0]
            and offsets[k][1] == offsets[k + 1][0]
        )

    def add(a: int, b: int, kind: str) -> None:
        # Leading articles are dropped (answers are compared without them); other
        # determiners ("his", "these") too, as a span of its own.
        while a < b and words[a].lower() in ARTICLES:
            a += 1
        while a < b and not any(ch.isalnum() for ch in words[a]) and words[a] not in "$€£¥":
            a += 1  # "-Mayor Hans Tanzler" (the hyphen of "ex-Mayor"), an opening quote
        # a hyphenated word is one word: "Busch InBev" is "Anheuser-Busch InBev"
        while a >= 2 and joined(a - 1):
            a -= 2
        while b < len(words) - 1 and joined(b):
            b += 2
        if a >= b or b - a > MAX_TOKENS:
            return
        if all(not any(ch.isalnum() for ch in w) for w in words[a:b]):
            return
        if b - a == 1 and tags[a] in PRONOUN_TAGS:
            return  # "it", "they": never an answer by itself
        found.setdefault((a, b), kind)
        if words[a].lower() in DETERMINERS and b - a > 1:
            found.setdefault((a + 1, b), kind)

    found_entities = entities(words, tags)
    for e in found_entities:
        add(e.start, e.end, e.type)
        if e.type == "person" and e.end - e.start >= 3:
            add(e.start + 1, e.end, e.type)  # a title before a name ("Linebacker Von Miller")
        if e.type == "number":
            # a quantity: the number and the nouns it counts ("58 people", "32nd floor")
            b = e.end
            while b < len(words) and b - e.end < 3 and tags[b].startswith(("NN", "JJ")):
                b += 1
                if tags[b - 1].startswith("NN"):
                    add(e.start, b, "quantity")
    chunks = noun_phrases(tags)
    for a, b in chunks:
        add(a, b, "np")
        # the name inside a longer phrase ("NFC champion Carolina Panthers")
        k = a
        while k < b:
            if _name_token(words[k], tags[k]):
                m = k
                while m < b and _name_token(words[m], tags[m]):
                    m += 1
                if (k, m) != (a, b):
                    add(k, m, "name")
                k = m
            else:
                k += 1
    for (a, b), (c, d) in zip(chunks, chunks[1:], strict=False):
        if c == b + 1 and words[b].lower() == "of":
            add(a, d, "np_of")
    _names(words, tags, add)
    _quoted(words, add)
    _joined(words, found_entities, chunks, add)
    out = []
    for (a, b), kind in sorted(found.items()):
        start, end = offsets[a][0], offsets[b - 1][1]
        out.append(Span(a, b, start, end, text[start:end], kind))
    return tuple(out)


def _name_token(word: str, tag: str) -> bool:
    """A word of a name: tagged a proper noun; a capital and a figure in one word ("G4S",
    "A380", "F16"), which the tagger, reading its last letter, often takes for a plural
    ("the security company G4S": NNS), and no common word is spelled so; or a capitalised word
    the tagger never saw ("Manning became …": VBG; "a young Roone Arledge": NN), which in
    running text is a name."""
    if tag.startswith("NNP"):
        return True
    if not word[:1].isupper() or not word.isalnum():
        return False
    return any(ch.isdigit() for ch in word) or (len(word) > 1 and not known_word(word))


def _names(words: list[str], tags: list[str], add: Callable[[int, int, str], None]) -> None:
    """Names the chunker splits or buries: a possessive name ("Levi's Stadium", a name that
    is one phrase though the chunker ends a phrase at "'s"), and the last two words of a run
    of three or more capitalised words ("NFL Commissioner Roger Goodell": a title, or an
    organisation, before a person's name)."""
    k = 0
    while k < len(words):
        if not _name_token(words[k], tags[k]):
            k += 1
            continue
        m = k
        while m < len(words) and _name_token(words[m], tags[m]):
            m += 1
        if not all(tags[i].startswith("NNP") for i in range(k, m)):
            add(k, m, "name")  # a name the tagger did not read as one, so no chunk holds it
        if m - k >= 3:
            add(m - 2, m, "name_tail")
        if m + 1 < len(words) and words[m] in ("'s", "’s") and tags[m + 1].startswith("NNP"):
            e = m + 1
            while e < len(words) and tags[e].startswith("NNP"):
                e += 1
            add(k, e, "name")
        k = m


QUOTES = {'"': '"', "“": "”", "``": "''"}


def _quoted(words: list[str], add: Callable[[int, int, str], None]) -> None:
    """The words between quotation marks: a title ("Hymn for the Weekend"), a name or a
    phrase the sentence quotes, which the chunker cuts at its inner words ("for the")."""
    k = 0
    while k < len(words):
        closing = QUOTES.get(words[k])
        if closing is None:
            k += 1
            continue
        end = next((j for j in range(k + 1, min(len(words), k + MAX_TOKENS + 2))
                    if words[j] == closing), None)  # fmt: skip
        if end is None:
            k += 1
            continue
        if end - k > 1:
            add(k + 1, end, "quoted")
        k = end + 1


JOINERS = frozenset(["and", "or", "&"])
RANGE_WORDS = frozenset(["-", "–", "—", "to", "through"])


def _joined(
    words: list[str],
    found_entities: list[Entity],
    chunks: list[tuple[int, int]],
    add: Callable[[int, int, str], None],
) -> None:
    """Spans that join two others: a pair or list ("Beyoncé and Bruno Mars", "agriculture and
    silviculture", "Trump, Pence and Ryan"), and a range or score of two numbers or dates
    ("24–10", "$400,000 to $450,000", "May through September"). Questions ask for both as
    one answer ("Who were the special guests?"; "What was the final score?")."""
    pieces = sorted({(e.start, e.end) for e in found_entities} | set(chunks))
    ends: dict[int, list[int]] = {}
    for a, b in pieces:
        ends.setdefault(a, []).append(b)
    for a, b in pieces:
        # a list: X (, Y)* (,)? and Z
        k = b
        for _ in range(4):
            if k < len(words) and words[k] == "," and k + 1 in ends:
                k = max(ends[k + 1])
                continue
            j = k + 1 if k < len(words) and words[k] == "," else k
            if (
                j + 1 < len(words)
                and words[j].lower() in JOINERS
                and j + 1 in ends
                and words[j + 1].lower() not in ARTICLES | DETERMINERS  # "..., and the score"
                and _numeric(words[a]) == _numeric(words[j + 1])
            ):
                add(a, max(ends[j + 1]), "coordination")
            break
    numeric = [e for e in found_entities if e.type in ("number", "date")]
    for e, f in zip(numeric, numeric[1:], strict=False):
        if f.start == e.end + 1 and words[e.end].lower() in RANGE_WORDS:
            add(e.start, f.end, "range")


def _numeric(word: str) -> bool:
    return word[:1].isdigit() or word[:1] in "$€£"
