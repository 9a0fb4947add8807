"""A result as a Markdown note a fact-checker can keep or paste (`reader ask --format markdown`,
`e` in the app).

It says what the screen says, in the order a note is read: the question, the verdict and its
answer groups (who, and when), then each source with its answer, the sentence that gives it
quoted, and a link to the article. Everything taken from articles is data: control codes are
made inert (`reader.textsafe`) and Markdown's own characters are escaped, so a scraped `*`,
`[link](...)` or `# heading` is shown as written and never formats the note.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from index.result import ArticleRef, SearchResult, SourceResult
from reader.headlines import (
    NO_MATCH,
    answer_article,
    group_members,
    headline,
    passage_labels,
    short_date,
    unlisted_sources,
)
from reader.textsafe import one_line

# CommonMark lets a backslash escape any ASCII punctuation; these are the characters that can
# start inline formatting, links, HTML, tables or entities anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!{}])")
# ...and these only at the start of a line (headings, lists, quotes, thematic breaks).
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """`text` (one line) as Markdown that shows it literally."""
    escaped = _INLINE.sub(r"\\\1", one_line(text).strip())
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def link(ref: ArticleRef) -> str:
    """The article as a link when its url is a web address, else its title and id."""
    title = escape(ref.title or ref.id)
    url = one_line(ref.url or "").strip()
    parts = urlsplit(url) if url else None
    if parts and parts.scheme.lower() in ("http", "https") and not re.search(r"[\s<>]", url):
        return f"[{title}](<{url}>)"
    if ref.title:
        return f"{title} (`{ref.id.replace('`', '')}`)"
    return f"`{ref.id.replace('`', '')}`"


def markdown_report(result: SearchResult, corpus: str | None = None) -> str:
    by_article = result.group_by == "article"
    lines = [f"# {escape(result.question)}", ""]
    if corpus:
        grouped = " (grouped by article)" if by_article else ""
        lines += [f"*Asked of {escape(corpus)} with reader{grouped}.*", ""]
    if not any(s.passages for s in result.sources):
        return "\n".join([*lines, f"**{NO_MATCH}.**", ""])
    if result.verdict is not None:
        lines += [
            f"**{escape(headline(result.verdict, result.group_by, result.unconfirmed))}**",
            "",
        ]
        for group, names in group_members(result):
            members = ", ".join(escape(n) for n in names)
            lines.append(f"- **{escape(group.label)}: {escape(group.value)}** — {members}")
        lines.append("")
    for note in result.notes:
        lines += [f"> Note: {escape(note)}", ""]
    for source in result.sources:
        if source.passages:
            lines += _source_section(source, by_article)
    hidden = unlisted_sources(result)
    if hidden:
        lines += [f"*{hidden} more matching source{'s' * (hidden != 1)} not listed.*", ""]
    silent = [s.source for s in result.sources if not s.passages]
    if silent:
        lines += ["No matching passage: " + ", ".join(escape(n) for n in silent) + ".", ""]
    return "\n".join(lines)


def _source_section(source: SourceResult, by_article: bool) -> list[str]:
    answer = source.answer
    tag = f"\\[{escape(answer.group)}\\] " if answer and answer.group else ""
    ref = answer_article(source)
    date = short_date(ref.date) if ref else None
    name = escape(source.source)
    if by_article and source.outlet:
        name += f" — {escape(source.outlet)}"
    heading = f"## {tag}{name}" + (f" ({escape(date)})" if date else "")
    lines = [heading, ""]
    if answer is not None:
        extra = [
            x for x in (answer.stance, f"citing {answer.cites}" if answer.cites else None) if x
        ]
        said = f"**Answer:** {escape(answer.value)}"
        if extra:
            said += f" ({escape(', '.join(extra))})"
        lines += [said, "", f"> {escape(answer.sentence)}", ""]
        if ref is not None:
            where = f"¶{answer.paragraph + 1}"
            lines += [f"— {link(ref)}{', ' + escape(date) if date else ''}, {where}", ""]
    else:
        passage = source.passages[0]
        best = next((a for a in source.articles if a.id == passage.article), None)
        lines += ["No statement found; the best passage:", "", f"> {escape(passage.text)}", ""]
        if best is not None:
            day = short_date(best.date)
            lines += [
                f"— {link(best)}{', ' + escape(day) if day else ''}, ¶{passage.paragraph + 1}",
                "",
            ]
    others = [
        (label, p)
        for label, p in zip(passage_labels(source), source.passages, strict=True)
        if label != "answer"
    ]
    if answer is not None and others:
        refs = {a.id: a for a in source.articles}
        lines.append("Other passages:")
        for label, passage in others:
            article = refs.get(passage.article)
            title = escape(article.title or article.id) if article else escape(passage.article)
            lines.append(f"{label}. {title}, ¶{passage.paragraph + 1} (score {passage.score:.2f})")
        lines.append("")
    return lines
