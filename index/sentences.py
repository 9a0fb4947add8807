"""Sentence offsets and passage-sized paragraphs.

Sentence boundaries come from nltk's Punkt, trained on the corpus itself (its pretrained
English model cannot be downloaded here). Punkt learns a corpus's abbreviations, but a
small corpus has too few of them, so the learned set is seeded with a general English list.
Two rules are enforced on top of Punkt, because a wrong break there splits a name: a
single-letter initial ("J. K. Rowling", "U. S.") and a title before a name ("Sen.
Warren") never end a sentence.

Paragraphs are the unit the reader shows and ranks. A block with no paragraph structure
(a whole article on one line) is cut into passages of a few sentences, so that a passage
answers one thing and stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from index.model import Paragraph

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktParameters


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and review than a list literal)."""
    return frozenset(text.split())


# General English abbreviations (Punkt's form: lowercase, no final period). Titles, ranks,
# company suffixes, months, place abbreviations, Latin and common news shorthand.
# Titles before a name never end a sentence; "Jr." and "Sr." come after one and often do.
_TITLES_BEFORE_NAMES = _words(
    "mr mrs ms messrs dr prof sen sens rep reps gov gen lt col sgt capt cmdr adm maj"
    " rev hon pres supt det insp atty fr"
)
SEED_ABBREVIATIONS = frozenset(
    _TITLES_BEFORE_NAMES
    | _words(
        "jr sr st mt ft inc corp co ltd llc bros dept univ assn natl intl govt jan feb mar apr"
        " jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s"
        " u.k u.n u.s.a e.u l.a d.c n.y n.j n.c s.c n.h n.m n.d s.d w.va calif fla ga ill"
        " mass mich minn miss mo nev okla ore pa tenn tex va vt wash wis wyo ala ariz ark"
        " colo conn del ind kan ky la md neb a.m p.m e.g i.e etc vs v no nos approx est"
        " fig figs vol vols pp ed eds ph.d m.d b.a m.a"
    )
)

_INITIAL_END = re.compile(r"(?:^|[\s(\[“\"‘'-])[A-Z]\.$")
_TITLE_END = re.compile(r"(?:^|[\s(\[“\"‘'])([A-Za-z]+)\.$")
_STARTS_UPPER = re.compile(r"^[\"“‘'(\[]?[A-Z]")

# Training budget: Punkt's trainer is linear in the text it sees (about 1.2 s per million
# characters here); a per-text cap keeps one long document from dominating the statistics.
_MAX_CHARS_PER_TEXT = 20_000
_TRAIN_CHUNK_CHARS = 500_000


_NUMBER_START = frozenset("-.,0123456789")


@cache
def _punkt() -> SimpleNamespace:
    """nltk's Punkt, imported on first use: importing nltk takes a fifth of a second, and
    answering a question from a built index never splits sentences."""
    from nltk.tokenize import punkt

    class Token(punkt.PunktToken):
        """Punkt's token with its four per-token patterns on the standard `re` engine.

        This nltk release routes every per-token match through a timeout-guarded wrapper
        around the `regex` module, which makes training on five million characters take
        over ten seconds. The patterns are Punkt's own, anchored and run on single tokens
        (no catastrophic backtracking is possible), so plain `re` is safe and faster.
        `token_cls` is Punkt's documented extension point for this.
        """

        __slots__ = ()
        _RE_ELLIPSIS = re.compile(r"\.\.+$")
        _RE_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
        _RE_INITIAL = re.compile(r"[^\W\d]\.$")
        _RE_ALPHA = re.compile(r"[^\W\d]+$")

        def _get_type(self, tok: str) -> str:
            lowered = tok.lower()
            if lowered[:1] in _NUMBER_START:
                return self._RE_NUMERIC.sub("##number##", lowered)
            return lowered

    class LanguageVars(punkt.PunktLanguageVars):
        """Punkt's English settings with its word-splitting pattern on `re` (same reason:
        the pattern is Punkt's own `_word_tokenize_fmt`, built the way Punkt builds it)."""

        __slots__ = ()

        def _word_tokenizer_re(self) -> re.Pattern[str]:
            try:
                return self._re_word_tokenizer
            except AttributeError:
                self._re_word_tokenizer = re.compile(
                    self._word_tokenize_fmt
                    % {
                        "NonWord": self._re_non_word_chars,
                        "MultiChar": self._re_multi_char_punct,
                        "WordStart": self._re_word_start,
                    },
                    re.UNICODE | re.VERBOSE,
                )
                return self._re_word_tokenizer

    return SimpleNamespace(module=punkt, Token=Token, LanguageVars=LanguageVars)


def _seed_parameters() -> PunktParameters:
    params = _punkt().module.PunktParameters()
    params.abbrev_types.update(SEED_ABBREVIATIONS)
    return params


class SentenceSplitter:
    """Finds sentence offsets in a paragraph with trained Punkt parameters."""

    def __init__(self, params: PunktParameters | None = None) -> None:
        if params is None:
            params = _seed_parameters()
        self.params = params  # picklable, unlike the tokenizer: worker processes rebuild from it
        punkt = _punkt()
        self._tokenizer = punkt.module.PunktSentenceTokenizer(
            params, lang_vars=punkt.LanguageVars(), token_cls=punkt.Token
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence (start, end) offsets into `text`, each stripped of surrounding spaces."""
        if not text or not text.strip():
            return []
        spans: list[tuple[int, int]] = []
        for start, end in self._tokenizer.span_tokenize(text):
            start, end = _strip_span(text, start, end)
            if start >= end:
                continue
            if spans and _must_continue(text[spans[-1][0] : spans[-1][1]], text[start:end]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _must_continue(previous: str, following: str) -> bool:
    """True when a break between the two would split a name after an initial or title."""
    if not _STARTS_UPPER.match(following):
        return False
    if _INITIAL_END.search(previous):
        return True
    title = _TITLE_END.search(previous)
    return bool(title) and title.group(1).lower() in _TITLES_BEFORE_NAMES


def train_splitter(texts: Iterable[str], max_chars: int = 5_000_000) -> SentenceSplitter:
    """Train Punkt on (at most `max_chars` of) the corpus, seeded with general abbreviations.

    The corpus teaches Punkt its own abbreviations and which words start sentences; the
    seed list covers what a small corpus is too small to teach.
    """
    punkt = _punkt()
    trainer = punkt.module.PunktTrainer(lang_vars=punkt.LanguageVars(), token_cls=punkt.Token)
    budget = max(0, max_chars)
    chunk: list[str] = []
    chunk_chars = 0
    for text in texts:
        if budget <= 0:
            break
        if not isinstance(text, str) or not text.strip():
            continue
        piece = text[: min(_MAX_CHARS_PER_TEXT, budget)]
        budget -= len(piece)
        chunk.append(piece)
        chunk_chars += len(piece)
        if chunk_chars >= _TRAIN_CHUNK_CHARS:
            trainer.train("\n\n".join(chunk), finalize=False)
            chunk, chunk_chars = [], 0
    if chunk:
        trainer.train("\n\n".join(chunk), finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types.update(SEED_ABBREVIATIONS)
    return SentenceSplitter(params)


# --- passages --------------------------------------------------------------------------
# A block longer than this with more than PASSAGE_MAX_SENTENCES sentences has no usable
# paragraph structure (most news paragraphs are 1-4 sentences and under 1,000 characters).
LONG_BLOCK_CHARS = 1_200
PASSAGE_MAX_SENTENCES = 5
PASSAGE_MIN_CHARS = 300
PASSAGE_MAX_CHARS = 900
# A last passage of one short sentence joins the one before it when that stays readable.
_TAIL_MERGE_MAX_CHARS = 200
_MERGED_MAX_CHARS = 1_100


def _passage_groups(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Consecutive sentences grouped into passages of ~3-5 sentences / 300-900 chars."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for span in spans:
        if current:
            current_chars = current[-1][1] - current[0][0]
            with_next = span[1] - current[0][0]
            full = len(current) >= PASSAGE_MAX_SENTENCES
            too_long = with_next > PASSAGE_MAX_CHARS and current_chars >= PASSAGE_MIN_CHARS
            if full or too_long:
                groups.append(current)
                current = []
        current.append(span)
    if current:
        groups.append(current)
    if len(groups) > 1 and len(groups[-1]) == 1:
        last, before = groups[-1], groups[-2]
        small = last[0][1] - last[0][0] <= _TAIL_MERGE_MAX_CHARS
        if small and last[0][1] - before[0][0] <= _MERGED_MAX_CHARS:
            groups[-2] = before + last
            groups.pop()
    return groups


def paragraphs_from_blocks(blocks: list[str], splitter: SentenceSplitter) -> list[Paragraph]:
    """Turn clean blocks into paragraphs with sentence offsets, cutting long blocks."""
    paragraphs: list[Paragraph] = []
    for block in blocks:
        spans = splitter.spans(block)
        if not spans:
            continue
        if len(block) <= LONG_BLOCK_CHARS or len(spans) <= PASSAGE_MAX_SENTENCES:
            paragraphs.append(Paragraph(text=block, sentences=spans))
            continue
        for group in _passage_groups(spans):
            start, end = group[0][0], group[-1][1]
            paragraphs.append(
                Paragraph(
                    text=block[start:end],
                    sentences=[(s - start, e - start) for s, e in group],
                )
            )
    return paragraphs
