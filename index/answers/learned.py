"""One source's answer from the learned scorer: its best span if it clears the threshold.

The rules layer (`index.answers.extract`) decides with hand-set gates; here every candidate span
of the source's best-matching sentences gets a probability of answering the question in this
source (`index.answers.scorer`), and the source answers only when its best span clears the
threshold chosen for precision. Below it the source says nothing: a guess would look like a
disagreement with the sources that do answer.

Two rules stay hard, because a learned weight could be outvoted on them and the error is one a
reader would never forgive: a span that only restates the question is never an answer
(`features.repeats_question`: "Who accused X?" is not answered by "X"), and a "who" question is
never answered by the question's own subject.
"""

from __future__ import annotations

from index.answers.extract import Candidate
from index.answers.features import source_candidates, view
from index.answers.question import Question
from index.answers.scorer import scorer
from index.answers.words import light_stem
from index.result import Answer, Passage

MAX_ALTERNATIVES = 10


def ranked_spans(q: Question, passages: list[Passage]) -> list[Candidate]:
    """The source's distinct candidate values, most probable first, as the comparison reads
    them (`index.answers.extract.Candidate`, score = probability)."""
    model = scorer()
    qv = view(q)
    subject = [tuple(light_stem(w) for w in phrase) for phrase in q.subject]
    best: dict[str, Candidate] = {}
    for c in source_candidates(q, passages):
        if qv.wh == "who" and _is_subject(c.span.text, subject):
            continue
        p = model.probability(c.features)
        key = c.span.text.lower()
        if key not in best or p > best[key].score:
            best[key] = Candidate(
                c.span.text, c.sentence, (c.span.start, c.span.end), c.article, c.paragraph, p
            )
    return sorted(best.values(), key=lambda c: -c.score)[:MAX_ALTERNATIVES]


def _is_subject(text: str, subject: list[tuple[str, ...]]) -> bool:
    """A span naming the question's subject: all its words are the subject's, or the subject
    is one word that is the span's last ("Brett Kavanaugh" for "Who accused Kavanaugh?")."""
    ws = [light_stem(w) for w in text.lower().replace("'s", "").split() if w.isalpha()]
    if not ws:
        return False
    words = {w for phrase in subject for w in phrase}
    return all(w in words for w in ws) or any(phrase == (ws[-1],) for phrase in subject)


def learned_answer(q: Question, passages: list[Passage]) -> tuple[Answer | None, list[Candidate]]:
    """The source's answer (or None: it does not say) and its alternatives, best first."""
    found = ranked_spans(q, passages)
    if not found or found[0].score < scorer().threshold:
        return None, found
    best = found[0]
    return Answer(
        best.value, best.sentence, best.span, best.article, best.paragraph, round(best.score, 3)
    ), found
