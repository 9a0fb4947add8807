"""`reader` as a user runs it: output, JSON schema, exit codes, and the corpus left untouched."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROME = (
    "Watch CBS News",
    "browser notifications",
    "Chrome Safari",
    "App Open",
    "having issues with commenting",
    "Join the conversation",
    "Donations tax deductible",
    "Pedroncelli",
    "Illustration:",
    "National Security,",  # the dataset copy's trailing tag list
)


def reader_command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def run_reader(*args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*reader_command(), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        input=input_text,
        env={k: v for k, v in os.environ.items() if k != "NO_COLOR"},
        timeout=300,
    )


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def marinelli() -> dict:
    done = run_reader("ask", "Where does Marinelli live?", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ask_shows_every_source_once(marinelli: dict) -> None:
    names = [s["source"] for s in marinelli["sources"]]
    assert sorted(names) == ["Bloomberg", "Breitbart", "CBS Los Angeles", "blog"]
    assert all(s["passages"] for s in marinelli["sources"])


def test_ask_finds_the_disagreeing_passages(marinelli: dict) -> None:
    by_source = {s["source"]: s for s in marinelli["sources"]}
    assert any("Yekaterinburg" in p["text"] for p in by_source["Bloomberg"]["passages"])
    assert any("San Diego resident" in p["text"] for p in by_source["blog"]["passages"])


def test_ask_shows_no_site_chrome(marinelli: dict) -> None:
    text = json.dumps(marinelli, ensure_ascii=False)
    for chrome in CHROME:
        assert chrome not in text
    human = run_reader("ask", "Where does Marinelli live?", "--passages", "10").stdout
    for chrome in CHROME:
        assert chrome not in human


def test_json_schema(marinelli: dict) -> None:
    assert marinelli["question"] == "Where does Marinelli live?"
    for source in marinelli["sources"]:
        assert set(source) >= {"source", "articles", "passages"}
        for article in source["articles"]:
            assert set(article) == {"id", "title", "url", "date"}
        passages = source["passages"]
        answer = source.get("answer")
        if answer and passages:  # the passage holding the answer is shown first
            first = passages[0]
            assert (first["article"], first["paragraph"]) == (
                answer["article"],
                answer["paragraph"],
            )
            passages = passages[1:]
        scores = [p["score"] for p in passages]
        assert scores == sorted(scores, reverse=True)
        for passage in source["passages"]:
            assert set(passage) == {"article", "paragraph", "score", "text", "terms"}
            assert isinstance(passage["paragraph"], int)
            for start, end in passage["terms"]:
                word = passage["text"][start:end].casefold()
                assert word.startswith(("marinelli", "liv")), word
    best = [max(p["score"] for p in s["passages"]) for s in marinelli["sources"] if s["passages"]]
    assert best == sorted(best, reverse=True)  # sources ordered by their best passage


def test_bundled_metadata_is_used(marinelli: dict) -> None:
    by_source = {s["source"]: s for s in marinelli["sources"]}
    titles = {a["title"] for a in by_source["CBS Los Angeles"]["articles"]}
    assert titles == {"Pro-Secession Group Opens California 'Embassy' In Moscow"}
    for source in marinelli["sources"]:
        for article in source["articles"]:
            assert article["date"] is None and article["url"] is None  # never invented


def test_human_output_is_plain_when_piped() -> None:
    done = run_reader("ask", "Where does Marinelli live?")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "Bloomberg" in done.stdout and "San Diego" in done.stdout


def test_passages_and_sources_limits() -> None:
    done = run_reader(
        "ask", "Where does Marinelli live?", "--json", "--passages", "1", "--sources", "2"
    )
    result = json.loads(done.stdout)
    assert len(result["sources"]) == 2
    assert all(len(s["passages"]) == 1 for s in result["sources"])


def test_questions_file_gives_json_lines(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("Where does Marinelli live?\n\nthe of and\nWho founded Yes California?\n")
    done = run_reader("ask", "--questions", str(questions))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in lines] == [
        "Where does Marinelli live?",
        "the of and",
        "Who founded Yes California?",
    ]
    assert "error" in lines[1] and lines[0]["sources"] and lines[2]["sources"]


def assert_clean_error(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_corpus(tmp_path: Path) -> None:
    assert_clean_error(run_reader("ask", "x y", "--corpus", str(tmp_path / "nope")), "not found")


def test_empty_corpus(tmp_path: Path) -> None:
    assert_clean_error(run_reader("index", "--corpus", str(tmp_path)), "no articles")


def test_invalid_metadata_toml(corpus_copy: Path) -> None:
    (corpus_copy / "sources.toml").write_text('["a.txt"]\noutlet = "x"\ntitle = \n')
    assert_clean_error(run_reader("index", "--corpus", str(corpus_copy)), "sources.toml:3:")


@pytest.mark.parametrize("question", ["", "   ", "the of and?", "?!"])
def test_empty_or_stopword_question(question: str) -> None:
    assert_clean_error(run_reader("ask", question), "question")


def test_index_reports_skips_and_duplicates(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "blob.txt").write_bytes(b"\x00\x01binary\x00" * 100)
    with gzip.open(corpus_copy / "more.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(
            json.dumps({"text": "A wire story about tariffs and trade talks.", "source": "Wire"})
            + "\n"
        )
        out.write("{not json\n")
    (corpus_copy / "latin1.txt").write_bytes(
        "Caf\xe9 owners in Z\xfcrich protest.".encode("latin-1")
    )
    done = run_reader("index", "--corpus", str(corpus_copy), "--index", str(tmp_path / "ix"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "6 articles" in out or "7 articles" in out
    assert "duplicate groups: 1" in out
    assert "breitbart-russia-putin-back-secession-dataset-copy.txt" in out
    assert "blob.txt" in out and "binary" in out
    assert "more.jsonl.gz:2" in out
    assert "latin1.txt" in out  # decoded with a fallback, and said so
    again = run_reader("index", "--corpus", str(corpus_copy), "--index", str(tmp_path / "ix"))
    assert "up to date" in again.stdout


def test_sources_and_read() -> None:
    sources = run_reader("sources")
    assert sources.returncode == 0
    assert sources.stdout.count("Breitbart (1 article)") == 1
    assert "dataset-copy" in sources.stdout  # listed as a copy of the shown article
    read = run_reader("read", "cbs-los-angeles", "--paragraph", "1")
    assert read.returncode == 0, read.stderr
    assert "Pro-Secession Group Opens" in read.stdout
    assert "  1  " in read.stdout and "  2  " not in read.stdout
    assert_clean_error(run_reader("read", "no-such-article"), "no article")
    assert_clean_error(run_reader("read", "cbs-los-angeles", "--paragraph", "999"), "paragraph")


def test_no_command_writes_inside_the_corpus(corpus_copy: Path, tmp_path: Path) -> None:
    before = tree_digest(corpus_copy)
    common = ["--corpus", str(corpus_copy)]
    for args in (
        ["index", *common],
        ["ask", "Where does Marinelli live?", *common],
        ["ask", "Where does Marinelli live?", "--json", *common],
        ["sources", *common],
        ["read", "blog", *common],
        ["index", "--rebuild", *common],
    ):
        assert run_reader(*args).returncode == 0
    assert tree_digest(corpus_copy) == before
    inside = run_reader("index", *common, "--index", str(corpus_copy / "ix"))
    assert_clean_error(inside, "inside the corpus")
    assert tree_digest(corpus_copy) == before


def test_no_arguments_outside_a_terminal_points_to_ask() -> None:
    done = run_reader()
    assert_clean_error(done, "reader ask")


def test_installed_wheel_has_the_bundled_corpus(tmp_path: Path) -> None:
    """The bundled corpus works from a wheel install, not only from a checkout."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    for name in ("index", "reader", "corpus"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "w"), str(src)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "w").glob("*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run(
        [sys.executable, "-m", "reader.cli", "ask", "Where does Marinelli live?", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["sources"]) == 4
    located = subprocess.run(
        [sys.executable, "-c", "import reader.cli as c; print(c.bundled_corpus())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert located.stdout.strip().startswith(str(tmp_path / "site"))


@pytest.mark.parametrize(
    "argv",
    [
        ["--index", "ix", "--corpus", "c", "ask", "q"],
        ["ask", "--index", "ix", "--corpus", "c", "q"],
        ["--corpus", "c", "ask", "--index", "ix", "q"],
        ["--index", "ix", "--corpus", "c", "index"],
    ],
)
def test_corpus_options_before_or_after_the_command(argv: list[str]) -> None:
    from reader.cli import build_parser

    args = build_parser().parse_args(argv)
    assert (args.index, args.corpus) == ("ix", Path("c"))  # a folder, or a cluster index name
    assert args.k1 is None


def test_corpus_options_default_to_none_with_and_without_a_command() -> None:
    from reader.cli import build_parser

    for argv in ([], ["ask", "q"], ["sources"]):
        args = build_parser().parse_args(argv)
        assert (args.index, args.corpus, args.k1, args.b, args.epsilon) == (None,) * 5


def test_the_config_file_is_read_once_and_handed_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.tui
    from reader import cli, config

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "reader" / "config.toml"
    path.parent.mkdir()
    path.write_text('theme = "nord"\n[keys]\nlibrary = "L"\n[bm25]\nk1 = 1.5\nb = 0.5\n')
    reads: list[str] = []
    real_loads = config.tomllib.loads

    def loads(text: str) -> dict:
        reads.append(text)
        return real_loads(text)

    handed: dict = {}

    def run_tui(root: Path, settings: config.Settings, **kwargs: object) -> int:
        handed.update(kwargs, root=root, settings=settings)
        return 0

    monkeypatch.setattr(config.tomllib, "loads", loads)
    monkeypatch.setattr(reader.tui, "run_tui", run_tui)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["--k1", "2.0"]) == 0
    assert len(reads) == 1
    settings = handed["settings"]
    assert (settings.path, settings.theme, settings.keys) == (path, "nord", {"library": "L"})
    params = handed["params"]
    assert (params.k1, params.b, params.epsilon) == (2.0, 0.5, 0.25)  # the command line wins


def test_a_bad_config_file_is_a_one_line_error_for_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "reader" / "config.toml"
    path.parent.mkdir()
    path.write_text('[bm25]\nk1 = "high"\n')
    done = run_reader("ask", "Where does Marinelli live?")
    assert done.returncode == 2
    assert done.stderr == f"reader: error: {path}: bm25.k1 must be a number\n"


@pytest.mark.parametrize(
    ("backend", "message"),
    [
        ('type = "solr"', 'backend.type must be "local" or "opensearch"'),
        ("shards = true", "backend.shards must be a whole number"),
        ('colour = "red"', "unknown setting backend.colour"),
    ],
)
def test_a_bad_backend_section_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, message: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "reader" / "config.toml"
    path.parent.mkdir()
    path.write_text(f"[backend]\n{backend}\n")
    done = run_reader("ask", "Where does Marinelli live?")
    assert done.returncode == 2
    assert done.stderr.startswith(f"reader: error: {path}: {message}")
    assert done.stderr.count("\n") == 1


def test_a_cluster_needs_a_url_and_cluster_options_need_a_cluster() -> None:
    done = run_reader("--backend", "opensearch", "ask", "Where does Marinelli live?")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "needs the cluster's URL" in done.stderr
    done = run_reader("--exact-scores", "ask", "Where does Marinelli live?")
    assert done.returncode == 2 and "go with --backend opensearch" in done.stderr


def test_a_day_of_the_week_is_shown_with_the_date_it_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    stories = [
        ("ledger", "Ledger", "2031-03-12", "Rebels shelled the port of Varna late Tuesday."),
        ("post", "Post", "2031-03-13", "Rebels shelled the port of Varna on Wednesday."),
    ]
    for key, source, day, text in stories:
        (corpus / f"{key}.json").write_text(
            json.dumps({"text": text, "source": source, "date": day, "title": key})
        )
    question = "When did rebels shell the port of Varna?"
    args = ("--corpus", str(corpus), "--index", str(tmp_path / "ix"), "ask")
    done = run_reader(*args, question)
    assert done.returncode == 0, done.stderr
    assert "late Tuesday → 2031-03-11" in done.stdout
    assert "Wednesday → 2031-03-12" in done.stdout
    assert "Sources disagree" in done.stdout
    found = json.loads(run_reader(*args, "--json", question).stdout)
    assert {s["answer"]["when"] for s in found["sources"]} == {"2031-03-11", "2031-03-12"}
