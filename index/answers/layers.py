"""Which answer layer answers, and whether a question gets answers at all.

Kept apart from `annotate` (which imports every reading) so that an app can tell, right after
searching, whether answers will follow the passages it shows.
"""

from __future__ import annotations

import os

from index.answers.question import Question, wh_word

# The answer layer used when READER_ANSWERS does not name one. "combined": a source answers
# by the rules where they answer and by the learned scorer where they do not (questions of no
# type the rules know, sentences their cues do not read).
DEFAULT_LAYER = "combined"
LAYERS = ("rules", "learned", "combined")


def answer_layer() -> str:
    """The answer layer chosen by READER_ANSWERS (the benchmark's switch), else the default."""
    chosen = os.environ.get("READER_ANSWERS", "").strip().lower()
    return chosen if chosen in LAYERS else DEFAULT_LAYER


def answers_follow(q: Question) -> bool:
    """Whether any source can answer `q` with the layer in use: the rules answer only typed
    questions; no layer answers "why" (`question.asks_why`), nor a search that asks nothing
    ("California secession": no wh-word, no type), where any span would be a guess at a
    question the reader did not ask."""
    if q.answer_type != "other":
        return True
    return answer_layer() != "rules" and wh_word(q) not in (None, "why")
