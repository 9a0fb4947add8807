"""The corpus metadata file and the precedence of an article's fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.articles import Record
from index.errors import MetadataError
from index.ingest.metadata import METADATA_FILE, read_metadata, resolve_fields, source_from_path

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def write_metadata(root: Path, text: str) -> Path:
    path = root / METADATA_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_corpus_metadata_maps_outlet_to_source() -> None:
    metadata = read_metadata(SAMPLE_CORPUS)
    assert metadata["bloomberg-calexit-leader.txt"] == {"source": "Bloomberg"}
    assert metadata["cbs-los-angeles-embassy-moscow.txt"] == {
        "source": "CBS Los Angeles",
        "title": "Pro-Secession Group Opens California 'Embassy' In Moscow",
    }
    assert len(metadata) == 5


def test_no_metadata_file_is_no_metadata(tmp_path: Path) -> None:
    assert read_metadata(tmp_path) == {}


def test_values_are_normalised(tmp_path: Path) -> None:
    write_metadata(
        tmp_path,
        "[defaults]\n"
        'source = "Example Wire"\n'
        '["./politics\\\\budget.txt"]\n'
        "date = 2020-01-02\n"
        'author = ["Ana Ruiz", "Bo Chen"]\n'
        'title = "  Budget \\t passes "\n'
        'url = ""\n',
    )
    metadata = read_metadata(tmp_path)
    assert metadata == {
        "defaults": {"source": "Example Wire"},
        "politics/budget.txt": {
            "date": "2020-01-02",
            "author": "Ana Ruiz, Bo Chen",
            "title": "Budget passes",
        },
    }


def test_invalid_toml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write_metadata(tmp_path, '["a.txt"]\noutlet = "X"\ntitle = "unterminated\n')
    with pytest.raises(MetadataError) as error:
        read_metadata(tmp_path)
    message = str(error.value)
    assert message.startswith(f"{path}:3:22: ")  # the line break ends the string
    assert "\n" not in message
    assert "(at line" not in message


def test_error_at_end_of_document_still_has_a_position(tmp_path: Path) -> None:
    path = write_metadata(tmp_path, '["a.txt"]\noutlet = ')
    with pytest.raises(MetadataError, match=rf"^{path}:2:10: Invalid value at end of file$"):
        read_metadata(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('["a.txt"]\npublisher = "X"\n', r'\["a\.txt"\]: unknown key \'publisher\' \(allowed: '),
        ('["a.txt"]\ntitle = 3\n', r'\["a\.txt"\]: title must be a string$'),
        ('["a.txt"]\nauthor = [1, 2]\n', r"author must be a string, a list of strings$"),
        ('outlet = "X"\n', r"top-level key 'outlet' must be a table"),
        ('[story.txt]\noutlet = "X"\n', r"\[story\.txt\] looks like a file path; quote it: "),
        ('["a.txt"]\noutlet = "X"\nsource = "Y"\n', r"give either outlet or source, not both"),
    ],
)
def test_wrong_keys_and_types_are_one_line_errors(tmp_path: Path, text: str, expected: str) -> None:
    write_metadata(tmp_path, text)
    with pytest.raises(MetadataError, match=expected) as error:
        read_metadata(tmp_path)
    assert str(error.value).startswith(str(tmp_path / METADATA_FILE))
    assert "\n" not in str(error.value)


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / METADATA_FILE).write_bytes('["a.txt"]\noutlet = "Café"\n'.encode("cp1252"))
    with pytest.raises(MetadataError, match="not valid UTF-8"):
        read_metadata(tmp_path)


def record(key: str = "feed.jsonl#7", path: str = "feed.jsonl", **fields: str) -> Record:
    return Record(key=key, path=path, text="Text.", fields=dict(fields))


def test_metadata_file_beats_record_fields_beats_defaults_beats_inferred() -> None:
    metadata = {
        "defaults": {"source": "Default Outlet", "author": "Desk", "date": "2000-01-01"},
        "feed.jsonl": {"source": "File Outlet"},
    }
    inferred = {"title": "Inferred title", "source": "feed", "date": "1999", "url": "guess"}
    fields = resolve_fields(record(title="Record title", date="2021-05-05"), metadata, inferred)
    assert fields == {
        "title": "Record title",  # record > inferred
        "source": "File Outlet",  # metadata entry > defaults > inferred
        "date": "2021-05-05",  # record > defaults
        "author": "Desk",  # defaults > nothing
        "url": "guess",  # inferred fills what nobody else gives
    }


def test_entry_for_one_record_beats_entry_for_its_file() -> None:
    metadata = {
        "feed.jsonl": {"source": "File Outlet", "title": "File title"},
        "feed.jsonl#7": {"title": "Record seven"},
    }
    fields = resolve_fields(record(), metadata, {})
    assert fields == {"source": "File Outlet", "title": "Record seven"}
    other = resolve_fields(record(key="feed.jsonl#8"), metadata, {})
    assert other == {"source": "File Outlet", "title": "File title"}


def test_missing_fields_stay_missing() -> None:
    fields = resolve_fields(record(key="a.txt", path="a.txt"), {}, {"title": ""})
    assert fields == {}


def test_sample_corpus_fields_resolve() -> None:
    metadata = read_metadata(SAMPLE_CORPUS)
    path = "breitbart-russia-putin-back-secession.txt"
    fields = resolve_fields(
        record(key=path, path=path), metadata, {"source": source_from_path(path)}
    )
    assert fields == {
        "source": "Breitbart",
        "title": "Report: Russia, Putin Back Left-Wing California Secession Movement",
    }


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("cnn/2020-01-02-story.txt", "cnn"),
        ("cnn/2020/01/story.txt", "cnn"),
        ("reuters.jsonl.gz", "reuters"),
        ("reuters.jsonl.gz#17", "reuters"),
        ("./wire/a.md", "wire"),
        ("story.txt", "story"),
    ],
)
def test_source_from_path(path: str, source: str) -> None:
    assert source_from_path(path) == source
