"""The words a result is summed up in, shared by `reader ask` and the app.

Both say the verdict, who is in each answer group (and whom they cite) and how many matching
sources are not listed in the same words; only the styling differs. This module imports only
the engine's result types (no numpy), so the app can use it before the engine has loaded.
"""

from __future__ import annotations

import re

from index.result import ArticleRef, Group, SearchResult, SourceResult
from reader.textsafe import one_line

NO_MATCH = "No passage matches this question; try fewer or other words"

VERDICT_HEADLINES = {
    "conflict": "Sources disagree",
    "variant": "Sources agree, in different words",
    "compatible": "Sources agree, at different levels of detail",
    "agree": "Sources agree",
    "single": "One source answers",
    "unanswered": "No source answers this",
}


UNCONFIRMED = "other answers differ, not firmly enough to call a disagreement"
# When no two firm answers agree either: "One source answers" above three answers would read
# as a miscount.
UNCONFIRMED_ALONE = "Answers differ, not firmly enough to call a disagreement"


def headline(verdict: str, group_by: str = "source", unconfirmed: bool = False) -> str:
    """The summary's first words for a verdict (an unknown verdict is shown as it is); when
    a one-outlet archive is grouped by article, the articles are what agree or disagree.
    An unconfirmed difference is said too: "Sources agree" above groups with different
    answers would read as a contradiction of what is shown."""
    words = VERDICT_HEADLINES.get(verdict, verdict)
    if unconfirmed:
        agreeing = verdict in ("agree", "variant", "compatible")
        words = f"{words}; {UNCONFIRMED}" if agreeing else UNCONFIRMED_ALONE
    if group_by == "article":
        words = words.replace("Sources", "Articles").replace("source", "article")
    return words


def group_members(result: SearchResult) -> list[tuple[Group, list[str]]]:
    """Each answer group with its sources, a source that attributes its claim to another
    named `X citing Y`: a claim repeated from one origin is not independent agreement. A
    source's answer's date follows its name (`X on 2016-10-02`): who said it *when* is what
    tells a changed figure from a contradiction."""
    cites = {s.source: s.answer.cites for s in result.sources if s.answer and s.answer.cites}
    dates = {s.source: answer_date(s) for s in result.sources}
    members = []
    for group in result.groups:
        names = []
        for name in group.sources:
            date = dates.get(name)
            shown = f"{name} on {date}" if date else name
            names.append(f"{shown} citing {cites[name]}" if name in cites else shown)
        members.append((group, names))
    return members


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def short_date(date: str | None) -> str | None:
    """A date as shown beside a name: the day of an ISO timestamp, else the text as given
    (cut short: it is metadata from the corpus, not ours to parse)."""
    if not date or not date.strip():
        return None
    day = _ISO_DAY.match(date.strip())
    if day:
        return day.group(0)
    text = one_line(date.strip())
    return text if len(text) <= 24 else text[:23] + "…"


def article_of(source: SourceResult, key: str) -> ArticleRef | None:
    return next((a for a in source.articles if a.id == key), None)


def answer_article(source: SourceResult) -> ArticleRef | None:
    """The article a source's answer comes from (else its best passage's, else its first)."""
    if source.answer is not None:
        ref = article_of(source, source.answer.article)
        if ref is not None:
            return ref
    if source.passages:
        ref = article_of(source, source.passages[0].article)
        if ref is not None:
            return ref
    return source.articles[0] if source.articles else None


def answer_date(source: SourceResult) -> str | None:
    ref = answer_article(source)
    return short_date(ref.date) if ref else None


def shown_articles(source: SourceResult) -> list[ArticleRef]:
    """The articles the shown passages (and the answer) come from, in the order shown; all
    the source's listed articles when it shows no passage."""
    keys = [source.answer.article] if source.answer else []
    keys += [p.article for p in source.passages]
    refs = [article_of(source, k) for k in dict.fromkeys(keys)]
    found = [r for r in refs if r is not None]
    return found or list(source.articles)


def is_answer_passage(source: SourceResult, index: int) -> bool:
    """Whether passage `index` holds the source's answer: the engine shows that passage
    first whatever its score, so it is marked "answer" rather than numbered by score."""
    answer = source.answer
    if answer is None or not 0 <= index < len(source.passages):
        return False
    passage = source.passages[index]
    return (passage.article, passage.paragraph) == (answer.article, answer.paragraph)


def passage_labels(source: SourceResult) -> list[str]:
    """What each passage is called in a list: "answer" for the one that holds the answer
    (see `is_answer_passage`), the others numbered 1, 2, ... in score order."""
    labels, rank = [], 0
    for index in range(len(source.passages)):
        if is_answer_passage(source, index):
            labels.append("answer")
        else:
            rank += 1
            labels.append(str(rank))
    return labels


def order_by_date(result: SearchResult, newest_first: bool = False) -> SearchResult:
    """`result` with its sources in the order of their answer's date (undated last), and the
    groups in the order of their earliest source: the `d` order of the app."""
    from dataclasses import replace

    def key(source: SourceResult) -> tuple[int, str]:
        date = answer_date(source)
        return (0, date) if date else (1, "")

    dated = sorted((s for s in result.sources if answer_date(s)), key=key)
    undated = [s for s in result.sources if not answer_date(s)]
    sources = (dated[::-1] if newest_first else dated) + undated
    position = {s.source: i for i, s in enumerate(sources)}
    groups = sorted(
        result.groups,
        key=lambda g: min((position.get(n, len(sources)) for n in g.sources), default=len(sources)),
    )
    return replace(result, sources=sources, groups=groups)


def unlisted_sources(result: SearchResult) -> int:
    """Sources with a matching passage that the result does not list (past the engine's cap)."""
    listed = sum(1 for s in result.sources if s.passages)
    return max(result.matched_sources - listed, 0)
