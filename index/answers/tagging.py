"""Part-of-speech tags and base noun phrases for the answer layer, without nltk on the path.

Candidate answers are noun phrases and their types, and both come from part-of-speech tags:
an averaged perceptron trained on UD English EWT (training/train_pos.py, docs/models.md)
tags tokens with Penn Treebank tags (EWT's XPOS column), and a regular expression over the tag
sequence, in the style of nltk's RegexpParser, marks base noun phrases. PTB tags rather than
UD's universal ones because they keep what answers need: proper vs common nouns (NNP/NN),
numbers (CD), possessives (POS), past participles (VBN); UPOS merges or lacks these.

The tagger expects the tokens `tokenize` makes, which are the treebank's: clitics split
("do", "n't"; "Smith", "'s"), hyphens their own token except after a few prefixes ("e-mail",
"non-profit"), punctuation one token per mark ("..." and "--" whole), numbers whole ("54,000",
"5.4", "1990s"), dotted abbreviations whole ("U.S.", "Dr."). Other tokens work but are
tagged less accurately. Case is kept: it is most of what tells a name from a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from index.answers.perceptron import (
    PAD_AFTER,
    PAD_BEFORE,
    FloatArray,
    GreedyModel,
    WordWindows,
    window_features,
)

WEIGHTS = Path(__file__).with_name("weights")
POS_WEIGHTS = WEIGHTS / "pos.npz"


class Token(NamedTuple):
    """A token and its [start, end) character offsets in the text it came from."""

    text: str
    start: int
    end: int


# --- tokens -------------------------------------------------------------------------------------

# Hyphenated words the treebank keeps whole: the first part is one of these prefixes.
HYPHEN_PREFIXES = (
    "e|non|pre|anti|re|mid|post|co|over|pro|multi|ex|sub|semi|neo|cross|micro|un|vice|"
    "socio|intra|inter|counter|self"
)
# Abbreviations whose period belongs to them (the sentence splitter already decided where
# sentences end, so a period after these is part of the word).
ABBREVIATIONS = (
    "mr|mrs|ms|dr|prof|sr|jr|st|mt|ft|gen|gov|sen|rep|rev|col|lt|sgt|capt|inc|ltd|co|corp|"
    "bros|vs|etc|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ave|blvd|dept|est|approx"
)
TOKEN_PATTERN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\"'.,;:!?)\]}]"  # url
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|(?:[^\W\d_]\.){2,}"  # dotted abbreviation: U.S., a.m.
    rf"|(?i:\b(?:{ABBREVIATIONS})\.)"  # Dr. Inc. Jan.
    r"|\b[A-Z]\.(?=\s+[A-Z])"  # an initial: J. Smith
    r"|\d{4}-\d\d-\d\d\b"  # an ISO date: 2017-07-21
    r"|\d+(?:[.,:/]\d+)*(?:[^\W\d_]+)?"  # 54,000  5.4  10:30  7/21/2017  1990s  5th
    r"|\w+(?=n[’']t\b)|n[’']t\b"  # do|n't  ca|n't
    r"|[’'](?i:s|re|ve|ll|d|m)\b"  # clitics: 's 're 've 'll 'd 'm
    rf"|(?i:(?:{HYPHEN_PREFIXES})-)\w+(?:[’']\w+)*"  # e-mail, non-profit
    r"|\w+(?:[’'](?!(?i:s|re|ve|ll|d|m)\b)\w+)*"  # word, O'Brien, o'clock
    r"|\.\.\.|--|[^\w\s]",  # punctuation, one mark at a time
)


def tokenize(text: str) -> list[Token]:
    """Treebank-style tokens of one sentence, with offsets into `text`."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]


# --- features -----------------------------------------------------------------------------------

DIGIT = re.compile(r"\d")


def shape(word: str) -> str:
    """The word's look with runs collapsed: "McDonald" -> "XxXx", "54,000" -> "d,d"."""
    out: list[str] = []
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.isalpha():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


def normal(word: str) -> str:
    """A word's lowercase form, with every digit 0 so numbers share features ("0,000")."""
    lower = word.lower()
    return DIGIT.sub("0", lower) if DIGIT.search(lower) else lower


# A token's features: what the five words around it lend it (`word_roles`, scored per distinct
# word at run time by `WordWindows`), the bias, the word pairs it is in, a first-word flag.


def word_roles(word: str) -> tuple[tuple[str, ...], ...]:
    """The features `word` gives as (itself, previous, next, second previous, second next).

    The templates are those of the usual averaged-perceptron tagger (Collins 2002; the one nltk
    ships) with the word's case kept and its shape and longer affixes added, because for this
    project the tagger's main job is telling names (NNP) from words.
    """
    if word in PAD_BEFORE or word in PAD_AFTER:
        low = form = word
    else:
        low, form = normal(word), shape(word)
    itself = (
        "w=" + word,
        "l=" + low,
        "sh=" + form,
        "s1=" + low[-1:],
        "s2=" + low[-2:],
        "s3=" + low[-3:],
        "s4=" + low[-4:],
        "p1=" + word[:1],
        "p2=" + low[:2],
        "p3=" + low[:3],
    )
    before = ("w-1=" + low, "s-1=" + low[-3:])
    after = ("w+1=" + low, "s+1=" + low[-3:], "sh+1=" + form)
    return itself, before, after, ("w-2=" + low,), ("w+2=" + low,)


def context_features(words: Sequence[str]) -> list[list[str]]:
    """The bias, the word pairs each token is in, and a mark on the first token."""
    if not words:
        return []
    lows = [PAD_BEFORE[1], *(normal(w) for w in words), PAD_AFTER[0]]
    out = [
        ["b", "w-1w=" + lows[j - 1] + " " + lows[j], "ww+1=" + lows[j] + " " + lows[j + 1]]
        for j in range(1, len(lows) - 1)
    ]
    out[0].append("first:" + shape(words[0]))
    return out


def pos_features(words: Sequence[str]) -> list[list[str]]:
    """Each token's features as strings: what the trainer learns from, and what the tests
    check the run-time path (`PosTagger.scores`) against."""
    window = window_features(words, word_roles)
    return [a + b for a, b in zip(window, context_features(words), strict=True)]


# --- tagging ------------------------------------------------------------------------------------


class PosTagger:
    """The trained tagger with its cache of word weights (`WordWindows`)."""

    def __init__(self, path: Path) -> None:
        self.model = GreedyModel(path)
        self.windows = WordWindows(self.model, word_roles)

    def scores(self, words: Sequence[str]) -> FloatArray:
        """`model.static_scores` of `pos_features(words)`, most of it from the word cache."""
        return self.windows.scores(words) + self.model.static_scores(context_features(words))

    def tag(self, words: Sequence[str]) -> list[str]:
        return self.model.decode(self.scores(words))


@cache
def pos_model() -> PosTagger:
    """The part-of-speech tagger, read on first use and kept."""
    return PosTagger(POS_WEIGHTS)


def known_word(word: str) -> bool:
    """Whether the tagger learned the word's lowercase form: a capitalised word it never saw
    is a name far more often than anything else, whatever tag its suffix earns it ("Manning":
    VBG, "Roone": NN)."""
    return "l=" + normal(word) in pos_model().model.vocab


def pos_tag(words: Sequence[str]) -> list[str]:
    """Penn Treebank tags of a sentence's tokens (see the module docstring for the tokens)."""
    if not words:
        return []
    return pos_model().tag(words)


# --- noun phrases -------------------------------------------------------------------------------

# Base noun phrases as a regular expression over tags, written like an nltk RegexpParser chunk
# rule: <TAG> matches one tag, `.` inside <...> any tag characters. A base noun phrase is an
# optional determiner or possessor, modifiers (adjectives, numbers, nouns, participles after a
# determiner), and a head noun; or a pronoun; or a number standing alone.
NP_GRAMMAR = (
    # with a determiner: "the company 's new chief executive", "all the known cases"
    r"<PDT>?<DT|PRP\$|WP\$|WDT>(<NN.*|CD>+<POS>)?(<RB.?>?<JJ.*|VBN|VBG>|<CD|HYPH>)*"
    r"<NN.*|CD|HYPH|FW>*<NN.*|FW>",
    # without one, participles are more often verbs: "Smith 's old car", "new tax rules"
    r"(<NN.*|CD>+<POS>)?(<RB.?>?<JJ.*>|<CD|HYPH>)*<NN.*|CD|HYPH|FW>*<NN.*|FW>",
    # numbers standing alone: "the 1990s", "54,000", "$ 5 million"
    r"<DT|PRP\$>?<JJ.*>*<\$|\#>?<CD>+",
    # pronouns, relative "which", addresses
    r"<PRP|EX|WP|WDT|ADD>",
)


def compile_tag_pattern(pattern: str) -> re.Pattern[str]:
    """A tag pattern in RegexpParser syntax as a regex over "<DT><NN>..." strings."""
    body = re.sub(r"\s", "", pattern)
    # Inside <...>, "." must not run past the tag; nltk rewrites it the same way.
    body = re.sub(
        r"<([^>]+)>", lambda m: "(?:<(?:" + m.group(1).replace(".", "[^<>]") + ")>)", body
    )
    return re.compile(body)


@cache
def np_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(compile_tag_pattern(rule) for rule in NP_GRAMMAR)


def noun_phrases(tags: Sequence[str]) -> list[tuple[int, int]]:
    """Base noun phrases as [start, end) token spans, in order, never overlapping.

    Rules apply in order, each to the tags no earlier rule chunked, like the chunk rules of one
    nltk RegexpParser stage: a chunked tag's brackets become braces, which no pattern matches,
    so no later match can reach into or across a chunk.
    """
    text = "".join(f"<{t}>" for t in tags)
    token_at: dict[int, int] = {}  # character offset of each tag's "<" -> token position
    offset = 0
    for position, tag in enumerate(tags):
        token_at[offset] = position
        offset += len(tag) + 2
    token_at[offset] = len(tags)
    spans: list[tuple[int, int]] = []
    for pattern in np_patterns():
        found = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        if not found:
            continue
        chars = list(text)
        for a, b in found:
            spans.append((token_at[a], token_at[b]))
            for k in range(a, b):
                if chars[k] == "<":
                    chars[k] = "{"
                elif chars[k] == ">":
                    chars[k] = "}"
        text = "".join(chars)
    return sorted(spans)
