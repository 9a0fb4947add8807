"""Human-readable output of `reader ask`, `reader sources` and `reader read`.

Answer groups are told apart by a letter *and* a colour, so the distinction survives NO_COLOR
and piping. Styling is ANSI only on a terminal; piped output is plain text.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from index.articles import Article
from index.result import SearchResult, SourceResult
from reader.headlines import (
    NO_MATCH,
    answer_article,
    group_members,
    headline,
    passage_labels,
    short_date,
    shown_articles,
    unlisted_sources,
)
from reader.textsafe import one_line, printable

if TYPE_CHECKING:
    from index.articles import ArticleInfo

GROUP_COLOURS = ("36", "33", "35", "32", "34", "31")  # cyan, yellow, magenta, green, blue, red


@dataclass
class Style:
    """ANSI styling, or none at all."""

    ansi: bool
    colour: bool

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        tty = hasattr(stream, "isatty") and stream.isatty()
        return cls(ansi=tty, colour=tty and "NO_COLOR" not in os.environ)

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[22m" if self.ansi else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[22m" if self.ansi else text

    def group(self, label: str | None, text: str) -> str:
        if not (self.colour and label):
            return text
        colour = GROUP_COLOURS[(ord(label[0]) - ord("A")) % len(GROUP_COLOURS)]
        return f"\x1b[{colour}m{text}\x1b[39m"

    def marked(self, text: str, spans: Iterable[tuple[int, int]], mark: str = "1") -> str:
        """`text` (already safe) with `spans` in bold; plain text when not on a terminal."""
        if not self.ansi:
            return text
        out, last = [], 0
        for start, end in sorted(spans):
            if start < last:
                continue
            out += [text[last:start], f"\x1b[{mark}m", text[start:end], "\x1b[0m"]
            last = end
        out.append(text[last:])
        return "".join(out)


def width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def summary_line(result: SearchResult, style: Style) -> str | None:
    """`Sources disagree — A: X (S1, S2 citing S1) · B: Y (S3)`; None when nothing to compare."""
    if result.verdict is None:
        return None
    parts = []
    for group, names in group_members(result):
        text = f"{group.label}: {one_line(group.value)} ({', '.join(one_line(n) for n in names)})"
        parts.append(style.group(group.label, text))
    line = style.bold(headline(result.verdict, result.group_by, result.unconfirmed))
    return f"{line} — {' · '.join(parts)}" if parts else line


def render_ask(result: SearchResult, style: Style) -> str:
    cols = width()
    lines = [style.bold(one_line(result.question))]
    matched = any(s.passages for s in result.sources)
    summary = summary_line(result, style) if matched else None  # else: nothing to answer from
    if summary:
        lines.append(summary)
    for note in result.notes:
        lines.append(style.dim(f"note: {one_line(note)}"))
    if not matched:
        lines.append(NO_MATCH[0].lower() + NO_MATCH[1:] + ".")
    for source in result.sources:
        lines.append("")
        lines.extend(_render_source(source, style, cols, compared=result.verdict is not None))
    more = unlisted_sources(result)
    if more:
        lines += ["", style.dim(f"{more} more sources match (--sources N to show them)")]
    return "\n".join(lines)


def _render_source(source: SourceResult, style: Style, cols: int, compared: bool) -> list[str]:
    answer = source.answer
    label = answer.group if answer else None
    tag = f"[{label}] " if label else ""
    # The articles the shown passages come from (with their dates), not every title the
    # outlet has: an archive's outlet has hundreds.
    shown = shown_articles(source) if source.passages else source.articles[:2]
    titles = "; ".join(_titled(a.title or a.id, a.date) for a in shown[:3])
    if source.outlet is not None:  # grouped by article: the group is named by its title
        titles = _titled(source.outlet, shown[0].date if shown else None)
    if len(shown) > 3:
        titles += f"; +{len(shown) - 3} more"
    head = style.group(label, style.bold(f"{tag}{one_line(source.source)}"))
    lines = [f"{head} — {titles}" if titles else head]
    if source.answer is not None:
        lines.extend(_render_answer(source, style, cols))
    elif source.passages and compared:
        lines.append("  answer: no statement found")
    if not source.passages:
        lines.append(style.dim("  no matching passage"))
    labels = passage_labels(source)
    for label, passage in zip(labels, source.passages, strict=True):
        where = f"{one_line(passage.article)} ¶{passage.paragraph + 1}"
        tag = "answer's passage:" if label == "answer" else f"{label}."
        lines.append(style.dim(f"  {tag} {where}  score {passage.score:.2f}"))
        lines.extend(_wrap(style.marked(printable(passage.text), passage.terms), cols, "     "))
    return lines


def _titled(title: str, date: str | None) -> str:
    day = short_date(date)
    return f"{one_line(title)} ({day})" if day else one_line(title)


def _render_answer(source: SourceResult, style: Style, cols: int) -> list[str]:
    answer = source.answer
    assert answer is not None
    chip = f"[{answer.group}] " if answer.group else ""
    value = one_line(answer.value) + (f" → {answer.when}" if answer.when else "")
    extra = []
    if answer.stance:
        extra.append(one_line(answer.stance))
    if answer.cites:
        extra.append(f"citing {one_line(answer.cites)}")
    ref = answer_article(source)
    if ref is not None and len(source.articles) > 1:
        extra.append(f"from {_titled('“' + (ref.title or ref.id) + '”', ref.date)}")
    elif ref is not None and short_date(ref.date):
        extra.append(f"{short_date(ref.date)}")
    extra.append(f"confidence {answer.confidence:.2f}")
    head = f"  answer: {style.group(answer.group, style.bold(chip + value))} ({', '.join(extra)})"
    sentence = style.marked(printable(answer.sentence), [answer.span], mark="1;4")
    return [head, *_wrap(f"“{sentence}”", cols, "     ")]


def _wrap(text: str, cols: int, indent: str) -> list[str]:
    """Wrap by visible width; ANSI sequences are zero-width, so wrap the plain text and
    re-apply nothing: styled text is wrapped on spaces only, which sequences never contain."""
    out = []
    for paragraph in text.split("\n"):
        out.extend(
            textwrap.wrap(
                paragraph,
                width=cols,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [indent]
        )
    return out


def render_sources(articles: list[ArticleInfo], style: Style) -> str:
    by_source: dict[str, list[ArticleInfo]] = {}
    for info in articles:
        by_source.setdefault(info.source, []).append(info)
    lines = []
    for source in sorted(by_source, key=str.casefold):
        infos = by_source[source]
        lines.append(
            style.bold(f"{one_line(source)} ({len(infos)} article{'s' * (len(infos) != 1)})")
        )
        for info in infos:
            meta = " · ".join(one_line(x) for x in (info.date, info.author) if x)
            lines.append(f"  {one_line(info.title or '(untitled)')}")
            detail = f"    {one_line(info.key)}  {info.paragraphs} ¶"
            detail += f"  {meta}" if meta else ""
            lines.append(style.dim(detail))
            for copy in info.copies:
                lines.append(
                    style.dim(f"    also as {one_line(copy)} (a copy; the cleaner one is shown)")
                )
    return "\n".join(lines)


def render_article(
    article: Article, style: Style, only: int | None = None, copies: list[str] | None = None
) -> str:
    cols = width()
    lines = [style.bold(one_line(article.title or "(untitled)"))]
    meta = [article.source, article.date, article.author, article.url]
    lines.append(style.dim(" · ".join(one_line(m) for m in meta if m)))
    lines.append(style.dim(f"id: {one_line(article.key)}"))
    if copies:
        lines.append(style.dim("copies: " + ", ".join(one_line(c) for c in copies)))
    for n, paragraph in enumerate(article.paragraphs, 1):
        if only is not None and n != only:
            continue
        lines.append("")
        number = f"{n:>3}  "
        wrapped = _wrap(printable(paragraph.text), cols, " " * len(number))
        wrapped[0] = style.dim(number) + wrapped[0][len(number) :]
        lines.extend(wrapped)
    return "\n".join(lines)
