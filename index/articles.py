"""The records that flow between the engine's stages.

Loading gives `Record`s (raw text plus whatever fields the file carried); cleaning turns a
record's text into `Paragraph`s; an `Article` is a cleaned record with its resolved metadata
(`ArticleMeta`, shared with the build's entries and the library's `ArticleInfo`). Keeping
these plain dataclasses (no behaviour) lets every stage be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Fields an article may carry, whatever the file format called them.
METADATA_FIELDS = ("title", "source", "author", "date", "url", "id")


@dataclass
class Record:
    """One article as a loader found it, before cleaning.

    `key` is the article's id within the corpus: the file's path relative to the corpus
    root for single-article files, `path#N` (N counting records from 1) for files that hold
    many, or `path#ID` when the record has its own `id` field.
    """

    key: str
    path: str
    text: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Problem:
    """A file or line that could not be used, or was used with a caveat (`warning`)."""

    path: str
    reason: str
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class Paragraph:
    """A clean passage of an article; `sentences` are (start, end) offsets into `text`."""

    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ArticleMeta:
    """An article's key, file and resolved metadata (metadata file > record > inferred): what
    the build stores, the library lists and an answer cites, whatever else each one adds."""

    key: str
    path: str
    source: str
    title: str | None
    author: str | None
    date: str | None
    url: str | None


@dataclass
class Article(ArticleMeta):
    """A cleaned article: its metadata and its paragraphs."""

    paragraphs: list[Paragraph]
    # Set by duplicate grouping: the key of the copy that is shown for this group
    # (equal to `key` for the shown copy itself and for articles with no copies).
    canonical: str = ""
    removed: list[str] = field(default_factory=list)  # chrome taken out, for `reader index`


@dataclass
class ArticleInfo(ArticleMeta):
    """A shown article as the library lists it (its copies are listed on it, not apart)."""

    paragraphs: int
    chars: int
    copies: list[str]  # keys of the other copies of this article (not shown)


def library(articles: list[tuple[ArticleInfo, str]]) -> list[ArticleInfo]:
    """The library's entries from every article and the key of the copy shown for it: the
    shown copies, in the order given, each with the keys of its other copies."""
    copies: dict[str, list[str]] = {}
    for info, canonical in articles:
        if info.key != canonical:
            copies.setdefault(canonical, []).append(info.key)
    return [
        replace(info, copies=copies.get(info.key, []))
        for info, canonical in articles
        if info.key == canonical
    ]
