"""Typed entity spans in a sentence: the answer layer's candidate answers and their types.

Types: person, place, organization, other (named things of other kinds: events, works,
products, languages), date and number. The first four come from a learned tagger, an averaged
perceptron labelling tokens B-/I-/O over PER, LOC, ORG and MISC (training/train_entities.py,
trained on GUM and wikigold; docs/models.md). Dates and numbers come from rules over the tokens
and their part-of-speech tags: the entity corpora label neither (wikigold never; GUM marks
every time expression, "then" and "that year" alike, and no quantities), while the forms of
dates and numbers are regular enough for rules to find reliably.

Tokens are those of `index.answers.tagging.tokenize` (the treebank's conventions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from index.answers.perceptron import (
    PAD_AFTER,
    PAD_BEFORE,
    FloatArray,
    GreedyModel,
    WordWindows,
    window_features,
)
from index.answers.tagging import WEIGHTS, normal, pos_tag, shape, tokenize

ENTITY_WEIGHTS = WEIGHTS / "entities.npz"

TYPES = ("person", "place", "organization", "date", "number", "other")
LEARNED_TYPES = {"PER": "person", "LOC": "place", "ORG": "organization", "MISC": "other"}


class Entity(NamedTuple):
    """Tokens [start, end) of a sentence and their type (one of TYPES)."""

    start: int
    end: int
    type: str


class TextEntity(NamedTuple):
    """An entity found in a text: its words as written, character offsets, and type."""

    text: str
    start: int
    end: int
    type: str


# --- the learned tagger -------------------------------------------------------------------------


def word_roles(word: str) -> tuple[tuple[str, ...], ...]:
    """The features `word` gives as (itself, previous, next, second previous, second next).

    No gazetteer: what a name is comes from its look (case, shape, affixes) and its context
    (neighbouring words and their tags), which carries over to names never seen in training.
    """
    if word in PAD_BEFORE or word in PAD_AFTER:
        low = form = word
    else:
        low, form = normal(word), shape(word)
    itself = (
        "w=" + word,
        "l=" + low,
        "sh=" + form,
        "p1=" + word[:1],
        "p3=" + low[:3],
        "s2=" + low[-2:],
        "s3=" + low[-3:],
        "s4=" + low[-4:],
    )
    before = ("w-1=" + low, "sh-1=" + form)
    after = ("w+1=" + low, "sh+1=" + form)
    return itself, before, after, ("w-2=" + low,), ("w+2=" + low,)


def headline_like(words: Sequence[str]) -> bool:
    """Most longer words capitalised: a title or headline, where case says little."""
    long = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.7 * len(long)


def tag_features(window: Sequence[str]) -> list[str]:
    """Features of the five part-of-speech tags around a token (window[2] is its own): few
    distinct windows recur, so at run time their weights are kept per window."""
    before2, before, tag, after, after2 = window
    return [
        "b",
        "t=" + tag,
        "t-1=" + before,
        "t+1=" + after,
        "t-2=" + before2,
        "t+2=" + after2,
        "t-1t=" + before + " " + tag,
        "tt+1=" + tag + " " + after,
    ]


def tag_windows(tags: Sequence[str]) -> list[tuple[str, ...]]:
    padded = (*PAD_BEFORE, *tags, *PAD_AFTER)
    return [padded[i : i + 5] for i in range(len(tags))]


def context_features(words: Sequence[str], tags: Sequence[str]) -> list[list[str]]:
    """Per-token features that join the word with its neighbours or its tag, and the
    first-word and headline marks."""
    n = len(words)
    lows = [PAD_BEFORE[1], *(normal(w) for w in words), PAD_AFTER[0]]
    shapes = [PAD_BEFORE[1], *(shape(w) for w in words), PAD_AFTER[0]]
    title = headline_like(words)
    out: list[list[str]] = []
    for i in range(n):
        j = i + 1
        form = shapes[j]
        feats = [
            "tsh=" + tags[i] + " " + form,
            "w-1sh=" + lows[j - 1] + " " + form,
            "shw+1=" + form + " " + lows[j + 1],
            "w-1w=" + lows[j - 1] + " " + lows[j],
            "ww+1=" + lows[j] + " " + lows[j + 1],
            "sh3=" + shapes[j - 1] + " " + form + " " + shapes[j + 1],
        ]
        if i == 0:
            feats.append("first:" + form)
        if title:
            feats.append("title:" + form)
        out.append(feats)
    return out


def entity_features(words: Sequence[str], tags: Sequence[str]) -> list[list[str]]:
    """Each token's features as strings: what the trainer learns from, and what the tests
    check the run-time path (`EntityTagger.scores`) against."""
    window = window_features(words, word_roles)
    context = context_features(words, tags)
    by_tags = [tag_features(w) for w in tag_windows(tags)]
    return [a + b + c for a, b, c in zip(window, context, by_tags, strict=True)]


class EntityTagger:
    """The trained tagger, with weights kept per word (`WordWindows`) and per tag window."""

    CACHE_WINDOWS = 10_000

    def __init__(self, path: Path) -> None:
        self.model = GreedyModel(path)
        self.windows = WordWindows(self.model, word_roles)
        self.by_tags: dict[tuple[str, ...], FloatArray] = {}

    def tag_scores(self, tags: Sequence[str]) -> FloatArray:
        windows = tag_windows(tags)
        new = sorted({w for w in windows if w not in self.by_tags})
        if new:
            if len(self.by_tags) + len(new) > self.CACHE_WINDOWS:
                self.by_tags = {}
                new = sorted(set(windows))
            rows = self.model.static_scores([tag_features(w) for w in new])
            self.by_tags.update(zip(new, rows, strict=True))
        return np.stack([self.by_tags[w] for w in windows])

    def scores(self, words: Sequence[str], tags: Sequence[str]) -> FloatArray:
        """`model.static_scores` of `entity_features(words, tags)`, mostly from the caches."""
        context = self.model.static_scores(context_features(words, tags))
        return self.windows.scores(words) + self.tag_scores(tags) + context

    def labels(self, words: Sequence[str], tags: Sequence[str]) -> list[str]:
        """B-/I-/O labels over PER, LOC, ORG, MISC."""
        return self.model.decode(self.scores(words, tags))


@cache
def entity_model() -> EntityTagger:
    """The entity tagger, read on first use and kept."""
    return EntityTagger(ENTITY_WEIGHTS)


def spans_of_labels(labels: Sequence[str]) -> list[Entity]:
    """Entities from B-/I-/O labels (the decoder never puts I-X after anything but X)."""
    spans: list[Entity] = []
    start, kind = -1, ""
    for position, label in enumerate([*labels, "O"]):
        if start >= 0 and not (label.startswith("I-") and label[2:] == kind):
            spans.append(Entity(start, position, LEARNED_TYPES[kind]))
            start = -1
        if label.startswith("B-") or (label.startswith("I-") and start < 0):
            start, kind = position, label[2:]
    return spans


# --- dates and numbers --------------------------------------------------------------------------

MONTH = re.compile(
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.",
    re.IGNORECASE,
)
WEEKDAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.IGNORECASE)
DAY = re.compile(r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?", re.IGNORECASE)
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
DECADE = re.compile(r"(?:1[5-9]\d0|20\d0|[’']?\d0)[’']?s")
NUMERIC_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}")
CURRENCY = {"$", "£", "€", "¥", "us$", "usd", "eur", "gbp"}
PERCENT = {"%", "percent", "pct"}
MAGNITUDE = {"hundred", "thousand", "million", "billion", "trillion", "dozen", "bn"}

# Each token becomes one letter, and dates are regular expressions over the letters:
# M month, W weekday, D day number, Y year, E a decade ("1990s") or numeric date, Q another
# number, C comma, O "of", T "the", A "ago", R yesterday/today..., N last/next/early...,
# P week/month/morning..., L days/weeks/years..., S season, x anything else.
LETTER_OF_WORD = {
    ",": "C",
    "of": "O",
    "the": "T",
    "ago": "A",
    **dict.fromkeys(("yesterday", "today", "tomorrow", "tonight"), "R"),
    **dict.fromkeys(("last", "next", "this", "early", "late", "mid", "earlier", "later"), "N"),
    **dict.fromkeys(
        ("week", "month", "year", "weekend", "morning", "afternoon", "evening", "night"), "P"
    ),
    **dict.fromkeys(("days", "weeks", "months", "years", "decades", "centuries"), "L"),
    **dict.fromkeys(("spring", "summer", "autumn", "fall", "winter"), "S"),
}
DATE_PATTERNS = re.compile(
    r"N?(?:WC?)?(?:MDC?Y|MD|DO?MC?Y|DO?M|TDOMC?Y|TDOM|MC?Y|M)"  # (Friday,) July 21, 2017 ...
    r"|N?WP?"  # (last) Friday (morning)
    r"|N?Y|N?SY?|T?E"  # (early) 2016; (last) spring (2016); the 1990s; 7/21/2017
    r"|R|NP|[QDY]LA"  # yesterday; last week; two years ago
)


def date_letter(word: str, tag: str) -> str:
    """The token's letter for DATE_PATTERNS. "May" and "March" are months only when tagged
    as names (else the verbs), and months and weekdays only when capitalised."""
    first = word[:1]
    if first.isupper():
        if MONTH.fullmatch(word):
            return "M" if word.lower() not in ("may", "march") or tag == "NNP" else "x"
        if WEEKDAY.fullmatch(word):
            return "W"
    elif first.isdigit() or first in "'’":
        if YEAR.fullmatch(word):
            return "Y"
        if DAY.fullmatch(word):
            return "D"
        if DECADE.fullmatch(word) or NUMERIC_DATE.fullmatch(word):
            return "E"
    if tag == "CD":
        return "Q"
    return LETTER_OF_WORD.get(word.lower(), "x")


def date_spans(words: Sequence[str], tags: Sequence[str], letters: str = "") -> list[Entity]:
    """Dates by pattern: "Friday, July 21, 2017", "21 July", "the 1990s", "last week"...

    A lone year is a number, not a date, after a currency sign or before a plural noun
    ("$ 2000", "2000 votes"); a lone day number is no date; a leading "the" is not part of one.
    `letters` are the tokens' `date_letter`s, if already known.
    """
    letters = letters or "".join(date_letter(w, t) for w, t in zip(words, tags, strict=True))
    spans: list[Entity] = []
    for match in DATE_PATTERNS.finditer(letters):
        a, b = match.span()
        if letters[a] == "T":
            a += 1
        if letters[a:b] == "Y" and (
            (b < len(tags) and tags[b] in ("NNS", "NNPS"))
            or (a > 0 and words[a - 1].lower() in CURRENCY)
        ):
            continue
        if a < b:
            spans.append(Entity(a, b, "date"))
    return spans


def number_spans(words: Sequence[str], tags: Sequence[str], taken: set[int]) -> list[Entity]:
    """Numbers: runs of number-tagged tokens with a currency sign before and a percent or
    magnitude after ("$ 5.4 billion", "54,000", "12 %", "two"), outside other entities."""
    spans: list[Entity] = []
    n = len(words)
    i = 0
    while i < n:
        if tags[i] != "CD" or i in taken:
            i += 1
            continue
        a = i
        if a > 0 and words[a - 1].lower() in CURRENCY and a - 1 not in taken:
            a -= 1
        b = i + 1
        while b < n and b not in taken and (tags[b] == "CD" or words[b].lower() in MAGNITUDE):
            b += 1
        if b < n and b not in taken and words[b].lower() in PERCENT:
            b += 1
        elif b + 1 < n and words[b].lower() == "per" and words[b + 1].lower() == "cent":
            b += 2
        spans.append(Entity(a, b, "number"))
        i = b
    return spans


# --- together -----------------------------------------------------------------------------------


def entities(words: Sequence[str], tags: Sequence[str] | None = None) -> list[Entity]:
    """Typed entity spans of a tokenised sentence, in order, never overlapping.

    `tags` are the sentence's part-of-speech tags if already known (else they are computed).
    Names come from the learned tagger; a name made only of date words ("July", "Friday") is
    replaced by the date around it; dates and numbers fill the tokens names leave.
    """
    if not words:
        return []
    tags = list(tags) if tags is not None else pos_tag(words)
    names = spans_of_labels(entity_model().labels(words, tags))
    letters = "".join(date_letter(w, t) for w, t in zip(words, tags, strict=True))
    dates = date_spans(words, tags, letters)
    in_date = {i for d in dates for i in range(d.start, d.end)}
    kept = [
        e
        for e in names
        if not all(i in in_date and letters[i] != "x" for i in range(e.start, e.end))
    ]
    taken = {i for e in kept for i in range(e.start, e.end)}
    for d in dates:
        if not any(i in taken for i in range(d.start, d.end)):
            kept.append(d)
            taken.update(range(d.start, d.end))
    kept += number_spans(words, tags, taken)
    return sorted(kept)


def entities_in(text: str) -> list[TextEntity]:
    """Typed entities of one sentence of text, with character offsets into it."""
    tokens = tokenize(text)
    out = []
    for entity in entities([t.text for t in tokens]):
        start, end = tokens[entity.start].start, tokens[entity.end - 1].end
        out.append(TextEntity(text[start:end], start, end, entity.type))
    return out
