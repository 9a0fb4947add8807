"""Spans of a sentence that could answer a question of some type, found by their shape.

- dates: month names with days and years ("February 7, 2016", "7 February 2016", "Nov. 14",
  "December 2016") and bare years (1000-2099), the ways news text writes dates;
- numbers: numerals with scale words ("3.5 million"), number words ("two", "half a
  million"), money (a currency sign or word), percentages, ages ("30-year-old", "aged 30",
  "Okafor, 41,") and durations ("five years");
- names: runs of capitalised words, joined by "of", "de", "&" ("Bank of England",
  "Bar & Grill"). A capitalised word that the surrounding text also writes in lower case is a
  sentence opener, not a name ("Yesterday", "Officials"): truecasing by the document's own
  usage, which needs no word list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.answers import values
from index.answers.values import CURRENCY_WORDS, MONTHS, SCALES, UNITS, VAGUE_COUNT
from index.answers.words import Word, is_stopword

WEEKDAYS = frozenset(values.WEEKDAYS)
NAME_CONNECTORS = frozenset(
    ["of", "de", "del", "la", "le", "von", "van", "der", "da", "di", "du", "al", "bin"]
)
# Function words a sentence may open with, capitalised there, that the stopword list lacks:
# never the first word of a name ("Although Grumman …", "Upon Kennedy's death …").
_OPENING_FUNCTION_WORDS = "although though upon despite whereas unless since however moreover \
thus hence whilst nevertheless nonetheless furthermore meanwhile amid amidst unlike via another \
every several many neither either"
OPENING_FUNCTION_WORDS = frozenset(_OPENING_FUNCTION_WORDS.split())


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str  # date | count | pair | money | percent | age | duration | name


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|"
    r"Dec\.?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d{3}|20\d{2})"
# A decade ("the 1980s", "the early 1960s", "the mid-1990s"): news and reference text date
# the past so ("in the early 1980s, when they were in high school").
DECADE_PATTERN = re.compile(r"\b(?:(?i:early|mid|late)[\s-]+)?(?:1\d|20)\d0s\b")
DATE_PATTERNS = [
    DECADE_PATTERN,
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?![,.]?\d)"),
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"(?<![$€£\d.,])\b{_YEAR}\b(?![,.]?\d|\s*(?:%|percent|per cent))(?!-year)"),
]
# "May" and "March" are also words: only with a day or year next to them do they date.
_BARE_MONTH = re.compile(rf"\b{_MONTH}\b")

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_WORD = "|".join(sorted((*UNITS, *SCALES), key=len, reverse=True))
_WORDS_NUM = (
    rf"(?:(?:half\s+an?|a\s+quarter(?:\s+of\s+an?)?)\s+(?:{'|'.join(SCALES)})"
    # "a" only before a scale word: "a dozen", "a million", not "a three-hour rampage"
    rf"|(?:an?\s+(?=(?:{'|'.join(SCALES)})\b))?(?:{_NUMBER_WORD})"
    rf"(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*)"
)
_SCALE = r"(?:[\s-]*(?:hundred|thousand|million|billion|trillion|bn)\b)?"  # "$7-billion"
_CURRENCY_WORD = "|".join(CURRENCY_WORDS)
_DURATION_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)"
_ANY_NUM = rf"(?:{_NUM}{_SCALE}|\b{_WORDS_NUM}\b)"

# A figure, but not a model's number ("AR-15", "F-16", "COVID-19") or a time of day ("2 a.m.",
# "2:30").
_COUNT = (
    rf"(?<![\w$€£¥.,])(?<![A-Za-z]-)(?<!\d:){_NUM}{_SCALE}(?![\w%])"
    r"(?!:\d|\s?(?:[ap]\.m\.|[ap]m\b))"
)

# Two figures as one: a tally or score ("a 50-48 vote", "won 24–10") or a range ("100–150
# species", "2–3 years"). One answer, never one of its figures alone: "the judge won a 52-48 vote
# in 1991" says nothing of 48 senators (`cues.number_cue` reads which of the two it is).
_PAIR = r"(?<![\w$€£¥.,/:–—-])\d{1,3}\s?[-–—]\s?\d{1,3}(?![\w%/:–—-]|[.,]\d)"

NUMBER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("pair", re.compile(_PAIR)),
    ("money", re.compile(rf"[$€£¥₽]\s?{_NUM}{_SCALE}")),
    ("money", re.compile(rf"{_ANY_NUM}\s+(?:{_CURRENCY_WORD})\b", re.I)),
    ("percent", re.compile(rf"{_ANY_NUM}\s*(?:%|percent\b|per cent\b|percentage points?\b)", re.I)),
    ("age", re.compile(rf"\b{_ANY_NUM}[\s-]+years?[\s-]+old\b", re.I)),
    ("age", re.compile(r"\b(?:aged|age)\s+\d{1,3}\b", re.I)),
    ("duration", re.compile(rf"{_ANY_NUM}[\s-]+{_DURATION_UNIT}\b", re.I)),
    ("count", VAGUE_COUNT),  # "dozens", "hundreds of thousands"
    ("count", re.compile(_COUNT, re.I)),
    ("count", re.compile(rf"\b{_WORDS_NUM}\b", re.I)),
]
# An appositive age: "Okafor, 41, runs" / "Jane Doe, 45, said".
APPOSITIVE_AGE = re.compile(r"(?<=[A-Za-z]),\s(\d{1,3}),\s")


# A day of the week, as news dates the events of the week it reports ("late Tuesday",
# "Wednesday night", "last Friday"): which day it is, the article's date says
# (`values.resolve_weekday`). Capitalised only: "sunday best" is no date.
_WEEKDAY = "|".join(d.capitalize() for d in values.WEEKDAYS)
_BEFORE = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in values.WEEKDAY_BEFORE)  # "Late"
WEEKDAY_PATTERN = re.compile(
    rf"\b(?:(?:{_BEFORE})\s+)?(?:{_WEEKDAY})(?:\s+(?:{'|'.join(values.WEEKDAY_AFTER)}))?\b"
)
# A weekday written with its date ("Wednesday, Jan. 8"): the date is the answer.
_DATE_AFTER = re.compile(rf",?\s*(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})\b")


def weekday_mentions(text: str) -> list[Mention]:
    """The days of the week a sentence names, with the words that narrow them ("early
    Wednesday", "Tuesday night"), except those written with their date."""
    return [
        Mention(m.start(), m.end(), m.group(), "date")
        for m in WEEKDAY_PATTERN.finditer(text)
        if not _DATE_AFTER.match(text, m.end())
    ]


def date_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append(Mention(s, e, text[s:e], "date"))
    return sorted(out, key=lambda m: m.start)


def number_mentions(text: str) -> list[Mention]:
    return list(_number_mentions(text))


@lru_cache(maxsize=16384)
def _number_mentions(text: str) -> tuple[Mention, ...]:
    """Cached: a sentence's numbers are read for each of its numbers' cues."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    years = [(m.start, m.end) for m in date_mentions(text)]
    for m in APPOSITIVE_AGE.finditer(text):
        s, e = m.span(1)
        taken.append((s, e))
        out.append(Mention(s, e, text[s:e], "age"))
    for kind, pattern in NUMBER_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] in " -":
                e -= 1
            if kind == "age":  # "30-year-old", "aged 30": the answer is the number
                number = re.search(
                    r"\d+(?:\.\d+)?|[A-Za-z]+(?:[\s-][A-Za-z]+)*?(?=[\s-]+years?)", text[s:e]
                )
                if number and not re.fullmatch(r"aged?", number.group(), re.I):
                    s, e = s + number.start(), s + number.end()
                else:
                    digits = re.search(r"\d+", text[s:e])
                    if digits:
                        s, e = s + digits.start(), s + digits.end()
            value_text = text[s:e]
            if kind == "count" and _not_a_count(value_text):
                continue
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind in ("count", "pair") and any(s >= ys and e <= ye for ys, ye in years):
                continue
            if kind == "count" and _YEAR_RANGE_HEAD.search(text, 0, s):
                continue  # "the 1976–77 season", "fiscal 2023-24": the tail of a span of years
            taken.append((s, e))
            out.append(Mention(s, e, value_text, kind))
    return tuple(sorted(out, key=lambda m: m.start))


# A year followed by a dash or slash right before a number: the number ends a span of years.
_YEAR_RANGE_HEAD = re.compile(r"\b(?:1\d{3}|20\d{2})\s?[-–—/]\s?$")


def _not_a_count(text: str) -> bool:
    """Articles alone ("a", "an") and the pronoun-like "one" carry no quantity worth
    comparing."""
    t = text.strip().lower()
    return t in ("a", "an", "one", "a hundred", "an hundred") or not re.search(r"[a-z0-9]", t)


def name_mentions(text: str, ws: list[Word], lower_seen: set[str]) -> list[Mention]:
    """Runs of capitalised words; `lower_seen` holds words the context writes in lower case."""
    runs: list[list[Word]] = []
    run: list[Word] = []
    first = ws[0] if ws else None

    def close() -> None:
        while run and run[-1].norm in NAME_CONNECTORS and not run[-1].capitalised:
            run.pop()
        while run and (
            is_stopword(run[0].norm)
            or run[0].norm in OPENING_FUNCTION_WORDS
            or run[0].norm in NAME_CONNECTORS
            or (run[0] is first and _opener(run[0], lower_seen))
        ):
            run.pop(0)
        if run:
            runs.append(list(run))
        run.clear()

    for i, w in enumerate(ws):
        gap = text[ws[i - 1].end : w.start] if i and run else " "
        joined = gap.strip() in ("", "&") or (
            gap.strip() == "." and _abbreviation(ws[i - 1]) and w.capitalised
        )  # "William P. Bell", "Dr. Thomas Coke"
        if run and not joined:
            close()
        if _name_word(w):
            run.append(w)
            if re.search(r"[-‐‑][a-z][\w-]*$", w.text):
                close()  # "Oslo-based Brightwave": two names, the first cut below
        elif run and w.norm in NAME_CONNECTORS and not w.capitalised:
            run.append(w)
        elif (
            run
            and w.text[:1].isdigit()
            and run[-1].capitalised
            and not _is_year(w.text)
            and text[w.end : w.end + 1] not in ("-", "‐", "‑")
        ):
            run.append(w)  # "Super Bowl 50", "Apollo 11"; not "the Panthers 4-yard line"
            close()
        else:
            close()
    close()
    out = []
    for r in runs:
        end = r[-1].end
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2  # a possessive is not part of the name
        suffix = re.search(r"[-‐‑][a-z][\w-]*$", text[r[0].start : end])
        if suffix:  # "Oslo-based", "state-funded": the name is the capitalised part
            end = r[0].start + suffix.start()
        out.append(Mention(r[0].start, end, text[r[0].start : end], "name"))
    return out


ABBREVIATED_TITLES = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "jr",
        "sr",
        "gen",
        "lt",
        "col",
        "capt",
        "rev",
        "prof",
        "sen",
        "gov",
    ]
)


def _abbreviation(w: Word) -> bool:
    """An initial or an abbreviated title, whose full stop does not end the name."""
    return (len(w.text) == 1 and w.text.isupper()) or w.norm in ABBREVIATED_TITLES


def _name_word(w: Word) -> bool:
    if not w.capitalised or w.text == "I":
        return False
    base = w.norm.rstrip(".")
    return base not in MONTHS and base not in WEEKDAYS or len(w.text) <= 2


def _opener(w: Word, lower_seen: set[str]) -> bool:
    """A sentence's first word that the text also writes in lower case: its capital comes
    from its place, not from being a name."""
    return w.norm in lower_seen and not w.text.isupper()


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(_YEAR, text))
