"""The few text styles the app gives to article text, and how answer groups are coloured.

Styles name theme variables rather than fixed colours, so every Textual theme (light or
dark) keeps them legible. Each style also changes weight or decoration, so highlights still
show under NO_COLOR, where Textual renders every colour as grey.
"""

from __future__ import annotations

from textual.content import Content

from reader.textsafe import one_line, printable

# Answer groups A, B, C, ... cycle through these; the group letter is always shown beside the
# colour, so two groups that share a colour (7+ groups) or no colour at all stay distinct.
GROUP_STYLES = (
    "$text-primary",
    "$text-warning",
    "$text-accent",
    "$text-success",
    "$text-secondary",
    "$text-error",
)
TERM_STYLE = "bold underline"
ANSWER_STYLE = "bold reverse"
DIM_STYLE = "$text-muted"
TITLE_STYLE = "bold"


def group_style(label: str | None) -> str:
    """The colour of answer group `label` ("A", "B", ...); plain text for no group."""
    if not label:
        return ""
    return GROUP_STYLES[(ord(label[0]) - ord("A")) % len(GROUP_STYLES)]


def text(value: str | None, style: str = "") -> Content:
    """Article data as Content: inert (never parsed as markup, control codes made visible)."""
    content = Content(printable(value or ""))
    return content.stylize(style) if style and value else content


def line(value: str | None, style: str = "") -> Content:
    """Like `text`, on one line (titles, outlets, metadata)."""
    content = Content(one_line(value or ""))
    return content.stylize(style) if style and value else content


def marked(value: str, spans: list[tuple[int, int, str]]) -> Content:
    """`value` made inert, with (start, end, style) spans; offsets are kept by `printable`."""
    content = Content(printable(value))
    size = len(value)
    for start, end, style in spans:
        start, end = max(0, start), min(size, end)
        if start < end:
            content = content.stylize(style, start, end)
    return content
