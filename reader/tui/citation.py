"""The text `y` puts on the clipboard: a passage, then who said it and where.

The quote is made inert like everything else the app shows: what is pasted later into a
terminal must not carry the escape sequences scraped text can contain.
"""

from __future__ import annotations

from reader.textsafe import one_line, printable


def cite(
    text: str,
    outlet: str | None,
    title: str | None,
    url: str | None,
    *,
    author: str | None = None,
    date: str | None = None,
) -> str:
    """`“passage”` and a line `— Outlet, Author, “Title”, 2016-10-02, https://...` (the parts
    that are known): who said it and when, as a fact-checker's note needs it."""
    quote = printable(text).strip()
    source = [
        one_line(outlet) if outlet else None,
        one_line(author) if author else None,
        f"“{one_line(title)}”" if title else None,
        one_line(date) if date else None,
        one_line(url) if url else None,
    ]
    credit = ", ".join(part for part in source if part)
    return f"“{quote}”\n— {credit}" if credit else f"“{quote}”"
