"""The one result object a question produces.

`index` builds it; `reader ask` prints it, `reader ask --json` serialises it with
`to_json()`, and the TUI renders it. The JSON field names are a published schema (see the
README): fields may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleRef:
    id: str
    title: str | None
    url: str | None
    date: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url, "date": self.date}


@dataclass
class Passage:
    """A ranked paragraph; `terms` are (start, end) offsets of query-term matches in `text`."""

    article: str
    paragraph: int
    score: float
    text: str
    terms: list[tuple[int, int]] = field(default_factory=list)
    # (start, end) offsets of each sentence in `text`: lets answers point at one sentence.
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "paragraph": self.paragraph,
            "score": self.score,
            "text": self.text,
            "terms": [[s, e] for s, e in self.terms],
        }


@dataclass
class Answer:
    """One source's answer to the question, with the sentence that gives it."""

    value: str
    sentence: str
    span: tuple[int, int]  # offsets of `value` within `sentence`
    article: str
    paragraph: int
    confidence: float
    group: str | None = None  # letter of the comparison group ("A", "B", ...)
    stance: str | None = None  # yes/no questions: "affirms", "denies" or "pending"
    cites: str | None = None  # the source this one attributes its claim to
    # the date (ISO) a day-of-the-week answer names by its article's date ("late Tuesday" in a
    # story of 2020-01-08: "2020-01-07"); sources are compared on it
    when: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "group": self.group,
            "sentence": self.sentence,
            "span": [self.span[0], self.span[1]],
            "article": self.article,
            "paragraph": self.paragraph,
            "confidence": self.confidence,
        }
        if self.stance is not None:
            out["stance"] = self.stance
        if self.cites is not None:
            out["cites"] = self.cites
        if self.when is not None:
            out["when"] = self.when
        return out


@dataclass
class SourceResult:
    """One group of the result: a source, or (grouped by article) one article, whose
    `source` is then the article's name and `outlet` the outlet it is from."""

    source: str
    articles: list[ArticleRef]
    passages: list[Passage]
    answer: Answer | None = None
    outlet: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "articles": [a.to_json() for a in self.articles],
            "passages": [p.to_json() for p in self.passages],
            "answer": self.answer.to_json() if self.answer else None,
        }
        if self.outlet is not None:
            out["outlet"] = self.outlet
        return out


@dataclass
class Group:
    """Sources whose answers were judged to say the same thing."""

    label: str
    value: str
    sources: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "sources": list(self.sources)}


@dataclass
class SearchResult:
    question: str
    sources: list[SourceResult]
    answer_type: str | None = None
    verdict: str | None = None
    groups: list[Group] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matched_sources: int = 0  # sources with any matching passage (more than shown, at times)
    group_by: str = "source"  # what each entry of `sources` is: "source", or "article"
    # Answers fall in different groups, but too few of them are confident to call it a
    # disagreement: the verdict is that of the confident answers (learned answer layer).
    unconfirmed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer_type": self.answer_type,
            "verdict": self.verdict,
            "groups": [g.to_json() for g in self.groups],
            "notes": list(self.notes),
            "matched_sources": self.matched_sources,
            "group_by": self.group_by,
            "unconfirmed": self.unconfirmed,
            "sources": [s.to_json() for s in self.sources],
        }
