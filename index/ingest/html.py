"""A saved web page to its visible text (no script, style, nav, header, footer, aside, form)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from index.ingest.records import scalar_field

# Elements whose content is never article prose: code, navigation, site furniture,
# widgets. Their text is what makes a saved page unreadable as an article.
_HTML_DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "svg",
        "iframe",
        "template",
        "button",
        "select",
        "dialog",
    }
)


# Elements a browser starts on a new line; the rest flow inline.
_HTML_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tr",
        "ul",
    }
)


# Block elements that are items of a list or table: one line each, no blank line between.
_HTML_LINE_ITEMS = frozenset({"li", "tr", "dt", "dd"})


_HTML_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


_HTML_SPACES = re.compile(r"[ \t\n\r\f]+")


_HTML_INLINE_SPACES = re.compile(r"[ \t\r\f]{2,}")


# Markup openers whose end is not a plain `>`, with that end, as html.parser reads them: a
# comment ends at `-->`, a CDATA-like marked section at `]]>`, any other one (old Office
# pages' `<![if ...]>`) at `]>`.
_HTML_OPENERS_AND_ENDS = (
    (re.compile(r"<!--"), re.compile(r"--\s*>")),
    (
        re.compile(r"<!\[(?=(?:cdata|temp|ignore|include|rcdata)\b)", re.IGNORECASE),
        re.compile(r"\]\s*\]\s*>"),
    ),
    (re.compile(r"<!\["), re.compile(r"\]\s*>")),
)


def escape_unterminated(page: str) -> str:
    """The page with every markup opener that nothing closes written as text (`&lt;`).

    html.parser, given an opener with no end (a `<` after the page's last `>`, a `<!--`
    after its last `-->`), searches the rest of the page for the end, gives up, reads the
    opener as text and moves on to the next one: a page of many such openers (a truncated
    download, a text file saved as .html, a hostile page) takes quadratic time. Each kind
    of construct has one kind of end, so these openers can be found in one pass each, and
    escaping them gives the text the parser would have produced for them.
    """
    last_close = page.rfind(">")
    head, tail = page[: last_close + 1], page[last_close + 1 :]
    for opener, end in _HTML_OPENERS_AND_ENDS:
        after = 0
        for match in end.finditer(head):
            after = match.end()
        if opener.search(head, after):
            escaped = opener.sub(lambda match: "&lt;" + match.group()[1:], head[after:])
            head = head[:after] + escaped
    return head + tail.replace("<", "&lt;")


class VisibleText(HTMLParser):
    """The text a reader sees on a web page, with its paragraph breaks, and its metadata.

    Title: `og:title` first (set for sharing, so it is the bare headline), then the first
    `<h1>` (on article pages the headline), then `<title>` (often suffixed with the site
    name).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._dropped: list[str] = []  # open elements whose content is not shown
        self._pre_depth = 0
        self._pending_break = 0
        self._capture: str | None = None  # "title" or "h1" while reading one
        self._captured: dict[str, list[str]] = {"title": [], "h1": []}
        self._done_capturing: set[str] = set()
        self._meta: dict[str, str] = {}

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes_itself=tag in _HTML_VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes_itself=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_DROPPED and tag in self._dropped:
            while self._dropped and self._dropped.pop() != tag:
                pass
            return
        if tag == self._capture:
            self._capture = None
            if "".join(self._captured[tag]).strip():
                self._done_capturing.add(tag)
            else:  # an empty <h1> (a logo image): the headline may be the next one
                self._captured[tag].clear()
        if self._dropped:
            return
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in _HTML_BLOCKS:
            self._break(1 if tag in _HTML_LINE_ITEMS else 2)

    def handle_data(self, data: str) -> None:
        if self._capture and (not self._dropped or self._only_header_open()):
            self._captured[self._capture].append(data)
        if self._dropped or self._capture == "title":
            return
        if not self._pre_depth:
            data = _HTML_SPACES.sub(" ", data)
        if self._pending_break:
            if not data.strip():
                return  # white space between two blocks is not shown
            self._pieces.append("\n" * self._pending_break)
            self._pending_break = 0
        self._pieces.append(data)

    # -- results

    def text(self) -> str:
        lines = [
            _HTML_INLINE_SPACES.sub(" ", line).strip() for line in "".join(self._pieces).split("\n")
        ]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def fields(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        candidates = {
            "title": [
                self._meta.get("og:title"),
                " ".join("".join(self._captured["h1"]).split()),
                " ".join("".join(self._captured["title"]).split()),
            ],
            "source": [self._meta.get("og:site_name")],
            "author": [self._meta.get("author"), self._meta.get("article:author")],
            "date": [
                self._meta.get("article:published_time"),
                self._meta.get("date"),
                self._meta.get("pubdate"),
            ],
            "url": [self._meta.get("canonical"), self._meta.get("og:url")],
        }
        for name, values in candidates.items():
            for value in values:
                cleaned = scalar_field(value)
                # article:author is often a profile URL, which is no author's name.
                if cleaned and not (name == "author" and cleaned.startswith("http")):
                    fields[name] = cleaned
                    break
        return fields

    # -- helpers

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closes_itself: bool) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            self._read_meta(attributes)
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self._meta.setdefault("canonical", attributes.get("href", "").strip())
        if tag in _HTML_DROPPED:
            if not closes_itself:
                self._dropped.append(tag)
            return
        capturable = tag in ("title", "h1") and tag not in self._done_capturing
        if capturable and not closes_itself and (not self._dropped or self._only_header_open()):
            self._capture = tag
        if self._dropped:
            return
        if tag == "pre" and not closes_itself:
            self._pre_depth += 1
        if tag == "br":
            self._break(1)
        elif tag in ("td", "th"):
            self._pieces.append(" ")
        elif tag in _HTML_BLOCKS:
            self._break(1 if tag in _HTML_LINE_ITEMS else 2)

    def _read_meta(self, attributes: dict[str, str]) -> None:
        name = (attributes.get("property") or attributes.get("name") or "").strip().lower()
        content = attributes.get("content", "").strip()
        if name and content:
            self._meta.setdefault(name, content)

    def _only_header_open(self) -> bool:
        # An article's own <header> holds its headline; other dropped elements do not.
        return all(tag == "header" for tag in self._dropped)

    def _break(self, newlines: int) -> None:
        # Breaks are merged, not added: "</li><li>" is one line break, "</p><p>" one blank
        # line; they are written only when more text follows.
        self._pending_break = max(self._pending_break, newlines)
