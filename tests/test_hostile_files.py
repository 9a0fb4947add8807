"""A folder of everything people save by mistake: each file is skipped with a reason or read.

Every case below is a file a real download, scrape or export folder may hold: random bytes,
text in the wrong encoding, files far too big, truncated or absurdly nested JSON, broken
CSV, tag soup, names that are not text, links that loop, pipes. For each, loading gives
either an article or a problem that names the file; never an exception. The whole folder
is then indexed and queried through the CLI: the readable articles are all there, the
output is inert text, and nothing escapes as a traceback.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.articles import Problem, Record
from index.corpus import Corpus
from index.errors import CorpusError, MetadataError
from index.ingest import decoding
from index.ingest import records as record_fields
from index.ingest.files import SUPPORTED_SUFFIXES, corpus_files
from index.ingest.loaders import load_file
from index.ingest.metadata import read_metadata
from reader import cli
from tests.hostile_counts import attempt

pytest_plugins = ["tests.hostile_counts"]

MIB = 1024 * 1024
# Words that only the readable hostile files hold, so a search proves they were indexed.
MARKER = "quinquereme"
ARTICLE = (
    f"The harbour council approved a {MARKER} replica for the maritime museum on Tuesday.\n\n"
    "Officials said the ship would be built by local apprentices over two summers.\n"
)
CONTROL_ARTICLE = "A plain article about tariffs on lumber, which must survive its neighbours.\n"


@dataclass(frozen=True)
class Case:
    """One hostile file: how to write it, and what loading it must give.

    `expect` is "skip" (no article; a problem naming the file, containing `reason`), "load"
    (at least one article; if `reason`, a problem or warning containing it), or "any" (either,
    by the same rules). `words` must then be in the loaded text. `big` cases are loaded in a
    separate process, whose peak memory is measured.
    """

    name: str
    write: Callable[[Path], None]
    expect: str = "any"
    reason: str = ""
    words: str = ""
    big: bool = False
    shown: str | None = None  # the name problems give, when it differs from `name`

    @property
    def id(self) -> str:
        return self.name.encode("unicode_escape", "backslashreplace").decode("ascii")


# --------------------------------------------------------------------------- writers


def data(content: bytes | str) -> Callable[[Path], None]:
    raw = content.encode("utf-8") if isinstance(content, str) else content

    def write(path: Path) -> None:
        path.write_bytes(raw)

    return write


def sparse(size: int, head: bytes = b"") -> Callable[[Path], None]:
    """A file of `size` bytes that takes no disk space beyond `head` (the rest is a hole)."""

    def write(path: Path) -> None:
        path.write_bytes(head)
        os.truncate(path, size)

    return write


def streamed(head: str, unit: str, repeat: int, tail: str) -> Callable[[Path], None]:
    """head + unit * repeat + tail, written a piece at a time (never built in memory)."""

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(head)
            for _ in range(repeat):
                out.write(unit)
            out.write(tail)

    return write


def gzip_bomb(unit: bytes, repeat: int, head: bytes = b"") -> Callable[[Path], None]:
    """A small gzip file that decompresses to head + unit * repeat."""

    def write(path: Path) -> None:
        with gzip.open(path, "wb", compresslevel=1) as out:
            out.write(head)
            for _ in range(repeat):
                out.write(unit)

    return write


def article_in(suffix: str, text: str = ARTICLE, title: str = "Harbour replica") -> str:
    """`text` as a file of the format `suffix` (before encoding and compression)."""
    if suffix == ".txt":
        return f"{title}\n\n{text}"
    if suffix == ".md":
        return f"# {title}\n\n{text}"
    if suffix in (".html", ".htm"):
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        return f"<html><head><title>{title}</title></head><body>{paragraphs}</body></html>"
    if suffix == ".json":
        return json.dumps({"title": title, "text": text}, ensure_ascii=False)
    if suffix in (".jsonl", ".jsonl.gz"):
        return json.dumps({"title": title, "text": text}, ensure_ascii=False) + "\n"
    if suffix == ".csv":
        out = io.StringIO()
        csv.writer(out).writerows([["title", "text"], [title, text]])
        return out.getvalue()
    raise AssertionError(suffix)


def encoded(suffix: str, raw: bytes) -> bytes:
    return gzip.compress(raw) if suffix == ".jsonl.gz" else raw


# --------------------------------------------------------------------------- the catalogue


def format_cases(suffix: str, rng: random.Random) -> list[Case]:
    """The same kinds of damage, in every supported format."""
    gz = suffix == ".jsonl.gz"
    text = article_in(suffix)
    binary_reason = "not a gzip file" if gz else "binary"
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    invalid_utf8 = (
        text.replace("council", "council \xff\xfe")
        .encode("utf-8", "surrogateescape")
        .replace(b"\xc3\xbf\xc3\xbe", b"\xff \xc0\xaf \xed\xa0\x80 \x80\x80 \xe2\x82")
    )
    mixed = article_in(suffix, ARTICLE.replace("\n\n", "\r\n\r\n", 1) + "\rLast line.\r\n")
    huge_reason = {".jsonl": "binary", ".csv": "binary", ".jsonl.gz": "not a gzip file"}
    return [
        Case(f"random-binary{suffix}", data(rng.randbytes(4096)), "skip", binary_reason),
        Case(f"random-high-bytes{suffix}", data(high), "any"),
        Case(f"nul-bytes{suffix}", data(encoded(suffix, b"Some words\x00more words\n")), "skip"),
        Case(f"empty{suffix}", data(encoded(suffix, b"")), "skip"),
        Case(f"bom-only{suffix}", data(encoded(suffix, codecs.BOM_UTF16_LE)), "skip"),
        Case(
            f"utf16le-bom{suffix}",
            data(encoded(suffix, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))),
            "load",
            words=MARKER,
        ),
        Case(
            f"utf16be-bom{suffix}",
            data(encoded(suffix, codecs.BOM_UTF16_BE + text.encode("utf-16-be"))),
            "load",
            words=MARKER,
        ),
        Case(
            f"utf32-bom{suffix}",
            data(encoded(suffix, codecs.BOM_UTF32_LE + text.encode("utf-32-le"))),
            "load",
            words=MARKER,
        ),
        Case(f"utf16-no-bom{suffix}", data(encoded(suffix, text.encode("utf-16-le"))), "skip"),
        Case(
            f"utf16-odd-length{suffix}",
            data(encoded(suffix, codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x41")),
            "any" if suffix == ".json" else "load",  # JSON: the odd byte is trailing garbage
            words=MARKER,
        ),
        Case(
            f"invalid-utf8{suffix}",
            data(encoded(suffix, invalid_utf8)),
            "load",
            "not valid UTF-8",
            words=MARKER,
        ),
        Case(
            f"mixed-newlines{suffix}", data(encoded(suffix, mixed.encode())), "load", words=MARKER
        ),
        Case(
            f"sparse-1GiB{suffix}",
            sparse(1024 * MIB),
            "skip",
            huge_reason.get(suffix, "too large"),
            big=True,
        ),
    ]


def special_cases() -> list[Case]:
    good_row = '1,"A good row about the harbour council."\n'
    deep = 10_000
    return [
        # Sizes: refused with a message, in bounded memory.
        Case("line-50MB.txt", streamed("", "word ", 10 * MIB, ""), "skip", "too large", big=True),
        Case(
            "line-50MB.jsonl",
            streamed('{"text": "', "word ", 10 * MIB, '"}\n'),
            "skip",
            "too large",
            big=True,
        ),
        Case(
            "line-50MB.csv",
            streamed(f"id,text\n{good_row}2,", "word ", 10 * MIB, f"\n3,{ARTICLE!r}\n"),
            "load",
            "too large",
            words=MARKER,
            big=True,
        ),
        Case(
            "field-100MB.csv",
            streamed(f'id,text\n{good_row}2,"', "x" * 99 + "\n", MIB, f'"\n3,"{ARTICLE}"\n'),
            "load",
            "too large",
            words=MARKER,
            big=True,
        ),
        Case(
            "bomb-100MB.jsonl.gz",
            gzip_bomb(b"a" * MIB, 100, b'{"text": "'),
            "skip",
            "too large",
            big=True,
        ),
        # CSV damage.
        Case(
            "ragged.csv",
            data(f"id,text\n1,a,b,c\n2\n3,{ARTICLE!r}\n,\n"),
            "load",
            "fields but the header has",
            words=MARKER,
        ),
        Case(
            "unclosed-quote.csv",
            data(f'id,text\n1,"{ARTICLE}"\n2,"never closed\n3,x\n'),
            "load",
            "never closed",
            words=MARKER,
        ),
        Case("header-only.csv", data("id,text\n"), "skip", "no rows after the header"),
        Case("no-text-column.csv", data("id,name\n1,x\n"), "skip", "no text column"),
        Case("duplicate-header.csv", data(f'text,text\nx,"{ARTICLE}"\n'), "load", words=MARKER),
        Case(
            "wide.csv",
            data(",".join(f"c{i}" for i in range(50_000)) + ",text\n" + "v," * 50_000 + "Wide.\n"),
            "load",
        ),
        Case(
            "nul-after-sniff.csv",
            data("id,text\n" + "1,Fine text.\n" * 1000 + "2,Has \x00 a NUL.\n"),
            "load",
        ),
        Case("semicolons.csv", data("id;text\n1;Semicolon separated.\n"), "skip", "no text column"),
        # JSON damage.
        Case("nested-10000.json", data("[" * deep + "]" * deep), "skip", "nested too deeply"),
        Case(
            "nested-objects-10000.json",
            data('{"a":' * deep + "1" + "}" * deep),
            "skip",
            "nested too deeply",
        ),
        Case(
            "nested-in-text.json",
            data('{"text": ' + "[" * deep + "]" * deep + "}"),
            "skip",
            "nested too deeply",
        ),
        Case(
            "nested-line.jsonl",
            data("[" * deep + "]" * deep + "\n" + article_in(".jsonl")),
            "load",
            "nested too deeply",
            words=MARKER,
        ),
        Case("truncated.json", data(article_in(".json")[:60]), "skip", "invalid JSON"),
        Case(
            "truncated.jsonl",
            data(article_in(".jsonl") + article_in(".jsonl")[:40]),
            "load",
            "invalid JSON",
            words=MARKER,
        ),
        Case(
            "truncated.jsonl.gz",
            data(gzip.compress((article_in(".jsonl") * 2000).encode())[:-200]),
            "load",
            "truncated",
            words=MARKER,
        ),
        Case("bigint.json", data('{"text": "x y z", "id": ' + "9" * 5000 + "}"), "skip", "JSON"),
        Case(
            "bigint.jsonl",
            data('{"text": "x", "id": ' + "9" * 5000 + "}\n" + article_in(".jsonl")),
            "load",
            "JSON",
            words=MARKER,
        ),
        Case("nan.json", data(f'{{"text": {json.dumps(ARTICLE)}, "id": NaN}}'), "load"),
        Case("string.json", data('"just a string"'), "skip", "expected an article object"),
        Case("empty-objects.json", data("[" + ",".join(["{}"] * 10_000) + "]"), "skip"),
        Case("lone-surrogate.json", data('{"text": "A \\ud800 B, and more words."}'), "load"),
        Case(
            "huge-title.json",
            data(json.dumps({"title": "T" * 10 * MIB, "text": ARTICLE})),
            "load",
            words=MARKER,
        ),
        # Markup that makes parsers work hard (quadratic before: now linear).
        Case(
            "unclosed-tags.html",
            data(f"<p>{ARTICLE}</p>" + "<a href='x" * 20_000),
            "load",
            words=MARKER,
        ),
        Case(
            "unclosed-comments.html",
            data("<!--x>" * 20_000 + f"<p>{ARTICLE}</p>"),
            "load",
            words=MARKER,
        ),
        Case(
            "unclosed-sections.html",
            data("<![CDATA[a]>" * 20_000 + f"<p>{ARTICLE}</p>"),
            "load",
            words=MARKER,
        ),
        Case("deep-divs.html", data("<div>" * deep + f"<p>{ARTICLE}</p>"), "load", words=MARKER),
        Case("script-only.html", data("<script>alert(1)</script>"), "skip", "empty article"),
        Case(
            "entity-controls.html",
            data(f"<p>{ARTICLE} &#27;[31m &#7; &#0; &#x9b; &#xD800; &#x110000; &#8238;</p>"),
            "load",
            words=MARKER,
        ),
        Case(
            "bogus-charset.html",
            data(b'<meta charset="x-nonexistent"><p>Caf\xe9 ' + ARTICLE.encode() + b"</p>"),
            "load",
            "not valid UTF-8",
            words=MARKER,
        ),
        Case(
            "marked-section.html",
            data(f"<p>{ARTICLE}</p><![if !supportLists]><p>after</p>"),
            "load",
            words=MARKER,
        ),
        Case("unclosed-front-matter.md", data(f"---\ntitle: x\n{ARTICLE}"), "load", words=MARKER),
        Case(
            "pathological.md",
            data(ARTICLE + "[a" * 20_000 + "\n" + "*a " * 20_000 + "\n" + "<http:" * 20_000),
            "load",
            words=MARKER,
        ),
        # Text that is no text, or strange text.
        Case("whitespace-only.txt", data(" \t\n\u3000\n" * 100), "skip", "empty article"),
        Case("zero-width-only.txt", data("\u200b\u200c\u200d\ufeff" * 100), "any"),
        Case("controls-only.txt", data("".join(map(chr, range(1, 32))) * 10), "any"),
        Case("zalgo.txt", data("Z" + "\u0301\u0316" * 5000 + "algo " + ARTICLE), "load"),
        Case("long-word.txt", data("a" * 1_000_000), "load"),
        Case("one-char-lines.txt", data("a\n" * 100_000), "load"),
        Case("bidi.txt", data("\u202eevil\u202c " + ARTICLE + " \u2067שלום\u2069"), "load"),
        Case("form-feeds.txt", data(ARTICLE.replace("\n\n", "\f\x0b\x1c\x85")), "load"),
        # Names and kinds of file.
        Case(
            "bad\udcffname.txt", data(ARTICLE), "skip", "not valid UTF-8", shown="bad\\xffname.txt"
        ),
        Case("new\nline.txt", data(ARTICLE), "load", words=MARKER),
        Case("esc\x1b]0;pwned\x07.txt", data(ARTICLE), "load", words=MARKER),
        Case("tab\tand\u202ertl.txt", data(ARTICLE), "load", words=MARKER),
        Case("n" * 240 + ".txt", data(ARTICLE), "load", words=MARKER),
        Case("UPPER.TXT", data(ARTICLE), "load", words=MARKER),
    ]


def hostile_cases() -> list[Case]:
    rng = random.Random(6)
    cases = [case for suffix in SUPPORTED_SUFFIXES for case in format_cases(suffix, rng)]
    cases += special_cases()
    names = [case.name for case in cases]
    assert len(names) == len(set(names))
    return cases


CASES = hostile_cases()
SMALL = [case for case in CASES if not case.big]
BIG = [case for case in CASES if case.big]


def write_cases(root: Path, cases: list[Case]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for case in cases:
        case.write(root / case.name)


def write_odd_entries(root: Path) -> dict[str, str]:
    """Links, loops, a pipe, a device and deep folders; {name: problem reason or ""}."""
    (root / "deep").mkdir()
    deep = root / "deep" / "/".join(["d"] * 100)
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text(ARTICLE)
    os.symlink(root, root / "deep" / "loop")  # a link back up: walked once
    os.symlink("self-loop.txt", root / "self-loop.txt")
    os.symlink(root / "missing.txt", root / "broken-link.txt")
    os.symlink("/dev/zero", root / "zero-device.txt")
    os.mkfifo(root / "pipe.txt")  # opening it would wait forever
    (root / "bad\udcfffolder").mkdir()
    (root / "bad\udcfffolder" / "inside.txt").write_text(ARTICLE)
    return {
        "self-loop.txt": "symbolic links",
        "broken-link.txt": "broken link",
        "zero-device.txt": "not a regular file",
        "pipe.txt": "not a regular file",
        "bad\\xfffolder": "not valid UTF-8",
        "deep/" + "/".join(["d"] * 100) + "/bottom.txt": "",
    }


# --------------------------------------------------------------------------- checks


def check_loaded(case: Case, rel: str, records, problems) -> None:
    """The rules every hostile file must follow, whatever it holds."""
    shown = case.shown or rel
    for record in records:
        assert record.path == rel
        assert record.text.strip()
        record.text.encode("utf-8")  # storable: no lone surrogates
        assert "\r" not in record.text
        assert len(record.text) <= decoding.MAX_RECORD_CHARS
        for value in record.fields.values():
            assert value and "\n" not in value and len(value) <= record_fields.MAX_FIELD_CHARS
    for problem in problems:
        assert problem.path == shown
        assert problem.reason and "\n" not in problem.reason
        problem.path.encode("utf-8")
    failures = [problem for problem in problems if not problem.warning]
    if not records:
        assert failures, f"{case.id}: no article and no reason given"
    if case.expect == "skip":
        assert not records, f"{case.id}: expected a skip, loaded {len(records)}"
    if case.expect == "load":
        assert records, f"{case.id}: expected an article, got {problems}"
    if case.reason:
        assert any(case.reason in problem.reason for problem in problems), (case.id, problems)
    if case.words and records:
        assert any(case.words in record.text for record in records), case.id


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    write_cases(root, SMALL)
    (root / "control.txt").write_text(CONTROL_ARTICLE)
    return root


@pytest.fixture(scope="module")
def listing(hostile_folder: Path) -> tuple[set[str], list[Problem]]:
    """The folder as the build lists it: the files to load, and the entries refused."""
    files, problems = corpus_files(hostile_folder)
    return {path.name for path in files}, problems


@pytest.mark.parametrize("case", SMALL, ids=lambda case: case.id)
def test_each_hostile_file_is_read_or_skipped_with_its_name(
    case: Case, hostile_folder: Path, listing: tuple[set[str], list[Problem]]
) -> None:
    """Each file as the build meets it: refused when listed, or read by its loader."""
    with attempt("hostile input"):
        listed, listing_problems = listing
        if case.name in listed:
            records, problems = load_file(hostile_folder / case.name, hostile_folder)
        else:
            records = []
            problems = [p for p in listing_problems if p.path == (case.shown or case.name)]
        check_loaded(case, case.name, records, problems)


BIG_LOADER = """
import json, resource, sys
from pathlib import Path
from index.ingest.loaders import load_file
root = Path(sys.argv[1])
for name in sys.argv[2:]:
    records, problems = load_file(root / name, root)
    print(json.dumps([name, [[r.path, r.text[:200000], r.fields] for r in records],
                      [[p.path, p.reason, p.line, p.warning] for p in problems]]))
# VmHWM is this process's own peak; ru_maxrss would include the parent's before exec.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    pass
print(json.dumps(peak))
"""


def test_huge_files_are_refused_or_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """1 GiB sparse files, 50 MB lines, a 100 MB CSV field, a gzip bomb: peak memory stays
    a small fraction of what they hold (measured in a process of their own)."""
    write_cases(tmp_path, BIG)
    with attempt("hostile input", len(BIG)):
        done = subprocess.run(
            [sys.executable, "-c", BIG_LOADER, str(tmp_path), *(case.name for case in BIG)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        *results, peak_kib = (json.loads(line) for line in done.stdout.splitlines())
        by_name = {name: (records, problems) for name, records, problems in results}
        for case in BIG:
            records, problems = by_name[case.name]
            check_loaded(
                case,
                case.name,
                [Record(path, path, text, fields) for path, text, fields in records],
                [Problem(*problem) for problem in problems],
            )
        assert peak_kib * 1024 < 200 * MIB, f"peak memory {peak_kib // 1024} MiB"


def test_the_whole_hostile_folder_indexes_and_every_file_is_accounted_for(
    hostile_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "odd"
    odd.mkdir()
    odd_expectations = write_odd_entries(odd)
    corpus_dir = hostile_folder
    with attempt("hostile input", len(SMALL) + len(odd_expectations)):
        corpus = Corpus.open(corpus_dir, index_dir=tmp_path / "ix")
        keys = {info.key for info in corpus.articles()} | {
            copy for info in corpus.articles() for copy in info.copies
        }
        problems = corpus.problems()
        named = {problem.path.split("#")[0] for problem in problems}
        indexed = {key.split("#")[0] for key in keys}
        assert "control.txt" in indexed
        for case in SMALL:
            shown = case.shown or case.name
            assert shown in named or shown in indexed, f"{case.id} is neither indexed nor named"
            if case.expect == "load":
                assert shown in indexed, f"{case.id} was readable but is not in the index"
        found = corpus.search(MARKER, passages=1)
        assert [source.source for source in found.sources if source.passages]

        # The odd entries are listed (or walked past) without hanging on the pipe.
        odd_corpus = Corpus.open(odd, index_dir=tmp_path / "ix-odd")
        odd_named = {problem.path: problem.reason for problem in odd_corpus.problems()}
        odd_keys = {info.key for info in odd_corpus.articles()}
        for name, reason in odd_expectations.items():
            if reason:
                assert reason in odd_named.get(name, ""), (name, odd_named)
            else:
                assert name in odd_keys

        # The CLI reports it all as inert text, one problem per line.
        common = ["--corpus", str(corpus_dir), "--index", str(tmp_path / "ix")]
        for args in (["index", *common], ["sources", *common], ["ask", MARKER, *common]):
            assert cli.main(args) == 0
            out = capsys.readouterr()
            assert_inert(out.out + out.err)
        assert cli.main(["index", *common]) == 0
        report = capsys.readouterr().out
        for problem in problems:
            assert cli_line(str(problem)) in report


def cli_line(text: str) -> str:
    from reader.textsafe import one_line

    return one_line(text)


def assert_inert(output: str) -> None:
    """No character a terminal acts on: C0 (but newline), DEL, C1, bidi controls, surrogates."""
    for char in output:
        code = ord(char)
        assert not (code < 0x20 and char != "\n"), repr(char)
        assert not 0x7F <= code <= 0x9F, repr(char)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", repr(char)
        assert not 0xD800 <= code <= 0xDFFF, repr(char)


def test_a_1gib_file_in_the_corpus_does_not_stop_the_build(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "control.txt").write_text(CONTROL_ARTICLE)
    sparse(1024 * MIB)(corpus_dir / "huge.txt")
    with attempt("hostile input"):
        corpus = Corpus.open(corpus_dir, index_dir=tmp_path / "ix")
        assert [info.key for info in corpus.articles()] == ["control.txt"]
        [problem] = corpus.problems()
        assert problem.path == "huge.txt" and "too large" in problem.reason


# --------------------------------------------------------------------------- whole folders


def test_an_empty_folder_and_a_folder_of_unsupported_files_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    unsupported = tmp_path / "unsupported"
    unsupported.mkdir()
    for name in ("scan.pdf", "photo.jpg", "notes.docx", "data.xml", ".hidden.txt", "README"):
        (unsupported / name).write_bytes(b"%PDF-1.4 binary")
    only_bad = tmp_path / "only-bad"
    only_bad.mkdir()
    (only_bad / "blob.txt").write_bytes(b"\x00\x01" * 100)
    with attempt("hostile input", 3):
        for folder, fragment in (
            (empty, "no articles found"),
            (unsupported, "supported: .txt"),
            (only_bad, "blob.txt: binary file"),
        ):
            with pytest.raises(CorpusError, match=fragment):
                Corpus.open(folder, index_dir=tmp_path / f"ix-{folder.name}")
            assert cli.main(["index", "--corpus", str(folder)]) == 2
            err = capsys.readouterr().err.splitlines()
            assert [line for line in err if line.startswith("reader:")] == err[-1:]
            assert err[-1].startswith("reader: error: ") and fragment in err[-1]


# --------------------------------------------------------------------------- metadata file

TOML_CASES = [
    ("syntax: missing value", '["a.txt"]\ntitle = \n', "sources.toml:2:"),
    ("syntax: unclosed table", '["a.txt"\ntitle = "x"\n', "sources.toml:1:"),
    ("syntax: unterminated string", '["a.txt"]\ntitle = "x\n', "sources.toml:2:"),
    ("syntax: duplicate key", '["a.txt"]\ntitle = "x"\ntitle = "y"\n', "sources.toml:3:"),
    ("syntax: bare equals", "= 1\n", "sources.toml:1:"),
    ("syntax: nested 10,000 deep", "a = " + "[" * 10_000 + "]" * 10_000, "nested too deeply"),
    ("syntax: inline tables 5,000 deep", "a = " + "{b=" * 5_000 + "1" + "}" * 5_000, "nested"),
    ("bytes: not UTF-8", b'["a.txt"]\ntitle = "Caf\xe9"\n', "not valid UTF-8"),
    ("bytes: NUL", b'["a.txt"]\ntitle = "a\x00b"\n', "sources.toml"),
    ("type: number title", '["a.txt"]\ntitle = 3\n', "title must be a string"),
    ("type: boolean outlet", '["a.txt"]\noutlet = true\n', "outlet must be a string"),
    ("type: list of numbers", '["a.txt"]\nauthor = [1, 2]\n', "author must be a string"),
    ("type: table url", '["a.txt"]\nurl = {a = 1}\n', "url must be a string"),
    ("type: top-level value", 'title = "x"\n', "must be a table"),
    ("type: outlet and source", '["a.txt"]\noutlet = "x"\nsource = "y"\n', "not both"),
    ("key: unknown", '["a.txt"]\nheadline = "x"\n', "unknown key 'headline'"),
    ("key: unquoted path", "[a.txt]\ntitle = 'x'\n", "quote it"),
    ("key: same file twice", '["a.txt"]\ntitle = "x"\n["./a.txt"]\ntitle = "y"\n', "twice"),
]


@pytest.mark.parametrize(("label", "document", "fragment"), TOML_CASES, ids=lambda x: str(x))
def test_a_broken_metadata_file_is_one_clear_error_naming_it(
    tmp_path: Path, label: str, document: str | bytes, fragment: str
) -> None:
    path = tmp_path / "sources.toml"
    raw = document.encode() if isinstance(document, str) else document
    path.write_bytes(raw)
    with attempt("hostile input"), pytest.raises(MetadataError) as error:
        read_metadata(tmp_path)
    message = str(error.value)
    assert str(path) in message and "\n" not in message
    assert fragment in message, (label, message)


def test_metadata_control_characters_become_spaces(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '["a.txt"]\ntitle = "Bad\\u001b]0;pwned\\u0007 title\\u009b31m"\noutlet = ["A\\u0000B"]\n'
    )
    with attempt("hostile input"):
        fields = read_metadata(tmp_path)["a.txt"]
        assert fields == {"title": "Bad ]0;pwned title 31m", "source": "A B"}


def test_cli_reports_a_broken_metadata_file_and_keeps_the_corpus_intact(
    corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus_copy / "sources.toml").write_text('["a\\u001b[2Jb.txt"]\ntitle = 1\n')
    with attempt("hostile input"):
        assert cli.main(["index", "--corpus", str(corpus_copy)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "sources.toml" in err and "title must be" in err
        assert_inert(err)


# --------------------------------------------------------------------------- properties

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=60,
)
CELL = st.one_of(
    TEXT,
    st.sampled_from(['"', '""', ",", "\n", "\r\n", "\r", '"a"b', " ", "x" * 50]),
)


def csv_field(text: str, quote: bool) -> str:
    """One CSV field as RFC 4180 writes it. (Python's csv.writer leaves a lone "\r" unquoted
    when the line terminator is "\n", which no reader can read back.)"""
    if quote or any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def load_bytes(root: Path, name: str, raw: bytes):
    path = root / name
    path.write_bytes(raw)
    return load_file(path, root)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=8),
    limit=st.sampled_from([40, 120, 5_000_000]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    quote_all=st.booleans(),
)
def test_csv_rows_load_exactly_or_are_reported_too_large(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows,
    limit: int,
    line_end: str,
    quote_all: bool,
) -> None:
    """Whatever the cells hold (quotes, commas, line breaks), a well-formed row loads as
    itself, or is reported as too large; a skipped row never shifts the rows after it. (The
    record limit is lowered so that multi-line fields cross it.)"""
    monkeypatch.setattr(decoding, "MAX_RECORD_CHARS", limit)
    lines = ["id,text"]
    for number, cells in enumerate(rows, 1):
        lines.append(f"r{number},{csv_field(''.join(cells), quote_all)}")
    with attempt("hostile input"):
        raw = line_end.join(lines).encode() + line_end.encode()
        records, problems = load_bytes(tmp_path, "rows.csv", raw)
        loaded = {record.fields.get("id"): record.text for record in records}
        too_large = [p for p in problems if "too large" in p.reason]
        for number, cells in enumerate(rows, 1):
            text = "".join(cells)
            key = f"r{number}"
            if key in loaded:
                assert loaded[key] == text.replace("\r\n", "\n").replace("\r", "\n")
            else:
                assert not text.strip() or too_large, (key, text, problems)
        assert all(p.reason for p in problems)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(alphabet="ab ,\"\r\n'\\x", max_size=300),
    cut=st.integers(min_value=0, max_value=400),
)
def test_any_csv_soup_loads_without_raising(tmp_path: Path, text: str, cut: int) -> None:
    with attempt("hostile input"):
        records, problems = load_bytes(tmp_path, "soup.csv", ("id,text\n" + text)[:cut].encode())
        check_loaded(Case("soup.csv", data(b"")), "soup.csv", records, problems)


ARTICLES = st.lists(
    st.fixed_dictionaries({"title": TEXT, "text": TEXT.filter(str.strip)}), min_size=1, max_size=5
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(articles=ARTICLES, cut=st.floats(min_value=0, max_value=1))
def test_truncated_json_and_json_lines_keep_every_complete_record(
    tmp_path: Path, articles: list[dict], cut: float
) -> None:
    """A download cut anywhere: JSON is one problem; JSON Lines keeps every complete line."""
    document = json.dumps(articles)
    lines = "".join(json.dumps(article) + "\n" for article in articles)
    with attempt("hostile input", 3):
        short = document[: int(len(document) * cut)]
        records, problems = load_bytes(tmp_path, "cut.json", short.encode())
        if short != document:
            assert not records and problems
        cut_at = int(len(lines) * cut)
        records, problems = load_bytes(tmp_path, "cut.jsonl", lines[:cut_at].encode())
        complete = lines[:cut_at].count("\n")
        assert len(records) >= complete - sum(not a["text"].strip() for a in articles)
        compressed = gzip.compress(lines.encode())
        stop = int(len(compressed) * cut)
        records, problems = load_bytes(tmp_path, "cut.jsonl.gz", compressed[:stop])
        if stop < len(compressed):
            assert problems


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    paragraphs=st.lists(st.text(alphabet="abc XYZ.", min_size=1, max_size=40), min_size=1),
    breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\r", "\r\n\r\n"]), min_size=1),
    junk=st.lists(st.binary(min_size=1, max_size=3), max_size=4),
)
def test_mixed_line_endings_and_stray_bytes_keep_the_words(
    tmp_path: Path, paragraphs: list[str], breaks: list[str], junk: list[bytes]
) -> None:
    text = "".join(p + breaks[i % len(breaks)] for i, p in enumerate(paragraphs))
    raw = text.encode()
    for piece in junk:  # stray bytes between paragraphs, as a bad copy-paste leaves them
        at = raw.find(b"\n")
        raw = raw[: at + 1] + piece.replace(b"\x00", b"") + raw[at + 1 :] if at >= 0 else raw
    with attempt("hostile input"):
        records, problems = load_bytes(tmp_path, "mixed.txt", raw)
        if records:
            assert "\r" not in records[0].text
            for paragraph in paragraphs:
                for word in paragraph.split():
                    assert word in records[0].text
        else:
            assert problems


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<a href='",
                "'>",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<script>",
                "</script>",
                "<",
                ">",
                "&",
                "&#",
                "&#x1b;",
                "<title>",
                "<h1>",
                "<meta content='x' property='og:title'>",
                "word ",
                "\n",
                "<![if x]>",
                "<?",
                "</",
                "<!DOCTYPE",
            ]
        ),
        max_size=40,
    )
)
def test_any_tag_soup_loads_without_raising(tmp_path: Path, pieces: list[str]) -> None:
    with attempt("hostile input"):
        records, problems = load_bytes(tmp_path, "soup.html", "".join(pieces).encode())
        check_loaded(Case("soup.html", data(b"")), "soup.html", records, problems)


TOML_PIECES = st.sampled_from(
    [
        '["a.txt"]\n',
        "[defaults]\n",
        "[a.txt]\n",
        'title = "x"\n',
        "title = 3\n",
        'outlet = "y"\n',
        'source = "z"\n',
        'author = ["a", "b"]\n',
        "author = [1]\n",
        "date = 2020-01-02\n",
        "date = 2020-13-45\n",
        'url = "http://x"\n',
        'unknown = "?"\n',
        '"a.txt" = 1\n',
        "= \n",
        "[\n",
        '"\n',
        "x = [[[[1]]]]\n",
        "x = {a = {b = 1}}\n",
        "\x00",
        "\ufeff",
        "# comment\n",
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(TOML_PIECES, max_size=12))
def test_any_metadata_file_reads_or_is_one_clear_error(tmp_path: Path, pieces: list[str]) -> None:
    (tmp_path / "sources.toml").write_text("".join(pieces), encoding="utf-8")
    with attempt("hostile input"):
        try:
            metadata = read_metadata(tmp_path)
        except MetadataError as error:
            assert "sources.toml" in str(error) and "\n" not in str(error)
        else:
            for fields in metadata.values():
                assert all(isinstance(value, str) for value in fields.values())


def test_the_catalogue_is_at_least_a_hundred_files() -> None:
    assert len(CASES) >= 100
    assert {case.expect for case in CASES} == {"skip", "load", "any"}
