"""The article pane: a whole clean article, with the current question's passages marked.

It draws lines itself (Textual's line API). Paragraph heights are measured once per width,
which gives the first line of every paragraph, so "scroll this passage to the top" is exact
and costs a lookup; a paragraph's styled lines are drawn only when it comes on screen and
kept until its marks change. An article of any length is one widget, and moving between
passages redraws two paragraphs, not the article.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from typing import cast

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

from index.articles import Article
from reader.textsafe import printable
from reader.tui import keys, styles
from reader.tui.result_items import QuestionMarks, Target, answer_span

GUTTER = 2  # a bar marking passages, then a space
HEIGHTS_KEPT = 32


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article; `current` is the paragraph the reader was sent to (0-based)."""

    BINDINGS = keys.bindings(keys.LISTS)

    COMPONENT_CLASSES = {"article--current"}

    class Moved(Message):
        """The current paragraph changed inside the pane (n/N), not by the results list."""

        def __init__(self, view: ArticleView, target: Target) -> None:
            super().__init__()
            self.view = view
            self.target = target

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.copies: list[str] = []
        self.marks = QuestionMarks()
        self.current: int | None = None
        self.message = "Select a passage to read its article here."
        # A find in the article (`/` in the pane): the text, and where it is, in reading order
        # as (paragraph, start, end); `found_at` is the match on show.
        self.find_text: str | None = None
        self.found: list[tuple[int, int, int]] = []
        self.found_at: int | None = None
        # Geometry, for one article at one width: header lines, then per paragraph a blank
        # line and its wrapped lines (`_starts[i]` is paragraph i's first line).
        self._geometry: tuple[int, int] | None = None  # (id of the article or message, width)
        self._plain: list[Content] = []
        self._header: list[Strip] = []
        self._heights: list[int] = []
        self._starts: list[int] = []
        self._total = 0
        self._drawn: dict[int, list[Strip]] = {}  # paragraph -> its styled lines
        # Paragraph heights of recently shown articles, by (article key, width): results
        # send the reader back and forth between the same few articles.
        self._heights_seen: OrderedDict[tuple[str, int], list[int]] = OrderedDict()

    # -- what to show -------------------------------------------------------------------------

    def show_message(self, message: str) -> None:
        self.article, self.current, self.message = None, None, message
        self._reset()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._update_titles()

    def show(
        self,
        article: Article,
        copies: list[str] | None = None,
        marks: QuestionMarks | None = None,
        paragraph: int | None = None,
    ) -> None:
        """Show `article`, with `paragraph` (if any) marked current and scrolled to the top."""
        if paragraph is not None and not 0 <= paragraph < len(article.paragraphs):
            paragraph = None
        if self.article is not article:
            self.find_text, self.found, self.found_at = None, [], None
            self.article = article
            self.copies = [c for c in (copies or []) if c != article.key]
            self.current = paragraph
            if marks is not None:
                self.marks = marks
            self._reset()
            if paragraph is None:
                self.scroll_to(y=0, animate=False, immediate=True)
        else:
            if marks is not None and marks is not self.marks:
                self.set_marks(marks)
            self._set_current(paragraph)
        if paragraph is not None:
            self.scroll_to_paragraph(paragraph)
        self._update_titles()

    def set_marks(self, marks: QuestionMarks) -> None:
        self.marks = marks
        self._drawn.clear()
        self.refresh()

    @property
    def stops(self) -> list[int]:
        """Paragraphs of this article that the current question found (passages, answers)."""
        return self.marks.stops.get(self.article.key, []) if self.article else []

    def step(self, direction: int) -> bool:
        """Move to the next (+1) or previous (-1) passage of the question; False if none."""
        stops = self.stops
        if not stops or self.article is None:
            return False
        here = self.current
        if here is None:
            # Nothing marked current (an article opened from the library): start from the
            # paragraph on screen, so n goes to the next passage below what is being read.
            top = self.top_paragraph()
            if direction > 0:
                later = [p for p in stops if top is None or p >= top]
                choice = later[0] if later else None
            else:
                earlier = [p for p in stops if top is not None and p <= top]
                choice = earlier[-1] if earlier else None
        elif direction > 0:
            later = [p for p in stops if p > here]
            choice = later[0] if later else None
        else:
            earlier = [p for p in stops if p < here]
            choice = earlier[-1] if earlier else None
        if choice is None:
            return False
        self._set_current(choice)
        self.scroll_to_paragraph(choice)
        self._update_titles()
        self.post_message(self.Moved(self, Target(self.article.key, choice)))
        return True

    def find(self, text: str) -> int:
        """Mark every place `text` is in the article (case and accents of letters aside from
        case ignored) and go to the first at or below the paragraph on screen; the count."""
        self.find_text = text
        self.found, self.found_at = [], None
        if self.article is None:
            return 0
        needle = text.casefold()
        for index, paragraph in enumerate(self.article.paragraphs):
            hay = paragraph.text.casefold()
            if len(hay) != len(paragraph.text):  # a letter casefolds to several: no offsets
                hay = paragraph.text.lower()
            start = hay.find(needle)
            while start >= 0 and needle:
                self.found.append((index, start, start + len(needle)))
                start = hay.find(needle, start + len(needle))
        self._drawn.clear()
        self.refresh()
        if self.found:
            top = self.top_paragraph() or 0
            first = next((i for i, (p, _, _) in enumerate(self.found) if p >= top), 0)
            self._show_found(first)
        else:
            self._update_titles()
        return len(self.found)

    def find_step(self, direction: int) -> bool:
        """To the next (+1) or previous (-1) match of the find; False at either end."""
        if not self.found:
            return False
        at = (self.found_at if self.found_at is not None else -1) + direction
        if not 0 <= at < len(self.found):
            return False
        self._show_found(at)
        return True

    def clear_find(self) -> None:
        self.find_text, self.found, self.found_at = None, [], None
        self._drawn.clear()
        self.refresh()
        self._update_titles()

    def _show_found(self, at: int) -> None:
        previous = self.found[self.found_at][0] if self.found_at is not None else None
        self.found_at = at
        paragraph = self.found[at][0]
        for index in (previous, paragraph):
            if index is not None:
                self._drawn.pop(index, None)
        self.scroll_to_paragraph(paragraph)
        self.refresh()
        self._update_titles()

    def scroll_to_paragraph(self, paragraph: int) -> None:
        if self._measure() and paragraph < len(self._starts):
            self.scroll_to(y=self._starts[paragraph], animate=False, immediate=True, force=True)
        else:  # no size yet: scroll once laid out
            self.call_after_refresh(self._scroll_after_layout, paragraph)

    def _scroll_after_layout(self, paragraph: int) -> None:
        if self.current == paragraph and self._measure() and paragraph < len(self._starts):
            self.scroll_to(y=self._starts[paragraph], animate=False, immediate=True, force=True)

    def top_paragraph(self) -> int | None:
        """The paragraph shown on the pane's first line, or the next one below it."""
        if not self._measure() or not self._starts:
            return None
        y = round(self.scroll_y)
        index = bisect_right(self._starts, y) - 1
        if index >= 0 and y < self._starts[index] + self._heights[index]:
            return index
        return index + 1 if index + 1 < len(self._starts) else None

    def rendered_lines(self) -> list[Strip]:
        """Every line of the pane, as drawn when scrolled through from the top."""
        if not self._measure():
            return []
        return [self._line(y) for y in range(self._total)]

    def text_lines(self) -> list[str]:
        return [strip.text for strip in self.rendered_lines()]

    # -- key actions -----------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_cursor_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_first(self) -> None:
        self.scroll_home(animate=False)

    def action_last(self) -> None:
        self.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_open(self) -> None:
        """Enter in the article pane does nothing more: the article is already open."""

    # -- layout ----------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._geometry = None
        self._drawn.clear()
        article = self.article
        self._plain = [Content(printable(p.text)) for p in article.paragraphs] if article else []
        self.refresh()

    def _set_current(self, paragraph: int | None) -> None:
        if paragraph == self.current:
            return
        for index in (self.current, paragraph):  # only these two change how they look
            if index is not None:
                self._drawn.pop(index, None)
        self.current = paragraph
        self._size_virtually()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._geometry = None  # header and paragraph styles come from the theme
        self._drawn.clear()

    def on_resize(self) -> None:
        if self._measure() and self.current is not None:
            self.scroll_to_paragraph(self.current)

    def _measure(self) -> bool:
        """Lay out the article for the current width (heights only); False if no size yet."""
        width = self.scrollable_content_region.width
        if width <= GUTTER:
            return False
        key = (id(self.article) if self.article else id(self.message), width)
        if self._geometry == key:
            return True
        self._geometry = key
        self._drawn.clear()
        inner = width - GUTTER
        if self.article is None:
            self._header = self._content_strips(
                Content(self.message).stylize(styles.DIM_STYLE), width
            )
            self._heights, self._starts = [], []
            self._total = len(self._header)
        else:
            self._header = [
                s for c in self._header_contents() for s in self._content_strips(c, width)
            ]
            self._heights = self._paragraph_heights(inner)
            starts, line = [], len(self._header)
            for height in self._heights:
                starts.append(line + 1)  # after the blank line that separates paragraphs
                line += 1 + height
            self._starts, self._total = starts, line + 1
        self._size_virtually()
        return True

    def _paragraph_heights(self, inner: int) -> list[int]:
        assert self.article is not None
        key = (self.article.key, inner)
        heights = self._heights_seen.get(key)
        if heights is None or len(heights) != len(self._plain):
            rules = cast(RulesMap, self.styles)
            heights = [plain.get_height(rules, inner) for plain in self._plain]
            self._heights_seen[key] = heights
            while len(self._heights_seen) > HEIGHTS_KEPT:
                self._heights_seen.popitem(last=False)
        else:
            self._heights_seen.move_to_end(key)
        return heights

    def _size_virtually(self) -> None:
        total = self._total
        if self.current is not None and self.current < len(self._starts):
            # Room below the end, so that even the last paragraph can be scrolled to the top.
            height = self.scrollable_content_region.height
            total = max(total, self._starts[self.current] + height)
        self.virtual_size = Size(self.scrollable_content_region.width, total)

    def _header_contents(self) -> list[Content]:
        article = self.article
        assert article is not None
        meta = " · ".join(x for x in (article.source, article.date, article.author) if x)
        out = [styles.line(article.title or "(untitled)", styles.TITLE_STYLE)]
        out.append(styles.line(meta, styles.DIM_STYLE))
        if article.url:
            out.append(styles.line(article.url, styles.DIM_STYLE))
        out.append(styles.line(f"id: {article.key}", styles.DIM_STYLE))
        if self.copies:
            out.append(styles.line("copies: " + ", ".join(self.copies), styles.DIM_STYLE))
        return out

    # -- drawing ---------------------------------------------------------------------------------

    def _content_strips(
        self, content: Content, width: int, style: Style | None = None, bar: Segment | None = None
    ) -> list[Strip]:
        style = style or self.visual_style
        bar = bar or Segment(" " * GUTTER, style.rich_style)
        inner = width - GUTTER
        options = RenderOptions(self._get_style, cast(RulesMap, self.styles))
        return [
            Strip([bar, *strip.extend_cell_length(inner, style.rich_style)], width)
            for strip in content.render_strips(inner, None, style, options)
        ]

    def _paragraph_lines(self, index: int) -> list[Strip]:
        drawn = self._drawn.get(index)
        if drawn is None:
            assert self.article is not None
            width = self.scrollable_content_region.width
            current = index == self.current
            style = self.visual_style
            if current:
                style = style + self.get_visual_style("article--current")
            bar = self._bar(index, current, index in self.stops, style)
            content = self._paragraph_content(index, self.article.paragraphs[index].text)
            drawn = self._content_strips(content, width, style, bar)[: self._heights[index]]
            blank = Strip.blank(width, style.rich_style)
            drawn += [blank] * (self._heights[index] - len(drawn))
            self._drawn[index] = drawn
        return drawn

    def _bar(self, index: int, current: bool, stop: bool, style: Style) -> Segment:
        if not (current or stop) or self.article is None:
            return Segment(" " * GUTTER, style.rich_style)
        target = Target(self.article.key, index)
        answers = self.marks.answers.get(target, [])
        group = answers[0].group if answers else self.marks.groups.get(target)
        colour = styles.group_style(group) or "$accent"
        bar_style = style + self._get_style(colour)
        return Segment(("▌" if current else "│") + " ", bar_style.rich_style)

    def _paragraph_content(self, index: int, text: str) -> Content:
        assert self.article is not None
        target = Target(self.article.key, index)
        spans = [(s, e, styles.TERM_STYLE) for s, e in self.marks.terms.get(target, [])]
        for at, (found_in, start, end) in enumerate(self.found):
            if found_in == index:
                spans.append((start, end, "reverse" if at == self.found_at else "underline"))
        for answer in self.marks.answers.get(target, []):
            span = answer_span(text, answer)
            if span is not None:
                spans.append((*span, f"{styles.ANSWER_STYLE} {styles.group_style(answer.group)}"))
        return styles.marked(text, spans)

    def _line(self, y: int) -> Strip:
        """Line `y` of the whole laid-out article (0 = the title)."""
        width = self.scrollable_content_region.width
        if y < len(self._header):
            return self._header[y]
        index = bisect_right(self._starts, y) - 1
        if index >= 0 and y - self._starts[index] < self._heights[index]:
            return self._paragraph_lines(index)[y - self._starts[index]]
        return Strip.blank(width, self.visual_style.rich_style)

    def _update_titles(self) -> None:
        article = self.article
        if article is None:
            self.border_subtitle = ""
            return
        stops = self.stops
        count = len(article.paragraphs)
        where = f"¶{self.current + 1}/{count}" if self.current is not None else f"{count} ¶"
        if stops and self.current in stops:
            where += f" · passage {stops.index(self.current) + 1}/{len(stops)}"
        if self.find_text is not None:
            shown = f"{self.found_at + 1}/" if self.found_at is not None else ""
            where += f" · find {shown}{len(self.found)}"
        self.border_subtitle = where

    def render_line(self, y: int) -> Strip:
        if not self._measure():
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        return self._line(round(self.scroll_y) + y)
