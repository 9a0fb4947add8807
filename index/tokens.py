"""Words and index terms.

A *word* is what the text shows (with its offsets); its *terms* are what BM25 counts: the word
Unicode-normalised and lowercased, stopwords dropped, Snowball-stemmed, hyphenated words indexed
whole and by part. Questions and paragraphs go through the same `terms_of_word`, so a word in
a question always meets the same word in an article.

nltk is imported only when a word has to be stemmed for the first time: the index stores the
terms of every corpus word, so answering a question whose words the corpus already has never
pays for importing nltk; and `possible_stems` tells, without nltk, when a new word's stem
cannot be any term the index has, so that it need not be computed at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

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
    text = resources.files("index").joinpath("stopwords.txt").read_text(encoding="utf-8")
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


@cache
def _stemmer() -> Callable[[str], str]:
    from nltk.stem.snowball import SnowballStemmer  # slow import: only when a stem is missing

    return SnowballStemmer("english", ignore_stopwords=False).stem


def terms_of_word(word: str) -> tuple[str, ...]:
    """The index terms of one normalised word (empty for a stopword)."""
    stop = stopwords()
    if not word or word in stop:
        return ()
    if word[0].isdigit() or "." in word:
        return (word,)
    parts = [p for p in HYPHENS.split(word) if p]
    if len(parts) == 1:
        return (stem(word),)
    return compound_terms(parts, [stem(p) for p in parts])


def compound_terms(parts: list[str], stems: list[str]) -> tuple[str, ...]:
    """A hyphenated word's terms from its parts' stems: the whole, then each non-stopword part."""
    stop = stopwords()
    whole = "-".join(stems)
    return (whole, *(s for p, s in zip(parts, stems, strict=True) if p not in stop))


def stem(part: str) -> str:
    """One part of a word (no hyphen), as stemmed for its terms."""
    return part if part.isdigit() else _stemmer()(part)


# Snowball's English stemmer (Porter2) rewrites only a word's ending, in fixed steps, each
# step replacing at most one suffix of its list (under conditions: regions R1/R2, vowels,
# neighbouring letters). `possible_stems` applies every rule of each step whose suffix the word
# ends with, and also skips it, ignoring the conditions: the stemmer's own path is one of those.
# Step 1a (plurals), 1b (-ed, -ing; then "e" added or a double letter undone), 1c (y -> i):
_STEP_1A = (("sses", "ss"), ("ied", "i"), ("ied", "ie"), ("ies", "i"), ("ies", "ie"), ("s", ""))
_STEP_1B = (("eedly", "ee"), ("eed", "ee"), ("ingly", ""), ("edly", ""), ("ing", ""), ("ed", ""))
_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
# Steps 2 and 3 (derivational suffixes), 4 (deleted), 5 (a final "e", or "l" of "ll").
_STEP_2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"),
    ("entli", "ent"), ("izer", "ize"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("aliti", "al"), ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"),
    ("ousness", "ous"), ("iveness", "ive"), ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"),
    ("ogi", "og"), ("fulli", "ful"), ("lessli", "less"), ("li", ""),
)  # fmt: skip
_STEP_3 = (
    ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
    ("ical", "ic"), ("ful", ""), ("ness", ""), ("ative", ""),
)  # fmt: skip
_STEP_4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize", "ion",
)  # fmt: skip
# The algorithm also maps a few short words whole, all of them ending in "s", "ing" or "ly"
# ("skies" -> "sky", "dying" -> "die", "gently" -> "gentl"), none longer than six letters: for
# such words, every prefix followed by what these exceptions end in is allowed too.
_EXCEPTIONS_UP_TO = 6
_EXCEPTION_ENDINGS = ("s", "ing", "ly")
_EXCEPTION_TAILS = ("", "i", "y", "ie")


def possible_stems(word: str) -> set[str]:
    """Every string the stemmer could make of `word` (one of them is its stem).

    A superset that needs no stemmer: when none of these is an index term, neither is the
    word's stem, and the stemmer (and nltk's import, longer than a whole query) is not needed.
    tests/test_tokens.py checks it against the stemmer itself.
    """
    base = word.lower()  # what the stemmer starts from
    forms = {base}
    forms |= _rewrite(forms, _STEP_1A)
    after_1b = _rewrite(forms, _STEP_1B)
    forms |= after_1b
    forms |= {f + "e" for f in after_1b} | {f[:-1] for f in after_1b if f.endswith(_DOUBLES)}
    forms |= {f[:-1] + "i" for f in forms if f.endswith("y")}
    forms |= _rewrite(forms, _STEP_2)
    forms |= _rewrite(forms, _STEP_3)
    forms |= _rewrite(forms, tuple((suffix, "") for suffix in _STEP_4))
    forms |= {f[:-1] for f in forms if f.endswith(("e", "ll"))}
    if len(base) <= _EXCEPTIONS_UP_TO and base.endswith(_EXCEPTION_ENDINGS):
        forms |= {base[:n] + tail for n in range(1, len(base) + 1) for tail in _EXCEPTION_TAILS}
    return forms


def _rewrite(forms: set[str], rules: tuple[tuple[str, str], ...]) -> set[str]:
    return {f[: -len(old)] + new for f in forms for old, new in rules if f.endswith(old)}


def base_forms(word: str) -> list[str]:
    """Plausible uninflected forms of a corpus word ("lives" -> "live", "cities" -> "city").

    Questions often use another inflection of a word the articles use ("Where does he
    live?" against "he lives in ..."). Storing the terms of these forms with the corpus
    vocabulary lets such a question be answered without importing nltk to stem it. A wrong
    guess costs nothing: it is only ever looked up, never indexed.
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
