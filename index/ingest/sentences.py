"""Sentence offsets and passage-sized paragraphs.

Sentence boundaries come from nltk's Punkt, trained on the corpus itself (its spelling, its
outlets' abbreviations; no pretrained model is shipped or fetched). Punkt learns a corpus's
abbreviations, but a small corpus has too few of them, so the learned set is seeded with a
general English list.
Two rules are enforced on top of Punkt, because a wrong break there splits a name: a
single-letter initial ("J. K. Rowling", "U. S.") and a title before a name ("Sen.
Warren") never end a sentence.

Paragraphs are the unit the reader shows and ranks. A block with no paragraph structure
(a whole article on one line) is cut into passages of a few sentences, so that a passage
answers one thing and stays readable.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from index.articles import Paragraph

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
        """Punkt's English settings with its patterns on `re` (same reason: each pattern is
        Punkt's own, built the way Punkt builds it).

        The word-splitting pattern was moved first. The sentence-end candidates
        (`period_context_re`, run over every paragraph) and the closing-punctuation
        realignment (run at every break) followed: on the `regex` wrapper they were half of
        a build's sentence splitting. In those two, `\\s`/`\\S` are spelled as the `regex`
        engine reads them (Unicode White_Space), since `re` also counts the four separator
        controls U+001C-U+001F as spaces: the boundaries stay exactly what Punkt finds.
        """

        __slots__ = ()
        re_boundary_realignment = re.compile(
            _as_regex_spaces(punkt.PunktLanguageVars.re_boundary_realignment.pattern),
            re.MULTILINE,
        )

        def period_context_re(self) -> re.Pattern[str]:
            try:
                return self._re_period_context  # type: ignore[has-type]
            except AttributeError:
                pattern = self._period_context_fmt % {
                    "NonWord": self._re_non_word_chars,
                    "SentEndChars": self._re_sent_end_chars,
                }
                self._re_period_context = re.compile(  # type: ignore[misc]  # Punkt's slot
                    _as_regex_spaces(pattern), re.UNICODE | re.VERBOSE
                )
                return self._re_period_context

        def _word_tokenizer_re(self) -> re.Pattern[str]:
            try:
                return self._re_word_tokenizer  # type: ignore[has-type]
            except AttributeError:
                self._re_word_tokenizer = re.compile(  # type: ignore[misc]  # Punkt's slot
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


def _as_regex_spaces(pattern: str) -> str:
    """`pattern` with `\\s` and `\\S` (outside brackets) meaning what `regex` takes them to."""
    return _SPACE_CLASS.sub(lambda m: _REGEX_SPACES[m.group()], pattern)


_SPACE_CLASS = re.compile(r"\\[sS]")
_REGEX_SPACES = {r"\s": r"[^\S\x1c-\x1f]", r"\S": r"[\S\x1c-\x1f]"}


def _seed_parameters() -> PunktParameters:
    params = _punkt().module.PunktParameters()
    params.abbrev_types.update(SEED_ABBREVIATIONS)
    return params


# Marks a word `SentenceSplitter._before` has not judged yet (None is a judgement there).
_UNSEEN = object()


class SentenceSplitter:
    """Finds sentence offsets in a paragraph with trained Punkt parameters.

    The boundaries are exactly Punkt's (`PunktSentenceTokenizer.span_tokenize`), found
    without its per-paragraph overhead: a paragraph with no candidate break (no ".", "?" or
    "!" followed by a space and more text, or by other punctuation), which is a third of
    news paragraphs, is one sentence without running Punkt; for the others, Punkt's three
    steps (candidates, the decision at each candidate, realigning closing punctuation) are
    done in one loop, and the decision, which depends only on the words around the
    candidate, is remembered per context ("said. The"). tests/test_sentences.py checks the
    result against Punkt's own on real and generated text.
    """

    # Decisions remembered, at most: enough for an archive's recurring contexts.
    _MAX_REMEMBERED = 500_000

    def __init__(self, params: PunktParameters | None = None) -> None:
        if params is None:
            params = _seed_parameters()
        self.params = params  # picklable, unlike the tokenizer: worker processes rebuild from it
        punkt = _punkt()
        self._tokenizer = punkt.module.PunktSentenceTokenizer(
            params, lang_vars=punkt.LanguageVars(), token_cls=punkt.Token
        )
        lang_vars = self._tokenizer._lang_vars
        self._candidates = lang_vars.period_context_re()
        self._realignment = lang_vars.re_boundary_realignment
        self._decisions: dict[str, bool] = {}
        # What is known of each side of a context (see `_breaks`): of the text before a
        # candidate, `_judge_before`'s answer; of the token after it, whether it breaks
        # alone.
        self._before: dict[str, bool | None] = {}
        self._after: dict[str, bool] = {}
        self._collocation_starts = frozenset(first for first, _ in params.collocations)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence (start, end) offsets into `text`, each stripped of surrounding spaces."""
        if not text or not text.strip():
            return []
        spans: list[tuple[int, int]] = []
        for start, end in self.punkt_spans(text):
            start, end = _strip_span(text, start, end)
            if start >= end:
                continue
            if spans and _must_continue(text, spans[-1], start):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        return spans

    def punkt_spans(self, text: str) -> list[tuple[int, int]]:
        """`list(PunktSentenceTokenizer.span_tokenize(text))`, computed faster (see above)."""
        matches = self._candidates.finditer(text)
        first = next(matches, None)
        if first is None:
            end = len(text.rstrip())
            return [(0, end)] if end > 0 else []
        # Punkt's _match_potential_end_contexts and _slices_from_text: a candidate is
        # judged on its context (the word before it, itself, what follows), and skipped
        # when that word overlaps the previous candidate's.
        last_space = _last_space if _has_only_plain_spaces(text) else _last_ascii_space
        slices: list[tuple[int, int]] = []
        last_break = 0
        word_start = word_end = 0
        previous: re.Match[str] = first
        for match in itertools.chain((first,), matches):
            at = match.start()
            space = last_space(text, word_end, at)
            start = space + 1 if space > word_end else word_start
            if match is not first and word_end <= start:
                last_break = self._cut(text, previous, word_start, word_end, last_break, slices)
            previous, word_start, word_end = match, start, at
        last_break = self._cut(text, previous, word_start, word_end, last_break, slices)
        slices.append((last_break, len(text.rstrip())))
        # Punkt's _realign_boundaries: closing quotes and brackets after a break go with the
        # sentence before it. (Offsets stay within the text, so text[start:end] is empty
        # exactly when start >= end; the pattern has no ^ or lookbehind, so matching with
        # pos/endpos equals matching the slice.)
        out: list[tuple[int, int]] = []
        realign = 0
        last = len(slices) - 1
        for index, (start, end) in enumerate(slices):
            start += realign
            if index == last:
                if start < end:
                    out.append((start, end))
                continue
            next_start, next_end = slices[index + 1]
            closing = self._realignment.match(text, next_start, next_end)
            if closing:
                out.append((start, next_start + len(closing.group(0).rstrip())))
                realign = closing.end() - next_start
            else:
                realign = 0
                if start < end:
                    out.append((start, end))
        return out

    def _cut(
        self,
        text: str,
        match: re.Match[str],
        word_start: int,
        word_end: int,
        last_break: int,
        slices: list[tuple[int, int]],
    ) -> int:
        """Add the sentence ending at `match` if Punkt breaks there; the next one's start."""
        before = text[word_start:word_end] + match.group()
        after = match.group("after_tok")
        context = before + after
        decision = self._decisions.get(context)
        if decision is None:
            if len(self._decisions) >= self._MAX_REMEMBERED:
                self._decisions.clear()
            decision = self._decisions[context] = self._breaks(
                before, after, match.group("next_tok")
            )
        if not decision:
            return last_break
        slices.append((last_break, match.end()))
        return match.start("next_tok") if match.group("next_tok") else match.end()

    def _breaks(self, before: str, after: str, following: str | None) -> bool:
        """`text_contains_sentbreak(before + after)`, Punkt's decision at a candidate, from
        what is remembered of each side when the two can be judged apart.

        Most contexts are a pair of words seen once ("reforms. The"), but the words recur.
        Punkt settles each token's break from the token itself and the one after it (its
        second pass looks at pairs), and a context breaks when any token but its last
        does. `after` is a punctuation mark or white space and a token (`following`); when
        that white space is one space and neither side has any other, the context's
        tokens are `before`'s, then `following`'s or the mark (no word pattern reaches
        across a single space, and the mark stops the word before it, as the end of
        `before` does). The context then breaks when `before` alone does, `following`
        alone does, or the last token of `before` breaks next to the first after it.
        Punkt's second pass can change a token's first decision only for a period-final
        token that is an abbreviation, an ellipsis, an initial, a number or the first word
        of a learned collocation; for every other token that decision stands whatever
        follows. So the pair costs lookups of remembered words, and Punkt runs on the
        whole context only after those tokens. tests/test_sentences.py checks this
        against `text_contains_sentbreak` on every context of real and generated text.
        """
        if (
            (following is None or (after[:1] == " " and after[1:] == following))
            and " " not in before
            and (before + after).isprintable()  # no other space or separator either
        ):
            remembered = self._before.get(before, _UNSEEN)
            if remembered is _UNSEEN:
                if len(self._before) >= self._MAX_REMEMBERED:
                    self._before.clear()
                remembered = self._before[before] = self._judge_before(before)
            known = cast("bool | None", remembered)
            if known is not None:
                if known or following is None:
                    return known  # (the mark after `before` is the last token)
                breaks = self._after.get(following)
                if breaks is None:
                    if len(self._after) >= self._MAX_REMEMBERED:
                        self._after.clear()
                    breaks = self._tokenizer.text_contains_sentbreak(following)
                    self._after[following] = breaks
                return breaks
        return self._tokenizer.text_contains_sentbreak(before + after)

    def _judge_before(self, before: str) -> bool | None:
        """True when a context starting with `before` breaks whatever follows; False when
        it breaks only if what follows breaks alone; None when the token that follows
        decides (see `_breaks`)."""
        tokenizer = self._tokenizer
        tokens = list(tokenizer._tokenize_words(before))
        if not tokens:
            return None
        last = tokens[-1]
        tokenizer._first_pass_annotation(last)
        # Punkt's `_second_pass_annotation` returns at once for a token without a final
        # period; otherwise these are the tests whose outcome depends on the next token.
        if last.period_final and (
            last.abbr
            or last.ellipsis
            or last.is_initial
            or last.type_no_period == "##number##"
            or last.type_no_period in self._collocation_starts
        ):
            return None
        if last.sentbreak:
            return True  # a break that is not the context's last token
        # One token breaks nothing alone: its own break would be the last one.
        return len(tokens) > 1 and tokenizer.text_contains_sentbreak(before)


_ASCII_SPACES = " \t\n\r\x0b\x0c"  # Punkt's `string.whitespace`


def _has_only_plain_spaces(text: str) -> bool:
    return not any(space in text for space in _ASCII_SPACES[1:])


def _last_space(text: str, start: int, end: int) -> int:
    """`_last_ascii_space` for a text whose only ASCII space is " " (clean paragraphs)."""
    return text.rfind(" ", start, end)


def _last_ascii_space(text: str, start: int, end: int) -> int:
    """Where the last ASCII space of text[start:end] is, as an index into `text`, or -1."""
    last = -1
    for space in _ASCII_SPACES:
        found = text.rfind(space, start, end)
        if found > last:
            last = found
    return last


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# Longest title in _TITLES_BEFORE_NAMES, plus the character before it and the period.
_TITLE_TAIL = max(map(len, _TITLES_BEFORE_NAMES)) + 2


def _must_continue(text: str, previous: tuple[int, int], following: int) -> bool:
    """True when a break between the two would split a name after an initial or title.

    Only the end of the previous sentence matters: the patterns are anchored at its end,
    and a letter run longer than any title is no title (cut or not).
    """
    if not _STARTS_UPPER.match(text[following : following + 2]):
        return False
    start, end = previous
    if _INITIAL_END.search(text[max(start, end - 3) : end]):
        return True
    title = _TITLE_END.search(text[max(start, end - _TITLE_TAIL) : end])
    return title is not None and title.group(1).lower() in _TITLES_BEFORE_NAMES


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
