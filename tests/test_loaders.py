"""Loading every supported format, and every way a file can be bad."""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import CorpusError
from index.ingest import decoding, loaders, records
from index.ingest import files as corpus_walk
from index.ingest.loaders import SUPPORTED_SUFFIXES, corpus_files, load_corpus, load_file

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def load(root: Path, name: str, content: str | bytes):
    return load_file(write(root, name, content), root)


# --------------------------------------------------------------------------- plain text


def test_text_file_is_one_article_keyed_by_its_relative_path(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "outlet/story.txt", "Headline\r\n\r\nFirst para.\rSecond.")
    assert problems == []
    [record] = records
    assert record.key == record.path == "outlet/story.txt"
    assert record.text == "Headline\n\nFirst para.\nSecond."
    assert record.fields == {}


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "a.txt", codecs.BOM_UTF8 + "Zoë said so.".encode())
    assert problems == []
    assert records[0].text == "Zoë said so."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "Café owners met on Tuesday.\r\nThey agreed.".encode(encoding)
    records, problems = load(tmp_path, "a.txt", data)
    assert problems == []
    assert records[0].text == "Café owners met on Tuesday.\nThey agreed."


def test_legacy_encoding_is_decoded_with_a_warning(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "a.txt", "“Quoted” – café".encode("cp1252"))
    assert records[0].text == "“Quoted” – café"
    [warning] = problems
    assert warning.warning is True
    assert warning.reason == "not valid UTF-8; decoded as cp1252"


def test_binary_file_is_a_problem(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert records == []
    assert [problem.reason for problem in problems] == ["binary file (not text)"]


@pytest.mark.parametrize("content", ["", "  \n\t\r\n  "])
def test_empty_article_is_a_problem(tmp_path: Path, content: str) -> None:
    records, problems = load(tmp_path, "a.txt", content)
    assert records == []
    assert [problem.reason for problem in problems] == ["empty article"]


def test_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(decoding, "MAX_FILE_BYTES", 100)
    records, problems = load(tmp_path, "big.txt", "word " * 100)
    assert records == []
    assert "file too large" in problems[0].reason


def test_unsupported_file_is_a_problem_when_asked_for_directly(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "notes.pdf", b"%PDF-1.4")
    assert records == []
    assert "unsupported file type" in problems[0].reason


def test_a_folder_named_like_an_article_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "odd.txt").mkdir()
    records, problems = load_file(tmp_path / "odd.txt", tmp_path)
    assert records == []
    assert len(problems) == 1


# --------------------------------------------------------------------------- markdown


def test_markdown_markup_is_removed_and_the_heading_is_the_title(tmp_path: Path) -> None:
    text = (
        "# Council approves *new* budget\n\n"
        "![a chart](chart.png)\n"
        "The **council** voted [on Monday](https://example.org/vote) to pass_the_budget.\n\n"
        "## Reaction\n\n"
        "> It is _overdue_, said the mayor.\n\n"
        "---\n"
        "Costs rose 3 * 4 percent.\n"
    )
    [record], problems = load(tmp_path, "budget.md", text)
    assert problems == []
    assert record.fields["title"] == "Council approves new budget"
    assert record.text.splitlines() == [
        "Council approves new budget",
        "",
        "",
        "The council voted on Monday to pass_the_budget.",
        "",
        "Reaction",
        "",
        "It is overdue, said the mayor.",
        "",
        "",
        "Costs rose 3 * 4 percent.",
    ]


def test_markdown_front_matter_gives_fields(tmp_path: Path) -> None:
    text = '---\ntitle: "Storm hits coast"\nauthor: Ana Ruiz\ndate: 2021-03-04\n---\nBody text.\n'
    [record], _ = load(tmp_path, "storm.md", text)
    assert record.fields == {
        "title": "Storm hits coast",
        "author": "Ana Ruiz",
        "date": "2021-03-04",
    }
    assert record.text.strip() == "Body text."


# --------------------------------------------------------------------------- html

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Bridge reopens | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2019-05-06T08:00:00Z">
<meta name="author" content="Sam Lee">
<link rel="canonical" href="https://example.org/bridge">
<style>p { color: red; }</style>
<script>var tracking = "do not show";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article>
<h1>Bridge reopens after &amp; repairs</h1>
<p>The bridge reopened on <b>Monday</b>,
   two years after it closed.</p>
<p>Drivers&nbsp;cheered.<br>Some honked.</p>
<ul><li>First item</li><li>Second item</li></ul>
<aside>Related: other stories</aside>
<form><input name="q"><button>Search</button></form>
</article>
<noscript>Enable JavaScript</noscript>
<footer>© The Daily Example. Subscribe now.</footer>
<svg><text>logo</text></svg>
</body></html>"""


def test_html_keeps_visible_text_with_paragraphs_and_drops_chrome(tmp_path: Path) -> None:
    [record], problems = load(tmp_path, "bridge.html", PAGE)
    assert problems == []
    assert record.text == (
        "Bridge reopens after & repairs\n\n"
        "The bridge reopened on Monday, two years after it closed.\n\n"
        "Drivers\xa0cheered.\nSome honked.\n\n"
        "First item\nSecond item"
    )
    for chrome in ("tracking", "Home", "Related", "Search", "JavaScript", "Subscribe", "logo"):
        assert chrome not in record.text


def test_html_metadata_fields(tmp_path: Path) -> None:
    [record], _ = load(tmp_path, "bridge.htm", PAGE)
    assert record.fields == {
        "title": "Bridge reopens after & repairs",
        "source": "The Daily Example",
        "author": "Sam Lee",
        "date": "2019-05-06T08:00:00Z",
        "url": "https://example.org/bridge",
    }


def test_html_title_element_is_used_without_h1(tmp_path: Path) -> None:
    page = "<html><head><title>Only a title</title></head><body><p>Text.</p></body></html>"
    [record], _ = load(tmp_path, "a.html", page)
    assert record.fields["title"] == "Only a title"
    assert record.text == "Text."


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = '<meta charset="iso-8859-1"><p>Jos\xe9 said \xabno\xbb.</p>'.encode("latin-1")
    [record], problems = load(tmp_path, "a.html", page)
    assert problems == []
    assert record.text == "José said «no»."


def test_html_that_is_only_chrome_is_an_empty_article(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "a.html", "<nav>Home</nav><script>x()</script>")
    assert records == []
    assert [problem.reason for problem in problems] == ["empty article"]


# --------------------------------------------------------------------------- json


def test_json_object_is_one_article_with_normalised_fields(tmp_path: Path) -> None:
    article = {
        "Headline": "  Rates rise  ",
        "body": "Line one.\r\nLine two.",
        "publisher": {"name": "Example Wire", "url": "https://wire.example"},
        "authors": ["Ana Ruiz", {"name": "Bo Chen"}, "", None],
        "published_at": "2020-01-02",
        "link": "https://wire.example/rates",
        "id": 42,
        "views": 1000,
    }
    [record], problems = load(tmp_path, "rates.json", json.dumps(article))
    assert problems == []
    assert record.key == "rates.json"
    assert record.text == "Line one.\nLine two."
    assert record.fields == {
        "title": "Rates rise",
        "source": "Example Wire",
        "author": "Ana Ruiz, Bo Chen",
        "date": "2020-01-02",
        "url": "https://wire.example/rates",
        "id": "42",
    }


def test_json_list_keys_records_by_id_or_position(tmp_path: Path) -> None:
    articles = [
        {"id": "a1", "text": "First."},
        {"text": "Second, no id."},
        {"id": "dup", "text": "Third."},
        {"id": "dup", "text": "Fourth."},
        {"title": "no text here"},
        "not an object",
        {"text": "   "},
    ]
    records, problems = load(tmp_path, "feed.json", json.dumps(articles))
    assert [record.key for record in records] == [
        "feed.json#a1",
        "feed.json#2",
        "feed.json#3",
        "feed.json#4",
    ]
    assert all(record.path == "feed.json" for record in records)
    assert [problem.reason for problem in problems] == [
        "record 5: no text field (expected one of: text, body, content, articlebody)",
        "record 6: not a JSON object",
        "record 7: empty article",
    ]


def test_json_articles_wrapper(tmp_path: Path) -> None:
    document = {"articles": [{"text": "One."}, {"content": "Two."}]}
    records, problems = load(tmp_path, "export.json", json.dumps(document))
    assert problems == []
    assert [record.text for record in records] == ["One.", "Two."]


def test_invalid_json_reports_its_line(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "bad.json", '{\n  "text": "x",\n  oops\n}')
    assert records == []
    [problem] = problems
    assert problem.line == 3
    assert problem.reason.startswith("invalid JSON: ")


def test_deeply_nested_json_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert records == []
    assert problems[0].reason.startswith("invalid JSON")


# --------------------------------------------------------------------------- json lines


JSONL = (
    '{"id": "x1", "text": "Alpha.", "source": "Wire"}\n'
    "\n"
    '{"text": "Beta."\n'
    '{"text": "Gamma.", "outlet": "Daily"}\r\n'
    "[1, 2]\n"
    '{"text": ""}\n'
)


def check_jsonl(records, problems, name: str) -> None:
    assert [(record.key, record.text, record.fields) for record in records] == [
        (f"{name}#x1", "Alpha.", {"source": "Wire", "id": "x1"}),
        (f"{name}#3", "Gamma.", {"source": "Daily"}),
    ]
    assert [(problem.line, problem.reason.split(":")[0]) for problem in problems] == [
        (3, "invalid JSON"),
        (5, "not a JSON object"),
        (6, "empty article"),
    ]


def test_jsonl_loads_good_lines_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "feed.jsonl", JSONL)
    check_jsonl(records, problems, "feed.jsonl")


def test_jsonl_gz_is_read_the_same_way(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "feed.jsonl.gz", gzip.compress(JSONL.encode()))
    check_jsonl(records, problems, "feed.jsonl.gz")


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Article number {n}. " * 50}) + "\n" for n in range(200))
    data = gzip.compress(lines.encode())
    records, problems = load(tmp_path, "cut.jsonl.gz", data[: len(data) // 2])
    assert 0 < len(records) < 200
    assert records[0].text.startswith("Article number 0.")
    assert "corrupt or truncated gzip" in problems[-1].reason


def test_not_gzip_at_all_is_a_problem(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "fake.jsonl.gz", b'{"text": "plain"}\n')
    assert records == []
    assert [problem.reason for problem in problems] == ["not a gzip file"]


def test_jsonl_record_over_the_limit_is_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(decoding, "MAX_RECORD_CHARS", 200)
    content = (
        json.dumps({"text": "short"})
        + "\n"
        + json.dumps({"text": "x" * 1000})
        + "\n"
        + json.dumps({"text": "after"})
        + "\n"
    )
    records, problems = load(tmp_path, "feed.jsonl", content)
    assert [record.text for record in records] == ["short", "after"]
    assert [record.key for record in records] == ["feed.jsonl#1", "feed.jsonl#3"]
    assert [(problem.line, "too large" in problem.reason) for problem in problems] == [(2, True)]


def test_jsonl_line_in_a_legacy_encoding_is_decoded_with_a_warning(tmp_path: Path) -> None:
    good = json.dumps({"text": "fine"}, ensure_ascii=False).encode()
    legacy = json.dumps({"text": "caf\u00e9"}, ensure_ascii=False).encode("cp1252")
    records, problems = load(tmp_path, "feed.jsonl", good + b"\n" + legacy + b"\n")
    assert [record.text for record in records] == ["fine", "café"]
    assert [(problem.line, problem.warning) for problem in problems] == [(2, True)]


def test_lone_surrogate_escapes_become_replacement_characters(tmp_path: Path) -> None:
    [record], problems = load(
        tmp_path, "a.jsonl", '{"text": "bad \\ud800 half", "title": "\\udfff"}\n'
    )
    assert problems == []
    assert record.text == "bad \ufffd half"
    assert record.fields == {"title": "\ufffd"}


def test_empty_jsonl_file_is_a_problem(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "feed.jsonl", "\n\n")
    assert records == []
    assert len(problems) == 1


# --------------------------------------------------------------------------- csv


def test_fake_news_dataset_layout_loads(tmp_path: Path) -> None:
    long_text = "A very long article body. " * 10_000  # over csv's default field limit
    rows = [
        "id,title,author,text,label",
        '0,"Storm, then calm",Ana Ruiz,"First paragraph.\n\nSecond ""quoted"" paragraph.",1',
        f"1,Long one,,{long_text},0",
        "2,Broken row,Bo Chen,too,many,fields",
        "3,No text,Cy Dee,,1",
        "4,Last,Di Eve,Last body.,0",
    ]
    records, problems = load(tmp_path, "fake.csv", "\r\n".join(rows) + "\r\n")
    assert [record.key for record in records] == ["fake.csv#0", "fake.csv#1", "fake.csv#4"]
    first = records[0]
    assert first.text == 'First paragraph.\n\nSecond "quoted" paragraph.'
    assert first.fields == {"title": "Storm, then calm", "author": "Ana Ruiz", "id": "0"}
    assert records[1].text == long_text
    assert "label" not in first.fields
    assert [(problem.line, problem.reason) for problem in problems] == [
        (6, "row has 6 fields but the header has 5"),
        (7, "empty article"),
    ]


def test_csv_text_column_names_are_case_insensitive(tmp_path: Path) -> None:
    [record], problems = load(tmp_path, "a.csv", "Headline,Body\nTitle here,Body here\n")
    assert problems == []
    assert record.key == "a.csv#1"
    assert (record.text, record.fields) == ("Body here", {"title": "Title here"})


def test_csv_without_a_text_column_is_a_problem(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "a.csv", "name,value\nx,1\n")
    assert records == []
    assert problems[0].line == 1
    assert "no text column" in problems[0].reason


def test_csv_field_over_the_limit_is_reported_and_the_rest_loads(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(decoding, "MAX_RECORD_CHARS", 500)
    content = f"id,text\n1,before\n2,{'y' * 2000}\n3,after\n"
    records, problems = load(tmp_path, "a.csv", content)
    assert [record.text for record in records] == ["before", "after"]
    assert [problem.line for problem in problems] == [3]


def test_csv_header_only_is_a_problem(tmp_path: Path) -> None:
    records, problems = load(tmp_path, "a.csv", "id,text\n")
    assert records == []
    assert len(problems) == 1


# --------------------------------------------------------------------------- finding files


def make_tree(root: Path) -> None:
    write(root, "a.txt", "A.")
    write(root, "b/c.md", "C.")
    write(root, "b/d/e.json", '{"text": "E."}')
    write(root, "b/notes.pdf", b"%PDF")
    write(root, "sources.toml", '["a.txt"]\noutlet = "X"\n')
    write(root, ".git/config.txt", "hidden")
    write(root, ".hidden.txt", "hidden")
    write(root, ".venv/lib/site.txt", "hidden")
    write(root, "Z.csv", "text\nZ.\n")


def test_corpus_files_are_sorted_and_skip_hidden_unsupported_and_metadata(tmp_path: Path) -> None:
    make_tree(tmp_path)
    files, problems = corpus_files(tmp_path)
    assert problems == []
    assert [path.relative_to(tmp_path).as_posix() for path in files] == [
        "Z.csv",
        "a.txt",
        "b/c.md",
        "b/d/e.json",
    ]


def test_corpus_files_survive_symlink_loops_and_skip_repeated_files(tmp_path: Path) -> None:
    make_tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "b" / "d" / "loop")  # a link back to the root
    os.symlink(tmp_path / "b", tmp_path / "b" / "d" / "up")  # a link to an ancestor
    os.symlink(tmp_path / "a.txt", tmp_path / "same-as-a.txt")
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
    files, problems = corpus_files(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in files] == [
        "Z.csv",
        "a.txt",
        "b/c.md",
        "b/d/e.json",
    ]
    assert [(problem.path, problem.reason) for problem in problems] == [
        ("broken.txt", "broken link"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_and_folder_are_problems(tmp_path: Path) -> None:
    write(tmp_path, "ok.txt", "Fine.")
    locked = write(tmp_path, "locked.txt", "Secret.")
    write(tmp_path, "closed/inner.txt", "Inner.")
    locked.chmod(0)
    (tmp_path / "closed").chmod(0)
    try:
        files, problems = corpus_files(tmp_path)
        assert [path.name for path in files] == ["ok.txt"]
        assert sorted(problem.path for problem in problems) == ["closed", "locked.txt"]
    finally:
        (tmp_path / "closed").chmod(0o755)
        locked.chmod(0o644)


def test_denied_file_and_folder_are_problems_even_when_running_as_root(
    tmp_path: Path, monkeypatch
) -> None:
    write(tmp_path, "ok.txt", "Fine.")
    write(tmp_path, "locked.txt", "Secret.")
    write(tmp_path, "closed/inner.txt", "Inner.")
    real_access, real_scandir = os.access, os.scandir

    def access(path, mode) -> bool:
        return Path(path).name != "locked.txt" and real_access(path, mode)

    def scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(corpus_walk.os, "access", access)
    monkeypatch.setattr(corpus_walk.os, "scandir", scandir)
    files, problems = corpus_files(tmp_path)
    assert [path.name for path in files] == ["ok.txt"]
    assert [(problem.path, problem.reason) for problem in problems] == [
        ("locked.txt", "cannot read: permission denied"),
        ("closed", "cannot open folder: permission denied"),
    ]


def test_permission_error_while_reading_is_a_problem(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "a.txt", "Text.")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(decoding, "open", denied, raising=False)
    records, problems = load_file(path, tmp_path)
    assert records == []
    assert [problem.reason for problem in problems] == ["cannot read: permission denied"]


def test_load_corpus_collects_records_and_problems(tmp_path: Path) -> None:
    make_tree(tmp_path)
    write(tmp_path, "empty.txt", "")
    records, problems = load_corpus(tmp_path)
    assert [record.key for record in records] == ["Z.csv#1", "a.txt", "b/c.md", "b/d/e.json"]
    assert [(problem.path, problem.reason) for problem in problems] == [
        ("empty.txt", "empty article")
    ]


def test_sample_corpus_loads_cleanly() -> None:
    records, problems = load_corpus(SAMPLE_CORPUS)
    assert problems == []
    assert len(records) == 5
    assert all(record.key.endswith(".txt") for record in records)


def test_load_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found: .*missing"):
        load_corpus(tmp_path / "missing")
    write(tmp_path, "file.txt", "x")
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "file.txt")
    empty = tmp_path / "empty"
    write(empty, "notes.pdf", b"%PDF")
    with pytest.raises(CorpusError, match=r"no articles found in .*empty \(supported: \.txt"):
        load_corpus(empty)
    write(empty, "blank.txt", " ")
    with pytest.raises(CorpusError, match="blank.txt: empty article"):
        load_corpus(empty)


# --------------------------------------------------------------------------- properties

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "body", "Title", "source", "authors", "id", "x"]) | st.text(),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def check_result(result) -> None:
    records, problems = result
    assert isinstance(records, list) and isinstance(problems, list)
    for record in records:
        assert record.text.strip()
        record.text.encode("utf-8")  # no lone surrogates: the text can be written out
        assert "\r" not in record.text
        assert all(isinstance(value, str) and value for value in record.fields.values())
    keys = [record.key for record in records]
    assert len(keys) == len(set(keys))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    check_result(load(tmp_path, "random" + suffix, data))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_random_json_never_raises(tmp_path: Path, value) -> None:
    text = json.dumps(value)
    check_result(load(tmp_path, "random.json", text))
    check_result(load(tmp_path, "random.jsonl", text + "\n" + text))
    check_result(load(tmp_path, "random.jsonl.gz", gzip.compress(text.encode())))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300),
    suffix=st.sampled_from([".txt", ".md", ".html", ".csv"]),
)
def test_random_text_never_raises(tmp_path: Path, text: str, suffix: str) -> None:
    check_result(load(tmp_path, "random" + suffix, text))


# --------------------------------------------------------------------------- iter_texts


def test_iter_texts_are_load_file_texts_read_lazily(tmp_path: Path) -> None:
    """The sentence model trains on the first articles of a file as `iter_texts` reads them:
    the same texts, in the same order, as `load_file` gives, damaged lines skipped alike."""
    lines = [json.dumps({"id": f"n{n}", "text": f"Story {n}.\nIt went on."}) for n in range(50)]
    lines[3] = "{broken"
    lines[7] = json.dumps({"title": "no text"})
    lines[9] = json.dumps(["not", "an", "object"])
    lines[11] = json.dumps({"text": ["a list", "of paragraphs"]})
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    truncated = (tmp_path / "feed.jsonl.gz").read_bytes()
    (tmp_path / "cut.jsonl.gz").write_bytes(truncated[: len(truncated) // 2])
    (tmp_path / "note.md").write_text("# Title\n\nSome text.\n", encoding="utf-8")
    (tmp_path / "fake.jsonl.gz").write_text("not gzip at all\n", encoding="utf-8")
    for name in ("feed.jsonl", "feed.jsonl.gz", "cut.jsonl.gz", "note.md", "fake.jsonl.gz"):
        records, _ = load_file(tmp_path / name, tmp_path)
        assert list(loaders.iter_texts(tmp_path / name, tmp_path)) == [r.text for r in records]
    texts = loaders.iter_texts(tmp_path / "feed.jsonl.gz", tmp_path)
    assert next(texts) == "Story 0.\nIt went on."  # nothing more needs to be read


def test_a_partial_load_gives_what_load_file_gives(tmp_path: Path) -> None:
    """A build reads files while its sentence model trains and may stop mid-file; reading
    on later gives exactly `load_file`'s records and problems, keys and all."""
    lines = [json.dumps({"id": f"n{n % 40}", "text": f"Story {n}."}) for n in range(120)]
    lines[5] = "{broken"
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    (tmp_path / "fake.jsonl.gz").write_text("not gzip\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "note.txt").write_text("One article.\n", encoding="utf-8")
    (tmp_path / "folder.jsonl").mkdir()
    names = ["feed.jsonl", "feed.jsonl.gz", "fake.jsonl.gz", "empty.jsonl", "note.txt"]
    for name in [*names, "folder.jsonl", "missing.jsonl"]:
        expected = load_file(tmp_path / name, tmp_path)
        for step in (1, 7, 1000):
            reader = loaders.PartialLoad(tmp_path / name, tmp_path)
            reader.step(step)
            assert reader.result() == expected, (name, step)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\ud800", "\udfff", "😀", " ", "\u2019"])).map("".join))
def test_lone_surrogates_are_replaced_and_nothing_else(text: str) -> None:
    import re

    assert records._without_surrogates(text) == re.sub("[\ud800-\udfff]", "\ufffd", text)
