"""Turning an answer's words into a value that can be compared across sources.

Each answer type has its own notion of "the same":
- dates are (year, month, day) with missing parts left open: "December 2016" and "2016" differ
  only in granularity, 2018 and 2019 are different;
- numbers are parsed exactly ("half a million" = 500000, "3.5 million" = 3500000, "two" = 2)
  with their unit (currency, percent); two numbers are the same only if equal, never "close",
  but a bound or an estimate ("more than a dozen", "nearly 800,000", "some 50") is compatible
  with the numbers it allows: news rounds and hedges, and "more than $5 billion" does not
  contradict "$5.7 billion"; a tally or range of two figures ("50-48") is the same only as
  the same two figures;
- names are compared by a folded key (accents, case, articles, punctuation dropped) and, when
  keys differ, word by word with transliteration and derivation tolerance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "dozen": 12, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
    "trillion": 10**12,
}  # fmt: skip
FRACTIONS: dict[str, Decimal | int] = {
    "half": Decimal("0.5"),
    "quarter": Decimal("0.25"),
    "a": 1,
    "an": 1,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "yen": "JPY", "yuan": "CNY", "rupees": "INR", "francs": "CHF", "marks": "DEM",
}  # fmt: skip
PERCENT_WORDS = ("percent", "per cent", "%", "percentage points", "percentage point")


@dataclass(frozen=True)
class DateValue:
    year: int | None
    month: int | None = None
    day: int | None = None
    # a day of the week (0 is Monday) not yet resolved to its date ("late Tuesday"): which
    # day it is, only the article's date says (`resolve_weekday`)
    weekday: int | None = None
    # a decade, by its first year ("the early 1980s": 1980), for a date given no finer
    decade: int | None = None

    def compatible(self, other: DateValue) -> bool:
        """Equal wherever both are known: "2016" fits "December 2016". A day of the week fits
        only the same day of the week: against a date it could be any."""
        if (self.weekday is None) != (other.weekday is None):
            return False
        if self.decade is not None or other.decade is not None:  # "1982" fits "the 1980s"
            a, b = self._years(), other._years()
            return a is None or b is None or a[0] <= b[1] and b[0] <= a[1]
        pairs = (
            (self.year, other.year),
            (self.month, other.month),
            (self.day, other.day),
            (self.weekday, other.weekday),
        )
        return all(a is None or b is None or a == b for a, b in pairs)

    def granularity(self) -> int:
        return sum(x is not None for x in (self.year, self.month, self.day))

    def _years(self) -> tuple[int, int] | None:
        if self.year is not None:
            return self.year, self.year
        return (self.decade, self.decade + 9) if self.decade is not None else None


@dataclass(frozen=True)
class NumberValue:
    value: Decimal
    unit: str | None = None  # "USD", "%", ...; None for a plain count


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s*(\d{4})?")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")
_YEAR = re.compile(r"\b(\d{3,4})\b")
_DECADE = re.compile(r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(\d{3}0)s", re.IGNORECASE)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What a news story writes around a day of the week ("late Tuesday", "Wednesday night"):
# `mentions.WEEKDAY_PATTERN` finds such phrases in a text, `parse_date` reads them.
WEEKDAY_BEFORE = ("early", "late", "last", "next", "this")
WEEKDAY_AFTER = ("morning", "afternoon", "evening", "night")
_WEEKDAY_PHRASE = re.compile(
    rf"(?:({'|'.join(WEEKDAY_BEFORE)})\s+)?({'|'.join(WEEKDAYS)})"
    rf"(?:\s+(?:{'|'.join(WEEKDAY_AFTER)}))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str) -> DateValue | None:
    """Year/month/day of a date mention (or the day of the week of "late Tuesday"), or None
    if `text` is not one."""
    t = text.strip().strip(".,")
    m = _ISO.fullmatch(t)
    if m:
        return DateValue(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _WEEKDAY_PHRASE.fullmatch(t)
    if m:
        return DateValue(None, weekday=WEEKDAYS.index(m.group(2).lower()))
    m = _DECADE.fullmatch(t)
    if m:
        return DateValue(None, decade=int(m.group(1)))
    for pattern, order in (
        (_DAY_MONTH_YEAR, "dmy"),
        (_MONTH_DAY_YEAR, "mdy"),
        (_MONTH_YEAR, "my"),
    ):
        m = pattern.fullmatch(t)
        if not m:
            continue
        if order == "dmy":
            month = MONTHS.get(m.group(2).lower())
            day, year = int(m.group(1)), m.group(3)
        elif order == "mdy":
            month = MONTHS.get(m.group(1).lower())
            day, year = int(m.group(2)), m.group(3)
        else:
            month, day, year = MONTHS.get(m.group(1).lower()), None, m.group(2)
        if month is None or (day is not None and not 1 <= day <= 31):
            continue
        return DateValue(int(year) if year else None, month, day)
    month = MONTHS.get(t.lower())
    if month and len(t) > 3:
        return DateValue(None, month)
    m = _YEAR.fullmatch(t)
    if m:
        return DateValue(int(m.group(1)))
    return None


# Words before a day of the week that put it ahead of the article's date: "workers will be
# paid by Friday", "the vote is expected Tuesday". Without one, news reports a past day.
_FUTURE = re.compile(
    r"\b(?:will|would|'ll|shall|should|going to|expected|scheduled|set to|plans? to|promises?)\b",
    re.IGNORECASE,
)


def resolve_weekday(value: str, sentence: str, start: int, published: date) -> date | None:
    """The date a day of the week names in an article published on `published` ("late
    Tuesday" in a story of Wednesday 8 January: Tuesday 7 January); None if `value` is not a
    day of the week. "last"/"next" say which way, else the clause before it (`start` is its
    offset in `sentence`): a future word looks ahead ("will be paid by Friday"), anything else
    back, to the latest such day on or before the article's date, as news reports the week
    it covers."""
    parsed = parse_date(value)
    if parsed is None or parsed.weekday is None:
        return None
    first = value.split()[0].lower()
    clause = re.split(r"[.;:!?]", sentence[max(0, start - 80) : start])[-1]
    ahead = first == "next" or first != "last" and bool(_FUTURE.search(clause))
    try:
        if ahead:
            days = (parsed.weekday - published.weekday()) % 7 or (7 if first == "next" else 0)
            return published + timedelta(days=days)
        days = (published.weekday() - parsed.weekday) % 7 or (7 if first == "last" else 0)
        return published - timedelta(days=days)
    except OverflowError:  # an article dated at the calendar's ends ("0001-01-01")
        return None


def resolve_year(value: str, published: date) -> date | None:
    """The date a day and month without a year name in an article published on `published`:
    the one in the year before, of or after the article's that lies nearest to its date
    ("Dec. 22" in a story of 25 January 2019: 22 December 2018; "Feb. 15": 15 February 2019),
    as news leaves out the year of dates near its own. None if `value` is not such a date."""
    parsed = parse_date(value)
    if parsed is None or parsed.year is not None or parsed.month is None or parsed.day is None:
        return None
    found = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            found.append(date(year, parsed.month, parsed.day))
        except ValueError:  # 29 February
            continue
    return min(found, key=lambda d: abs((d - published).days), default=None)


_NUMERAL = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


def parse_number(text: str) -> NumberValue | None:
    """Exact value and unit of a number mention, or None if it holds no number."""
    t = unicodedata.normalize("NFKC", text).lower().strip()
    vague = _vague_range(t)
    if vague is not None:
        return NumberValue(vague[0], _unit(t))
    unit = _unit(t)
    m = _NUMERAL.search(t)
    if m:
        value = Decimal(m.group().replace(",", ""))
        rest = t[m.end() :]
    else:
        words = re.findall(r"[a-z]+", t)
        parsed = _number_from_words(words)
        if parsed is None:
            return None
        return NumberValue(parsed, unit)
    scale = re.match(r"[\s-]*(hundred|thousand|million|billion|trillion|bn|m)\b", rest)
    if scale:
        value *= {"bn": 10**9, "m": 10**6}.get(scale.group(1)) or SCALES[scale.group(1)]
    return NumberValue(value.normalize() if value == value.to_integral() else value, unit)


def _unit(t: str) -> str | None:
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in t:
            return code
    for word, code in CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", t):
            return code
    if any(p in t for p in PERCENT_WORDS):
        return "%"
    m = re.search(r"\b(year|month|week|day|hour|minute|second|decade|centur)", t)
    if m and not re.search(r"\bold\b", t):
        return m.group(1)
    return None


def _number_from_words(words: list[str]) -> Decimal | None:
    """ "two" → 2, "twenty-five" → 25, "half a million" → 500000, "three hundred" → 300."""
    total = Decimal(0)
    current: Decimal | int | None = None
    fraction: Decimal | int | None = None
    seen = False
    for w in words:
        if w in UNITS:
            current = (current or 0) + UNITS[w]
            seen = True
        elif w in SCALES:
            base = current if current is not None else fraction if fraction is not None else None
            if base is None:
                base = Decimal(1) if seen or fraction else None
            if base is None:
                return None
            if SCALES[w] == 100:
                current = base * 100
            else:
                total += base * SCALES[w]
                current = None
                fraction = None
            seen = True
        elif w in ("half", "quarter"):
            fraction = FRACTIONS[w]
        elif w in ("a", "an") and fraction is None and current is None:
            fraction = 1  # "a dozen", "a million": one of the scale word that follows
        elif w in ("a", "an", "and"):
            continue
        elif w in ORDINAL_WORDS and not seen:
            return None
    if not seen:
        return None
    value = total + (current or 0)
    return value.normalize() if value == value.to_integral() else value


# -- names ---------------------------------------------------------------------------------

_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
_SKELETON_RULES = (
    ("ks", "x"), ("cs", "x"), ("ph", "f"), ("kh", "h"), ("ck", "k"), ("c", "k"), ("q", "k"),
    ("w", "v"), ("y", "i"), ("j", "i"), ("z", "s"),
)  # fmt: skip


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accents and punctuation off, articles and possessives dropped."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.lower().replace("’", "'")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"[^\w\s]", " ", t)
    t = _LEADING_ARTICLE.sub("", t.strip())
    return " ".join(t.split())


def name_words(text: str) -> list[str]:
    """Folded words of a name, its connectors ("of", "the") left out."""
    return list(_name_words(text))


@lru_cache(maxsize=65536)
def _name_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in fold(text).replace("-", " ").split() if w not in _NAME_CONNECTORS)


_NAME_CONNECTORS = frozenset(
    ["of", "the", "de", "del", "la", "le", "von", "van", "der", "da", "di", "du", "and"]
)


def _translit(word: str) -> str:
    for a, b in _SKELETON_RULES:
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def skeleton(word: str) -> str:
    """A transliteration-tolerant key: letters that romanisations swap merged, doubled
    letters and inner vowels dropped (Aleksandr and Alexander, Sergei and Sergey), a long word's
    initial vowel merged with the others (Erbil and Irbil, Usama and Osama)."""
    w = word
    for a, b in _SKELETON_RULES:
        w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", w)
    if len(w) >= 5 and w[0] in "aeiou":
        w = "a" + w[1:]  # an initial vowel varies too: "Erbil" and "Irbil"
    if len(w) > 1:
        w = w[0] + re.sub(r"[aeiou]", "", w[1:])
    return w


def words_related(a: str, b: str) -> str | None:
    """How two folded name words relate: "same", "transliteration", "derivation" or None."""
    if a == b:
        return "same"
    if a.isdigit() or b.isdigit():
        return None
    if len(a) >= 4 and len(b) >= 4 and skeleton(a) == skeleton(b):
        # Same consonants; the spellings must also be close, or "Paris" would be "Peres".
        fa, fb = _translit(a), _translit(b)
        if edit_distance(fa, fb) <= max(1, round(0.2 * max(len(fa), len(fb)))):
            return "transliteration"
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    # Derivations of one root ("nationalist", "nationalization") share a long stem; six letters
    # and most of the shorter word keep unrelated names ("Johnson", "Johnston") apart.
    if common >= 6 and common >= 0.7 * min(len(a), len(b)):
        return "derivation"
    return None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def value_key(answer_type: str, text: str) -> object | None:
    """What two mentions of one value share: a DateValue, a NumberValue or a folded name."""
    if answer_type == "date":
        return parse_date(text)
    if answer_type == "number":
        return parse_number(text)
    key = fold(text)
    return key or None


@lru_cache(maxsize=65536)
def _relate_cached(answer_type: str, a: str, b: str) -> tuple[str, str | None]:
    if answer_type == "date":
        return _relate_dates(a, b)
    if answer_type == "number":
        return _relate_numbers(a, b)
    return _relate_names(a, b, None)


def relate(
    answer_type: str, a: str, b: str, within: Callable[[str, str], bool] | None = None
) -> tuple[str, str | None]:
    """How two answers relate: ("same" | "variant" | "compatible" | "different", why).

    "variant" is one referent written two ways (a transliteration, a date format, "2" and
    "two"); "compatible" differs only in precision ("Lyon" and "Lyon, France", "2016" and
    "December 2016"). `within(x, y)` may say a place x lies inside y.
    """
    found = _relate_cached(answer_type, a, b)
    if found[0] != "different" or within is None or answer_type in ("date", "number"):
        return found
    for inner, outer in ((a, b), (b, a)):
        if within(inner, outer):
            return "compatible", f"{inner} is in {outer}: more precise"
    return found


def _relate_dates(a: str, b: str) -> tuple[str, str | None]:
    da, db = parse_date(a), parse_date(b)
    if da is None or db is None:
        return ("same", None) if fold(a) == fold(b) else ("different", None)
    if da == db:
        return ("same", None) if fold(a) == fold(b) else ("variant", f"{a} = {b}: same date")
    if da.compatible(db):
        fine, coarse = (a, b) if da.granularity() > db.granularity() else (b, a)
        return "compatible", f"{fine} ⊂ {coarse}: more precise date"
    return "different", None


# Two figures as one answer: a tally or score ("50-48", "24–10") or a range ("$400,000–
# $450,000").
_PAIR = re.compile(
    r"^\D{0,4}?(\d[\d,]*(?:\.\d+)?)\s?(?:[-–—]|to)\s?\D{0,2}?(\d[\d,]*(?:\.\d+)?)\D*$"
)


def parse_pair(text: str) -> tuple[Decimal, Decimal] | None:
    """The two figures of a tally, score or range, smaller first; None for one figure."""
    m = _PAIR.match(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    x, y = (Decimal(g.replace(",", "")) for g in m.groups())
    if 1000 <= x <= 2100 and y < 100:
        return None  # a span of years: "2019-20"
    return (x, y) if x <= y else (y, x)


def _relate_pairs(
    a: str, b: str, pa: tuple[Decimal, Decimal] | None, pb: tuple[Decimal, Decimal] | None
) -> tuple[str, str | None]:
    """Two figures are the same as two others only if both are equal ("50-48", "48-50"); one
    figure from the first to the second is compatible with them (a side of a tally, "50" of
    "50-48", or a figure in a range, "10" in "8–15": the answer's words do not say which of
    the two it is, and a range allows it); anything else is a different claim ("50-48",
    "51-49"; "51")."""
    if pa is not None and pb is not None:
        if pa != pb:
            return "different", None
        return ("same", None) if fold(a) == fold(b) else ("variant", f"{a} = {b}: same figures")
    pair, one = (pa, b) if pa is not None else (pb, a)
    single = parse_number(one)
    if pair is not None and single is not None and pair[0] <= single.value <= pair[1]:
        return "compatible", f"{one} is within {b if pa is None else a}"
    return "different", None


def _relate_numbers(a: str, b: str) -> tuple[str, str | None]:
    pa, pb = parse_pair(a), parse_pair(b)
    if pa is not None or pb is not None:
        return _relate_pairs(a, b, pa, pb)
    na, nb = parse_number(a), parse_number(b)
    if na is None or nb is None:
        return ("same", None) if fold(a) == fold(b) else ("different", None)
    units_agree = na.unit == nb.unit or na.unit is None or nb.unit is None
    if not units_agree:
        return "different", None
    (ka, ia), (kb, ib) = _interval(a, na.value), _interval(b, nb.value)
    if na.value == nb.value and ka == kb:
        return ("same", None) if fold(a) == fold(b) else ("variant", f"{a} = {b}: same number")
    # A bound allows the figures inside it ("more than a dozen" allows 16, and "some two dozen");
    # the same kind of bound on two numbers ("over 60", "over 700"; "about 20", "about 25") is
    # two claims, as two exact figures are.
    if ka != kb and ia[0] <= ib[1] and ib[0] <= ia[1]:
        return "compatible", f"{a} ≈ {b}: a bound or estimate allows the other"
    return "different", None


# Words before a number that make it a bound or an estimate, by what they allow: "more than
# 50" any number above, "nearly 50" a little under, "some 50" a little either side.
_LOWER = r"more than|over|at least|upwards of|in excess of|no fewer than|no less than"
_UPPER = r"no more than|fewer than|less than|under|up to|at most"
_BELOW = r"nearly|almost|just under|close to"
_ABOUT = r"about|around|roughly|approximately|some|an estimated|estimated|an approximate"
_BOUND = rf"(?P<lower>{_LOWER})|(?P<upper>{_UPPER})|(?P<below>{_BELOW})|(?P<about>{_ABOUT})"
_BOUND_AT_START = re.compile(rf"^\s*(?:{_BOUND})\s+", re.I)
_BOUND_BEFORE = re.compile(rf"\b(?:{_BOUND})\s+$", re.I)
# How far an estimate may be from its number: "about 50" allows 40 to 60.
ESTIMATE_MARGIN = Decimal("0.2")
_INFINITY = Decimal("Infinity")


def _interval(text: str, value: Decimal) -> tuple[str, tuple[Decimal, Decimal]]:
    """The kind of bound a figure has ("exact", "lower", "upper", "below", "about", "vague")
    and the numbers it allows."""
    vague = _vague_range(unicodedata.normalize("NFKC", text).lower())
    if vague is not None:
        return "vague", vague
    m = _BOUND_AT_START.match(text)
    if m is None:
        return "exact", (value, value)
    if m.group("lower"):
        return "lower", (value, _INFINITY)
    if m.group("upper"):
        return "upper", (Decimal(0), value)
    if m.group("below"):
        return "below", (value * (1 - ESTIMATE_MARGIN), value)
    return "about", (value * (1 - ESTIMATE_MARGIN), value * (1 + ESTIMATE_MARGIN))


def is_bounded(text: str) -> bool:
    return _BOUND_AT_START.match(text) is not None or _vague_range(text.lower()) is not None


# Counts without a figure: "dozens", "hundreds", "tens of thousands", "hundreds of millions".
# A plural scale word S says at least two of it and fewer than ten (of a dozen: fewer than
# ten dozen); "tens of" S and "hundreds of" S scale that by ten and a hundred.
VAGUE_COUNT = re.compile(
    r"\b(?:(?:tens|hundreds)\s+of\s+)?(?:dozens|hundreds|thousands|millions|billions)\b", re.I
)
_VAGUE_SCALES = {"dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 10**6,
                 "billions": 10**9}  # fmt: skip


def _vague_range(text: str) -> tuple[Decimal, Decimal] | None:
    m = VAGUE_COUNT.search(text)
    if m is None or _NUMERAL.search(text):
        return None
    words = m.group().lower().split()
    scale = Decimal(_VAGUE_SCALES[words[-1]])
    if len(words) == 3:
        scale *= {"tens": 10, "hundreds": 100}[words[0]]
    return 2 * scale, 10 * scale


def bound_start(sentence: str, start: int) -> int:
    """Where a number that begins at `start` really begins: before its bound word ("more than
    a dozen", "nearly 800,000"), if it has one; else `start`."""
    m = _BOUND_BEFORE.search(sentence[:start])
    return m.start() if m else start


def _relate_names(a: str, b: str, within: None = None) -> tuple[str, str | None]:
    if fold(a) == fold(b):
        return "same", None
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return "different", None
    if len(wa) == len(wb):
        kinds = [words_related(x, y) for x, y in zip(wa, wb, strict=True)]
        if all(kinds):
            pairs = [
                f"{x} ≈ {y}"
                for x, y, k in zip(a_orig(a), a_orig(b), kinds, strict=False)
                if k != "same"
            ]
            label = "transliteration" if "transliteration" in kinds else "same root"
            return "variant", f"{', '.join(pairs) or f'{a} ≈ {b}'}: {label}"
    if _initials(a) == fold(b).replace(" ", "") or _initials(b) == fold(a).replace(" ", ""):
        return "variant", f"{a} ≈ {b}: abbreviation"
    if _abbreviated_inside(a, b) or _abbreviated_inside(b, a):
        return "variant", f"{a} ≈ {b}: abbreviation"
    longer, shorter = (a, b) if len(wa) >= len(wb) else (b, a)
    if _contains(longer, shorter):
        return "compatible", f"{longer} ⊇ {shorter}: more precise"
    return "different", None


def a_orig(text: str) -> list[str]:
    """The name's words as written (for notes), connectors left out like `name_words`."""
    return [
        w
        for w in re.sub(r"[^\w\s-]", " ", text).replace("-", " ").split()
        if w.lower() not in _NAME_CONNECTORS
    ]


def _abbreviated_inside(short: str, long: str) -> bool:
    """One capitalised run written as its initials within an otherwise equal name: "PB
    Committees" for "Private Bill Committees", "UN Security Council" for "United Nations
    Security Council"."""
    ws, wl = a_orig(short), a_orig(long)
    extra = len(wl) - len(ws)
    if extra < 1:
        return False
    for i, w in enumerate(ws):
        n = extra + 1
        if not (2 <= len(w) <= 6 and w.isupper() and len(w) == n):
            continue
        expanded = wl[i : i + n]
        if "".join(x[0] for x in expanded).upper() != w or not all(
            x[:1].isupper() for x in expanded
        ):
            continue
        rest_s, rest_l = ws[:i] + ws[i + 1 :], wl[:i] + wl[i + n :]
        if [fold(x) for x in rest_s] == [fold(x) for x in rest_l]:
            return True
    return False


def _initials(text: str) -> str:
    return "".join(w[0] for w in name_words(text) if w)


def _contains(longer: str, shorter: str) -> bool:
    """Whether `shorter` is a less precise form of `longer`: one of its comma-separated parts
    ("Lyon" of "Lyon, France"), its tail ("Lopes" of "Maria Lopes"), its head of two words
    or more ("Green Valley Trust" of "Green Valley Trust of Ohio"), or the longer
    name with middle words left out. A single leading word is usually a modifier, not the
    name ("California" of "California National Party")."""
    sw = name_words(shorter)
    parts = [name_words(p) for p in longer.split(",")]
    if len(parts) > 1 and any(_same_words(p, sw) for p in parts):
        return True
    lw = name_words(longer)
    n = len(sw)
    if n >= len(lw):
        return False
    if _same_words(lw[-n:], sw) or (n >= 2 and _same_words(lw[:n], sw)):
        return True
    # Words left out in the middle, the last name kept: "Venetian Polo" of "Venetian Marco
    # Polo", "Emperor Khan" of "Emperor Gegeen Khan".
    return _same_words(lw[-1:], sw[-1:]) and _subsequence(sw[:-1], lw[:-1])


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(words_related(x, y) in ("same", "transliteration") for y in it) for x in short)


def _same_words(xs: list[str], ys: list[str]) -> bool:
    return len(xs) == len(ys) and all(
        words_related(x, y) in ("same", "transliteration") for x, y in zip(xs, ys, strict=True)
    )
