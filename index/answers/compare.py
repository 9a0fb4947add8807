"""Grouping the sources' answers and judging how they stand to each other.

Answers that say the same thing (equal, a variant spelling, or the same at another level of
precision) share a group; each group gets a letter in the order the sources were ranked, so
no group is presented as "the answer" because more sources gave it. The verdict:

- conflict    two groups (incompatible answers);
- compatible  one group, joined because two answers differ only in precision;
- variant     one group, joined because two answers are spelled differently (and none
              differ in precision: "1982", "the 1980s" and "the early 1980s" are compatible,
              as one source says less than another, which matters more than a spelling);
- agree       one group with at least two independent witnesses;
- single      one group with one independent witness;
- unanswered  no answers.

A source that credits another source of the corpus for its claim is not an independent
witness of that claim while the credited source is in its group: a rewrite repeats, it does
not confirm. Group.sources keeps plain source names; `Answer.cites` says whom a source
credits (the CLI writes e.g. "Post (citing Ledger)").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from index.answers.stance import STANCE_VALUES
from index.answers.values import WEEKDAYS, parse_date, relate
from index.result import Answer, Group

LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FAR_APART_DAYS = 365
# Sources named in a dated note, at most (the earliest ones, and the latest).
MAX_DATED_SOURCES = 6


@dataclass
class Comparison:
    verdict: str
    groups: list[Group]
    labels: dict[str, str]  # source name → group label
    notes: list[str] = field(default_factory=list)


def compare(
    answer_type: str,
    answers: list[tuple[str, Answer]],
    within: Callable[[str, str], bool] | None = None,
) -> Comparison:
    """Group (source, answer) pairs, in ranking order, and give the verdict."""
    if not answers:
        return Comparison("unanswered", [], {})
    parent = list(range(len(answers)))
    reasons: list[tuple[str, str]] = []  # (kind, why) of each merge

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    relation = {
        (j, i): _relation(answer_type, answers[j][1], answers[i][1], within)
        for i in range(len(answers))
        for j in range(i)
    }

    def apart(x: int, y: int) -> bool:
        return relation[min(x, y), max(x, y)][0] == "different"

    for i in range(len(answers)):
        for j in range(i):
            kind, why = relation[j, i]
            if kind == "different":
                continue
            if find(i) != find(j) and kind == "compatible":
                # An answer that only fits both ("more than a dozen" fits 16 and "two dozen",
                # "2016" both "March 2016" and "May 2016") does not join two that differ.
                mine = [k for k in range(len(answers)) if find(k) == find(i)]
                theirs = [k for k in range(len(answers)) if find(k) == find(j)]
                if any(apart(x, y) for x in mine for y in theirs):
                    continue
            if find(i) != find(j):
                parent[find(i)] = find(j)
            if kind in ("variant", "compatible") and why and _unseen(why, reasons):
                reasons.append((kind, why))

    members: dict[int, list[int]] = {}
    for i in range(len(answers)):
        members.setdefault(find(i), []).append(i)
    groups: list[Group] = []
    labels: dict[str, str] = {}
    independent: list[int] = []
    for label, root in zip(LABELS, sorted(members, key=lambda r: min(members[r])), strict=False):
        idx = members[root]
        names = [answers[i][0] for i in idx]
        rep = max(idx, key=lambda i: (answers[i][1].confidence, -i))
        value = answers[rep][1].value if answer_type != "yesno" else _stance_value(answers[rep][1])
        groups.append(Group(label, value, names))
        for name in names:
            labels[name] = label
        independent.append(
            sum(1 for i in idx if not (answers[i][1].cites and answers[i][1].cites in names))
        )

    notes = [why for _, why in reasons]
    notes += _citation_notes(answers, labels)
    if len(groups) > 1:
        verdict = "conflict"
    elif any(kind == "compatible" for kind, _ in reasons):
        verdict = "compatible"  # before "variant": a difference in what is said, not in spelling
    elif any(kind == "variant" for kind, _ in reasons):
        verdict = "variant"
    else:
        verdict = "agree" if independent[0] >= 2 else "single"
    return Comparison(verdict, groups, labels, notes)


def _unseen(why: str, reasons: list[tuple[str, str]]) -> bool:
    """Whether `why` says something new ("A ≈ B" and "B ≈ A" are one reason)."""

    def key(text: str) -> tuple[str, ...]:
        return tuple(sorted(re.split(r" ≈ | = | ⊇ | is in |: ", text)))

    return all(key(why) != key(seen) for _, seen in reasons)


def _relation(
    answer_type: str, a: Answer, b: Answer, within: Callable[[str, str], bool] | None
) -> tuple[str, str | None]:
    if answer_type == "yesno":
        return ("same", None) if a.stance == b.stance else ("different", None)
    if answer_type == "date" and a.when and a.when == b.when:
        # one day, written two ways ("Feb. 15" and "February 15"; "Tuesday" and "January 7")
        kind, why = relate(answer_type, a.value, b.value, within)
        if kind == "different":
            kind, why = "variant", f"{a.value} = {b.value}: same date ({a.when})"
        return kind, why
    if answer_type == "date" and (a.when or b.when):
        # a day of the week is compared by the date it names ("late Tuesday": 2020-01-07);
        # against one whose article has no date, by the day of the week alone
        x, y = (a.when or a.value), (b.when or b.value)
        if not (a.when and b.when) and _weekday_only(b.value if a.when else a.value):
            x, y = (_weekday_of(x) if a.when else x), (_weekday_of(y) if b.when else y)
        kind, why = relate(answer_type, x, y, within)
        for side in (a, b):
            if why and side.when:
                why = why.replace(side.when, f"{side.value} ({side.when})", 1)
        return kind, why
    return relate(answer_type, a.value, b.value, within)


def _weekday_only(value: str) -> bool:
    found = parse_date(value)
    return found is not None and found.weekday is not None


def _weekday_of(iso: str) -> str:
    """The day of the week of an ISO date, named as `parse_date` reads it (not by strftime,
    whose names follow the process's locale)."""
    return WEEKDAYS[date.fromisoformat(iso).weekday()]


def _stance_value(answer: Answer) -> str:
    return STANCE_VALUES.get(answer.stance or "", answer.value)


def _citation_notes(answers: list[tuple[str, Answer]], labels: dict[str, str]) -> list[str]:
    notes = []
    for name, answer in answers:
        cited = answer.cites
        if not cited:
            continue
        if labels.get(cited) == labels.get(name):
            notes.append(f"{name} cites {cited}: counted as one witness with it")
        elif cited in labels:
            notes.append(f"{name} cites {cited} but gives a different answer")
    return notes


def time_note(said: list[tuple[str, str, str | None]]) -> str | None:
    """When disagreeing sources were written on different days, a note naming each with its
    date and what it says, earliest first ("Fox News (2017-10-01) says 59; NPR (2017-10-02)
    says 58"): a figure in the news changes from one day's story to the next, and a reader
    must see that before calling one source wrong. `said` is (source, answer, article date);
    sources without a date are left out of the note."""
    dated = sorted(
        ((day, source, value) for source, value, text in said if (day := parse_iso_date(text))),
        key=lambda item: (item[0], item[1].casefold()),
    )
    if len({value for _, _, value in dated}) < 2 or dated[0][0] == dated[-1][0]:
        return None
    shown = [f"{source} ({day.isoformat()}) says {value}" for day, source, value in dated]
    if len(shown) > MAX_DATED_SOURCES:
        shown = [
            *shown[: MAX_DATED_SOURCES - 1],
            f"… {dated[-1][1]} ({dated[-1][0]}) says {dated[-1][2]}",
        ]
    days = (dated[-1][0] - dated[0][0]).days
    span = (
        f"{days // 365} year{'s' if days // 365 != 1 else ''} apart"
        if days >= FAR_APART_DAYS
        else ""
    )
    why = f"the answer may have changed over time{f' ({span})' if span else ''}"
    return "; ".join(shown) + f" — {why}"


def parse_iso_date(text: str | None) -> date | None:
    """The date of an article's "date" field (ISO 8601, or its leading year[-month[-day]])."""
    if not text:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
