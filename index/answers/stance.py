"""A source's stance on a yes/no question: it affirms, denies, or says it is still to come.

A yes/no question asks whether its predicate holds of its subject ("Were any soldiers *killed*
…", "Did the agency *interview* the senator?"; `index.answers.question`). A sentence speaks to
it only when it is about the subject (names it, or a pronoun for it opens the sentence), says
the predicate, and repeats at least half of the question's other content words: in news, a
sentence that shares only the question's last noun ("an American drone strike", "a missile
test") is about something else, and reading a "yes" from it is the commonest false answer. A
question without a verb ("Is the museum open?") turns on its key term, the last content word
(end-focus).

Such a sentence affirms, unless a negation stands just before the verb or the key term ("No
soldiers were killed", "receives no foreign funding", "has not opened"), or a word of
intention does ("plans to open", "will open"). A sentence about the subject that lacks the verb
but speaks of preparing or planning next to the subject ("is preparing the ground for a new
museum") says it has not happened yet. An "-ing" form counts as the verb only when the question
has one: "the killing of …" is a noun.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from index.answers.cues import role_noun
from index.answers.evidence import Sentence, sentences
from index.answers.question import Question
from index.answers.words import Word, find_term, light_stem
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
# Modal verbs mark a future only next to the verb ("will open"); alone in a sentence they are as
# often conditional or reported speech ("said it would not …").
MODALS = frozenset(["will", "would", "shall"])
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
    if q.subject and sent.subject == 0.0 or _names_only_something_of_theirs(q, sent):
        return None  # about something else
    predicate = {light_stem(form) for form in q.predicate}
    others = [t for t in q.focus if t not in predicate]
    covered = sum(1 for t in others if find_term(ws, t))
    if covered < math.ceil(len(others) / 2):
        return None  # shares words with the question, not the fact it asks about
    other = covered / len(others) if others else 0.0
    subject = sent.subject if q.subject else 0.5
    said = _says_predicate(ws, q.predicate)
    key_at = find_term(ws, q.key)
    if q.predicate:
        anchors = said[:1] + [i for i in key_at[:1] if said and i != said[0]]
    else:
        anchors = key_at[:1]
    score = W_KEY + W_SUBJECT * subject + W_OTHER * other
    for k in anchors:
        negated = [i for i in _before(k) if ws[i].norm in NEGATIONS]
        if negated:
            return "denies", (ws[negated[-1]].start, ws[k].end), score
    named = anchors or [i for t in predicate for i in find_term(ws, t)]
    for k in named:  # "plans to reopen", "will open": a mention of the verb still to come
        planned = [i for i in _before(k) if ws[i].norm in PENDING]
        if planned:
            return "pending", (ws[planned[-1]].start, ws[k].end), score
    if anchors:
        k = anchors[0]
        return "affirms", (ws[k].start, ws[k].end), score
    # "is preparing the ground for a new museum": planning, next to the subject, without the verb
    near = {j for i in sent.subject_at for j in range(i - NEGATION_REACH, i + NEGATION_REACH + 1)}
    intent = [i for i, w in enumerate(ws) if w.norm in PENDING and w.norm not in MODALS
              and (i in near or not q.subject)]  # fmt: skip
    if intent and subject >= 0.6:
        i = intent[0]
        score = PENDING_STANDS_IN + W_SUBJECT * subject + W_OTHER * other
        return "pending", (ws[i].start, ws[i].end), score
    return None


def _names_only_something_of_theirs(q: Question, sent: Sentence) -> bool:
    """Whether every mention of a one-word subject is its adjective before a noun of a thing
    ("an American drone strike" for "Were any Americans killed …?", "Iranian missiles" for
    "Were any Iranians hurt?"): the sentence is about the thing, not the people. Before a
    person noun the adjective does name them ("an American contractor")."""
    if len(q.subject) != 1 or len(q.subject[0]) != 1 or sent.subject != 1.0:
        return False
    name, ws = q.subject[0][0], sent.words
    for i in sent.subject_at:
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        if ws[i].norm == name or nxt is None or nxt.capitalised or role_noun(nxt.norm):
            return False
        if sent.text[ws[i].end : nxt.start].strip():
            return False  # punctuation between: "the Americans, officials said"
    return bool(sent.subject_at)


def _before(k: int) -> range:
    """The words before word `k` that a negation or a planning word there governs."""
    return range(max(0, k - NEGATION_REACH), k)


def _says_predicate(ws: list[Word], forms: tuple[str, ...]) -> list[int]:
    """Where the sentence uses the question's verb: any inflection, but an -ing form only when
    the question has one, because in news "-ing" is as often a noun ("the killing of …", "the
    ruling party") as the verb."""
    out = []
    for form in forms:
        stem = light_stem(form)
        out += [i for i in find_term(ws, stem)
                if not ws[i].norm.endswith("ing") or form.endswith("ing")]  # fmt: skip
    return sorted(out)
