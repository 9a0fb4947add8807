"""A source's stance on a yes/no question: it affirms, denies, or says it is still to come.

The question turns on its key term (the last content word: "has the museum reopened?" turns on
"opened"). A sentence that names the subject and uses the key term affirms it, unless a
negation stands just before the key term ("receives no foreign funding", "has not opened")
or a word of intention or preparation does ("plans to open", "will open", "preparing to
open"). A sentence about the subject that lacks the key term but speaks of preparing or
planning it ("is preparing the ground for a new museum") says it has not happened yet. These
are the forms news English uses to report that something did, did not, or has yet to happen.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.answers.evidence import Sentence, sentences
from index.answers.question import Question
from index.answers.words import find_term
from index.result import Passage

THRESHOLD = 0.5
W_KEY, W_SUBJECT, W_OTHER = 0.5, 0.3, 0.2
# A planning word stands in for the key term when the sentence names the subject.
PENDING_STANDS_IN = 0.3
NEGATION_REACH = 5  # words before the key term that a negation governs

NEGATIONS = frozenset(
    [
        "no",
        "not",
        "never",
        "none",
        "neither",
        "nor",
        "without",
        "nothing",
        "nobody",
        "cannot",
        "cant",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "doesnt",
        "dont",
        "didnt",
        "hasnt",
        "havent",
        "hadnt",
        "wont",
        "wouldnt",
        "couldnt",
        "shouldnt",
        "denied",
        "denies",
        "deny",
        "denying",
        "refused",
        "refuses",
        "rejected",
        "rejects",
    ]
)
PENDING = frozenset(
    [
        "will",
        "would",
        "shall",
        "plan",
        "plans",
        "planned",
        "planning",
        "preparing",
        "prepares",
        "prepare",
        "prepared",
        "intend",
        "intends",
        "intended",
        "expected",
        "expects",
        "aims",
        "aim",
        "seeks",
        "seek",
        "hopes",
        "hope",
        "proposed",
        "proposes",
        "upcoming",
        "future",
        "scheduled",
        "soon",
        "forthcoming",
    ]
)
STANCE_VALUES = {"affirms": "yes", "denies": "no", "pending": "not yet"}


@dataclass
class StanceEvidence:
    stance: str  # "affirms" | "denies" | "pending"
    value: str  # the words that carry the stance, as written
    sentence: str
    span: tuple[int, int]
    article: str
    paragraph: int
    score: float


def stance(q: Question, passages: list[Passage]) -> StanceEvidence | None:
    """The best-scoring sentence's stance, or None when no sentence speaks to the question."""
    if q.answer_type != "yesno" or not q.key:
        return None
    best: StanceEvidence | None = None
    for p in passages:  # best-ranked first: a tie keeps the earlier sentence
        for sent in sentences(p.text, p.sentences, q.subject):
            found = _sentence_stance(q, sent)
            if found is None:
                continue
            kind, (start, end), score = found
            if best is None or score > best.score:
                value = sent.text[start:end]
                best = StanceEvidence(
                    kind, value, sent.text, (start, end), p.article, p.paragraph, round(score, 3)
                )
    return best if best is not None and best.score >= THRESHOLD else None


def _sentence_stance(q: Question, sent: Sentence) -> tuple[str, tuple[int, int], float] | None:
    ws = sent.words
    assert q.key is not None
    key_at = find_term(ws, q.key)
    others = [t for t in q.focus if t != q.key]
    other = sum(1 for t in others if find_term(ws, t)) / len(others) if others else 0.0
    subject = sent.subject if q.subject else 0.5
    pending_at = [i for i, w in enumerate(ws) if w.norm in PENDING]
    if key_at:
        k = key_at[0]
        window = range(max(0, k - NEGATION_REACH), k)
        negated = [i for i in window if ws[i].norm in NEGATIONS]
        planned = [i for i in window if ws[i].norm in PENDING]
        score = W_KEY + W_SUBJECT * subject + W_OTHER * other
        if negated:
            return "denies", (ws[negated[-1]].start, ws[k].end), score
        if planned:
            return "pending", (ws[planned[-1]].start, ws[k].end), score
        return "affirms", (ws[k].start, ws[k].end), score
    if pending_at and subject >= 0.6:
        i = pending_at[0]
        score = PENDING_STANDS_IN + W_SUBJECT * subject + W_OTHER * other
        return "pending", (ws[i].start, ws[i].end), score
    return None
