"""A visual for list entries: a coloured gutter bar, then lines with hanging indents.

Results are drawn by an OptionList, which re-wraps each entry when the pane is resized. An
entry whose body is indented under a heading (a passage under "1  ¶4") needs the indent to
survive that re-wrap, so the entry is kept as parts and laid out at render time.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


@dataclass(frozen=True)
class Part:
    content: Content
    indent: int = 0


class Block(Visual):
    """Parts stacked vertically, each wrapped at its own indent, behind a one-cell gutter."""

    def __init__(self, parts: list[Part], gutter: str = " ", gutter_style: str = "") -> None:
        self.parts = parts
        self.gutter = gutter
        self.gutter_style = gutter_style

    @property
    def plain(self) -> str:
        """The text shown, one part per line (for tests and copying)."""
        return "\n".join(part.content.plain for part in self.parts)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return 1 + max(
            (p.indent + p.content.get_optimal_width(rules, container_width) for p in self.parts),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(_height(p.content, rules, max(1, width - 1 - p.indent)) for p in self.parts)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Each line is made once, at the full width: a list shows a screenful of these
        whenever a new answer arrives, and every intermediate Strip costs time."""
        rich_style = style.rich_style
        bar_style = (style + options.get_style(self.gutter_style)) if self.gutter_style else style
        bar = Segment(self.gutter, bar_style.rich_style)
        strips: list[Strip] = []
        for part in self.parts:
            inner = max(1, width - 1 - part.indent)
            head = [bar, Segment(" " * part.indent, rich_style)] if part.indent else [bar]
            for strip in part.content.render_strips(inner, None, style, options):
                if strip.cell_length > inner:  # cannot happen once wrapped; kept exact anyway
                    strip = strip.crop(0, inner)
                segments = [*head, *strip]
                if strip.cell_length < inner:
                    segments.append(Segment(" " * (inner - strip.cell_length), rich_style))
                strips.append(Strip(segments, width))
        return strips if height is None else strips[:height]


def _height(content: Content, rules: RulesMap, width: int) -> int:
    """Lines `content` takes at `width`. A list measures every entry to know its length,
    and most parts (headings, answer chips) are one line that fits: those are counted
    without being wrapped, which would measure each of their words."""
    if not rules.get("line_pad", 0) and "\n" not in content.plain and content.cell_length <= width:
        return 1
    return content.get_height(rules, width)
