"""One source's answer from the learned scorer: its best span if it clears the threshold.

The rules layer (`index.answers.extract`) decides with hand-set gates; here every candidate span
of the source's best-matching sentences gets a probability of answering the question in this
source (`index.answers.scorer`), and the source answers only when its best span clears the
threshold chosen for precision. Below it the source says nothing (a guess would look like a
disagreement with the sources that do answer), unless its span is the one the rules layer
answers with by a strong cue ("X, 30,", "founder X"): such a span needs only the lower
`Scorer.rules_backed`, also chosen for precision on the tuning split. The training text
(Wikipedia, reviews, Reddit) rarely shows news' patterns, so the scorer trusts the rules'
cues less than they deserve; where it does not reject them, they answer.

These rules stay hard, because a learned weight could be outvoted on them and the error is one
a reader would never forgive: a span that only restates the question is never an answer
(`features.repeats_question`: "Who accused X?" is not answered by "X"), a "who" question is
never answered by the question's own subject, and a count or sum is never one the question's
reading ties to another event, noun or kind (`not_the_quantity_asked`: "killing 49 and
wounding 53" does not give 49 wounded; "230 miles" is no sum), nor a tally another vote's
(`tally_asked`), nor anyone said to take the other side of a stance asked about ("voted
against X" for "Who voted for X?", `cues.says_other_side`), nor a day of the week that dates
another clause than the one the question asks about (`another_day`), nor the death date of
life dates for "When was X born?" (`other_end_of_life`), nor a person a sentence that does not
say the relation asked about gives another role ("The vice president of X, Y," for "Who
founded X?", `cues.given_another_role`), nor one the text marks as of another party than the
one asked about ("Mitch McConnell (R-KY)" for "Which Democratic senator …?",
`cues.another_party`), nor the possessor of the role asked about ("Mateen's employer, the
security company G4S" for "Which company employed the gunman?", `cues.owns_the_role_asked`).
"""

from __future__ import annotations

from index.answers import cues
from index.answers.extract import THRESHOLD as RULES_THRESHOLD
from index.answers.extract import (
    Candidate,
    Within,
    more_precise,
    names_the_subject,
    tally_of_the_question,
)
from index.answers.features import Features, source_candidates, view
from index.answers.mentions import Mention, date_mentions, number_mentions
from index.answers.question import Question, asks_why, wh_word
from index.answers.scorer import scorer
from index.answers.values import WEEKDAYS, parse_date
from index.answers.words import words
from index.result import Answer, Passage

MAX_ALTERNATIVES = 10
# Types whose answers nest ("Nigeria" ⊇ "Lagos", "2016" ⊇ "December 2016"): for the
# others, a longer span is not a more precise one.
PRECISE_TYPES = ("place", "date", "person", "organization")


def ranked_spans(q: Question, passages: list[Passage]) -> list[Candidate]:
    """The source's distinct candidate values, most probable first, as the comparison reads
    them (`index.answers.extract.Candidate`, score = probability; cue = 1 for a span the
    rules layer answers with by a strong cue, see `rules_back`). None for a "why" question
    (`question.asks_why`): no candidate is a clause, and the noun phrase nearest to the reason
    ("his Russian wife") would read as the reason."""
    if asks_why(q):
        return []
    model = scorer()
    qv = view(q)
    whose = wh_word(q) == "whose"  # asks for the possessor ("Whose employer …?")
    best: dict[str, Candidate] = {}
    for c in source_candidates(q, passages):
        if qv.wh == "who" and names_the_subject(q, c.span.text):
            continue
        if not_the_quantity_asked(q, c.sentence, c.span.start, c.span.end):
            continue
        if q.number_kind == "tally" and not tally_asked(q, c.sentence, c.span.start, c.span.end):
            continue
        if another_day(q, c.sentence, Mention(c.span.start, c.span.end, c.span.text, "date")):
            continue
        if other_end_of_life(q, c.sentence, c.span.start, c.span.end):
            continue
        mention = Mention(c.span.start, c.span.end, c.span.text, c.span.kind)
        if q.answer_type == "person" and (
            cues.given_another_role(q, c.sentence, mention)
            or cues.another_party(q, c.sentence, mention)
        ):
            continue
        if not whose and cues.owns_the_role_asked(q, c.sentence, mention):
            continue
        if q.stance and cues.says_other_side(
            q, words(c.sentence), Mention(c.span.start, c.span.end, c.span.text, c.span.kind)
        ):
            continue
        p = model.probability(c.features)
        key = c.span.text.lower()
        if key not in best or p > best[key].score:
            best[key] = Candidate(
                c.span.text,
                c.sentence,
                (c.span.start, c.span.end),
                c.article,
                c.paragraph,
                p,
                cue=1.0 if rules_back(c.features) else 0.0,
            )
    return sorted(best.values(), key=lambda c: -c.score)[:MAX_ALTERNATIVES]


# A number whose rules cue is at most this is read as another quantity than the one asked about
# (`cues.WRONG_CONJUNCT`, or 0: another kind of number, a number in a name). A sentence that
# does not say the event (`cues.EVENT_UNSAID`) is left to the scorer: held-out SQuAD and
# RAMDocs lost answers when it was a hard rule too, since Wikipedia words events many ways.
NOT_THE_QUANTITY = cues.WRONG_CONJUNCT


def not_the_quantity_asked(q: Question, sentence: str, start: int, end: int) -> bool:
    """Whether a span of a count or sum question holds only numbers the question's reading
    rules out: tied to another event or another of its nouns ("killing 12 and wounding 40"
    for "how many were wounded"), or of another kind ("230 miles" for "how much money")."""
    if q.answer_type != "number" or q.number_kind not in ("count", "money"):
        return False
    inside = [m for m in number_mentions(sentence) if start <= m.start and m.end <= end]
    return bool(inside) and all(cues.number_cue(q, sentence, m) <= NOT_THE_QUANTITY for m in inside)


def another_day(q: Question, sentence: str, m: Mention) -> bool:
    """Whether a day of the week dates something else than the question asks about: a clause
    that does not say it, or the day something was said (`cues.weekday_cue`: "Trump *on
    Wednesday* tempered his rhetoric after Iran fired missiles")."""
    lowered = m.text.lower()
    if not any(day in lowered for day in WEEKDAYS):
        return False  # most spans: checked before parsing, as this runs for every span
    found = parse_date(m.text)
    if found is None or found.weekday is None:
        return False
    return cues.weekday_cue(q, sentence, m) <= cues.WRONG_CONJUNCT


def other_end_of_life(q: Question, sentence: str, start: int, end: int) -> bool:
    """Whether a span of "When was X born?" (or "When did X die?") is the other end of life
    dates written after a name ("X (12 March 1901 – 4 May 1977)", `cues.life_date`) or a part
    of it ("1977"), or both ends at once."""
    asked = cues.life_event(q)
    if asked is None or "(" not in sentence:
        return False
    touched = [m for m in date_mentions(sentence) if m.start < end and start < m.end]
    said = {cues.life_date(sentence, m) for m in touched}
    return bool(touched) and (len(touched) > 1 and None not in said or said == {_other(asked)})


def _other(event: str) -> str:
    return "death" if event == "birth" else "birth"


def tally_asked(q: Question, sentence: str, start: int, end: int) -> bool:
    """Whether a span of a tally question ("What was the final vote on X?") holds a tally of
    two figures that the rules read as the one asked about (`extract.tally_of_the_question`:
    said with what the vote was on, and whose): a story reports several votes in one shape."""
    ws = words(sentence)
    return any(
        start <= m.start and m.end <= end and tally_of_the_question(q, ws, m)
        for m in number_mentions(sentence)
        if m.kind == "pair"
    )


def rules_back(features: Features) -> bool:
    """Whether the rules layer answers the source with this span by a strong cue: its best
    value (`features.source_candidates`' rules features), scored over the rules' own
    threshold, with a cue such as "X, 30," or "founder X"."""
    return (
        ("rules_rank=0", 1.0) in features
        and ("rules_cue=strong", 1.0) in features
        and any(name == "rules_candidate" and v >= RULES_THRESHOLD for name, v in features)
    )


def learned_answer(
    q: Question, passages: list[Passage], within: Within | None = None, at_least: float = 0.0
) -> tuple[Answer | None, list[Candidate]]:
    """The source's answer (or None: it does not say) and its alternatives, best first.
    `at_least` raises the threshold (`Scorer.fill_in`, where the rules did not answer).

    Of the spans that clear the threshold and say the same as the best one, the most precise
    is shown ("Lagos" over "Nigeria" when the passages say the one is in the other; "Ana
    Ruiz" over "Ruiz"), with the best one's probability."""
    found = ranked_spans(q, passages)
    model = scorer()
    threshold = max(model.threshold_for(q.answer_type), at_least)
    if not found:
        return None, found
    best = chosen = found[0]
    if best.score < threshold:
        # below the threshold, a span the rules answer with by a strong cue may still answer
        backed = [c for c in found if c.cue == 1.0 and c.score >= model.rules_backed]
        if not backed:
            return None, found
        best = chosen = backed[0]
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
