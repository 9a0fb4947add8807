"""Issue 13: the app as a fact-checker uses it all day (Pilot), on corpora the tests write.

Focus after a question, zoom, more sources, no wrap-around, the answer's passage marked,
questions with no match, key config warnings, the palette, dates (provenance), grouping a
one-outlet archive by article, and the Markdown report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.widgets import Input

from index.corpus import Corpus
from index.result import Answer, ArticleRef, Passage, SearchResult, SourceResult
from reader.cli import main
from reader.config import ConfigError, Settings
from reader.headlines import NO_MATCH, order_by_date
from reader.report import escape, markdown_report
from reader.tui import keys
from reader.tui.app import ReaderApp, check_settings
from reader.tui.article_view import ArticleView
from reader.tui.commands import ReaderCommands
from reader.tui.help_screen import help_lines
from reader.tui.result_items import build_items
from reader.tui.results_list import ResultsList
from tests.tui_helpers import ask, run_async, screen_text, settle

SIZE = (120, 40)
WORDS = [
    "amber",
    "birch",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "grove",
    "heron",
    "iris",
    "juniper",
    "kelp",
    "lotus",
]
FIRE = "How many people died in the Harbor fire?"


def parts(app: ReaderApp) -> tuple[ResultsList, ArticleView, Input]:
    screen = app.ask_screen
    return (
        screen.query_one(ResultsList),
        screen.query_one("#article", ArticleView),
        screen.query_one("#question", Input),
    )


@pytest.fixture(scope="module")
def dated_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two outlets that disagree on a figure, a day apart, with authors and urls."""
    root = tmp_path_factory.mktemp("dated")
    (root / "npr-fire.txt").write_text(
        "Harbor fire toll rises\n\nOfficials said on Monday that 58 people died in the Harbor "
        "fire, which began on Sunday night near the docks.\n\nThe fire department said the "
        "cause of the Harbor fire was still under investigation.\n",
        encoding="utf-8",
    )
    (root / "fox-fire.txt").write_text(
        "Deadly blaze at the harbor\n\nAt least 59 people died in the Harbor fire, the county "
        "sheriff said on Sunday.\n\nFirefighters worked through the night to contain the "
        "Harbor fire.\n",
        encoding="utf-8",
    )
    (root / "sources.toml").write_text(
        '["npr-fire.txt"]\noutlet = "NPR"\ndate = "2017-10-02"\nauthor = "Ann Writer"\n'
        'url = "https://example.org/npr-fire"\n\n'
        '["fox-fire.txt"]\noutlet = "Fox News"\ndate = "2017-10-01"\n'
        'url = "https://example.org/fox-fire"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def dated_index(dated_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.open(dated_corpus, index_dir=tmp_path_factory.mktemp("dated-index"))


@pytest.fixture(scope="module")
def one_outlet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of one paper: three dated articles, two of them on the harbor fire."""
    root = tmp_path_factory.mktemp("one-outlet")
    paper = root / "gazette"
    paper.mkdir()
    days = {"a.txt": ("2017-10-01", 59), "b.txt": ("2017-10-02", 58), "c.txt": ("2017-10-03", 0)}
    toml = []
    for name, (day, toll) in days.items():
        body = {
            59: "At least 59 people died in the Harbor fire, the sheriff said on Sunday.",
            58: "The mayor told reporters on Monday night that 58 people died in the Harbor "
            "fire, revising the count after a review of hospital records.",
            0: "The city council met to discuss the budget for parks.",
        }[toll]
        (paper / name).write_text(f"Gazette report {name[0]}\n\n{body}\n", encoding="utf-8")
        toml.append(f'["gazette/{name}"]\noutlet = "Gazette"\ndate = "{day}"\n')
    (root / "sources.toml").write_text("\n".join(toml), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """25 outlets that all mention the zebra: more than the 20 an archive lists at first."""
    root = tmp_path_factory.mktemp("many")
    toml = []
    for n in range(25):
        # Words of their own in each, or they would be grouped as copies of one story.
        own = " ".join(f"{WORDS[(n + k) % len(WORDS)]}{n}" for k in range(24))
        (root / f"outlet{n:02}.txt").write_text(
            f"Zoo news {n}\n\nThe zebra at the city zoo turned {n + 1}. {own}.\n",
            encoding="utf-8",
        )
        toml.append(f'["outlet{n:02}.txt"]\noutlet = "Outlet {n:02}"\n')
    (root / "sources.toml").write_text("\n".join(toml), encoding="utf-8")
    return Corpus.open(root, index_dir=tmp_path_factory.mktemp("many-index"))


# -- broken or wrong ------------------------------------------------------------------------------


@run_async
async def test_after_enter_the_results_have_the_keys_and_slash_selects_the_question(
    sample_index,
) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _, question = parts(app)
        assert app.focused is results
        await pilot.press("j", "j")  # moves, never typed into the box
        assert question.value == "Where does Marinelli live?"
        await pilot.press("slash")
        assert app.focused is question
        assert question.selected_text == question.value  # typing replaces it
        await pilot.press(*"why")
        assert question.value == "why"
        await pilot.press("tab")
        assert app.focused is results
        await pilot.press("escape")
        assert app.focused is question and question.selected_text == "why"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_zoom_rewraps_the_pane_and_keeps_its_border(sample_index, size) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article, _ = parts(app)
        for pane, keys_ in ((results, ("z",)), (article, ("z", "tab", "z"))):
            await pilot.press(*keys_)
            await settle(pilot)
            assert app.screen.maximized is pane
            assert pane.region.right <= size[0]
            lines = screen_text(app).split("\n")
            top = next(line for line in lines if line.startswith("╭"))
            assert top.rstrip().endswith("╮") and len(top.rstrip()) == size[0]
            assert any(line.rstrip().endswith("│") for line in lines[1:10])
        await pilot.press("z")
        assert app.screen.maximized is None


@run_async
async def test_sources_past_the_first_twenty_are_named_and_m_lists_them(many_sources) -> None:
    app = ReaderApp(corpus=many_sources)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "zebra zoo")
        results, _, _ = parts(app)
        listed = [s for s in results.result.sources if s.passages]
        assert len(listed) == 20
        last = results.items[-1]
        assert last.kind == "more"
        assert "5 more sources match — m shows them" in last.visual.plain
        await pilot.press("m")
        await settle(pilot)
        assert len([s for s in results.result.sources if s.passages]) == 25
        assert results.items[-1].kind != "more"


@run_async
async def test_g_goes_to_the_very_top_and_k_does_not_wrap(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _, _ = parts(app)
        first = results.highlighted
        await pilot.press("k")
        assert results.highlighted == first  # no wrap-around to the last passage
        assert results.scroll_y == 0  # the summary above it is in view
        await pilot.press(*"jjjjjjjj")
        assert results.scroll_y > 0
        await pilot.press("g")
        assert results.highlighted == first and results.scroll_y == 0
        assert "Sources disagree" in screen_text(app)
        await pilot.press("G", "j")
        assert results.highlighted == len(results.items) - 1 or results.items[-1].kind == "more"


def _source(passages: list[Passage], answer: Answer | None) -> SourceResult:
    return SourceResult(
        "Daily", [ArticleRef("a.txt", "A title", None, "2017-10-02")], passages, answer
    )


def test_the_answers_passage_is_marked_answer_and_the_rest_numbered_by_score() -> None:
    low = Passage("a.txt", 3, 0.24, "He lives in San Diego, friends said.")
    high = Passage("a.txt", 0, 3.89, "San Diego officials met on Monday.")
    answer = Answer("San Diego", low.text, (12, 21), "a.txt", 3, 0.9, group="A")
    result = SearchResult("Where does he live?", [_source([low, high], answer)], "place")
    heads = [i.visual.plain.split("\n")[0] for i in build_items(result) if i.kind == "passage"]
    assert heads[0].startswith("answer  ¶4 · score 0.24")
    assert heads[1].lstrip().startswith("1  ¶1 · score 3.89")


@run_async
async def test_a_question_with_no_match_says_so_and_clears_the_article(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article, question = parts(app)
        assert article.article is not None
        await ask(pilot, "qwertyuiop zxcvbnm")
        assert NO_MATCH in results.items[0].visual.plain
        assert article.article is None  # the old article is not left on screen
        text = screen_text(app)
        assert "try fewer or other words" in text
        assert "0 passages" not in text
        assert app.focused is question  # nothing to move through: retype


def test_the_cli_says_plainly_that_nothing_matched(sample_corpus, capsys) -> None:
    assert main(["ask", "--corpus", str(sample_corpus), "qwertyuiop zxcvbnm"]) == 0
    out = capsys.readouterr().out
    assert "no passage matches this question; try fewer or other words" in out


# -- key config ----------------------------------------------------------------------------------


def test_help_keeps_long_keys_inside_their_column(tmp_path: Path) -> None:
    keymap = {"cursor.down": "j,down,ctrl+n,ctrl+j", "quit": "ctrl+x,q"}
    for width in (60, 80, 120):
        lines = [line.plain for line in help_lines(keymap, width, tmp_path / "c.toml")]
        assert all(len(line) <= width for line in lines), width
        # the keys never run into the description ("ctrl+nDown")
        assert not any(re.search(r"ctrl\+[nj]\S", line) for line in lines), width
        assert any("Down" in line for line in lines)


def test_a_conflicting_override_is_warned_naming_both_ids() -> None:
    (warning,) = keys.conflicts({"cursor.down": "l"})
    assert "library" in warning and "cursor.down" in warning
    assert keys.conflicts({}) == []  # the defaults are designed, not conflicts
    assert keys.conflicts({"ask.order": "x"}) == []


@run_async
async def test_the_app_shows_key_conflicts_at_start(sample_index, monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(ReaderApp, "notify", lambda self, message, **kw: told.append(message))
    settings = check_settings(Settings(keys={"cursor.down": "l"}))
    app = ReaderApp(corpus=sample_index, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert any("cursor.down" in m and "library" in m for m in told)


def test_an_unknown_binding_id_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as error:
        check_settings(Settings(keys={"cursor.sideways": "x"}))
    message = str(error.value)
    assert "valid ids:" in message and "cursor.down" in message and "ask.order" in message
    assert "\n" not in message and "press ?" not in message


def test_the_palette_has_one_name_per_action_and_copy_and_open() -> None:
    names = [name for name, _, _ in ReaderCommands._actions(None)]  # type: ignore[arg-type]
    assert "Copy the passage" in names and "Open the article's web page" in names
    assert len(names) == len(set(names))


@run_async
async def test_textuals_own_keys_and_maximize_are_not_listed_twice(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keys" not in titles and "Maximize" not in titles
        assert "Theme" in titles


# -- provenance ----------------------------------------------------------------------------------


@run_async
async def test_dates_beside_sources_answers_groups_and_in_the_citation(dated_index) -> None:
    app = ReaderApp(corpus=dated_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, FIRE)
        results, _, _ = parts(app)
        by_source = {
            results.result.sources[i.source].source: i.visual.plain
            for i in results.items
            if i.kind == "source"
        }
        assert "2017-10-02" in by_source["NPR"].split("\n")[0]
        assert "2017-10-01" in by_source["Fox News"].split("\n")[0]
        summary = results.items[0].visual.plain
        if results.result.verdict is not None and results.result.groups:
            assert "NPR on 2017-10-02" in summary and "Fox News on 2017-10-01" in summary
        # y on NPR's passage: outlet, author, title, date, url
        npr = next(
            i
            for i, item in enumerate(results.items)
            if item.kind == "passage" and results.result.sources[item.source].source == "NPR"
        )
        while results.highlighted != npr:
            await pilot.press("j")
        await pilot.press("y")
        credit = app.clipboard.split("\n")[-1]
        assert credit == (
            "— NPR, Ann Writer, “Harbor fire toll rises”, 2017-10-02, https://example.org/npr-fire"
        )


@run_async
async def test_d_orders_sources_by_date_and_back(dated_index) -> None:
    app = ReaderApp(corpus=dated_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, FIRE)
        results, _, _ = parts(app)
        ranked = [s.source for s in results.result.sources]
        await pilot.press("d")
        await settle(pilot)
        assert [s.source for s in results.result.sources] == ["Fox News", "NPR"]
        heads = [i.visual.plain.split("\n")[0] for i in results.items if i.kind == "source"]
        assert "Fox News" in heads[0]
        await pilot.press("d")
        assert [s.source for s in results.result.sources] == ranked


def test_order_by_date_puts_undated_sources_last() -> None:
    dated = SourceResult("B", [ArticleRef("b", None, None, "2017-01-02")], [])
    undated = SourceResult("U", [ArticleRef("u", None, None, None)], [])
    early = SourceResult("A", [ArticleRef("a", None, None, "2016-05-01T10:00")], [])
    result = SearchResult("q", [undated, dated, early])
    assert [s.source for s in order_by_date(result).sources] == ["A", "B", "U"]


def test_cli_headings_list_the_articles_shown_with_their_dates(dated_corpus, capsys) -> None:
    assert main(["ask", "--corpus", str(dated_corpus), FIRE]) == 0
    out = capsys.readouterr().out
    assert "NPR — Harbor fire toll rises (2017-10-02)" in out
    assert "Fox News — Deadly blaze at the harbor (2017-10-01)" in out


# -- one-outlet archives -------------------------------------------------------------------------


def test_a_one_outlet_archive_is_grouped_by_article(one_outlet, tmp_path) -> None:
    corpus = Corpus.open(one_outlet, index_dir=tmp_path / "index")
    assert corpus.grouping() == "article"
    result = corpus.ask(FIRE)
    assert result.group_by == "article"
    matched = [s for s in result.sources if s.passages]
    assert len(matched) == 2  # the two articles on the fire, each a group
    assert {s.outlet for s in matched} == {"Gazette"}
    assert {s.articles[0].date for s in matched} == {"2017-10-01", "2017-10-02"}
    record = result.to_json()
    assert record["group_by"] == "article"
    assert all(entry["outlet"] == "Gazette" for entry in record["sources"])


def test_by_article_can_be_asked_for_and_bad_values_are_refused(sample_corpus, capsys) -> None:
    assert (
        main(["ask", "--corpus", str(sample_corpus), "--by", "article", "--json", "embassy"]) == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert record["group_by"] == "article"
    assert all(len(s["articles"]) == 1 for s in record["sources"])
    with pytest.raises(SystemExit) as exit_:
        main(["ask", "--corpus", str(sample_corpus), "--by", "page", "embassy"])
    assert exit_.value.code == 2


@run_async
async def test_the_app_groups_a_one_outlet_archive_by_article(one_outlet, tmp_path) -> None:
    app = ReaderApp(corpus=Corpus.open(one_outlet, index_dir=tmp_path / "index"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, FIRE)
        results, _, _ = parts(app)
        heads = [i.visual.plain.split("\n")[0] for i in results.items if i.kind == "source"]
        assert len(heads) == 2
        assert any("2017-10-01" in h for h in heads) and any("2017-10-02" in h for h in heads)


# -- the report ----------------------------------------------------------------------------------


def test_markdown_escapes_article_text() -> None:
    assert escape("*bold* [x](y) <b>") == r"\*bold\* \[x\](y) \<b\>"
    assert escape("# not a heading").startswith("\\#")
    assert escape("1. not a list").startswith("1\\.") or escape("1. not a list").startswith("\\1")
    assert "\x1b" not in escape("red \x1b[31m text")


def test_cli_writes_a_markdown_report(dated_corpus, capsys) -> None:
    assert main(["ask", "--corpus", str(dated_corpus), FIRE, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# {FIRE}\n")
    assert "## " in out and "2017-10-02" in out and "2017-10-01" in out
    assert "(<https://example.org/npr-fire>)" in out
    assert "> " in out  # the quoted evidence


def test_a_report_of_hostile_text_stays_inert() -> None:
    hostile = "Click [here](javascript:alert(1)) <script>x</script> **now**"
    source = SourceResult(
        "Daily",
        [ArticleRef("a.txt", "# Title", "javascript:alert(1)", None)],
        [Passage("a.txt", 0, 1.0, hostile)],
    )
    report = markdown_report(SearchResult("q?", [source]))
    assert "\\[here\\](javascript" in report and "<script>" not in report
    assert "(<javascript" not in report  # not made a link
    assert "\\#" in report


@run_async
async def test_e_writes_the_report_to_a_new_file_and_never_overwrites(
    dated_index, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.md"
    mine.write_text("my notes", encoding="utf-8")
    app = ReaderApp(corpus=dated_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, FIRE)
        await pilot.press("e")
        await settle(pilot)
        box = app.screen.query_one("#export-path", Input)
        assert box.value.startswith("reader-how-many-people-died")
        box.value = "mine.md"
        await pilot.press("enter")
        await settle(pilot)
        assert mine.read_text(encoding="utf-8") == "my notes"  # the user's file is kept
        assert "exists" in screen_text(app)
        box.value = "fire.md"
        await pilot.press("enter")
        await settle(pilot)
        report = (tmp_path / "fire.md").read_text(encoding="utf-8")
        assert report.startswith(f"# {FIRE}")
        assert app.screen is app.ask_screen


# -- things people expect ------------------------------------------------------------------------


def test_history_is_kept_capped_and_walked(tmp_path: Path) -> None:
    from reader.tui.history import KEEP, QuestionHistory

    path = tmp_path / "state" / "reader" / "questions"
    history = QuestionHistory.load(path)
    for n in range(KEEP + 5):
        history.add(f"question {n}")
    history.add("question 7")  # asked again: moves to the end, kept once
    again = QuestionHistory.load(path)
    assert len(again.questions) == KEEP and again.questions[-1] == "question 7"
    assert again.questions.count("question 7") == 1
    assert again.back("draft") == "question 7"
    assert again.back("") == f"question {KEEP + 4}"
    assert again.forward() == "question 7"
    assert again.forward() == "draft"


@run_async
async def test_up_and_down_in_the_box_walk_earlier_questions(sample_index, tmp_path) -> None:
    from reader.tui.history import QuestionHistory

    path = tmp_path / "questions"
    app = ReaderApp(corpus=sample_index, history=QuestionHistory.load(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "embassy in Moscow")
        await ask(pilot)
        _, _, question = parts(app)
        await pilot.press("slash", "ctrl+u", "up")
        assert question.value == "Where does Marinelli live?"
        await pilot.press("up")
        assert question.value == "embassy in Moscow"
        await pilot.press("down", "down")
        assert question.value == ""
    assert path.read_text(encoding="utf-8").split("\n")[:2] == [
        "embassy in Moscow",
        "Where does Marinelli live?",
    ]


def test_the_library_keeps_the_length_column_and_the_sort_arrow_when_narrow() -> None:
    from reader.tui.library_table import ArticleTable

    table = ArticleTable()
    table.sort_by, table.reverse = "length", True
    assert "Length↓" in table.header(60)  # the column stays down to 50 cells
    table.sort_by = "date"
    assert "↓" in table.header(40)  # date does not fit: the order is said on the title


def test_headlines_name_articles_when_a_one_outlet_archive_is_grouped_by_article() -> None:
    from reader.headlines import headline

    assert headline("unanswered", "article") == "No article answers this"
    assert headline("conflict", "article") == "Articles disagree"
    assert headline("single", "article") == "One article answers"
    assert headline("conflict") == "Sources disagree"
