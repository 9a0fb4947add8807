"""Matching a question's words against a sentence's words, loosely enough for paraphrase.

Questions and the sentences that answer them rarely share exact word forms: "founded" meets
"founder", "funding" meets "state-funded", "Ghanaian" meets "Ghana". Stems that are equal, or
where one is a prefix of the other (at least five letters long), are taken to be the same word:
English derivation mostly adds suffixes, and five letters keep short stems ("art", "part") from
matching everything that starts with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from index.search.tokens import iter_words, stopwords

MIN_PREFIX = 5
HYPHENS = re.compile(r"[\-‐‑]")


@dataclass(frozen=True)
class Word:
    """A word of a text: `norm` is lowercased, `stems` has its own stem and its parts' stems."""

    text: str
    norm: str
    start: int
    end: int
    stems: tuple[str, ...]

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_INFLECTIONS = ("ies", "ied", "ing", "ed", "es", "s")
# Irregular past forms and their verb: no suffix says that "paid" is "pay" ("When will workers
# get their back pay?" … "will be paid by Friday") or "struck" is "strike". Only forms that are
# rarely another word: not "found" (also "to found"), "left", "fed", "lay", "saw", "wound",
# "shot" ("shots fired").
_IRREGULAR = """paid:pay bought:buy sold:sell held:hold won:win fought:fight met:meet led:lead
brought:bring taught:teach thought:think caught:catch built:build sent:send spent:spend lost:lose
told:tell made:make took:take taken:take gave:give given:give went:go gone:go came:come ran:run
began:begin begun:begin wrote:write written:write spoke:speak spoken:speak chose:choose
chosen:choose drove:drive driven:drive fell:fall fallen:fall flew:fly flown:fly grew:grow
grown:grow knew:know known:know risen:rise seen:see struck:strike stole:steal
stolen:steal swore:swear sworn:swear threw:throw thrown:throw fled:flee sought:seek kept:keep
dealt:deal meant:mean beaten:beat stood:stand understood:understand withdrew:withdraw
withdrawn:withdraw forgave:forgive forgiven:forgive froze:freeze frozen:freeze hid:hide
hidden:hide broke:break broken:break drew:draw drawn:draw ate:eat eaten:eat shook:shake
shaken:shake slain:slay sang:sing sung:sing sank:sink sunk:sink swam:swim torn:tear woke:wake
overthrew:overthrow overthrown:overthrow undertook:undertake undertaken:undertake
arose:arise arisen:arise became:become forgot:forget forgotten:forget"""
IRREGULAR_PAST = dict(pair.split(":") for pair in _IRREGULAR.split())


def _unaccented(word: str) -> str:
    """The word without its accents: a question typed "Mongke" or "Beyonce" names the
    "Möngke" or "Beyoncé" of the text."""
    if word.isascii():
        return word
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    )


@cache
def light_stem(word: str) -> str:
    """A light stem: inflections off (plural, -ed, -ing) and a final "e" or doubled consonant
    dropped, so "lives", "living", "lived" and "live" all give "liv"; an irregular past form
    gives its verb's ("paid": "pay", `IRREGULAR_PAST`); accents are dropped ("Möngke" is
    "Mongke"). Derivations are left
    to the prefix match below, which is why no full stemmer is needed (and nltk's import,
    half a second, is not paid on every question)."""
    w = _unaccented(word.lower())
    w = IRREGULAR_PAST.get(w, w)
    if w[:1].isdigit() or len(w) <= 3:
        return w
    if len(w) == 4 and w.endswith("ied"):
        return w[:-1]  # "died", "lied", "tied": the verb is three letters
    for suffix in _INFLECTIONS:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if w.endswith("y"):
        w = w[:-1] + "i"
    elif w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]\.?")


@lru_cache(maxsize=262144)
def stems_of(norm: str) -> tuple[str, ...]:
    """The word's stem and, for hyphenated words, each part's stem ("state-funded"); a dotted
    abbreviation also without its dots."""
    if _DOTTED.fullmatch(norm):  # "F.B.I." is "FBI", "U.S." is "US": news styles write both
        return (norm, norm.replace(".", ""))
    parts = [p for p in HYPHENS.split(norm) if p]
    if len(parts) <= 1:
        return (light_stem(norm),)
    return (light_stem(norm), *(light_stem(p) for p in parts))


def words(text: str) -> list[Word]:
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[Word, ...]:
    """Cached: the same paragraphs come back question after question."""
    return tuple(
        Word(text[s:e], norm, s, e, stems_of(norm)) for norm, s, e in iter_words(text) if norm
    )


def is_stopword(norm: str) -> bool:
    return norm in stopwords()


@lru_cache(maxsize=262144)
def stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b) >= 7 and a[:-2] == b[:-2] and {a[-2:], b[-2:]} == {"er", "or"}:
        return True  # an agent noun spelled both ways: "protesters", "protestors"; "adviser"
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and long.startswith(short)


# The endings that make a place's adjective ("Iraq" → "Iraqi", "Iran" → "Iranian", "China" →
# "Chinese", "Germany" → "German"), and the endings a place name drops before them.
_DEMONYM_ENDINGS = ("i", "ian", "an", "n", "ese", "ish", "ic", "")
_PLACE_ENDINGS = ("a", "y", "o", "e", "ia", "")


@lru_cache(maxsize=65536)
def is_demonym(adjective: str, place: str) -> bool:
    """Whether `adjective` is the adjective of the place `place` (both lowercased): "Which
    Iraqi city …" names Iraq, so "Iraq" repeats the question rather than answering it. The
    shared root must have four letters: "Roman" and "Rome" share three, too few to tell."""
    if adjective == place or len(place) < 4:
        return False
    roots = {place[: len(place) - len(e)] for e in _PLACE_ENDINGS if place.endswith(e)}
    return any(
        adjective.endswith(e) and len(adjective) - len(e) >= 4
        and adjective[: len(adjective) - len(e)] in roots
        for e in _DEMONYM_ENDINGS
    )  # fmt: skip


def word_matches(word: Word, term: str) -> bool:
    """Whether `word` (from a text) is the question stem `term`, loosely; a place says its
    adjective ("Iraq" says "Iraqi": the stems share too few letters to match)."""
    return any(stems_match(s, term) for s in word.stems) or (
        term[:4] == word.norm[:4] and is_demonym(term, word.norm)
    )


def find_term(ws: Sequence[Word], term: str) -> list[int]:
    """Indexes of the words matching `term`."""
    return list(_find_term(tuple(ws), term))


@lru_cache(maxsize=131072)
def _find_term(ws: tuple[Word, ...], term: str) -> tuple[int, ...]:
    """Cached: a sentence is matched against the same question terms several times."""
    return tuple(i for i, w in enumerate(ws) if word_matches(w, term))


def find_phrase(ws: list[Word], phrase: tuple[str, ...]) -> list[int]:
    """Start indexes where the normalised words `phrase` occur in a row. Every word of the
    phrase must be there ("New Mexico" is not "Mexico"), each matched by stem. Inside a name,
    up to two middle names or initials may stand between its words: "Edmund Ralph Brockman"
    and "George W. Bush" name "Edmund Brockman" and "George Bush"."""
    n = len(phrase)
    if n == 0:
        return []
    stems = [light_stem(p) for p in phrase]
    out = []
    for i in range(len(ws)):
        if not any(stems_match(s, stems[0]) for s in ws[i].stems):
            continue
        j = i
        for k in range(1, n):
            nxt = _next_phrase_word(ws, j, stems[k])
            if nxt is None:
                break
            j = nxt
        else:
            out.append(i)
    return out


def _next_phrase_word(ws: list[Word], j: int, stem: str) -> int | None:
    """The index of the phrase's next word after `ws[j]`: the next word, or, in a run of
    capitalised words, one of the next three."""
    for skip in range(3):
        at = j + 1 + skip
        if at >= len(ws):
            return None
        w = ws[at]
        if skip and not _same_name(ws[at - 1], w):
            return None
        if any(stems_match(s, stem) for s in w.stems):
            return at
        if skip == 0 and not _same_name(ws[j], w):
            return None
    return None


def _same_name(before: Word, w: Word) -> bool:
    """Two capitalised words of one name: a space between, or an initial's ". "."""
    gap = w.start - before.end
    return (
        before.capitalised and w.capitalised and (gap <= 1 or (gap == 2 and len(before.text) == 1))
    )
