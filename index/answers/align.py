"""Two sources printing the same sentence with a different value in it.

Rewrites and republished wire copy keep most of a sentence and change what they change: a
figure, a date, a name. When a sentence of one source about the question has a near-identical
counterpart in another source, and the two differ in a span of the question's type, that span
is where they disagree, whichever span each source's own scoring picked: the answer is
re-read from the differing slot in both. Texts that merely share a topic never come close
enough (`MIN_SIMILARITY` of their words) for this to apply, and a sentence about something
else than what was asked (`_about_question`) is not compared at all: rewrites differ in many
sentences, and only a difference about what was asked is a disagreement about it.

The sentences compared, in order: the one the source answers from, those of its few best
candidate answers (even below the confidence needed to answer: two sources each unsure of a
value, in one sentence they print differently, are sure to differ there), those of its
retrieved passages, and its sentences most about the question in its best-matching story.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from index.answers.evidence import Sentence
from index.answers.evidence import sentences as scored_sentences
from index.answers.extract import Candidate, relevant_sentences, shaped_mentions
from index.answers.mentions import Mention
from index.answers.question import Question
from index.answers.values import relate
from index.answers.words import find_term, light_stem
from index.result import Answer, Passage

MIN_SIMILARITY = 0.75  # share of words two sentences have in common, in order
MIN_WORDS = 6  # shorter sentences (headlines, captions) are too easily alike
# Near-identical sentences that differ in one slot keep either their first or their last
# words: those are the keys their counterparts are looked up by.
KEY_WORDS = 4
ANCHORS, ANCHOR_RELEVANCE = 5, 0.2
CANDIDATE_ANCHORS, CANDIDATE_FLOOR = 3, 0.25
MAX_ANCHORS = 40
# A sentence must share this much of the question's content words, and name its subject
# unless it shares nearly all of them (the question may misspell or mis-bracket the name).
MIN_QUESTION_OVERLAP, SUBJECT_WAIVED_OVERLAP = 1 / 3, 3 / 4
ALIGNED_CONFIDENCE = 0.5


@dataclass
class SlotDifference:
    """Source a's and source b's values for the same slot of one sentence."""

    a: Answer
    b: Answer


@dataclass
class Side:
    """What one source brings to the comparison: its evidence passages (retrieved first, with
    their scores, then their neighbours), its answer and its ranked candidates."""

    passages: list[Passage]
    answer: Answer | None
    candidates: Sequence[Candidate] = ()
    _index: dict[tuple[str, ...], list[tuple[str, Passage]]] | None = field(
        default=None, repr=False
    )
    _anchors: list[tuple[str, str, int]] | None = field(default=None, repr=False)

    def anchors(self, q: Question) -> list[tuple[str, str, int]]:
        """`_anchors`, computed once: a source is compared with every other source."""
        if self._anchors is None:
            self._anchors = _anchors(q, self)
        return self._anchors

    def counterparts(self, words: list[str]) -> Iterator[tuple[str, Passage]]:
        """This source's sentences that start or end like `words`."""
        if self._index is None:
            self._index = {}
            for p in self.passages:
                for sent in scored_sentences(p.text, p.sentences, []):
                    ws = sent.text.split()
                    if len(ws) >= MIN_WORDS:
                        for key in _keys(ws):
                            self._index.setdefault(key, []).append((sent.text, p))
        seen: set[int] = set()
        for key in _keys(words):
            for found in self._index.get(key, ()):
                if id(found) not in seen:
                    seen.add(id(found))
                    yield found


def _keys(words: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return ("^", *words[:KEY_WORDS]), ("$", *words[-KEY_WORDS:])


def align_answers(q: Question, a: Side, b: Side) -> SlotDifference | None:
    """If a sentence about the question in one source is printed by the other with a
    different value of the question's type, both answers as read from that slot."""
    if q.answer_type in ("yesno", "other"):
        return None
    for mine, theirs, flip in ((a, b, False), (b, a, True)):
        for sentence, article, paragraph in mine.anchors(q):
            match = _counterpart(sentence, theirs)
            if match is None or match[0] == sentence:
                continue
            other_sentence, other_passage = match
            slot = _differing_slot(q, sentence, mine.answer, other_sentence)
            if slot is None or _agreement_better_founded(
                q, mine, theirs, sentence, article, paragraph
            ):
                continue
            confidence = mine.answer.confidence if mine.answer else ALIGNED_CONFIDENCE
            mine_answer = _answer_at(sentence, slot[0], article, paragraph, confidence)
            their_answer = _answer_at(other_sentence, slot[1], other_passage.article,
                                      other_passage.paragraph, confidence)  # fmt: skip
            if flip:
                return SlotDifference(their_answer, mine_answer)
            return SlotDifference(mine_answer, their_answer)
    return None


def _agreement_better_founded(
    q: Question, mine: Side, theirs: Side, sentence: str, article: str, paragraph: int
) -> bool:
    """Whether the two sources' own answers agree and come from sentences more about the
    question than the one they print differently: the difference is then about something
    else the story says (a rewrite that changes one fact keeps the others)."""
    if mine.answer is None or theirs.answer is None:
        return False
    if relate(q.answer_type, mine.answer.value, theirs.answer.value)[0] == "different":
        return False
    own = max(
        _overlap_at(q, side, side.answer.sentence, side.answer.article, side.answer.paragraph)
        for side in (mine, theirs)
        if side.answer is not None
    )
    return _overlap_at(q, mine, sentence, article, paragraph) < own


def _overlap_at(q: Question, side: Side, text: str, article: str, paragraph: int) -> float:
    sent = _sentence_at(q, side, text, article, paragraph)
    return _question_overlap(q, sent)[0] if sent is not None else 0.0


def _sentence_at(
    q: Question, side: Side, text: str, article: str, paragraph: int
) -> Sentence | None:
    """The sentence read in its paragraph (a pronoun there may refer to the subject), or
    alone when the paragraph is not among the side's passages."""
    passage = next(
        (p for p in side.passages if p.article == article and p.paragraph == paragraph), None
    )
    if passage is not None:
        for sent in _in_context(q, passage):
            if sent.text == text:
                return sent
    found = scored_sentences(text, [(0, len(text))], q.subject)
    return found[0] if found else None


def _anchors(q: Question, side: Side) -> list[tuple[str, str, int]]:
    """The source's sentences to compare, about the question, each once, in order."""
    wanted: list[tuple[str, str, int]] = []
    if side.answer:
        wanted.append((side.answer.sentence, side.answer.article, side.answer.paragraph))
    wanted += [
        (c.sentence, c.article, c.paragraph)
        for c in side.candidates[:CANDIDATE_ANCHORS]
        if c.score >= CANDIDATE_FLOOR
    ]
    for p in side.passages:
        if p.score > 0:  # retrieved, not a neighbour read for context
            wanted += [(s.text, p.article, p.paragraph) for s in _in_context(q, p)]
    wanted += [
        (text, p.article, p.paragraph)
        for text, p in relevant_sentences(q, _top_story(side.passages), ANCHORS, ANCHOR_RELEVANCE)
    ]
    out: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for text, article, paragraph in wanted:
        if text in seen or len(text.split()) < MIN_WORDS:
            continue
        seen.add(text)
        sent = _sentence_at(q, side, text, article, paragraph)
        if sent is not None and _about_question(q, sent):
            out.append((text, article, paragraph))
            if len(out) >= MAX_ANCHORS:
                break
    return out


def _in_context(q: Question, p: Passage) -> list[Sentence]:
    """The passage's sentences, a pronoun counting for the subject named before it."""
    return scored_sentences(p.text, p.sentences, q.subject)


def _about_question(q: Question, sent: Sentence) -> bool:
    """Whether the sentence is about what was asked: it shares `MIN_QUESTION_OVERLAP` of the
    question's content words and names (or refers to) its subject.

    Both tests are loose on purpose: a rewrite's sentence paraphrases the question ("renamed"
    for "changed its name", "the theater" for "the Tower Theatre")."""
    overlap, names_subject = _question_overlap(q, sent)
    if not names_subject:
        return overlap >= SUBJECT_WAIVED_OVERLAP
    return overlap >= MIN_QUESTION_OVERLAP


def _question_overlap(q: Question, sent: Sentence) -> tuple[float, bool]:
    """The share of the question's content words (subject and focus) the sentence has, and
    whether it names the subject (or refers to it, or spells out its initials)."""
    subject = {light_stem(w) for phrase in q.subject for w in phrase}
    content = set(q.focus) | subject
    if not content:
        return 1.0, True
    present = {t for t in content if find_term(sent.words, t)}
    initials = _initialisms(sent.text)
    present |= {light_stem(w) for phrase in q.subject for w in phrase if w.upper() in initials}
    if subject and sent.subject > 0 and not present & subject:  # a pronoun, after the name
        present |= {light_stem(w) for w in q.subject[0]}
    return len(present) / len(content), not subject or bool(present & subject)


def _initialisms(sentence: str) -> set[str]:
    """The initials of each run of capitalised words (small connectors allowed inside): a
    question may ask about "the NRA" of a sentence that spells out its name."""
    out: set[str] = set()
    run: list[str] = []
    for word in [*sentence.split(), "."]:
        bare = word.strip("\"'(),.;:“”‘’")
        if bare[:1].isupper():
            run.append(bare[0])
            continue
        if run and bare.lower() in _CONNECTORS:
            continue
        if len(run) >= 2:
            out.add("".join(run))
        run = []
    return out


_CONNECTORS = frozenset(["of", "on", "and", "for", "the", "&"])


def _top_story(passages: list[Passage]) -> list[Passage]:
    """The passages of the story that matched the question best: the sentences most about
    the question are looked for there, not in a story that shares a few of its words."""
    if not passages:
        return []
    top = max(passages, key=lambda p: p.score).article
    return [p for p in passages if p.article == top]


def _counterpart(sentence: str, side: Side) -> tuple[str, Passage] | None:
    target = sentence.split()
    if len(target) < MIN_WORDS:
        return None
    best: tuple[float, str, Passage] | None = None
    target_set = set(target)
    for candidate, p in side.counterparts(target):
        words = candidate.split()
        if abs(len(words) - len(target)) > 0.4 * len(target):
            continue
        shared = len(target_set.intersection(words))
        if shared < MIN_SIMILARITY * max(len(target_set), len(set(words))) - 2:
            continue  # cheap bound first: too few words in common to be the same sentence
        ratio = SequenceMatcher(None, target, words, autojunk=False).ratio()
        if ratio >= MIN_SIMILARITY and (best is None or ratio > best[0]):
            best = (ratio, candidate, p)
    return (best[1], best[2]) if best else None


def _differing_slot(
    q: Question, sentence: str, answer: Answer | None, other: str
) -> tuple[Mention, Mention] | None:
    """The pair of typed spans where the two sentences differ, preferring the slot the
    source's own answer sits in."""
    mine = _typed(q, sentence)
    theirs = _typed(q, other)
    ma, mb = sentence, other
    matcher = SequenceMatcher(None, ma, mb, autojunk=False)
    pairs: list[tuple[Mention, Mention]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left = [m for m in mine if m.start < max(i2, i1 + 1) and i1 < m.end]
        right = [m for m in theirs if m.start < max(j2, j1 + 1) and j1 < m.end]
        if left and right and left[0].text != right[0].text:
            pairs.append((left[0], right[0]))
    if not pairs:
        return None
    if answer is not None and answer.sentence == sentence:
        for pair in pairs:
            if pair[0].start < answer.span[1] and answer.span[0] < pair[0].end:
                return pair
    return pairs[0]


def _typed(q: Question, sentence: str) -> list[Mention]:
    found = scored_sentences(sentence, [(0, len(sentence))], q.subject)
    if not found:
        return []
    return shaped_mentions(q, found[0])


def _answer_at(
    sentence: str, m: Mention, article: str, paragraph: int, confidence: float
) -> Answer:
    return Answer(m.text, sentence, (m.start, m.end), article, paragraph, confidence)
