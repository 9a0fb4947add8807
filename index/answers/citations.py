"""Whether a source attributes what it says to another source in the corpus.

News rewrites name the outlet they took a story from with a small set of formulas:
"according to a report by X", "X reports", "X reported", "told X", "first reported by X",
"via X", "a report in X". A source that does so is repeating X, not confirming it.
Attribution is looked for in the evidence sentence, then its paragraph, then the story's
lead (its opening ~150 words), where rewrites put the credit that governs the whole piece
("According to a report by X, ..."). Only the names of the corpus's own sources count, and
only capitalised ones: an outlet is a proper name, "a blog" is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.articles import Article

LEAD_WORDS = 150
_VERBS = (
    r"reports|reported|notes|noted|writes|wrote|says|said|found|revealed|first reported|"
    r"has reported|was first to report|reports that"
)
_FORMULAS = (
    r"according to\b[^.;:!?]{{0,40}}?\b{name}\b",
    r"\b{name}(?:['’]s)?\s+(?:{verbs})\b",
    r"\b(?:told|tells|telling|speaking to|in an interview with)\s+(?:the\s+)?{name}\b",
    r"\b(?:reported|revealed|first reported|published)\s+(?:by|in)\s+(?:the\s+)?{name}\b",
    r"\b(?:a|an|the)\s+(?:report|story|article|investigation|interview)\s+(?:by|in|from)\s+"
    r"(?:the\s+)?{name}\b",
    r"\b(?:via|citing|cited by|as reported by)\s+(?:the\s+)?{name}\b",
)


def cited_source(
    article: Article, paragraph: int, sentence: str, source_names: list[str]
) -> str | None:
    """The corpus source `article` credits for the sentence, if any (never its own)."""
    names = [n for n in source_names if n and n[0].isupper()]
    if not any(n != article.source for n in names):
        return None
    paragraphs = [p.text for p in article.paragraphs]
    places = [sentence]
    if 0 <= paragraph < len(paragraphs):
        places.append(paragraphs[paragraph])
    places.append(_lead(paragraphs))
    for text in places:
        found = _credited(text, names, article.source)
        if found:
            return found
    return None


def _lead(paragraphs: list[str]) -> str:
    taken: list[str] = []
    count = 0
    for text in paragraphs:
        taken.append(text)
        count += len(text.split())
        if count >= LEAD_WORDS:
            break
    return "\n".join(taken)


def _credited(text: str, names: list[str], own: str) -> str | None:
    """The name other than `own` credited earliest in `text`, written as the source writes it
    (capitalised).

    The patterns hold every name, the source's own too, so that all the sources of a corpus
    share one compiled set (a set per source recompiled hundreds of alternations per
    question on an archive); a credit to itself is passed over.
    """
    exact = set(names) - {own}
    best: tuple[int, str] | None = None
    for pattern in _patterns(tuple(sorted(set(names), key=lambda n: (-len(n), n)))):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name in exact:
                if best is None or m.start() < best[0]:
                    best = (m.start(), name)
                break
    return best[1] if best else None


@lru_cache(maxsize=8)
def _patterns(names: tuple[str, ...]) -> list[re.Pattern[str]]:
    """One compiled pattern per formula for all the corpus's names at once (longest first, so
    "Times of London" wins over "Times"): a corpus of hundreds of outlets would otherwise
    compile a pattern per outlet, formula and sentence."""
    alternatives = "|".join(re.escape(n) for n in names)
    return [
        re.compile(formula.format(name=f"(?P<name>{alternatives})", verbs=_VERBS), re.I)
        for formula in _FORMULAS
    ]
