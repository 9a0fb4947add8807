"""What the learned scorer knows about a candidate span: one function for training and answering.

A span answers a question in a source when the sentence around it is about what the question
asks (its words, its subject: named, or referred back to by a pronoun), when the span is the
kind of thing the question word asks for ("when" a date, "how many" a number with the noun
asked about), when it stands near the question's words and when it does not merely repeat the
question. None of these decides alone, so each is a feature and the weights are learned
(training/train_scorer.py). Source-level features (how well the source's best sentence matches
the question) let the same weights say "this source does not say": a span in a source whose
sentences barely touch the question scores low however well it is shaped.

Training and answering must see the same candidates from the same sentences, so both go
through `source_candidates`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from index.answers import cues
from index.answers.candidates import Span, Tagged, tagged
from index.answers.evidence import sentences
from index.answers.extract import Candidate as RulesCandidate
from index.answers.extract import ranked
from index.answers.mentions import WEEKDAY_PATTERN, Mention
from index.answers.question import AUXILIARIES, DO_AUXILIARIES, WH_WORDS, Question
from index.answers.words import is_demonym, is_stopword, light_stem
from index.result import Passage

# Sentences read per source: the best matches to the question. Tagging is the cost of
# answering (see `index.answers.candidates`), and the answer is nearly always in one of them.
SENTENCES_PER_SOURCE = 4
NEGATIONS = frozenset(["not", "n't", "never", "no", "neither", "nor", "without", "denied"])
HOW_ADJECTIVES = frozenset(
    ["many", "much", "old", "long", "far", "big", "large", "tall", "high", "deep", "often"]
)
# Words before a span that say what it is ("in" a place, "by" an agent, "since" a time).
CLOSED_PREVIOUS = frozenset(
    [
        "in",
        "on",
        "at",
        "by",
        "of",
        "for",
        "from",
        "to",
        "since",
        "until",
        "during",
        "after",
        "before",
        "as",
        "with",
        "called",
        "named",
        "than",
        "about",
        ",",
        "(",
        ":",
        "the",
        "a",
        "an",
        "and",
        "or",
    ]
)
Features = list[tuple[str, float]]
# Question words that ask for more than one thing: the answer may be a pair or a list.
PLURAL_CUES = frozenset(["two", "three", "four", "both", "were", "are"])


@dataclass(frozen=True)
class QuestionView:
    """The parts of a question the features read, computed once per question."""

    wh: str  # who, when, where, why, how_many, how_much, how_<adj>, how, what, which, none
    wh_next: str  # the word after what/which/how-adjective ("year", "people"), or ""
    rule_type: str  # the rules' answer type (index.answers.question)
    stems: frozenset[str]  # content stems of the question, subject included
    words: frozenset[str]  # every lowercased word of the question
    subject: tuple[tuple[str, ...], ...]
    head: str  # the noun a number question counts ("people"), or ""
    plural: bool  # asks for more than one ("which two ...", "who were ...")
    focus: frozenset[str]  # the stems that are not the subject's ("founded", "live")
    event: tuple[str, ...] = ()  # a count question's verb ("wounded"), as `Question.predicate`
    # what the wh-phrase is to the question's verb: its doer ("Who *sacked* X?"), its object
    # ("Whom did X sack?"), the subject of a passive ("Who was sacked?"), or "" (a copula:
    # "Who was the president?")
    role: str = ""


def view(q: Question) -> QuestionView:
    norms = [w.lower() for w in re.findall(r"\w+(?:['’]\w+)*", q.text)]
    wh, wh_next = "none", ""
    for i, n in enumerate(norms):
        if n not in WH_WORDS:
            continue
        after = [w for w in norms[i + 1 :] if w not in ("the", "a", "an", "of", "kind", "type")]
        nxt = after[0] if after else ""
        if n == "how":
            wh = f"how_{nxt}" if nxt in HOW_ADJECTIVES else "how"
            wh_next = after[1] if nxt in ("many", "much") and len(after) > 1 else ""
        elif n in ("what", "which"):
            wh = n
            wh_next = q.head or ("" if nxt in AUXILIARIES else nxt)
        else:
            wh = {"whom": "who", "whose": "who"}.get(n, n)
        break
    # "old" in "How old is X?" says what kind of answer is asked for, like "when": the
    # sentence that answers ("X, 30, moved ...") need not say it.
    asked = {norms[i + 1] for i, n in enumerate(norms[:-1]) if n == "how"} & HOW_ADJECTIVES
    stems = frozenset(
        _stem(n)
        for n in norms
        if not is_stopword(n) and n not in WH_WORDS and n not in AUXILIARIES and n not in asked
    )
    head = q.head or wh_next
    return QuestionView(
        wh,
        wh_next,
        q.answer_type,
        stems,
        frozenset(norms),
        tuple(q.subject),
        light_stem(head) if head else "",
        bool(PLURAL_CUES & set(norms)),
        stems - {_stem(w) for phrase in q.subject for w in phrase},
        q.predicate if q.answer_type == "number" and q.number_kind in (None, "count") else (),
        _wh_role(norms, wh, wh_next),
    )


_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "am"])


def _wh_role(norms: list[str], wh: str, wh_next: str) -> str:
    """What the wh-phrase is to the question's verb, from the word after it: "do" or a modal
    make it the object ("What did X buy?"), "be" and a participle the subject of a passive
    ("Who was sacked?"), any other verb its doer ("Who sacked X?", "Which company bought X?")."""
    at = next((i for i, n in enumerate(norms) if n in WH_WORDS), None)
    if at is None or wh not in ("who", "what", "which"):
        return ""
    k = at + 1
    if wh in ("what", "which") and k < len(norms) and norms[k] == wh_next:
        k += 1  # "which company"
    if k >= len(norms):
        return ""
    if norms[k] in DO_AUXILIARIES:
        return "object"
    if norms[k] in _BE:
        nxt = norms[k + 1] if k + 1 < len(norms) else ""
        return "passive" if nxt.endswith(("ed", "en", "wn")) else ""
    return "" if norms[k] in AUXILIARIES else "doer"


@dataclass
class Candidate:
    """A span of a source with its features, and where it comes from."""

    span: Span
    sentence: str
    article: str
    paragraph: int
    features: Features


@dataclass
class _Read:
    tagged: Tagged
    subject: float
    matched: tuple[int, ...]  # token positions of question stems
    overlap: float
    rank: int  # of the passage in the source
    article: str
    paragraph: int


def source_candidates(q: Question, passages: list[Passage]) -> list[Candidate]:
    """The candidate spans of one source's best-matching sentences, each with its features."""
    qv = view(q)
    picks = _rules_picks(q, passages)
    chosen: list[tuple[float, str, float, int, Passage]] = []
    for rank, p in enumerate(passages):
        for sent in sentences(p.text, p.sentences, q.subject):
            overlap = _quick_overlap(qv, sent.text)
            picked = any(
                _same_sentence(c, p.article, p.paragraph, sent.text)
                for c in picks[:RULES_SENTENCES]
            )
            if overlap == 0 and sent.subject < 0.6 and not picked:
                continue
            # the rules' best values' sentences first, whatever their overlap
            priority = overlap + 0.2 * (sent.subject >= 0.6) + 10.0 * picked
            if needs_number(qv):
                # "How old is X?": of the many sentences naming X, the one with a number
                priority += 0.3 * _has_number(sent.text)
            chosen.append((priority, sent.text, sent.subject, rank, p))
    chosen.sort(key=lambda c: -c[0])  # stable: ties keep passage order
    reads: list[_Read] = []
    for _, text, subject, rank, p in chosen[:SENTENCES_PER_SOURCE]:
        t = tagged(text)
        matched = tuple(i for i, w in enumerate(t.lower) if _stem(w) in qv.stems)
        said = {_stem(t.lower[i]) for i in matched}
        if 0.6 <= subject < 1.0:
            said |= qv.stems - qv.focus  # its opening pronoun names the subject ("It was ...")
        overlap = len(said) / max(len(qv.stems), 1)
        reads.append(_Read(t, subject, matched, overlap, rank, p.article, p.paragraph))
    if not reads:
        return []
    best = max(r.overlap for r in reads)
    # tied sentences share a rank: their order is only the passages' order
    levels = sorted({r.overlap for r in reads}, reverse=True)
    sentence_rank = {k: levels.index(r.overlap) for k, r in enumerate(reads)}
    out: list[Candidate] = []
    for k, r in enumerate(reads):
        here = [
            (n, rc)
            for n, rc in enumerate(picks)
            if _same_sentence(rc, r.article, r.paragraph, r.tagged.text)
        ]
        for span in r.tagged.spans:
            if repeats_question(qv, r.tagged, span) or not fits_type(qv, r.tagged, span):
                continue
            feats = span_features(qv, r, span)
            value = span.text.lower()
            pick = next(((n, rc) for n, rc in here if rc.value.lower() == value), None)
            if pick is not None:
                n, rc = pick
                cue = "strong" if rc.cue >= 0.9 else "some" if rc.cue > 0 else "none"
                feats += [
                    ("rules_candidate", rc.score),
                    (f"rules_rank={min(n, 2)}", 1.0),
                    (f"rules_rank={min(n, 2)}|rt={qv.rule_type}", 1.0),
                    (f"rules_cue={cue}", 1.0),
                ]
            feats += sentence_features(qv, r, best, sentence_rank[k])
            out.append(Candidate(span, r.tagged.text, r.article, r.paragraph, feats))
    support = Counter(c.span.text.lower() for c in out)
    for c in out:
        if support[c.span.text.lower()] > 1:
            c.features.append(("support>1", 1.0))
    return out


# The rules layer's best values whose sentences are always read (see `_rules_picks`).
RULES_SENTENCES = 2


def _rules_picks(q: Question, passages: list[Passage]) -> list[RulesCandidate]:
    """The rules layer's reading of the source (`index.answers.extract`), best value first, as
    evidence: the hand-written cues encode what SQuAD-like training data rarely shows (news
    appositions: "X, 30,"; "founder X"), and the scorer learns how far to trust them. The
    sentences of its two best values are read whatever their overlap with the question: "How
    old is X?" shares one word with "X, 30, moved ...", and with every other sentence about X."""
    if q.answer_type in ("other", "yesno"):
        return []
    return ranked(q, passages)


def _same_sentence(c: RulesCandidate, article: str, paragraph: int, text: str) -> bool:
    """Whether the rules read `c` from this sentence, which their splitter may have cut
    differently ("... with St." / "... with St. Petersburg")."""
    return (
        c.article == article
        and c.paragraph == paragraph
        and (c.sentence in text or text in c.sentence)
    )


@lru_cache(maxsize=262144)
def _stem(word: str) -> str:
    """A word's stem for matching a sentence to the question; an agent noun matches its verb
    ("founder" / "founded", "investor" / "invested", "governor" / "governed"): news names
    people by what they did."""
    if len(word) >= 6 and word.endswith(("er", "or")) and word.isalpha():
        return light_stem(word[:-2])
    return light_stem(word)


def _quick_overlap(qv: QuestionView, text: str) -> float:
    """Share of the question's stems in a sentence, before tagging it (to choose what to tag)."""
    if not qv.stems:
        return 0.0
    found = {_stem(w) for w in re.findall(r"\w+", text.lower())} & qv.stems
    return len(found) / len(qv.stems)


def repeats_question(qv: QuestionView, t: Tagged, span: Span) -> bool:
    """Whether every content word of the span is in the question: such a span restates what
    is asked ("Who accused Kavanaugh?" is not answered by "Kavanaugh")."""
    content = [w for w in t.lower[span.first : span.last] if any(ch.isalnum() for ch in w)]
    content = [w for w in content if not is_stopword(w)] or content
    return all(
        w in qv.words or _stem(w) in qv.stems or any(is_demonym(a, w) for a in qv.words)
        for w in content
    )  # "Which Iraqi city …?" is not answered by "Iraq"


NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "half",
    ]
)


# The nouns after "what"/"which" that ask for a date written with a digit, as "when" does:
# "Until what date …", "In which year …". Narrower than the rules' `question.DATE_NOUNS`,
# which also types "what era" and "what time" as dates ("the Victorian era" has no digit).
DATE_HEADS = frozenset(["date", "year", "day", "month", "decade", "century"])


def asks_for_date(qv: QuestionView) -> bool:
    return qv.wh == "when" or qv.wh in ("what", "which") and qv.wh_next in DATE_HEADS


def needs_number(qv: QuestionView) -> bool:
    """Whether the question word asks for a number or a date ("how many", "how old", "when",
    "what year"): its answer has a digit or a number word (`fits_type`)."""
    return qv.wh.startswith("how_") and qv.wh != "how_often" or asks_for_date(qv)


# What a length of time or distance is measured in: the words a "how long" answer may hold
# besides its figures ("35 days", "about 10 minutes", "6,650 km"); "800,000 federal workers"
# is no length.
_TIME_UNITS = "second minute hour day week month year decade century night"
_FIGURE_WORDS = "a an the about nearly almost some over under more than less least at roughly \
approximately around just only and half"
# with the number words: all a "how long" answer may say besides its figures
LENGTH_ANSWER_WORDS = (
    frozenset([u + s for u in _TIME_UNITS.split() for s in ("", "s")] + ["centuries"])
    | cues.LENGTH_UNITS
    | frozenset(_FIGURE_WORDS.split())
    | NUMBER_WORDS
)


# What an age is never measured in: "a three-hour siege", "a 10-mile run", "$30" are no ages
# ("30 years", "six months old", "a 10-day-old" may be).
NOT_AGE_WORDS = (
    frozenset(["hour", "hours", "minute", "minutes", "second", "seconds", "night", "nights"])
    | cues.LENGTH_UNITS
)


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or any(
        w in NUMBER_WORDS for w in re.findall(r"[a-z]+", text.lower())
    )


def fits_type(qv: QuestionView, t: Tagged, span: Span) -> bool:
    """The shapes a typed question's answer cannot lack: a number or date has a digit or a
    number word, a person's name a capital, a length of time or distance no other noun, an
    age no unit but of time ("three-hour" is no age). Only
    the types the question words fix are gated ("how many", "when", "what year", "who",
    "how long"): a type read from a noun ("which valley") is too often wrong to exclude spans
    by (the training script's typing report measures this)."""
    ws = t.words[span.first : span.last]
    if qv.wh == "how_long" and any(
        not w[:1].isdigit() and w.lower() not in LENGTH_ANSWER_WORDS for w in ws if w[:1].isalpha()
    ):
        return False
    if qv.wh == "how_old":
        unit = [w for w in t.lower[span.last : span.last + 2] if w != "-"][:1]  # "10-mile"
        if any(c in span.text for c in "$€£%") or any(
            part.lower() in NOT_AGE_WORDS for w in (*ws, *unit) for part in w.split("-")
        ):
            return False
    if asks_for_date(qv) and (
        span.kind == "quantity"
        or any(c in span.text for c in "$€£%")
        or _counts_a_noun(t, span)
        and _shape(t, span) != "year"
    ):
        return False  # "$40 million", "800 workers": no date ("the 1990 elections" may be)
    if needs_number(qv):
        return any(w[:1].isdigit() or w.lower() in NUMBER_WORDS for w in ws) or (
            asks_for_date(qv) and span.kind == "date"
        )
    if qv.wh == "who":
        return any(w[:1].isupper() for w in ws)
    return True


def _counts_a_noun(t: Tagged, span: Span) -> bool:
    """Whether a figure is followed by a plural noun it counts ("800 workers")."""
    return span.last < len(t.tags) and t.tags[span.last] in ("NNS", "NNPS")


def _shape(t: Tagged, span: Span) -> str:
    ws = t.words[span.first : span.last]
    if all(w[:1].isdigit() for w in ws):
        return "year" if len(ws) == 1 and re.fullmatch(r"1\d{3}|20\d\d", ws[0]) else "digits"
    if any(w[:1].isdigit() for w in ws):
        return "mixed_digit"
    if all(w[:1].isupper() for w in ws if w[:1].isalpha()):
        return "Caps"
    if ws[0][:1].isupper():
        return "Cap_first"
    return "lower"


def span_features(qv: QuestionView, r: _Read, span: Span) -> Features:
    t = r.tagged
    wh, kind = qv.wh, span.kind
    shape = _shape(t, span)
    head_tag = t.tags[span.last - 1]
    length = span.last - span.first
    lb = str(length) if length <= 4 else ("5-7" if length <= 7 else "8+")
    f: Features = [
        ("bias", 1.0),
        (f"wh={wh}|k={kind}", 1.0),
        (f"wh={wh}|shape={shape}", 1.0),
        (f"wh={wh}|ht={head_tag}", 1.0),
        (f"wh={wh}|len={lb}", 1.0),
        (f"rt={qv.rule_type}|k={kind}", 1.0),
        (f"rt={qv.rule_type}|shape={shape}", 1.0),
        (f"k={kind}|len={lb}", 1.0),
        (f"plural={qv.plural:d}|k={kind}", 1.0),
    ]
    if qv.wh_next:
        f += [(f"whn={qv.wh_next}|k={kind}", 1.0), (f"whn={qv.wh_next}|shape={shape}", 1.0)]
        around = t.lower[max(0, span.first - 2) : span.last + 2]
        if _stem(qv.wh_next) in {_stem(w) for w in around}:
            f.append(("names_what_is_asked", 1.0))  # "which river" ... "the Rhine river"
    prev = t.lower[span.first - 1] if span.first > 0 else "<s>"
    prev = prev if prev in CLOSED_PREVIOUS or prev == "<s>" else "T:" + t.tags[span.first - 1]
    nxt = t.lower[span.last] if span.last < len(t.lower) else "</s>"
    nxt = nxt if nxt in CLOSED_PREVIOUS or nxt == "</s>" else "T:" + t.tags[span.last]
    f += [(f"wh={wh}|prev={prev}", 1.0), (f"wh={wh}|next={nxt}", 1.0)]
    # how near the question's words: a question and its answer sentence share a clause
    if r.matched:
        dist = (
            min(
                min(abs(i - span.first), abs(i - (span.last - 1)))
                for i in r.matched
                if not span.first <= i < span.last
            )
            if any(not span.first <= i < span.last for i in r.matched)
            else 99
        )
        db = "0-1" if dist <= 1 else "2-3" if dist <= 3 else "4-6" if dist <= 6 else "7-12" \
            if dist <= 12 else "far"  # fmt: skip
        f.append((f"dist={db}", 1.0))
        f.append((f"wh={wh}|dist={db}", 1.0))
        left = sum(1 for i in r.matched if span.first - 4 <= i < span.first)
        right = sum(1 for i in r.matched if span.last <= i < span.last + 4)
        f += [("near_left", min(left, 3) / 3), ("near_right", min(right, 3) / 3)]
        wide = sum(1 for i in r.matched if span.first - 10 <= i < span.last + 10)
        f.append(("near_10", min(wide, 6) / 6))
        f += _clause_features(t, span, r.matched)
    inside = sum(1 for i in r.matched if span.first <= i < span.last)
    if inside:
        f.append(("part_repeats_question", min(inside / length, 1.0)))
    before = t.lower[max(0, span.first - 5) : span.first]
    if any(w in NEGATIONS for w in before):
        f.append(("negation_before", 1.0))
    elif any(w in NEGATIONS for w in t.lower):
        f.append(("negation_in_sentence", 1.0))
    if kind in ("number", "quantity") or shape == "digits":
        counted = t.lower[span.last] if span.last < len(t.lower) else ""
        span_words = {_stem(w) for w in t.lower[span.first : span.last]}
        if qv.head and (qv.head in span_words or _stem(counted) == qv.head):
            f.append(("counts_the_noun_asked", 1.0))
        elif qv.head:
            f.append(("counts_another_noun", 1.0))
        if qv.event:  # "killing 50 and wounding 53": which verb's conjunct the count is in
            count = Mention(span.start, span.end, span.text, "count")
            tied = cues.tied_to_event(_cue_question(qv), t.text, count)
            if tied is not None:
                f.append(("count_of_the_event_asked" if tied else "count_of_another_event", 1.0))
    f += _cue_features(qv, t, span)
    f += _direction_features(qv, t, span, r.matched)
    return f


def _direction_features(
    qv: QuestionView, t: Tagged, span: Span, matched: tuple[int, ...]
) -> Features:
    """Which side of the question's verb the span stands on in the sentence, in which voice,
    for the role the question asks about: for "Who sacked X?" the doer stands before an
    active verb ("Y sacked X") or after "by" ("X was sacked by Y"); for "Who was sacked?" the
    object stands after it. Without this, both people near "sacked" look alike."""
    if not qv.role:
        return []
    verbs = [i for i in matched if t.tags[i].startswith("VB") and not span.first <= i < span.last]
    if not verbs:
        return []
    verb = min(verbs, key=lambda i: min(abs(i - span.first), abs(i - span.last)))
    side = "before" if span.last <= verb else "after"
    voice = "passive" if t.tags[verb] == "VBN" and any(
        w in _BE for w in t.lower[max(0, verb - 2) : verb]
    ) else "active"  # fmt: skip
    f: Features = [(f"role={qv.role}|{side}|{voice}", 1.0)]
    if span.first > 0 and t.lower[span.first - 1] == "by":
        f.append((f"role={qv.role}|by", 1.0))
    return f


def _clause_features(t: Tagged, span: Span, matched: tuple[int, ...]) -> Features:
    """Whether the nearest question word is in the span's clause (no comma, semicolon or
    dash between them), and whether it stands right before the span ("founded in X",
    "founder X"): an answer and the words of its question share a clause."""
    outside = [i for i in matched if not span.first <= i < span.last]
    if not outside:
        return []
    nearest = min(outside, key=lambda i: min(abs(i - span.first), abs(i - span.last)))
    lo, hi = (nearest, span.first) if nearest < span.first else (span.last, nearest)
    f: Features = []
    if not any(w in (",", ";", "--", "(", ")", ":") for w in t.lower[lo:hi]):
        f.append(("same_clause", 1.0))
    gap = [w for w in t.lower[nearest + 1 : span.first] if w not in ("the", "a", "an")]
    if nearest < span.first and len(gap) <= 1:
        f.append((f"question_word_before|gap={gap[0] if gap else ''}", 1.0))
        f.append((f"question_word_before|tag={t.tags[nearest][:2]}", 1.0))
    if nearest >= span.last and nearest - span.last <= 1:
        f.append((f"question_word_after|tag={t.tags[nearest][:2]}", 1.0))
    return f


def sentence_features(qv: QuestionView, r: _Read, best: float, rank: int) -> Features:
    ob = min(int(r.overlap * 5), 4)
    bb = min(int(best * 5), 4)
    # The relation asked about ("founded", "live"), apart from what it is asked of: a sentence
    # about the subject that does not say the relation ("the vice president of X, Y") rarely
    # answers.
    if qv.focus:
        found = len(qv.focus & {_stem(r.tagged.lower[i]) for i in r.matched}) / len(qv.focus)
        fb = "none" if found == 0 else "all" if found == 1 else "part"
    else:
        fb = "no_focus"
    return [
        (f"focus={fb}", 1.0),
        (f"wh={qv.wh}|focus={fb}", 1.0),
        ("overlap", r.overlap),
        (f"overlap_b={ob}", 1.0),
        (f"wh={qv.wh}|overlap_b={ob}", 1.0),
        ("behind_best", best - r.overlap),
        (f"sentence_rank={min(rank, 3)}", 1.0),
        (f"source_best_b={bb}", 1.0),
        (f"subject={r.subject:g}", 1.0),
        (f"passage_rank={min(r.rank, 3)}", 1.0),
    ]


def _cue_features(qv: QuestionView, t: Tagged, span: Span) -> Features:
    """The rules layer's cues ("lives in X", "founder X", "in 1866"), for the spans of the
    type they were written for; the question object they read is rebuilt from `qv`."""
    m = Mention(span.start, span.end, span.text, "name")
    text = t.text
    q = _cue_question(qv)
    if span.kind == "person":
        return [("cue_person", cues.person_cue(q, text, m))]
    if span.kind == "place":
        return [("cue_place", cues.place_cue(q, text, m))]
    if span.kind == "organization":
        return [("cue_organization", cues.organization_cue(q, text, m))]
    if span.kind == "date":
        weekday = WEEKDAY_PATTERN.fullmatch(span.text)
        if weekday:
            return [("cue_date", cues.weekday_cue(q, text, m))]
        return [("cue_date", cues.life_date_cue(q, text, m, cues.date_cue(text, m)))]
    return []


@lru_cache(maxsize=1024)
def _cue_question(qv: QuestionView) -> Question:
    return Question(
        text="",
        answer_type=qv.rule_type,
        head=qv.head or None,
        subject=list(qv.subject),
        focus=sorted(qv.stems),
        words=set(qv.words),
        predicate=qv.event,
    )
