"""What a build holds between reading the corpus and writing the index, and what it returns.

Per article only metadata and where its processed result is (paragraph texts stay in the
workers' files until SQLite copies them), so an archive's build holds a few bytes per word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index.articles import ArticleMeta, Problem
from index.ingest.file_results import FileResult


@dataclass
class BuildSummary:
    articles: int
    paragraphs: int
    sources: int
    duplicate_groups: list[list[str]]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Entry(ArticleMeta):
    """One article with text: its resolved metadata and where its results are."""

    removed: str  # JSON
    quality: tuple[float, int]
    paragraphs: int
    chars: int
    file: int  # index into Prepared.files
    position: int  # article index within its file
    canonical: str = ""


@dataclass
class Prepared:
    """Every file's processed result, and the articles that have text."""

    files: list[FileResult]
    entries: list[Entry]  # in corpus order
    problems: list[Problem]
    hashes: dict[str, str]  # relative path -> sha256 of the bytes that were read
    directory: Path  # where the files' results (and their texts) are stored
    changed: list[FileResult]  # results of files that changed while read: not to be kept
