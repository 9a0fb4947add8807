"""Bytes to text: encodings, size limits and line endings.

Files come in UTF-8 (with or without a byte-order mark), in legacy encodings, declared or not,
or not as text at all. Everything is decoded here with a fallback that is reported as a warning,
and read with limits, so that a database dump renamed `.txt` cannot eat the memory.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from index.articles import Problem
from index.errors import FileProblem

# Formats read whole are refused above this size: no single article is anywhere near it
# (the longest of 37,554 AllSides articles has 77,000 characters), so a bigger file is a
# mistake (a database dump, a video renamed .txt) and reading it would only eat memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


# JSON Lines and CSV files are read a record at a time and may be any size; one record
# above this many characters (50 times the length of a long book chapter) is refused.
MAX_RECORD_CHARS = 5_000_000


# How much of a file is looked at to tell text from binary data.
_SNIFF_BYTES = 8192


def read_whole(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, refused (before reading) when it is over `limit` bytes."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileProblem(_file_too_large_reason(size, limit))
        # One byte more than the size tells a file that grew since it was measured.
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise FileProblem(_file_too_large_reason(len(data), limit))
    return data


def decode_file(path: Path, rel: str) -> tuple[str, list[Problem]]:
    return decode_bytes(read_whole(path), rel)


def decode_article_file(path: Path, rel: str) -> tuple[str, list[Problem]]:
    """A file that is one article, read only when it can be under the article limit.

    No encoding takes more than four bytes a character, so a file over four bytes per
    allowed character is too long whatever it holds, and is refused without reading it
    (a 1 GB log renamed .txt costs nothing). Shorter files are checked after decoding.
    """
    return decode_bytes(read_whole(path, min(MAX_FILE_BYTES, 4 * MAX_RECORD_CHARS)), rel)


def decode_bytes(data: bytes, rel: str, declared: str | None = None) -> tuple[str, list[Problem]]:
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
        raise FileProblem("binary file (not text)")
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
    return text, [fallback_warning(rel, encoding, None)]


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


def fallback_warning(rel: str, encoding: str, line: int | None) -> Problem:
    return Problem(rel, f"not valid UTF-8; decoded as {encoding}", line=line, warning=True)


_DECLARED_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def declared_charset(head: bytes) -> str | None:
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


def open_binary(path: Path, compressed: bool) -> IO[bytes]:
    if compressed:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def text_stream(raw: IO[bytes], rel: str, newline: str | None) -> io.TextIOWrapper:
    """A streaming text view of a record file, after checking it is text at all.

    Undecodable bytes are kept as surrogate escapes so each record can be re-decoded on
    its own (`repair_undecodable`) rather than failing the whole file.
    """
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    bom_encoding = _bom_encoding(head[:4])
    if bom_encoding:
        encoding, errors = bom_encoding, "replace"
    elif b"\x00" in head:
        raise FileProblem("binary file (not text)")
    else:
        encoding, errors = "utf-8-sig", "surrogateescape"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)


def repair_undecodable(text: str) -> tuple[str, str | None]:
    """Re-decode a line that held bytes invalid in UTF-8; returns (text, encoding used)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
        return _legacy_decode(raw)
    return text, None


def repair_row(row: list[str]) -> tuple[list[str], str | None]:
    used = None
    repaired = []
    for cell in row:
        cell, encoding = repair_undecodable(cell)
        used = used or encoding
        repaired.append(cell)
    return repaired, used


def skip_rest_of_line(stream: io.TextIOWrapper) -> None:
    while True:
        chunk = stream.readline(MAX_RECORD_CHARS)
        if not chunk or chunk.endswith("\n"):
            return


class BoundedLines:
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


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def too_large_reason(what: str = "record") -> str:
    return f"{what} too large (over {MAX_RECORD_CHARS:,} characters); skipped"


def _file_too_large_reason(size: int, limit: int) -> str:
    mib = 1024 * 1024
    return f"file too large ({size / mib:.0f} MiB; the limit is {limit / mib:.0f} MiB)"
