"""Words and index terms.

A *word* is what the text shows (with its offsets); its *terms* are what BM25 counts: the word
Unicode-normalised and lowercased, stopwords dropped, Snowball-stemmed, hyphenated words indexed
whole and by part. Questions and paragraphs go through the same `terms_of_word`, so a word in
a question always meets the same word in an article.

The stemmer is the project's own (index/stemmer.py), which makes exactly the stems nltk's
Snowball stemmer makes: importing nltk's took longer than answering a whole question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

from index.search.stemmer import snowball_stem

# Dotted acronyms ("U.S.", "L.A.") stay one word; numbers keep their separators ("5.4",
# "54,000"); other words are letters/digits joined by hyphens or apostrophes. Every word starts
# with a word character: the lookahead skips the spaces and punctuation between words without
# trying each alternative there (a fifth faster; the words found are the same).
WORD_PATTERN = re.compile(
    r"(?=\w)(?:"
    r"[^\W\d_]\.(?:[^\W\d_]\.)+"
    r"|\d+(?:[.,]\d+)*"
    r"|[^\W_]+(?:['’\-‐‑][^\W_]+)*"
    r")"
)
HYPHENS = re.compile(r"[\-‐‑]")
APOSTROPHES = re.compile(r"['’]")


@cache
def stopwords() -> frozenset[str]:
    text = resources.files("index.search").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (normalised word, start, end); offsets point into the original `text`."""
    for match in WORD_PATTERN.finditer(text):
        yield normalize_word(match.group()), match.start(), match.end()


def normalize_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold()
    if word[0].isdigit():
        return word.replace(",", "")
    if word.endswith("."):  # dotted acronym: "u.s." -> "u.s"
        return word[:-1]
    word = APOSTROPHES.sub("'", word)
    if word.endswith("'s"):
        word = word[:-2]
    return word.replace("'", "")


def terms_of_word(word: str) -> tuple[str, ...]:
    """The index terms of one normalised word (empty for a stopword)."""
    stop = stopwords()
    if not word or word in stop:
        return ()
    if word[0].isdigit() or "." in word:
        return (word,)
    parts = [p for p in HYPHENS.split(word) if p]
    if len(parts) == 1:
        return (part_term(word),)
    return compound_terms(parts, [part_term(p) for p in parts])


def compound_terms(parts: list[str], stems: list[str]) -> tuple[str, ...]:
    """A hyphenated word's terms from its parts' stems: the whole, then each non-stopword part."""
    stop = stopwords()
    whole = "-".join(stems)
    return (whole, *(s for p, s in zip(parts, stems, strict=True) if p not in stop))


def part_term(part: str) -> str:
    """One part of a word (no hyphen), as stemmed for its terms."""
    return part if part.isdigit() else snowball_stem(part)


def base_forms(word: str) -> list[str]:
    """Plausible uninflected forms of a corpus word ("lives" -> "live", "cities" -> "city").

    Questions often use another inflection of a word the articles use ("Where does he
    live?" against "he lives in ..."). The word table stores the terms of these forms with
    the corpus vocabulary, so such a question is answered by lookup, without stemming. A
    wrong guess costs nothing: it is only ever looked up, never indexed. (This was to avoid
    importing nltk's stemmer; the index format keeps these entries.)
    """
    if len(word) < 4 or not word.isalpha():
        return []
    forms: list[str] = []
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif word.endswith("es"):
        forms += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "running" -> "run"
                forms.append(stem[:-1])
    return forms


def terms(text: str, known: Callable[[str], tuple[str, ...] | None] | None = None) -> list[str]:
    """All index terms of `text`, in order. `known` may supply stored terms for a word."""
    out: list[str] = []
    for word, _, _ in iter_words(text):
        word_terms = known(word) if known else None
        if word_terms is None:
            word_terms = terms_of_word(word)
        out.extend(word_terms)
    return out
