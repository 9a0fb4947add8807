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

from index.answers.extract import Candidate, Within, more_precise, names_the_subject
from index.answers.features import source_candidates, view
from index.answers.question import Question
from index.answers.scorer import scorer
from index.result import Answer, Passage

MAX_ALTERNATIVES = 10
# Types whose answers nest ("Nigeria" ⊇ "Lagos", "2016" ⊇ "December 2016"): for the
# others, a longer span is not a more precise one.
PRECISE_TYPES = ("place", "date", "person", "organization")


def ranked_spans(q: Question, passages: list[Passage]) -> list[Candidate]:
    """The source's distinct candidate values, most probable first, as the comparison reads
    them (`index.answers.extract.Candidate`, score = probability)."""
    model = scorer()
    qv = view(q)
    best: dict[str, Candidate] = {}
    for c in source_candidates(q, passages):
        if qv.wh == "who" and names_the_subject(q, c.span.text):
            continue
        p = model.probability(c.features)
        key = c.span.text.lower()
        if key not in best or p > best[key].score:
            best[key] = Candidate(
                c.span.text, c.sentence, (c.span.start, c.span.end), c.article, c.paragraph, p
            )
    return sorted(best.values(), key=lambda c: -c.score)[:MAX_ALTERNATIVES]


def learned_answer(
    q: Question, passages: list[Passage], within: Within | None = None
) -> tuple[Answer | None, list[Candidate]]:
    """The source's answer (or None: it does not say) and its alternatives, best first.

    Of the spans that clear the threshold and say the same as the best one, the most precise
    is shown ("Lagos" over "Nigeria" when the passages say the one is in the other; "Ana
    Ruiz" over "Ruiz"), with the best one's probability."""
    found = ranked_spans(q, passages)
    threshold = scorer().threshold_for(q.answer_type)
    if not found or found[0].score < threshold:
        return None, found
    best = chosen = found[0]
    if q.answer_type in PRECISE_TYPES:
        for c in found[1:]:
            if c.score >= threshold and more_precise(q, c.value, chosen.value, within):
                chosen = c
    return Answer(
        chosen.value,
        chosen.sentence,
        chosen.span,
        chosen.article,
        chosen.paragraph,
        round(best.score, 3),
    ), found
