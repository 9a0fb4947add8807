"""Markdown to plain text: front matter read as fields, markup taken off the prose."""

from __future__ import annotations

import re

from index.ingest.records import fields_from, scalar_field

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


_MD_LEVEL_ONE = re.compile(r"\A\s*#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)


_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~).*$", re.M)


_MD_RULE = re.compile(
    r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$", re.M
)


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.M)


_MD_QUOTE = re.compile(r"^(?: {0,3}>[ \t]?)+", re.M)


# The inline patterns below are applied to lines of any length, so none of them may scan
# past the start of another candidate: a bracket, a parenthesis or a delimiter run that
# could begin the next match ends the attempt. A pattern whose body may cross such a start
# ("[a[a[a...", "*a *a *a...") retries from every one of them and takes quadratic time on
# a long line; excluding the delimiter keeps each attempt short and the whole pass linear.
# A link address may hold one level of parentheses, as encyclopedia links do: "(x_(y))".
_MD_LINK_TARGET = r"(?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\[\]\n]*\])"


_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]" + _MD_LINK_TARGET)


_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]" + _MD_LINK_TARGET)


_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$\n?", re.M)


_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")


_MD_CODE = re.compile(r"`+([^`\n]+?)`+")


_MD_STRONG = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|__(?=\S)([^_\n]+?)(?<=\S)__")


_MD_STRIKE = re.compile(r"~~(?=\S)([^~\n]+?)(?<=\S)~~")


# Single `*`/`_` emphasis only when it hugs words, so "3 * 4" or snake_case survive.
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


_MD_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")


def markdown_to_text(markdown: str) -> str:
    """The prose of a markdown document: markup taken out, words and line structure kept."""
    text = _MD_FENCE.sub("", markdown)
    text = _MD_REFERENCE.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub(lambda match: match.group(1) or "", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    for pattern in (_MD_STRONG, _MD_STRIKE):
        text = pattern.sub(lambda match: match.group(match.lastindex or 0), text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    text = _MD_UNDERSCORE.sub(r"\1", text)
    return text


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Fields from a leading `---` block of `key: value` lines (as static-site tools write)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    values: dict[str, str] = {}
    for line in match.group(1).split("\n"):
        pair = _FRONT_MATTER_LINE.match(line)
        if pair:
            value = pair.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values.setdefault(pair.group(1).lower(), value)
    return fields_from(values), text[match.end() :]


def first_level_one_heading(markdown: str) -> str | None:
    """The document's title when its first line is a `# Heading`."""
    match = _MD_LEVEL_ONE.match(markdown)
    if not match:
        return None
    return scalar_field(markdown_to_text(match.group(1)))
