"""The questions of ../shared/questions/dev.toml, asked of the bundled corpus end to end.

Each must get the listed answer type, verdict and per-source answers (a source not listed
answers nothing). dev.toml says "CBS" for the source the bundled corpus calls "CBS Los
Angeles", and "Breitbart" for both Breitbart copies, which the corpus shows as one source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEV = Path(__file__).resolve().parents[2] / "shared" / "questions" / "dev.toml"
SOURCE_NAMES = {"CBS": "CBS Los Angeles"}


def dev_questions() -> list[dict]:
    if not DEV.exists():
        return []
    return tomllib.loads(DEV.read_text(encoding="utf-8"))["question"]


def answers_by_source(result) -> dict[str, str | None]:
    return {s.source: (s.answer.value if s.answer else None) for s in result.sources}


@pytest.mark.skipif(not DEV.exists(), reason="../shared/questions/dev.toml is not beside the repo")
@pytest.mark.parametrize("question", dev_questions(), ids=lambda q: q["text"])
def test_dev_question(sample_index, question: dict) -> None:
    result = sample_index.ask(question["text"], passages=3)
    assert result.answer_type == question["answer_type"]
    assert result.verdict == question["verdict"]
    expected = {SOURCE_NAMES.get(k, k): v for k, v in question.get("answers", {}).items()}
    got = answers_by_source(result)
    for source in sample_index.source_names():
        assert got.get(source) == expected.get(source), source


def stances(result) -> dict[str, str | None]:
    return {s.source: (s.answer.stance if s.answer else None) for s in result.sources}


def test_embassy_opened_is_a_conflict_between_opened_and_being_prepared(sample_index) -> None:
    result = sample_index.ask("Has the embassy in Moscow opened?", passages=3)
    assert (result.answer_type, result.verdict) == ("yesno", "conflict")
    assert stances(result) == {
        "blog": "affirms",
        "CBS Los Angeles": "affirms",
        "Bloomberg": "pending",
        "Breitbart": "pending",
    }


def test_foreign_funding_is_denied_by_one_source_and_not_stated_by_the_others(sample_index) -> None:
    # The blog calls a group that backs the campaign "Kremlin-funded": that is not the campaign
    # receiving foreign funding, and a careful reader would not count it as a "yes".
    result = sample_index.ask("Does the campaign receive foreign funding?", passages=3)
    assert (result.answer_type, result.verdict) == ("yesno", "single")
    assert stances(result) == {
        "Bloomberg": "denies",
        "blog": None,
        "Breitbart": None,
        "CBS Los Angeles": None,
    }


def test_breitbart_is_marked_as_citing_bloomberg_and_not_counted_twice(sample_index) -> None:
    result = sample_index.ask("Where does Marinelli live?", passages=3)
    by_source = {s.source: s.answer for s in result.sources}
    assert by_source["Breitbart"] is not None and by_source["Breitbart"].cites == "Bloomberg"
    assert by_source["Bloomberg"] is not None and by_source["Bloomberg"].cites is None
    groups = {g.value: g.sources for g in result.groups}
    assert sorted(groups["Yekaterinburg"]) == ["Bloomberg", "Breitbart"]
    assert groups["San Diego"] == ["blog"]
    assert any("Breitbart cites Bloomberg" in note for note in result.notes)


def test_each_answer_points_at_its_evidence(sample_index) -> None:
    result = sample_index.ask("Where does Marinelli live?", passages=3)
    for source in result.sources:
        answer = source.answer
        if answer is None:
            continue
        assert answer.sentence[answer.span[0] : answer.span[1]] == answer.value
        article = sample_index.article(answer.article)
        assert answer.sentence in article.paragraphs[answer.paragraph].text
        assert answer.group in {g.label for g in result.groups}


def test_why_questions_get_passages_but_no_comparison(sample_index) -> None:
    result = sample_index.ask("Why did Marinelli move to Russia?", passages=3)
    assert (result.answer_type, result.verdict, result.groups) == ("other", None, [])
    assert all(s.answer is None for s in result.sources)
    assert any(s.passages for s in result.sources)
