"""A SearchResult laid out as the entries of the results pane, and what each entry points at.

Pure functions of the engine's result (no widgets), so the layout can be tested without
running the app. Entries are few by construction: one summary, one per source and one per
shown passage, and the engine lists at most `index.settings.SOURCES_SHOWN` sources of an
archive (the others that match are counted in a last line), so a question on a large archive
never builds thousands of list entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.content import Content

from index.result import Answer, ArticleRef, Passage, SearchResult, SourceResult
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
from reader.textsafe import one_line
from reader.tui import styles
from reader.tui.visuals import Block, Part

# A passage longer than this is shown as an excerpt around its answer or first matched term,
# so several sources fit on one screen for comparison (the article pane shows it whole), and
# scraped text that arrives as one huge paragraph cannot fill the pane.
EXCERPT_CHARS = 240
INDENT = 5


@dataclass(frozen=True)
class Target:
    """A paragraph of an article (0-based), as the article pane is asked to show it."""

    article: str
    paragraph: int


@dataclass
class ResultItem:
    kind: str  # "summary", "source", "passage" or "more"
    visual: Block
    target: Target | None = None
    source: int | None = None  # index into SearchResult.sources
    passage: int | None = None  # index into that source's passages


@dataclass
class QuestionMarks:
    """What the current question marks in articles: matched terms, answers, passages to visit."""

    terms: dict[Target, list[tuple[int, int]]] = field(default_factory=dict)
    answers: dict[Target, list[Answer]] = field(default_factory=dict)
    stops: dict[str, list[int]] = field(default_factory=dict)  # article -> paragraphs, sorted
    # The answer group of the source each passage came from, to colour it as the results do.
    groups: dict[Target, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, result: SearchResult | None) -> QuestionMarks:
        marks = cls()
        if result is None:
            return marks
        stops: dict[str, set[int]] = {}
        for source in result.sources:
            for passage in source.passages:
                target = Target(passage.article, passage.paragraph)
                marks.terms.setdefault(target, []).extend(passage.terms)
                marks.groups.setdefault(target, source.answer.group if source.answer else None)
                stops.setdefault(passage.article, set()).add(passage.paragraph)
            if source.answer is not None:
                answer = source.answer
                marks.answers.setdefault(Target(answer.article, answer.paragraph), []).append(
                    answer
                )
                stops.setdefault(answer.article, set()).add(answer.paragraph)
        marks.stops = {key: sorted(paragraphs) for key, paragraphs in stops.items()}
        return marks


def answer_span(paragraph: str, answer: Answer) -> tuple[int, int] | None:
    """Where `answer.value` is in a paragraph: inside its sentence if the sentence is found."""
    at = paragraph.find(answer.sentence) if answer.sentence else -1
    if at >= 0:
        start, end = answer.span
        if 0 <= start < end <= len(answer.sentence):
            return at + start, at + end
    if answer.value:
        at = paragraph.find(answer.value)
        if at >= 0:
            return at, at + len(answer.value)
    return None


def build_items(
    result: SearchResult, answered: int | None = None, more_key: str = "m"
) -> list[ResultItem]:
    """The entries for `result`; `answered` is how many of its first sources have been
    answered yet (None: all, the result is final), the others are shown as awaiting theirs.
    `more_key` is the key that lists more sources (named in the last line when some match
    but are not listed)."""
    pending_from = _pending_from(result, answered)
    items = [ResultItem("summary", summary_block(result, pending_from))]
    compared = result.verdict is not None
    for index, source in enumerate(result.sources):
        items.append(source_item(index, source, compared, pending=index >= pending_from))
        for rank, passage in enumerate(source.passages):
            items.append(passage_item(index, source, rank, passage))
    hidden = unlisted_sources(result)
    if hidden:
        match = "matches" if hidden == 1 else "match"
        more = Content(f"… {_count(hidden, 'more source')} {match} — {more_key} shows them")
        items.append(ResultItem("more", Block([Part(more.stylize(styles.DIM_STYLE))])))
    return items


def _pending_from(result: SearchResult, answered: int | None) -> int:
    """The first source still awaiting its answer (past the last one if none is)."""
    if answered is None or result.answer_type is None:
        return len(result.sources)  # final, or passages with no answers to follow
    return min(answered, len(result.sources))


def summary_block(result: SearchResult, pending_from: int | None = None) -> Block:
    """The verdict and its groups, or what was found; and how far answering has got."""
    parts = []
    answered = [s for s in result.sources if s.passages]
    if not answered:  # whatever the verdict ("unanswered"): nothing matched to answer from
        parts.append(Part(Content(NO_MATCH).stylize("bold")))
    elif result.verdict is not None:
        parts.append(
            Part(
                Content(headline(result.verdict, result.group_by, result.unconfirmed)).stylize(
                    "bold"
                )
            )
        )
        for group, names in group_members(result):
            style = styles.group_style(group.label)
            chip = Content(f"[{group.label}] ").stylize(f"bold {style}")
            value = styles.line(group.value, f"bold {style}")
            who = styles.line(" — " + ", ".join(names))
            parts.append(Part(Content.assemble(chip, value, who), indent=4))
    else:
        parts.append(
            Part(
                Content(_count(len(answered), "source") + " with passages on this").stylize("bold")
            )
        )
    if pending_from is not None and pending_from < len(result.sources):
        if pending_from == 0:
            waiting = "finding each source's answer…"
        else:
            waiting = (
                f"answers from the first {_count(pending_from, 'source')} of "
                f"{len(result.sources)} so far; finding the rest…"
            )
        parts.append(Part(Content(waiting).stylize(styles.DIM_STYLE), indent=4))
    for note in result.notes:
        parts.append(Part(styles.line("note: " + note, styles.DIM_STYLE), indent=4))
    return Block(parts)


def source_item(
    index: int, source: SourceResult, compared: bool, pending: bool = False
) -> ResultItem:
    answer = source.answer
    label = answer.group if answer else None
    style = styles.group_style(label)
    chip = Content(f"[{label}] " if label else "").stylize(f"bold {style}")
    head = Content.assemble(chip, styles.line(source.source, f"bold {style}"))
    # The articles the shown passages come from, the answer's first: not every title of the
    # outlet (an archive's outlet has hundreds).
    shown = shown_articles(source)
    if source.outlet is not None:  # grouped by article: the group is named by its title
        head = Content.assemble(head, styles.line(" — " + source.outlet, styles.DIM_STYLE))
        date = short_date(shown[0].date) if shown else None
        if date:
            head = Content.assemble(head, styles.line(f" · {date}", styles.DIM_STYLE))
        shown = []
    elif shown:
        first = shown[0]
        head = Content.assemble(head, styles.line(" — " + (first.title or first.id)))
        date = short_date(first.date)
        if date:
            head = Content.assemble(head, styles.line(f" · {date}", styles.DIM_STYLE))
    if len(shown) > 1:
        head = Content.assemble(
            head, Content(f" (+{len(shown) - 1} more)").stylize(styles.DIM_STYLE)
        )
    parts = [Part(head)]
    if answer is not None:
        # The sentence is quoted only when no listed passage shows it (with the answer
        # highlighted): quoting it again would push the other sources off the screen.
        quoted = any(
            (p.article, p.paragraph) == (answer.article, answer.paragraph)
            and answer_span(p.text, answer) is not None
            for p in source.passages
        )
        parts.extend(answer_parts(answer, quote=not quoted, source=source))
    elif pending and source.passages:
        # One line, where the answer's line will be: the entries below hardly move when it
        # arrives.
        parts.append(Part(Content("finding its answer…").stylize(styles.DIM_STYLE), INDENT))
    elif compared and source.passages:
        parts.append(Part(Content("no statement found").stylize(styles.DIM_STYLE), INDENT))
    if not source.passages:
        parts.append(Part(Content("no matching passage").stylize(styles.DIM_STYLE), INDENT))
    target = None
    if answer is not None:
        target = Target(answer.article, answer.paragraph)
    elif source.passages:
        target = Target(source.passages[0].article, source.passages[0].paragraph)
    gutter = "▌" if label else " "
    return ResultItem("source", Block(parts, gutter, style), target, source=index)


def answer_parts(
    answer: Answer, quote: bool = True, source: SourceResult | None = None
) -> list[Part]:
    """The answer's line (value, stance, whom it cites, its date and, when the source has
    several articles, which one it is from) and, if `quote`, its sentence."""
    style = styles.group_style(answer.group)
    ref = answer_article(source) if source is not None else None
    date = short_date(ref.date) if ref is not None else None
    where = None
    if source is not None and ref is not None and len(source.articles) > 1:
        where = f"from “{ref.title or ref.id}”" + (f", {date}" if date else "")
    elif date:
        where = date
    extra = [
        x
        for x in (answer.stance, f"citing {one_line(answer.cites)}" if answer.cites else None)
        if x
    ]
    chip = Content.assemble(
        Content("answer ").stylize(styles.DIM_STYLE),
        styles.line(answer.value, f"bold {style}"),
        # a day of the week, with the date it names by its article's date
        styles.line(f" → {answer.when}" if answer.when else "", styles.DIM_STYLE),
        Content(f"  ({', '.join(extra)})" if extra else "").stylize(styles.DIM_STYLE),
        styles.line(f" · {where}" if where else "", styles.DIM_STYLE),
    )
    start, end = answer.span
    # One line per sentence: a newline inside it would break the quote (same length, so the
    # span still points at the answer).
    one = answer.sentence.replace("\n", " ")
    sentence = styles.marked(one, [(start, end, f"{styles.ANSWER_STYLE} {style}")])
    quoted = Content.assemble("“", sentence, "”")
    return [Part(chip, INDENT), Part(quoted, INDENT)] if quote else [Part(chip, INDENT)]


def passage_item(index: int, source: SourceResult, rank: int, passage: Passage) -> ResultItem:
    label = source.answer.group if source.answer else None
    ref = _ref_of(source, passage.article)
    number = passage_labels(source)[rank]
    badge = (
        Content("answer  ").stylize(f"bold {styles.group_style(label)}")
        if number == "answer"
        else Content(f"{number:>3}  ").stylize("bold")
    )
    head = Content.assemble(
        badge,
        Content(f"¶{passage.paragraph + 1} · score {passage.score:.2f}").stylize(styles.DIM_STYLE),
    )
    if len(source.articles) > 1 and ref is not None:
        head = Content.assemble(head, styles.line(" · " + (ref.title or ref.id), styles.DIM_STYLE))
    date = short_date(ref.date) if ref is not None else None
    if date:
        head = Content.assemble(head, styles.line(" · " + date, styles.DIM_STYLE))
    spans = [(s, e, styles.TERM_STYLE) for s, e in passage.terms]
    answer = source.answer
    focus = passage.terms[0] if passage.terms else None
    if answer and (answer.article, answer.paragraph) == (passage.article, passage.paragraph):
        span = answer_span(passage.text, answer)
        if span is not None:
            spans.append((*span, f"{styles.ANSWER_STYLE} {styles.group_style(answer.group)}"))
            focus = span
    body = excerpt(passage.text, spans, focus)
    gutter = "▌" if label else " "
    block = Block([Part(head), Part(body, INDENT)], gutter, styles.group_style(label))
    target = Target(passage.article, passage.paragraph)
    return ResultItem("passage", block, target, source=index, passage=rank)


def same_entry(old: ResultItem, new_items: list[ResultItem]) -> int | None:
    """Where the entry `old` of a result is among the entries of the same question answered
    further: the same passage of the same source, else that source's line, else the summary.

    Answering puts the passage that holds a source's answer first and may push its last
    passage off the list, so an entry is found by what it shows, not by its position.
    """
    if old.source is None:
        return next((i for i, item in enumerate(new_items) if item.kind == old.kind), None)
    heading = None
    for index, item in enumerate(new_items):
        if item.source != old.source:
            continue
        if item.kind == "source":
            heading = index
            if old.kind == "source":
                return index
        elif old.kind == "passage" and item.target == old.target:
            return index
    return heading


def excerpt(
    text: str,
    spans: list[tuple[int, int, str]],
    focus: tuple[int, int] | None,
    limit: int = EXCERPT_CHARS,
) -> Content:
    """`text` with its spans; cut to about `limit` characters around `focus` if longer."""
    if len(text) <= limit:
        return styles.marked(text, spans)
    centre = (focus[0] + focus[1]) // 2 if focus else 0
    start = max(0, min(centre - limit // 2, len(text) - limit))
    end = start + limit
    # Cut at spaces so words are not split (within a short distance).
    if start > 0:
        space = text.find(" ", start, start + 40)
        start = space + 1 if space >= 0 else start
    space = text.rfind(" ", end - 40, end)
    end = space if space > start else end
    shifted = [(s - start, e - start, style) for s, e, style in spans if s < end and e > start]
    body = styles.marked(text[start:end], shifted)
    return Content.assemble("…" if start > 0 else "", body, "…" if end < len(text) else "")


def _ref_of(source: SourceResult, key: str) -> ArticleRef | None:
    return next((a for a in source.articles if a.id == key), None)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
