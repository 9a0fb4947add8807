"""Questions nobody should ask, asked anyway: each is answered or refused clearly.

Empty questions, punctuation, a pasted 100 KB page, terminal escapes, undecodable bytes from
the command line, every script people write in: `Corpus.ask` returns a result or raises a
QuestionError with a one-line message, the CLI prints inert text or one error line, and the
work done stays bounded by the question limit rather than the question's length.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import QuestionError
from index.search.searcher import MAX_QUESTION_CHARS
from reader import cli
from reader.render import Style, render_ask
from reader.textsafe import terminal_safe_json
from tests.hostile_counts import attempt
from tests.test_injection import assert_inert, assert_styled_inert

pytest_plugins = ["tests.hostile_counts"]

REPO = Path(__file__).resolve().parent.parent

REFUSED = {
    "empty": ("", "empty"),
    "spaces": ("   ", "empty"),
    "tabs and newlines": ("\t\n\r\n\t", "empty"),
    "punctuation": ("?!.,;:", "no words"),
    "long punctuation": ("?!" * 5_000, "too long"),  # length is checked first
    "inverted punctuation": ("¿¡…‽«»", "no words"),
    "stopwords": ("the of and to in?", "no words"),
    "emoji only": ("🏠❓🔥" * 10, "no words"),
    "NUL bytes": ("\x00" * 100, "no words"),
}

ANSWERED = {
    "escape codes only": "\x1b[31m\x1b]0;x\x07\x9b2J",
    "control characters": "\x1b[31mWhere\x07 does \x08Marinelli live?\x00",
    "OSC 52 and title change": "Where does Marinelli live? \x1b]52;c;cm0gLXJm\x07\x1b]0;x\x07",
    "C1 and bidi controls": "\u202eWhere does \x9b31mMarinelli\u202c live?",
    "Rich and Textual markup": "[bold]Where[/bold] does [@click=app.quit]Marinelli[/] live?",
    "undecodable bytes": "Where does \udcff\udcfe Marinelli live?",
    "line separators": "Where\u2028does\u2029Marinelli live?",
    "Cyrillic": "Где живёт Маринелли? Marinelli",
    "Greek": "Πού μένει ο Marinelli;",
    "Chinese": "Marinelli住在哪里？",
    "Japanese": "Marinelliはどこに住んでいますか",
    "Korean": "Marinelli는 어디에 살아요?",
    "Arabic": "أين يعيش Marinelli؟",
    "Hebrew": "איפה גר Marinelli?",
    "Devanagari": "Marinelli कहाँ रहते हैं?",
    "Thai": "Marinelli อาศัยอยู่ที่ไหน",
    "combining marks": "Where does M" + "\u0301" * 500 + "arinelli live?",
    "fullwidth": "Ｗｈｅｒｅ ｄｏｅｓ Ｍａｒｉｎｅｌｌｉ ｌｉｖｅ？",
    "one long word": "Marinelli" + "a" * 1_900,
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_question_with_nothing_to_search_is_refused_clearly(sample_index, name: str) -> None:
    question, fragment = REFUSED[name]
    with attempt("hostile question"), pytest.raises(QuestionError) as error:
        sample_index.ask(question)
    message = str(error.value)
    assert fragment in message and "\n" not in message


@pytest.mark.parametrize("name", list(ANSWERED))
def test_a_strange_question_is_answered_and_shown_inertly(sample_index, name: str) -> None:
    question = ANSWERED[name]
    with attempt("hostile question"):
        result = sample_index.ask(question)
        assert result.question == question
        for style in (Style(False, False), Style(True, True)):
            assert_styled_inert(render_ask(result, style))
        document = terminal_safe_json(json.dumps(result.to_json(), ensure_ascii=False))
        assert_inert(document)


def test_every_script_still_finds_the_name_it_contains(sample_index) -> None:
    with attempt("hostile question", 3):
        for name in ("Cyrillic", "Hebrew", "Devanagari"):
            result = sample_index.ask(ANSWERED[name])
            assert any(source.passages for source in result.sources), name


@pytest.mark.parametrize(
    "question",
    [
        " ".join(["Where does Marinelli live"] * 4_000),
        "Where? Does? Marinelli? Live? " * 3_000,
        "Where? Does? Marinelli? Live? " * 100,
        "x" * (MAX_QUESTION_CHARS + 1),
    ],
    ids=["100KB-of-words", "90KB-of-phrases", "3KB-of-phrases", "one-over-the-limit"],
)
def test_a_question_over_the_limit_is_refused_before_any_work(sample_index, question: str) -> None:
    with attempt("hostile question"), pytest.raises(QuestionError, match="too long"):
        sample_index.ask(question)


def test_a_question_at_the_limit_is_answered(sample_index) -> None:
    question = ("Where does Marinelli live? " * 200)[:MAX_QUESTION_CHARS]
    with attempt("hostile question"):
        assert sample_index.ask(question).sources


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    question=st.lists(
        st.one_of(
            st.characters(),
            st.sampled_from(["Marinelli", "live", "where", "\x1b[", "\x9b", "[b]", " ", "?"]),
        ),
        max_size=30,
    ).map("".join)
)
def test_any_question_is_answered_or_refused_in_one_line(sample_index, question: str) -> None:
    with attempt("hostile question"):
        try:
            result = sample_index.ask(question)
        except QuestionError as error:
            assert str(error) and "\n" not in str(error)
        else:
            assert_styled_inert(render_ask(result, Style(True, True)))


def reader_command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def test_the_cli_takes_undecodable_bytes_and_escapes_in_a_question() -> None:
    """A question typed in a terminal set to another encoding arrives as bytes that are not
    UTF-8 (Python keeps them as surrogates): the answer is printed, not a UnicodeEncodeError."""
    question = b"Where does Marinelli live? \xff\xfe \x1b]0;owned\x07 \xc2\x9b31m"
    with attempt("hostile question", 2):
        for extra in ([], [b"--json"]):
            done = subprocess.run(
                [*(os.fsencode(part) for part in reader_command()), b"ask", question, *extra],
                capture_output=True,
                cwd=REPO,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
            out = done.stdout.decode("utf-8")
            assert_inert(out)
            assert "Traceback" not in done.stderr.decode("utf-8", "replace")


def test_a_questions_file_of_hostile_lines_gives_one_json_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [q for q, _ in REFUSED.values() if q.strip() and "\n" not in q and "\r" not in q]
    lines += [q for q in ANSWERED.values() if "\u2028" not in q and "\udcff" not in q]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with attempt("hostile question", len(lines)):
        assert cli.main(["ask", "--questions", str(path)]) == 0
        out = capsys.readouterr().out
        assert_inert(out)
        records = [json.loads(line) for line in out.splitlines()]
        assert len(records) == len([q for q in lines if q.strip()])
        for record in records:
            assert ("error" in record) != ("sources" in record)
