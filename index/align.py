"""Two sources printing the same sentence with a different value in it.

Rewrites and republished wire copy keep most of a sentence and change what they change: a
figure, a date, a name. When the sentence a source answers from has a near-identical
counterpart in another source, and the two differ in a span of the question's type, that span
is where they disagree, whichever span each source's own scoring picked: the answer is
re-read from the differing slot in both. Texts that merely share a topic never come close
enough (`MIN_SIMILARITY` of their words) for this to apply. Besides the sentence each source
answers from, its few sentences most about the question in its best-matching story are
compared, since its own pick may have come from another sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from index.evidence import sentences as scored_sentences
from index.evidence import split
from index.extract import relevant_sentences, shaped_mentions
from index.mentions import Mention
from index.question import Question
from index.result import Answer, Passage

MIN_SIMILARITY = 0.75  # share of words two sentences have in common, in order
MIN_WORDS = 6  # shorter sentences (headlines, captions) are too easily alike
# Besides the sentence a source answers from, its few sentences most about the question are
# compared: the answer may have been read from another sentence than the one that differs.
ANCHORS, ANCHOR_RELEVANCE = 5, 0.35
ALIGNED_CONFIDENCE = 0.5


@dataclass
class SlotDifference:
    """Source a's and source b's values for the same slot of one sentence."""

    a: Answer
    b: Answer


def align_answers(
    q: Question,
    a_passages: list[Passage],
    b_passages: list[Passage],
    a: Answer | None,
    b: Answer | None,
) -> SlotDifference | None:
    """If a sentence one source answers from (or one of its sentences most about the
    question) is printed by the other with a different value of the question's type, both
    answers as read from that slot."""
    if q.answer_type in ("yesno", "other"):
        return None
    for mine, theirs, answer, flip in ((a_passages, b_passages, a, False),
                                       (b_passages, a_passages, b, True)):  # fmt: skip
        anchors = [(answer.sentence, answer.article, answer.paragraph)] if answer else []
        anchors += [
            (text, p.article, p.paragraph)
            for text, p in relevant_sentences(q, _top_story(mine), ANCHORS, ANCHOR_RELEVANCE)
        ]
        for sentence, article, paragraph in anchors:
            match = _counterpart(sentence, theirs)
            if match is None or match[0] == sentence:
                continue
            other_sentence, other_passage = match
            slot = _differing_slot(q, sentence, answer, other_sentence)
            if slot is None:
                continue
            confidence = answer.confidence if answer else ALIGNED_CONFIDENCE
            mine_answer = _answer_at(sentence, slot[0], article, paragraph, confidence)
            their_answer = _answer_at(other_sentence, slot[1], other_passage.article,
                                      other_passage.paragraph, confidence)  # fmt: skip
            if flip:
                return SlotDifference(their_answer, mine_answer)
            return SlotDifference(mine_answer, their_answer)
    return None


def _top_story(passages: list[Passage]) -> list[Passage]:
    """The passages of the story that matched the question best: the sentences most about
    the question are looked for there, not in a story that shares a few of its words."""
    if not passages:
        return []
    top = max(passages, key=lambda p: p.score).article
    return [p for p in passages if p.article == top]


def _counterpart(sentence: str, passages: list[Passage]) -> tuple[str, Passage] | None:
    target = sentence.split()
    if len(target) < MIN_WORDS:
        return None
    best: tuple[float, str, Passage] | None = None
    target_set = set(target)
    for p in passages:
        for s, e in split(p.text, p.sentences):
            candidate = p.text[s:e]
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
