# NOTE (lead engineer): moved here from index/sentences.py, which belongs to the cleaning
# helper (Punkt sentence splitter: SentenceSplitter/train_splitter). Keep this module here.
"""The sentences of a passage, and which of them are about the question's subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.answers.cues import AMBIGUOUS_TITLES, ORG_WORDS, TITLES
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


# How many words may open a sentence before its topic: "Built about 1898, it is a prominent
# example", "In 2010, the company said", "Completed in 1913, the courthouse is".
_OPENING_WORDS = 12


def _refers_back(chunk: str, ws: list[Word], heads: set[str]) -> int | None:
    """The index of the word by which a sentence refers back to the subject named before it
    in its paragraph, as its topic: a pronoun ("He said"), or "the" and the last word of
    the subject's name, in lower case ("the depot" after "the Kansas City Southern Depot",
    "the committee" after "the Senate Judiciary Committee"), among its first three words or
    right after an opening phrase ended by a comma. Only the topic: a pronoun further in
    ("… told him") is as often someone else."""
    places = [0, 1, 2]
    comma = chunk.find(",")
    if comma > 0:
        after = next((i for i, w in enumerate(ws) if w.start > comma), None)
        if after is not None and after <= _OPENING_WORDS:
            places += [after, after + 1]
    for i in places:
        if i >= len(ws):
            break
        if ws[i].norm in PRONOUNS:
            return i
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        # lower case: "the House" is another name than "White House"
        if ws[i].norm == "the" and nxt and nxt.norm in heads and not nxt.capitalised:
            return i + 1
    return None


def _title_of_a_name(phrase: tuple[str, ...]) -> bool:
    """Whether the subject opens with a person's title ("When was *Justice* Cole born?",
    "What did *Sen.* Manchin say?"). Texts often name the person without it ("Charles
    Cleaves Cole (May 22, 1841 – …) was a United States federal judge"): the name after a
    first name or another title names the subject too. Not a title that also opens other
    names ("General Motors"), nor before an organisation's word ("Justice Department")."""
    return (
        len(phrase) >= 2
        and phrase[0].rstrip(".") in TITLES - AMBIGUOUS_TITLES
        and not any(w in ORG_WORDS for w in phrase[1:])
    )


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
    untitled = [p[1:] for p in subject if _title_of_a_name(p)]
    heads = {p[-1] for p in subject if len(p) >= 2}
    for s, e in split(text, list(offsets)):
        chunk = text[s:e]
        ws = words(chunk)
        hits = sorted({i for phrase in subject for i in find_phrase(ws, phrase)})
        if not hits and untitled:
            hits = sorted(
                {i for p in untitled for i in find_phrase(ws, p) if i and ws[i - 1].capitalised}
            )
        if hits:
            score = 1.0
            named = True
        elif named and (topic := _refers_back(chunk, ws, heads)) is not None:
            score, hits = 0.6, [topic]
        else:
            score = 0.0 if subject else 0.5
        out.append(Sentence(chunk, s, ws, score, hits))
    return tuple(out)
