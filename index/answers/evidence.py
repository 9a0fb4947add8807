# NOTE (lead engineer): moved here from index/sentences.py, which belongs to the cleaning
# helper (Punkt sentence splitter: SentenceSplitter/train_splitter). Keep this module here.
"""The sentences of a passage, and which of them are about the question's subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.answers.mentions import ABBREVIATED_TITLES
from index.answers.values import MONTHS
from index.answers.words import Word, find_phrase, words

PRONOUNS = frozenset(["he", "she", "they", "it", "his", "her", "their", "its", "him", "them"])
# Fallback splitter for passages that arrive without sentence offsets: a stop, then space and
# a capital or quote. Good enough for scoring; the index's own splitter is used when present.
# As there (`index.ingest.sentences`), a single-letter initial never ends a sentence: "Daniel
# B. Burke" is one name.
_BOUNDARY = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\s[A-Z]\.)(?<=[.!?\"”’)])\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass
class Sentence:
    text: str
    start: int  # offset in the paragraph
    words: list[Word]
    subject: float  # 1 names the subject, 0.6 refers back to it by pronoun, else 0
    subject_at: list[int]  # word indexes of the subject (or its pronoun)
    # focus stems the sentence says by another name: "Mateen" for "gunman" in an article that
    # writes "the gunman, Omar Mateen" (`extract._with_aliases`), with where
    aliases: dict[str, list[int]] = field(default_factory=dict)


# Nor does an abbreviated title or month: "Sen. Warren", "on Jan. 3" ("May." is a month's
# whole name, and may end one).
_NO_BREAK_AFTER = ABBREVIATED_TITLES | {k for k in MONTHS if len(k) <= 4} - {"may", "june", "july"}
_WORD_BEFORE_STOP = re.compile(r"([A-Za-z]+)\.$")


def split(text: str, offsets: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    if offsets:
        return list(offsets)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = _WORD_BEFORE_STOP.search(text, max(0, m.start() - 12), m.start())
        if before and before.group(1).lower() in _NO_BREAK_AFTER:
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentences(
    text: str, offsets: list[tuple[int, int]] | None, subject: list[tuple[str, ...]]
) -> list[Sentence]:
    return list(
        _sentences(text, tuple(tuple(o) for o in offsets or ()), tuple(tuple(s) for s in subject))
    )


@lru_cache(maxsize=16384)
def _sentences(
    text: str, offsets: tuple[tuple[int, int], ...], subject: tuple[tuple[str, ...], ...]
) -> tuple[Sentence, ...]:
    """Sentences with how directly each is about `subject`. A pronoun counts only after the
    subject has been named earlier in the same paragraph: news paragraphs name a person and
    go on with "he", rarely the other way round."""
    out: list[Sentence] = []
    named = False
    for s, e in split(text, list(offsets)):
        chunk = text[s:e]
        ws = words(chunk)
        hits = sorted({i for phrase in subject for i in find_phrase(ws, phrase)})
        if hits:
            score = 1.0
            named = True
        elif named and (pron := [i for i, w in enumerate(ws[:3]) if w.norm in PRONOUNS]):
            score, hits = 0.6, pron[:1]  # only a pronoun opening the sentence is its topic
        else:
            score = 0.0 if subject else 0.5
        out.append(Sentence(chunk, s, ws, score, hits))
    return tuple(out)
