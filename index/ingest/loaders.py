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

import csv
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from index.articles import Problem, Record
from index.errors import CorpusError, FileProblem
from index.ingest import decoding
from index.ingest.decoding import (
    BoundedLines,
    declared_charset,
    decode_article_file,
    decode_bytes,
    decode_file,
    fallback_warning,
    normalise_newlines,
    open_binary,
    read_whole,
    repair_row,
    repair_undecodable,
    skip_rest_of_line,
    text_stream,
    too_large_reason,
)
from index.ingest.files import (
    SUPPORTED_SUFFIXES,
    corpus_files,
    format_of,
    os_reason,
    relative,
)
from index.ingest.html import VisibleText, escape_unterminated
from index.ingest.markdown import first_level_one_heading, markdown_to_text, split_front_matter
from index.ingest.records import (
    ARTICLE_LIST_KEY,
    TEXT_NAMES,
    article_from_mapping,
    has_text,
    keyed_records,
    lower_keys,
    single_record,
)


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
    rel = relative(path, Path(root))
    suffix = format_of(path.name)
    if suffix is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return [], [Problem(rel, f"unsupported file type (supported: {supported})")]
    try:
        return _LOADERS[suffix](path, rel)
    except (FileProblem, OSError) as error:
        return [], [_file_problem(rel, error)]


def _file_problem(rel: str, error: Exception) -> Problem:
    if isinstance(error, FileProblem):
        return Problem(rel, str(error))
    if isinstance(error, PermissionError):
        return Problem(rel, "cannot read: permission denied")
    if isinstance(error, IsADirectoryError):
        return Problem(rel, "is a folder, not a file")
    if isinstance(error, FileNotFoundError):
        return Problem(rel, "file not found (removed while loading, or a broken link)")
    assert isinstance(error, OSError)
    return Problem(rel, f"cannot read: {os_reason(error)}")


class PartialLoad:
    """`load_file` in steps, so that reading can stop between records and go on later.

    A build reads the corpus while its sentence model trains, and starts processing the
    moment the model is ready: with a JSON Lines file (an archive's usual shape, and read a
    record at a time anyway) that moment may fall in the middle of a file. Other formats
    are read whole in one step. `result()` equals `load_file(path, root)`.
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path, self.root = Path(path), Path(root)
        self.rel = relative(self.path, self.root)
        self._problems: list[Problem] = []
        self._items: list[tuple[int, str, dict[str, str]]] = []
        self._result: tuple[list[Record], list[Problem]] | None = None
        self._items_left: Iterator[tuple[int, str, dict[str, str]]] | None = None
        if format_of(self.path.name) in (".jsonl", ".jsonl.gz"):
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
                    self._result = keyed_records(self.rel, self._items), self._problems
                    return True
                self._items.append(item)
        except (FileProblem, OSError) as error:
            self._result = [], [_file_problem(self.rel, error)]
            return True
        return False

    def result(self) -> tuple[list[Record], list[Problem]]:
        while not self.step(100_000):
            pass
        assert self._result is not None
        return self._result


def _load_text(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = decode_article_file(path, rel)
    return single_record(rel, normalise_newlines(text), {}, problems)


def _load_markdown(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = decode_article_file(path, rel)
    fields, body = split_front_matter(normalise_newlines(text))
    heading = first_level_one_heading(body)
    if heading and "title" not in fields:
        fields["title"] = heading
    return single_record(rel, markdown_to_text(body), fields, problems)


def _load_html(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    data = read_whole(path)
    declared = declared_charset(data[:4096])
    text, problems = decode_bytes(data, rel, declared)
    page = VisibleText()
    try:
        page.feed(escape_unterminated(normalise_newlines(text)))
        page.close()
    except AssertionError as error:
        # html.parser gives up on a few malformed declarations (`<![if ...]>` and the like)
        # by raising AssertionError; what was read up to there is still the page's text.
        problems.append(Problem(rel, f"malformed HTML, read up to: {error}", warning=True))
    return single_record(rel, page.text(), page.fields(), problems)


def _load_json(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    text, problems = decode_file(path, rel)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [*problems, Problem(rel, f"invalid JSON: {error.msg}", line=error.lineno)]
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return [], [*problems, Problem(rel, f"invalid JSON: {reason}")]

    if isinstance(document, dict) and not has_text(document):
        wrapped = lower_keys(document).get(ARTICLE_LIST_KEY)
        if isinstance(wrapped, list):
            document = wrapped
    if isinstance(document, dict):
        text_value, fields, unusable = article_from_mapping(document)
        if unusable:
            return [], [*problems, Problem(rel, unusable)]
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
        text_value, fields, unusable = article_from_mapping(item, limit=decoding.MAX_RECORD_CHARS)
        if unusable:
            problems.append(Problem(rel, f"record {number}: {unusable}"))
            continue
        items.append((number, text_value, fields))
    return keyed_records(rel, items), problems


def _load_jsonl(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    items = list(_jsonl_items(path, rel, problems))
    return keyed_records(rel, items), problems


def _jsonl_items(
    path: Path, rel: str, problems: list[Problem]
) -> Iterator[tuple[int, str, dict[str, str]]]:
    """(record number, text, fields) of each usable line, read as the file is read."""
    compressed = path.name.lower().endswith(".gz")
    line_number = 0
    record_number = 0
    fallback_warned = False
    with open_binary(path, compressed) as raw:
        try:
            stream = text_stream(raw, rel, newline=None)
            while True:
                line = stream.readline(decoding.MAX_RECORD_CHARS)
                if not line:
                    break
                line_number += 1
                if len(line) >= decoding.MAX_RECORD_CHARS and not line.endswith("\n"):
                    skip_rest_of_line(stream)
                    record_number += 1
                    problems.append(Problem(rel, too_large_reason(), line=line_number))
                    continue
                if not line.strip():
                    continue
                record_number += 1
                line, encoding = repair_undecodable(line)
                if encoding and not fallback_warned:
                    fallback_warned = True
                    problems.append(fallback_warning(rel, encoding, line_number))
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as error:
                    problems.append(Problem(rel, f"invalid JSON: {error.msg}", line=line_number))
                    continue
                except (ValueError, RecursionError) as error:
                    reason = (
                        "nested too deeply" if isinstance(error, RecursionError) else str(error)
                    )
                    problems.append(Problem(rel, f"invalid JSON: {reason}", line=line_number))
                    continue
                if not isinstance(value, dict):
                    problems.append(Problem(rel, "not a JSON object", line=line_number))
                    continue
                text_value, fields, unusable = article_from_mapping(
                    value, limit=decoding.MAX_RECORD_CHARS
                )
                if unusable:
                    problems.append(Problem(rel, unusable, line=line_number))
                    continue
                yield record_number, text_value, fields
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            if line_number == 0 and isinstance(error, gzip.BadGzipFile):
                raise FileProblem("not a gzip file") from None
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
    rel = relative(path, Path(root))
    if format_of(path.name) not in (".jsonl", ".jsonl.gz"):
        yield from (record.text for record in load_file(path, root)[0])
        return
    try:
        for _, text, _ in _jsonl_items(path, rel, []):
            yield text
    except (FileProblem, OSError):
        return


def _load_csv(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    problems: list[Problem] = []
    items: list[tuple[int, str, dict[str, str]]] = []
    previous_limit = csv.field_size_limit()
    # The default 128 KiB field limit is shorter than many long-form articles.
    csv.field_size_limit(decoding.MAX_RECORD_CHARS)
    try:
        with open(path, "rb") as raw:
            lines = BoundedLines(text_stream(raw, rel, newline=""), decoding.MAX_RECORD_CHARS)
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
                    problems.append(Problem(rel, too_large_reason(), line=first_line))
                    continue
                if not row or not any(cell.strip() for cell in row):
                    continue
                row, encoding = repair_row(row)
                if encoding and not fallback_warned:
                    fallback_warned = True
                    problems.append(fallback_warning(rel, encoding, first_line))
                if header is None:
                    header = [cell.strip().lstrip("\ufeff") for cell in row]
                    if not any(name.lower() in TEXT_NAMES for name in header):
                        names = ", ".join(TEXT_NAMES)
                        reason = f"no text column in the CSV header (expected one of: {names})"
                        return [], [*problems, Problem(rel, reason, line=first_line)]
                    continue
                record_number += 1
                if len(row) != len(header):
                    reason = f"row has {len(row)} fields but the header has {len(header)}"
                    problems.append(Problem(rel, reason, line=first_line))
                    continue
                text_value, fields, unusable = article_from_mapping(
                    dict(zip(header, row, strict=True))
                )
                if unusable:
                    problems.append(Problem(rel, unusable, line=first_line))
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
    return keyed_records(rel, items), problems


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
