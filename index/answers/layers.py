"""Which answer layer answers, and whether a question gets answers at all.

Kept apart from `annotate` (which imports every reading) so that an app can tell, right after
searching, whether answers will follow the passages it shows.
"""

from __future__ import annotations

import os

from index.answers.question import Question, asks_why

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
    questions, and no layer answers "why" (`question.asks_why`)."""
    return not (q.answer_type == "other" and (answer_layer() == "rules" or asks_why(q)))
