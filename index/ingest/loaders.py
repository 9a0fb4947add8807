"""Turn any folder of saved articles into `Record`s.

People keep news in whatever shape they saved it: text files, markdown notes, whole web
pages, JSON exports, JSON Lines dumps, spreadsheets of a research dataset. Every such file
under the corpus folder is read here into the same `Record` (raw text plus the fields the
file carried), so the rest of the engine never sees a format.

A bad file is never fatal: it becomes a `Problem` (shown to the user by `reader index`)
and the rest of the corpus loads. Text is only decoded and given `\\n` line endings here;
taking page chrome out of it is the cleaning stage's job.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from index.articles import Problem, Record
from index.errors import CorpusError
from index.ingest.metadata import METADATA_FILE

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".json",
    ".jsonl",
    ".jsonl.gz",
    ".csv",
)

# Formats read whole are refused above this size: no single article is anywhere near it
# (the longest of 37,554 AllSides articles has 77,000 characters), so a bigger file is a
# mistake (a database dump, a video renamed .txt) and reading it would only eat memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
# JSON Lines and CSV files are read a record at a time and may be any size; one record
# above this many characters (50 times the length of a long book chapter) is refused.
MAX_RECORD_CHARS = 5_000_000

# A title, byline, date or address is one line: URLs, the longest of them, stay under the
# 2,000 characters browsers reliably accept. A longer value is not metadata (an article
# pasted into a title column, a data blob) and is left out rather than shown as a title.
MAX_FIELD_CHARS = 4096

# How much of a file is looked at to tell text from binary data.
_SNIFF_BYTES = 8192

# Field names used by common article exports and datasets, for each field a Record keeps.
# The camel-case ones are schema.org's NewsArticle properties (articleBody, datePublished),
# which news sites embed in their pages and scrapers often export as is.
_TEXT_NAMES = ("text", "body", "content", "articlebody")
_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site", "site_name"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "datepublished"),
    "url": ("url", "link"),
    "id": ("id",),
}
# A JSON file may wrap its list of articles in an object under this key.
_ARTICLE_LIST_KEY = "articles"

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _FileProblem(Exception):
    """Raised inside a loader for a file that cannot be used at all; becomes a Problem."""


# --------------------------------------------------------------------------- finding files


def corpus_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every loadable file under `root`, in a stable order, and the ones that cannot be read.

    Hidden files and folders (".git", ".venv", editor swap files) are not articles. Links
    are followed, but a folder or file reached twice through links is used once, which
    also ends link loops. Files of other types are ignored silently: a corpus folder may
    well hold notes or images beside its articles.
    """
    root = Path(root)
    found: list[tuple[tuple[str, ...], Path, str]] = []
    problems: list[Problem] = []
    seen_folders: set[str] = set()
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel_parts = stack.pop()
        real_folder = os.path.realpath(folder)
        if real_folder in seen_folders:
            continue
        seen_folders.add(real_folder)
        rel_folder = "/".join(rel_parts) or "."
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except PermissionError:
            problems.append(Problem(rel_folder, "cannot open folder: permission denied"))
            continue
        except OSError as error:
            problems.append(Problem(rel_folder, f"cannot open folder: {_os_reason(error)}"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            parts = (*rel_parts, entry.name)
            rel = "/".join(parts)
            try:
                is_folder = entry.is_dir()
                if not is_folder and _format_of(entry.name) is None:
                    continue
                if not _is_utf8_name(entry.name):
                    # An article's key is its path, and keys are stored, compared and shown
                    # as text: a name that is not text cannot be one. (Names written by
                    # old tools in a legacy encoding; renaming the file fixes it.)
                    kind = "folder" if is_folder else "file"
                    reason = f"{kind} name is not valid UTF-8; rename it to include it"
                    problems.append(Problem(_printable_name(rel), reason))
                    continue
                if is_folder:
                    subfolders.append((path, parts))
                    continue
                if not rel_parts and entry.name == METADATA_FILE:
                    continue
                if entry.is_symlink() and not path.exists():
                    problems.append(Problem(rel, "broken link"))
                    continue
                if not entry.is_file():
                    # A pipe, socket or device with an article's name: never opened (reading
                    # a pipe would wait forever, a device may never end).
                    problems.append(Problem(rel, "not a regular file; skipped"))
                    continue
                if not os.access(path, os.R_OK):
                    problems.append(Problem(rel, "cannot read: permission denied"))
                    continue
            except OSError as error:
                problems.append(Problem(rel, f"cannot read: {_os_reason(error)}"))
                continue
            found.append((parts, path, os.path.realpath(path)))
        # Pushed in reverse so folders are walked in name order: which of two links to
        # one folder counts as the first is then fixed, not an accident of the stack.
        stack.extend(reversed(subfolders))

    files: list[Path] = []
    seen_files: set[str] = set()
    for _parts, path, real in sorted(found, key=lambda item: item[0]):
        if real not in seen_files:
            seen_files.add(real)
            files.append(path)
    return files, problems


def _is_utf8_name(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (kept by Python as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable_name(name: str) -> str:
    """A path whose undecodable bytes are written as `\\xNN`, so it can be shown and stored."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load_corpus(root: Path) -> tuple[list[Record], list[Problem]]:
    """Load every article under `root`; raise CorpusError when there is nothing to read."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    files, problems = corpus_files(root)
    records: list[Record] = []
    for path in files:
        file_records, file_problems = load_file(path, root)
        records.extend(file_records)
        problems.extend(file_problems)
    if not records:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        detail = ""
        failures = [problem for problem in problems if not problem.warning]
        if failures:
            more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
            detail = f"; {failures[0]}{more}"
        raise CorpusError(f"no articles found in {root} (supported: {supported}){detail}")
    return records, problems


def load_file(path: Path, root: Path) -> tuple[list[Record], list[Problem]]:
    """Read one file into records; whatever goes wrong comes back as a Problem, not raised."""
    path = Path(path)
    rel = _relative(path, Path(root))
    suffix = _format_of(path.name)
    if suffix is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return [], [Problem(rel, f"unsupported file type (supported: {supported})")]
    try:
        return _LOADERS[suffix](path, rel)
    except (_FileProblem, OSError) as error:
        return [], [_file_problem(rel, error)]


def _file_problem(rel: str, error: Exception) -> Problem:
    if isinstance(error, _FileProblem):
        return Problem(rel, str(error))
    if isinstance(error, PermissionError):
        return Problem(rel, "cannot read: permission denied")
    if isinstance(error, IsADirectoryError):
        return Problem(rel, "is a folder, not a file")
    if isinstance(error, FileNotFoundError):
        return Problem(rel, "file not found (removed while loading, or a broken link)")
    assert isinstance(error, OSError)
    return Problem(rel, f"cannot read: {_os_reason(error)}")


class PartialLoad:
    """`load_file` in steps, so that reading can stop between records and go on later.

    A build reads the corpus while its sentence model trains, and starts processing the
    moment the model is ready: with a JSON Lines file (an archive's usual shape, and read a
    record at a time anyway) that moment may fall in the middle of a file. Other formats
    are read whole in one step. `result()` equals `load_file(path, root)`.
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path, self.root = Path(path), Path(root)
        self.rel = _relative(self.path, self.root)
        self._problems: list[Problem] = []
        self._items: list[tuple[int, str, dict[str, str]]] = []
        self._result: tuple[list[Record], list[Problem]] | None = None
        self._items_left: Iterator[tuple[int, str, dict[str, str]]] | None = None
        if _format_of(self.path.name) in (".jsonl", ".jsonl.gz"):
            self._items_left = _jsonl_items(self.path, self.rel, self._problems)

    def step(self, records: int = 100) -> bool:
        """Read up to `records` more records; True once the whole file has been read."""
        if self._result is not None:
            return True
        if self._items_left is None:
            self._result = load_file(self.path, self.root)
            return True
        try:
            for _ in range(records):
                item = next(self._items_left, None)
                if item is None:
                    self._result = _keyed_records(self.rel, self._items), self._problems
                    return True
                self._items.append(item)
        except (_FileProblem, OSError) as error:
            self._result = [], [_file_problem(self.rel, error)]
            return True
        return False

    def result(self) -> tuple[list[Record], list[Problem]]:
        while not self.step(100_000):
            pass
        assert self._result is not None
        return self._result


# --------------------------------------------------------------------------- formats


def _load_text(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = _decode_article_file(path, rel)
    return _single_record(rel, _normalise_newlines(text), {}, problems)


def _load_markdown(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = _decode_article_file(path, rel)
    fields, body = _split_front_matter(_normalise_newlines(text))
    heading = _first_level_one_heading(body)
    if heading and "title" not in fields:
        fields["title"] = heading
    return _single_record(rel, markdown_to_text(body), fields, problems)


def _load_html(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    data = _read_whole(path)
    declared = _declared_charset(data[:4096])
    text, problems = _decode_bytes(data, rel, declared)
    page = _VisibleText()
    try:
        page.feed(_escape_unterminated(_normalise_newlines(text)))
        page.close()
    except AssertionError as error:
        # html.parser gives up on a few malformed declarations (`<![if ...]>` and the like)
        # by raising AssertionError; what was read up to there is still the page's text.
        problems.append(Problem(rel, f"malformed HTML, read up to: {error}", warning=True))
    return _single_record(rel, page.text(), page.fields(), problems)


def _load_json(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = _decode_file(path, rel)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [*problems, Problem(rel, f"invalid JSON: {error.msg}", line=error.lineno)]
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return [], [*problems, Problem(rel, f"invalid JSON: {reason}")]

    if isinstance(document, dict) and not _has_text(document):
        wrapped = _lower_keys(document).get(_ARTICLE_LIST_KEY)
        if isinstance(wrapped, list):
            document = wrapped
    if isinstance(document, dict):
        text_value, fields, reason = _article_from_mapping(document)
        if reason:
            return [], [*problems, Problem(rel, reason)]
        return [Record(key=rel, path=rel, text=text_value, fields=fields)], problems
    if not isinstance(document, list):
        reason = 'expected an article object, a list of them, or {"articles": [...]}'
        return [], [*problems, Problem(rel, reason)]

    if not document:
        return [], [*problems, Problem(rel, "no articles (the list is empty)")]
    items: list[tuple[int, str, dict[str, str]]] = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(rel, f"record {number}: not a JSON object"))
            continue
        text_value, fields, reason = _article_from_mapping(item, limit=MAX_RECORD_CHARS)
        if reason:
            problems.append(Problem(rel, f"record {number}: {reason}"))
            continue
        items.append((number, text_value, fields))
    return _keyed_records(rel, items), problems


def _load_jsonl(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    items = list(_jsonl_items(path, rel, problems))
    return _keyed_records(rel, items), problems


def _jsonl_items(
    path: Path, rel: str, problems: list[Problem]
) -> Iterator[tuple[int, str, dict[str, str]]]:
    """(record number, text, fields) of each usable line, read as the file is read."""
    compressed = path.name.lower().endswith(".gz")
    line_number = 0
    record_number = 0
    fallback_warned = False
    with _open_binary(path, compressed) as raw:
        try:
            stream = _text_stream(raw, rel, newline=None)
            while True:
                line = stream.readline(MAX_RECORD_CHARS)
                if not line:
                    break
                line_number += 1
                if len(line) >= MAX_RECORD_CHARS and not line.endswith("\n"):
                    _skip_rest_of_line(stream)
                    record_number += 1
                    problems.append(Problem(rel, _too_large_reason(), line=line_number))
                    continue
                if not line.strip():
                    continue
                record_number += 1
                line, encoding = _repair_undecodable(line)
                if encoding and not fallback_warned:
                    fallback_warned = True
                    problems.append(_fallback_warning(rel, encoding, line_number))
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as error:
                    problems.append(Problem(rel, f"invalid JSON: {error.msg}", line=line_number))
                    continue
                except (ValueError, RecursionError) as error:
                    reason = "nested too deeply" if isinstance(error, RecursionError) else error
                    problems.append(Problem(rel, f"invalid JSON: {reason}", line=line_number))
                    continue
                if not isinstance(value, dict):
                    problems.append(Problem(rel, "not a JSON object", line=line_number))
                    continue
                text_value, fields, reason = _article_from_mapping(value, limit=MAX_RECORD_CHARS)
                if reason:
                    problems.append(Problem(rel, reason, line=line_number))
                    continue
                yield record_number, text_value, fields
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            if line_number == 0 and isinstance(error, gzip.BadGzipFile):
                raise _FileProblem("not a gzip file") from None
            # A truncated or damaged download: keep every record read before the damage.
            reason = f"corrupt or truncated gzip data ({error}); the rest was not read"
            problems.append(Problem(rel, reason, line=line_number + 1))
    if record_number == 0 and not problems:
        problems.append(Problem(rel, "no records (the file is empty)"))


def iter_texts(path: Path, root: Path) -> Iterator[str]:
    """The texts of a file's records, in order, read only as far as they are consumed.

    The same texts as `load_file(path, root)`'s records: what trains the sentence model,
    which needs only the first few hundred of a file's articles.
    """
    path = Path(path)
    rel = _relative(path, Path(root))
    if _format_of(path.name) not in (".jsonl", ".jsonl.gz"):
        yield from (record.text for record in load_file(path, root)[0])
        return
    try:
        for _, text, _ in _jsonl_items(path, rel, []):
            yield text
    except (_FileProblem, OSError):
        return


def _load_csv(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    items: list[tuple[int, str, dict[str, str]]] = []
    previous_limit = csv.field_size_limit()
    # The default 128 KiB field limit is shorter than many long-form articles.
    csv.field_size_limit(MAX_RECORD_CHARS)
    try:
        with open(path, "rb") as raw:
            lines = _BoundedLines(_text_stream(raw, rel, newline=""), MAX_RECORD_CHARS)
            reader = csv.reader(lines, strict=False)
            header: list[str] | None = None
            last_line = 0
            record_number = 0
            fallback_warned = False
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    problems.append(Problem(rel, f"malformed CSV: {error}", line=last_line + 1))
                    if reader.line_num == last_line:
                        break
                    last_line = reader.line_num
                    continue
                first_line, last_line = last_line + 1, reader.line_num
                if lines.oversized_between(first_line, last_line):
                    if header is not None:
                        record_number += 1
                    problems.append(Problem(rel, _too_large_reason(), line=first_line))
                    continue
                if not row or not any(cell.strip() for cell in row):
                    continue
                row, encoding = _repair_row(row)
                if encoding and not fallback_warned:
                    fallback_warned = True
                    problems.append(_fallback_warning(rel, encoding, first_line))
                if header is None:
                    header = [cell.strip().lstrip("\ufeff") for cell in row]
                    if not any(name.lower() in _TEXT_NAMES for name in header):
                        names = ", ".join(_TEXT_NAMES)
                        reason = f"no text column in the CSV header (expected one of: {names})"
                        return [], [*problems, Problem(rel, reason, line=first_line)]
                    continue
                record_number += 1
                if len(row) != len(header):
                    reason = f"row has {len(row)} fields but the header has {len(header)}"
                    problems.append(Problem(rel, reason, line=first_line))
                    continue
                text_value, fields, reason = _article_from_mapping(
                    dict(zip(header, row, strict=True))
                )
                if reason:
                    problems.append(Problem(rel, reason, line=first_line))
                    continue
                items.append((record_number, text_value, fields))
            unclosed = lines.unclosed_quote()
            if unclosed is not None:
                # The csv module reads to the end of the file into the open field; the row
                # is kept (it may be the file's last article) but the user should know.
                reason = "a quoted field is never closed; the rest of the file was read into it"
                problems.append(Problem(rel, reason, line=unclosed, warning=True))
    finally:
        csv.field_size_limit(previous_limit)
    if not items and all(problem.warning for problem in problems):
        reason = "empty CSV file" if header is None else "no rows after the header"
        problems.append(Problem(rel, reason))
    return _keyed_records(rel, items), problems


# --------------------------------------------------------------------------- records


def _single_record(
    rel: str, text: str, fields: dict[str, str], problems: list[Problem]
) -> tuple[list[Record], list[Problem]]:
    if not text.strip():
        return [], [*problems, Problem(rel, "empty article")]
    if len(text) > MAX_RECORD_CHARS:
        return [], [*problems, Problem(rel, _too_large_reason("article"))]
    return [Record(key=rel, path=rel, text=text, fields=fields)], problems


def _keyed_records(rel: str, items: list[tuple[int, str, dict[str, str]]]) -> list[Record]:
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


def _article_from_mapping(
    mapping: dict[Any, Any], limit: int | None = None
) -> tuple[str, dict[str, str], str | None]:
    """(text, fields, None) for an article object, or ("", {}, reason) when it is unusable."""
    lowered = _lower_keys(mapping)
    present = [name for name in _TEXT_NAMES if name in lowered]
    if not present:
        return "", {}, f"no text field (expected one of: {', '.join(_TEXT_NAMES)})"
    text = ""
    for name in present:
        text = _as_text(lowered[name])
        if text.strip():
            break
    if not text.strip():
        return "", {}, "empty article"
    if limit is not None and len(text) > limit:
        return "", {}, _too_large_reason()
    return _normalise_newlines(text), _fields_from(lowered), None


def _fields_from(lowered: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field_name, names in _FIELD_NAMES.items():
        for name in names:
            value = _as_field(lowered.get(name))
            if value:
                fields[field_name] = value
                break
    return fields


def _lower_keys(mapping: dict[Any, Any]) -> dict[str, Any]:
    lowered: dict[str, Any] = {}
    for key, value in mapping.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)
    return lowered


def _has_text(mapping: dict[Any, Any]) -> bool:
    return any(name in _TEXT_NAMES for name in _lower_keys(mapping))


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
        names = [_scalar_field(item) for item in value]
        joined = ", ".join(name for name in names if name)
        return joined or None
    return _scalar_field(value)


def _scalar_field(value: Any) -> str | None:
    if isinstance(value, dict):
        value = _lower_keys(value).get("name")
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


# --------------------------------------------------------------------------- decoding


def _read_whole(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, refused (before reading) when it is over `limit` bytes."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise _FileProblem(_file_too_large_reason(size, limit))
        # One byte more than the size tells a file that grew since it was measured.
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise _FileProblem(_file_too_large_reason(len(data), limit))
    return data


def _decode_file(path: Path, rel: str) -> tuple[str, list[Problem]]:
    return _decode_bytes(_read_whole(path), rel)


def _decode_article_file(path: Path, rel: str) -> tuple[str, list[Problem]]:
    """A file that is one article, read only when it can be under the article limit.

    No encoding takes more than four bytes a character, so a file over four bytes per
    allowed character is too long whatever it holds, and is refused without reading it
    (a 1 GB log renamed .txt costs nothing). Shorter files are checked after decoding.
    """
    return _decode_bytes(_read_whole(path, min(MAX_FILE_BYTES, 4 * MAX_RECORD_CHARS)), rel)


def _decode_bytes(data: bytes, rel: str, declared: str | None = None) -> tuple[str, list[Problem]]:
    """Bytes to text: UTF-8, UTF-16/32 with a BOM, else a legacy 8-bit encoding (warned).

    Web pages and Windows tools still produce cp1252 text; decoding it rather than
    refusing it keeps the article, and the warning tells the user why a quote mark may
    look wrong. NUL bytes never occur in text in an 8-bit or UTF-8 encoding, so they mark
    binary data (an image or a word-processor file given a text suffix).
    """
    bom_encoding = _bom_encoding(data[:4])
    if bom_encoding:
        return data.decode(bom_encoding, errors="replace"), []
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise _FileProblem("binary file (not text)")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), []
        except (UnicodeDecodeError, LookupError):
            pass
    text, encoding = _legacy_decode(data)
    return text, [_fallback_warning(rel, encoding, None)]


def _legacy_decode(data: bytes) -> tuple[str, str]:
    # cp1252 is what mislabelled "latin-1" text nearly always is (curly quotes, dashes);
    # it leaves five bytes undefined, and latin-1 decodes every byte.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _fallback_warning(rel: str, encoding: str, line: int | None) -> Problem:
    return Problem(rel, f"not valid UTF-8; decoded as {encoding}", line=line, warning=True)


_DECLARED_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def _declared_charset(head: bytes) -> str | None:
    """The legacy charset a web page declares for itself, if it names a known one."""
    match = _DECLARED_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # A page declaring a UTF encoding but failing UTF-8 is mislabelled; fall back instead.
    return None if name.startswith("utf") else name


def _open_binary(path: Path, compressed: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _text_stream(raw: IO[bytes], rel: str, newline: str | None) -> io.TextIOWrapper:
    """A streaming text view of a record file, after checking it is text at all.

    Undecodable bytes are kept as surrogate escapes so each record can be re-decoded on
    its own (`_repair_undecodable`) rather than failing the whole file.
    """
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    bom_encoding = _bom_encoding(head[:4])
    if bom_encoding:
        encoding, errors = bom_encoding, "replace"
    elif b"\x00" in head:
        raise _FileProblem("binary file (not text)")
    else:
        encoding, errors = "utf-8-sig", "surrogateescape"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)  # type: ignore[arg-type]


def _repair_undecodable(text: str) -> tuple[str, str | None]:
    """Re-decode a line that held bytes invalid in UTF-8; returns (text, encoding used)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
        return _legacy_decode(raw)
    return text, None


def _repair_row(row: list[str]) -> tuple[list[str], str | None]:
    used = None
    repaired = []
    for cell in row:
        cell, encoding = _repair_undecodable(cell)
        used = used or encoding
        repaired.append(cell)
    return repaired, used


def _skip_rest_of_line(stream: io.TextIOWrapper) -> None:
    while True:
        chunk = stream.readline(MAX_RECORD_CHARS)
        if not chunk or chunk.endswith("\n"):
            return


class _BoundedLines:
    """Physical lines of a CSV file, never holding more than `limit` characters of one record.

    The csv module reads a whole physical line before splitting it into fields, and a
    quoted field may run over any number of lines, so a file with one enormous line or
    field would be read into memory whole. Lines are passed on while their record stays
    under the limit; a record that grows past it is replaced by blank lines (one per
    physical line, so line numbers stay right) up to its end, and remembered, so the row
    it belonged to is reported instead of loaded. Where a record ends is decided by
    following quotes as the csv module does (a field that starts with `"` runs to the next
    lone `"`; `""` inside it is a quote), so the rows after a skipped field load normally.
    """

    def __init__(self, stream: io.TextIOWrapper, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._count = 0
        self._oversized: list[int] = []
        self._record_chars = 0  # characters of the current record passed on so far
        self._quoted = False  # inside a quoted field at the end of the last line read
        self._skipping = False  # discarding the rest of an oversized record
        self.record_start = 0  # the line the current record started on

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(self._limit)
        if not line:
            raise StopIteration
        self._count += 1
        was_quoted = self._quoted
        whole = not (len(line) >= self._limit and not line.endswith(("\n", "\r")))
        self._quoted = _quote_open_after(line, self._quoted)
        if not whole:
            while True:  # the rest of an over-long line: read in pieces, never kept
                chunk = self._stream.readline(self._limit)
                self._quoted = _quote_open_after(chunk, self._quoted, continues=True)
                if not chunk or chunk.endswith(("\n", "\r")):
                    break
        if not was_quoted:
            self.record_start = self._count
        if self._skipping:
            self._skipping = self._quoted
            return "\n"
        if not whole or self._record_chars + len(line) > self._limit:
            self._oversized.append(self._count)
            self._record_chars = 0
            self._skipping = self._quoted
            # A quote ends the field the csv module is inside, so it reads a short row
            # (reported, not loaded) and starts afresh after the skipped lines.
            return '"\n' if was_quoted else "\n"
        self._record_chars = self._record_chars + len(line) if self._quoted else 0
        return line

    def unclosed_quote(self) -> int | None:
        """At the end of the file: the line of a record whose quoted field never closed."""
        if not self._quoted or self.oversized_between(self.record_start, self._count):
            return None
        return self.record_start

    def oversized_between(self, first: int, last: int) -> bool:
        return any(first <= number <= last for number in self._oversized)


def _quote_open_after(text: str, quoted: bool, continues: bool = False) -> bool:
    """Whether a quoted CSV field is still open after `text`, given whether it was before.

    A field is quoted when `"` is its first character (at the start of a record or right
    after a comma); inside it `""` is a quote and a lone `"` ends it. A quote anywhere else
    is an ordinary character, as the csv module reads it. `continues` marks a piece of a
    line that does not start at the line's beginning.
    """
    at = 0
    while True:
        if quoted:
            found = text.find('"', at)
            if found < 0:
                return True
            if text.startswith('""', found):
                at = found + 2
                continue
            quoted, at = False, found + 1
        elif at == 0 and not continues and text.startswith('"'):
            quoted, at = True, 1
        else:
            found = text.find(',"', at)
            if found < 0:
                return False
            quoted, at = True, found + 2


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large_reason(what: str = "record") -> str:
    return f"{what} too large (over {MAX_RECORD_CHARS:,} characters); skipped"


def _file_too_large_reason(size: int, limit: int) -> str:
    mib = 1024 * 1024
    return f"file too large ({size / mib:.0f} MiB; the limit is {limit / mib:.0f} MiB)"


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _format_of(name: str) -> str | None:
    lower = name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    return None


# --------------------------------------------------------------------------- markdown

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


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
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
    return _fields_from(values), text[match.end() :]


def _first_level_one_heading(markdown: str) -> str | None:
    """The document's title when its first line is a `# Heading`."""
    match = _MD_LEVEL_ONE.match(markdown)
    if not match:
        return None
    return _scalar_field(markdown_to_text(match.group(1)))


# --------------------------------------------------------------------------- html

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


def _escape_unterminated(page: str) -> str:
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


class _VisibleText(HTMLParser):
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
                cleaned = _scalar_field(value)
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


_LOADERS: dict[str, Callable[[Path, str], tuple[list[Record], list[Problem]]]] = {
    ".txt": _load_text,
    ".md": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".json": _load_json,
    ".jsonl": _load_jsonl,
    ".jsonl.gz": _load_jsonl,
    ".csv": _load_csv,
}
