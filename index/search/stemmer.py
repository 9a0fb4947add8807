"""The English Snowball stemmer (Porter2), exactly as nltk's `SnowballStemmer("english")` stems.

Why the project has its own: importing `nltk.stem.snowball` takes about half a second, longer
than a whole cold `reader ask`, and a question word the index does not store has to be stemmed.
Why it must match nltk's output exactly, quirks included: indexes store the stems nltk made,
and a question's stem must meet them. tests/test_stemmer.py and benchmarks/stemmer_check.py
compare the two.

The algorithm (snowballstem.org, "The English (Porter2) stemming algorithm") rewrites a word's
ending in fixed steps. Each step finds the longest suffix of its list that the word ends with
and, if that suffix satisfies the step's conditions, replaces it; otherwise the step does
nothing (a shorter suffix is not tried). The conditions mostly ask whether the suffix lies in
R1 or R2: R1 is what follows the first non-vowel that follows a vowel, R2 the same taken
inside R1.

nltk keeps R1 and R2 as strings that it cuts and extends along with the word, rather than as
fixed positions. They stay endings of the word, so here they are kept as lengths, changed the
way nltk changes its strings. That differs from the published algorithm in a few places, all
reproduced here:

- a region emptied by a deletion grows back when step 1b appends "e" after "at", "bl" or "iz"
  (R1 always; R2 if the word is longer than five letters or R1 has three or more);
- when step 2 turns "ational", "ation" or "ator" into "ate", or "iveness" or "iviti" into
  "ive", and R2 was shorter than what was replaced, R2 becomes the final "e";
- other replacements leave a region that was shorter than what they replaced empty.

It also follows the version of the algorithm nltk implements: R1 starts right after the
prefixes "gener", "commun" and "arsen" (later versions list more); step 5 deletes a final "e"
that is in R1 but not in R2 only from words of four letters or more; the whole words of
`EXCEPTIONS` are looked up after lowercasing, before apostrophes are unified.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VOWELS = frozenset("aeiouy")  # "Y" (a consonant y, marked first) is not one
VOWEL = re.compile("[aeiouy]")
VOWEL_THEN_NON_VOWEL = re.compile("[aeiouy][^aeiouy]")
DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
LI_ENDINGS = frozenset("cdeghkmnrt")  # letters "li" may follow to be removed in step 2
APOSTROPHES = ("\u2019", "\u2018", "\u201b")  # read as "'"
R1_PREFIXES = ("gener", "commun", "arsen")  # R1 starts right after these

# Whole words stemmed by hand, published with the algorithm (the words nltk lists).
EXCEPTIONS = {
    "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
    "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
    "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
    "cosmos": "cosmos", "bias": "bias", "andes": "andes", "inning": "inning",
    "innings": "inning", "outing": "outing", "outings": "outing", "canning": "canning",
    "cannings": "canning", "herring": "herring", "herrings": "herring", "earring": "earring",
    "earrings": "earring", "proceed": "proceed", "proceeds": "proceed",
    "proceeded": "proceed", "proceeding": "proceed", "exceed": "exceed", "exceeds": "exceed",
    "exceeded": "exceed", "exceeding": "exceed", "succeed": "succeed", "succeeds": "succeed",
    "succeeded": "succeed", "succeeding": "succeed",
}  # fmt: skip

# Step 0: possessive endings, deleted.
STEP_0 = ("'s'", "'s", "'")
# Step 1b: "eed", "eedly" become "ee" in R1; the others are deleted after a vowel.
STEP_1B = ("eedly", "ingly", "edly", "eed", "ing", "ed")

# Steps 2 and 3 (suffix in R1): suffix -> (its ending that is replaced, replacement). Writing
# "tional" as ("al", "") rather than ("tional", "tion") matters: a region shorter than the
# replaced ending is emptied, so the regions follow nltk only if the same ending is replaced.
STEP_2 = {
    "ization": ("ization", "ize"), "ational": ("ational", "ate"), "fulness": ("ness", ""),
    "ousness": ("ousness", "ous"), "iveness": ("iveness", "ive"), "tional": ("al", ""),
    "biliti": ("biliti", "ble"), "lessli": ("li", ""), "entli": ("li", ""),
    "ation": ("ation", "ate"), "alism": ("alism", "al"), "aliti": ("aliti", "al"),
    "ousli": ("ousli", "ous"), "iviti": ("iviti", "ive"), "fulli": ("li", ""),
    "enci": ("i", "e"), "anci": ("i", "e"), "abli": ("i", "e"), "izer": ("izer", "ize"),
    "ator": ("ator", "ate"), "alli": ("alli", "al"), "bli": ("bli", "ble"),
    "ogi": ("i", ""),  # only after "l"
    "li": ("li", ""),  # only after one of LI_ENDINGS
}  # fmt: skip
# Replacements that leave R2 as the final "e" when R2 was shorter than the replaced ending.
STEP_2_R2_BECOMES_E = frozenset({"ational", "ation", "ator", "iveness", "iviti"})
STEP_3 = {
    "ational": ("ational", "ate"), "tional": ("al", ""), "alize": ("ize", ""),
    "icate": ("icate", "ic"), "iciti": ("iciti", "ic"), "ative": ("ative", ""),  # also in R2
    "ical": ("ical", "ic"), "ness": ("ness", ""), "ful": ("ful", ""),
}  # fmt: skip
# Step 4: deleted in R2 ("ion" only after "s" or "t").
STEP_4 = frozenset({
    "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous",
    "ive", "ize", "ion", "al", "er", "ic",
})  # fmt: skip


def _by_last_letter(suffixes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Suffixes grouped by last letter, longest first: the first a word ends with is the
    longest, and a word is compared only with the few that end with its last letter."""
    table: dict[str, list[str]] = {}
    for suffix in sorted(suffixes, key=len, reverse=True):
        table.setdefault(suffix[-1], []).append(suffix)
    return {letter: tuple(group) for letter, group in table.items()}


STEP_1B_BY_LAST_LETTER = _by_last_letter(STEP_1B)
STEP_2_BY_LAST_LETTER = _by_last_letter(STEP_2)
STEP_3_BY_LAST_LETTER = _by_last_letter(STEP_3)
STEP_4_BY_LAST_LETTER = _by_last_letter(STEP_4)


def snowball_stem(word: str) -> str:
    """The Snowball English stem of `word`, as nltk's stemmer (ignore_stopwords=False) makes it."""
    word = word.lower()
    if len(word) <= 2:
        return word
    exception = EXCEPTIONS.get(word)
    if exception is not None:
        return exception
    for apostrophe in APOSTROPHES:
        word = word.replace(apostrophe, "'")
    if word.startswith("'"):
        word = word[1:]
    stemming = _Stemming(_mark_consonant_y(word))
    stemming.step_0()
    stemming.step_1a()
    stemming.step_1b()
    stemming.step_1c()
    stemming.step_2()
    stemming.step_3()
    stemming.step_4()
    stemming.step_5()
    return stemming.word.replace("Y", "y")


def _mark_consonant_y(word: str) -> str:
    """A y that is a consonant, written "Y": at the start, or after a vowel (not a marked Y)."""
    if "y" not in word:
        return word
    letters = list(word)
    if letters[0] == "y":
        letters[0] = "Y"
    for i in range(1, len(letters)):
        if letters[i] == "y" and letters[i - 1] in VOWELS:
            letters[i] = "Y"
    return "".join(letters)


def _region_start(word: str, start: int) -> int:
    """Where the region after the first non-vowel that follows a vowel begins, for a non-vowel
    at `start` or later (the vowel may be at `start - 1`); the word's end if there is none."""
    found = VOWEL_THEN_NON_VOWEL.search(word, start - 1)
    return found.end() if found else len(word)


def _ends_with_short_syllable(word: str) -> bool:
    """Step 1b's short syllable: non-vowel, vowel, non-vowel other than w, x, Y; or a
    two-letter word of a vowel and a non-vowel."""
    if len(word) >= 3:
        return (
            word[-1] not in VOWELS
            and word[-1] not in "wxY"
            and word[-2] in VOWELS
            and word[-3] not in VOWELS
        )
    return len(word) == 2 and word[0] in VOWELS and word[1] not in VOWELS


class _Stemming:
    """A word being stemmed, with the lengths of its regions R1 and R2 (both endings of it)."""

    __slots__ = ("word", "r1", "r2")

    def __init__(self, word: str) -> None:
        self.word = word
        if word.startswith(R1_PREFIXES):
            start = 6 if word.startswith("commun") else 5
        else:
            start = _region_start(word, 1)
        self.r1 = len(word) - start
        self.r2 = len(word) - _region_start(word, start + 1)

    def replace(self, old: str, new: str, r2_if_shorter: int = 0) -> None:
        """Replace the word's ending `old` by `new`; a region that held all of `old` keeps its
        start, a shorter one becomes empty (R2: `r2_if_shorter` letters)."""
        cut, grown = len(old), len(new)
        self.word = self.word[: len(self.word) - cut] + new
        self.r1 = self.r1 - cut + grown if self.r1 >= cut else 0
        self.r2 = self.r2 - cut + grown if self.r2 >= cut else r2_if_shorter

    def delete(self, count: int) -> None:
        self.replace(self.word[len(self.word) - count :], "")

    def step_0(self) -> None:
        if "'" not in self.word:
            return
        for suffix in STEP_0:
            if self.word.endswith(suffix):
                self.delete(len(suffix))
                return

    def step_1a(self) -> None:
        """Plurals: "sses" -> "ss"; "ied", "ies" -> "i" (or "ie" in a word of four letters or
        fewer); "s" deleted after a vowel not just before it; "us", "ss" kept."""
        word = self.word
        if word.endswith("sses"):
            self.delete(2)
        elif word.endswith(("ied", "ies")):
            self.delete(2 if len(word) > 4 else 1)
        elif word.endswith(("us", "ss")):
            pass
        elif word.endswith("s") and VOWEL.search(word, 0, len(word) - 2):
            self.delete(1)

    def step_1b(self) -> None:
        """Endings "-eed(ly)" -> "-ee" in R1; "-ed", "-ing" and their "-ly" forms deleted after
        a vowel, then "e" restored ("hoping" -> "hope") or a doubled consonant undone."""
        suffix = self._longest_suffix(STEP_1B_BY_LAST_LETTER)
        if suffix is None:
            return
        word = self.word
        if suffix in ("eed", "eedly"):
            if self.r1 >= len(suffix):
                self.replace(suffix, "ee")
            return
        if not VOWEL.search(word, 0, len(word) - len(suffix)):
            return
        self.delete(len(suffix))
        word = self.word
        if word.endswith(("at", "bl", "iz")):
            self.word = word + "e"
            self.r1 += 1
            if len(self.word) > 5 or self.r1 >= 3:
                self.r2 += 1
        elif word.endswith(DOUBLES):
            self.delete(1)
        elif self.r1 == 0 and _ends_with_short_syllable(word):
            self.word = word + "e"  # R1 (and with it R2) stays empty

    def step_1c(self) -> None:
        """A final y (or Y) after a non-vowel that is not the first letter becomes "i"."""
        word = self.word
        if len(word) > 2 and word[-1] in "yY" and word[-2] not in VOWELS:
            self.replace(word[-1], "i")

    def step_2(self) -> None:
        suffix = self._longest_suffix(STEP_2_BY_LAST_LETTER)
        if suffix is None or self.r1 < len(suffix):
            return
        if suffix == "ogi" and self.word[-4] != "l":
            return
        if suffix == "li" and self.word[-3] not in LI_ENDINGS:
            return
        old, new = STEP_2[suffix]
        self.replace(old, new, 1 if suffix in STEP_2_R2_BECOMES_E else 0)

    def step_3(self) -> None:
        suffix = self._longest_suffix(STEP_3_BY_LAST_LETTER)
        if suffix is None or self.r1 < len(suffix):
            return
        if suffix == "ative" and self.r2 < len(suffix):
            return
        self.replace(*STEP_3[suffix])

    def step_4(self) -> None:
        suffix = self._longest_suffix(STEP_4_BY_LAST_LETTER)
        if suffix is None or self.r2 < len(suffix):
            return
        if suffix == "ion" and self.word[-4] not in "st":
            return
        self.delete(len(suffix))

    def step_5(self) -> None:
        """A final "l" of "ll" in R2 is deleted; so is a final "e" in R2, or in R1 unless it
        follows a short syllable (non-vowel, vowel, non-vowel other than w, x, Y)."""
        word = self.word
        if self.r2 >= 1 and word.endswith(("ll", "e")):
            self.delete(1)
        elif self.r1 >= 1 and word.endswith("e") and len(word) >= 4:
            short_syllable = (
                word[-2] not in VOWELS
                and word[-2] not in "wxY"
                and word[-3] in VOWELS
                and word[-4] not in VOWELS
            )
            if not short_syllable:
                self.delete(1)

    def _longest_suffix(self, by_last_letter: dict[str, tuple[str, ...]]) -> str | None:
        word = self.word
        for suffix in by_last_letter.get(word[-1:], ()):
            if word.endswith(suffix):
                return suffix
        return None
