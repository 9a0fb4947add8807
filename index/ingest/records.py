"""From a loaded mapping (a JSON object, a CSV row) to a `Record`.

Exports name their fields in many ways (`body`, `articleBody`, `headline`, `byline` ...); this
maps them onto the fields a record keeps and cleans each value to one line of text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from index.articles import Problem, Record
from index.ingest import decoding
from index.ingest.decoding import normalise_newlines, too_large_reason

# A title, byline, date or address is one line: URLs, the longest of them, stay under the
# 2,000 characters browsers reliably accept. A longer value is not metadata (an article
# pasted into a title column, a data blob) and is left out rather than shown as a title.
MAX_FIELD_CHARS = 4096


# Field names used by common article exports and datasets, for each field a Record keeps.
# The camel-case ones are schema.org's NewsArticle properties (articleBody, datePublished),
# which news sites embed in their pages and scrapers often export as is.
TEXT_NAMES = ("text", "body", "content", "articlebody")


_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site", "site_name"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "datepublished"),
    "url": ("url", "link"),
    "id": ("id",),
}


# A JSON file may wrap its list of articles in an object under this key.
ARTICLE_LIST_KEY = "articles"


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def single_record(
    rel: str, text: str, fields: dict[str, str], problems: list[Problem]
) -> tuple[list[Record], list[Problem]]:
    if not text.strip():
        return [], [*problems, Problem(rel, "empty article")]
    if len(text) > decoding.MAX_RECORD_CHARS:
        return [], [*problems, Problem(rel, too_large_reason("article"))]
    return [Record(key=rel, path=rel, text=text, fields=fields)], problems


def keyed_records(rel: str, items: list[tuple[int, str, dict[str, str]]]) -> list[Record]:
    """Key each record of a multi-article file by its own id, or by its position.

    An id is used only when no other record in the file has it, and positions are used
    for the whole file if an id happens to equal another record's position: a key must
    name exactly one article.
    """
    id_counts = Counter(fields["id"] for _, _, fields in items if "id" in fields)
    keys = [
        f"{rel}#{fields['id']}" if id_counts.get(fields.get("id", ""), 0) == 1 else f"{rel}#{n}"
        for n, _, fields in items
    ]
    if len(set(keys)) != len(keys):
        keys = [f"{rel}#{n}" for n, _, _ in items]
    return [
        Record(key=key, path=rel, text=text, fields=fields)
        for key, (_, text, fields) in zip(keys, items, strict=True)
    ]


def article_from_mapping(
    mapping: dict[Any, Any], limit: int | None = None
) -> tuple[str, dict[str, str], str | None]:
    """(text, fields, None) for an article object, or ("", {}, reason) when it is unusable."""
    lowered = lower_keys(mapping)
    present = [name for name in TEXT_NAMES if name in lowered]
    if not present:
        return "", {}, f"no text field (expected one of: {', '.join(TEXT_NAMES)})"
    text = ""
    for name in present:
        text = _as_text(lowered[name])
        if text.strip():
            break
    if not text.strip():
        return "", {}, "empty article"
    if limit is not None and len(text) > limit:
        return "", {}, too_large_reason()
    return normalise_newlines(text), fields_from(lowered), None


def fields_from(lowered: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field_name, names in _FIELD_NAMES.items():
        for name in names:
            value = _as_field(lowered.get(name))
            if value:
                fields[field_name] = value
                break
    return fields


def lower_keys(mapping: dict[Any, Any]) -> dict[str, Any]:
    lowered: dict[str, Any] = {}
    for key, value in mapping.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)
    return lowered


def has_text(mapping: dict[Any, Any]) -> bool:
    return any(name in TEXT_NAMES for name in lower_keys(mapping))


def _as_text(value: Any) -> str:
    """An article body: a string, or a list of paragraph strings as some exports give it."""
    if isinstance(value, str):
        return _without_surrogates(value)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return _without_surrogates("\n\n".join(value))
    return ""


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """JSON may escape half of a UTF-16 pair ("\\ud800"); such text cannot be written out."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")  # fails exactly when the text has a surrogate; C speed
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _as_field(value: Any) -> str | None:
    """A metadata value as one clean line of text, or None.

    Exports nest these: an outlet as {"name": ...}, authors as a list of names or of
    {"name": ...} objects. Only those shapes are unpacked; anything else is not a field.
    """
    if isinstance(value, list):
        names = [scalar_field(item) for item in value]
        joined = ", ".join(name for name in names if name)
        return joined or None
    return scalar_field(value)


def scalar_field(value: Any) -> str | None:
    if isinstance(value, dict):
        value = lower_keys(value).get("name")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    if len(value) > MAX_FIELD_CHARS:
        return None
    value = _without_surrogates(value)
    # A field is shown on one line: line breaks and control characters would break it.
    cleaned = " ".join(_CONTROL_CHARS.sub(" ", value).split())
    return cleaned or None
