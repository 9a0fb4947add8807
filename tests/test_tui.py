"""The reader app, driven with Textual's Pilot on the sample corpus and on corpora written here."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from index.articles import Article, Paragraph
from index.corpus import Corpus
from index.result import Answer, Group, Passage, SearchResult, SourceResult
from reader.config import ConfigError, load_settings
from reader.headlines import VERDICT_HEADLINES
from reader.tui import keys
from reader.tui.app import ReaderApp, check_settings
from reader.tui.article_view import ArticleView
from reader.tui.help_screen import HelpScreen
from reader.tui.library_screen import LibraryScreen
from reader.tui.library_table import ArticleTable
from reader.tui.result_items import QuestionMarks, Target, build_items
from reader.tui.results_list import ResultsList
from tests.tui_helpers import (
    QUESTION,
    ask,
    run_async,
    screen_strips,
    screen_text,
    settle,
    summary_groups,
    widget_text,
    write_config,
)

SIZE = (120, 40)


def parts(app: ReaderApp) -> tuple[ResultsList, ArticleView]:
    screen = app.ask_screen
    return screen.query_one(ResultsList), screen.query_one("#article", ArticleView)


def items_text(results: ResultsList) -> list[str]:
    return [item.visual.plain for item in results.items]


# -- asking -----------------------------------------------------------------------------------


@run_async
async def test_ask_shows_the_agreement_summary_then_one_group_per_source(sample_index) -> None:
    expected = sample_index.ask(QUESTION)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _ = parts(app)
        texts = items_text(results)
        kinds = [item.kind for item in results.items]
        assert kinds[0] == "summary"
        assert expected.verdict == "conflict"
        summary = texts[0]
        assert summary.startswith(VERDICT_HEADLINES["conflict"])
        for group in expected.groups:
            assert f"[{group.label}] " in summary
            for name in group.sources:
                assert name in summary
        # One entry per source, in the engine's order, each followed by its passages.
        sources = [i for i, item in enumerate(results.items) if item.kind == "source"]
        assert [texts[i].split("\n")[0] for i in sources] == [
            (f"[{s.answer.group}] " if s.answer and s.answer.group else "")
            + s.source
            + (f" — {s.articles[0].title or s.articles[0].id}" if s.articles else "")
            + (f" (+{len(s.articles) - 1} more)" if len(s.articles) > 1 else "")
            for s in expected.sources
        ]
        for index, source in zip(sources, expected.sources, strict=True):
            following = results.items[index + 1 : index + 1 + len(source.passages)]
            assert [item.kind for item in following] == ["passage"] * len(source.passages)
            assert [item.target for item in following] == [
                Target(p.article, p.paragraph) for p in source.passages
            ]
            if source.answer is None and source.passages:
                assert "no statement found" in texts[index]
        # The sources that disagree carry different letters, visible on screen.
        label = {s.source: s.answer.group for s in expected.sources if s.answer}
        assert label["Bloomberg"] != label["blog"]
        headline, groups = summary_groups(screen_text(app))
        assert headline == VERDICT_HEADLINES["conflict"]
        assert "Bloomberg" in groups[label["Bloomberg"]]
        assert "blog" in groups[label["blog"]]


@run_async
async def test_selecting_a_passage_scrolls_the_article_pane_to_it(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article = parts(app)
        assert app.focused is results  # answered: the keys move through the results
        # Walk down the list to every passage in turn; the pane follows each time.
        passages = [i for i, item in enumerate(results.items) if item.kind == "passage"]
        seen_articles = set()
        for index in passages:
            while results.highlighted != index:
                await pilot.press("j")
            await settle(pilot)
            target = results.items[index].target
            assert article.article is not None and article.article.key == target.article
            assert article.current == target.paragraph
            assert article.top_paragraph() == target.paragraph
            first_line = widget_text(article).split("\n")[0]
            words = article.article.paragraphs[target.paragraph].text.split()
            assert words[0] in first_line
            seen_articles.add(target.article)
        assert len(seen_articles) > 1
        # Enter opens the article: the focus moves to the article pane.
        await pilot.press("enter")
        assert app.focused is article


@run_async
async def test_n_and_N_step_through_the_questions_passages_in_the_article(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article = parts(app)
        marks = QuestionMarks.of(results.result)
        key, stops = max(marks.stops.items(), key=lambda kv: len(kv[1]))
        assert len(stops) >= 2
        first = next(
            i for i, item in enumerate(results.items) if item.target == Target(key, stops[0])
        )
        assert app.focused is results
        while results.highlighted != first:
            await pilot.press("j")
        await settle(pilot)
        assert article.current == stops[0]
        await pilot.press("tab")  # into the article pane: n/N work there too
        assert app.focused is article
        for stop in stops[1:]:
            await pilot.press("n")
            assert article.current == stop
            assert article.top_paragraph() == stop
        await pilot.press("n")  # past the last: stays, says so
        assert article.current == stops[-1]
        for stop in reversed(stops[:-1]):
            await pilot.press("N")
            assert article.current == stop
        # Results follow the article: the passage stepped to is selected there.
        selected = results.selected_item
        assert selected is not None and selected.target == Target(key, stops[0])


@run_async
async def test_escape_goes_back_one_level_and_slash_returns_to_the_question(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article = parts(app)
        question = app.ask_screen.query_one("#question", Input)
        assert app.focused is results  # answered: the results have the keys
        await pilot.press("tab")
        assert app.focused is article
        await pilot.press("escape")
        assert app.focused is results
        await pilot.press("escape")
        assert app.focused is question
        await pilot.press("tab", "slash")
        assert app.focused is question


@run_async
async def test_letter_keys_type_into_the_question_box_instead_of_firing(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        question = app.ask_screen.query_one("#question", Input)
        assert app.focused is question
        await pilot.press(*"ql?/ynNjkgG z")
        assert question.value == "ql?/ynNjkgG z"
        assert app.screen is app.ask_screen and app.is_running


@run_async
async def test_a_new_question_replaces_the_previous_answer(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _ = parts(app)
        first = results.result
        await ask(pilot, "embassy in Moscow")
        assert results.result is not first
        assert results.result.question == "embassy in Moscow"


@run_async
async def test_the_answer_is_listed_whole_and_the_article_pane_follows_it(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article = parts(app)
        # Every entry is listed, each as tall as it is at the width it is drawn at (entries
        # measured before the scrollbar took its column used to lose their last line).
        assert len(results.options) == len(results.items)
        width = results.scrollable_content_region.width
        assert results.virtual_size.height == sum(
            item.visual.get_height(results.styles, width) for item in results.items
        )
        # Once the answer is drawn, the article pane shows the selected entry's paragraph.
        target = results.selected_item.target
        assert article.article is not None and article.article.key == target.article
        assert article.current == target.paragraph


@run_async
async def test_the_end_of_an_answer_is_reachable_before_its_first_screen_is_drawn(
    sample_index,
) -> None:
    result = sample_index.ask(QUESTION)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results, _ = parts(app)
        results.show_result(result)
        assert len(results.options) < len(results.items)  # the rest waits for the first frame
        results.action_last()
        assert results.highlighted == len(results.items) - 1
        await settle(pilot)
        assert len(results.options) == len(results.items)


@run_async
async def test_y_copies_the_selected_passage_with_its_citation(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _ = parts(app)
        assert app.focused is results
        index = next(i for i, item in enumerate(results.items) if item.kind == "passage")
        while results.highlighted != index:
            await pilot.press("j")
        await pilot.press("y")
        item = results.items[index]
        source = results.result.sources[item.source]
        passage = source.passages[item.passage]
        copied = app.clipboard
        assert passage.text.strip()[:60] in copied
        assert f"— {source.source}" in copied


@run_async
async def test_resizing_keeps_the_passage_at_the_top_of_the_article_pane(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, article = parts(app)
        await pilot.press("j", "j")
        await settle(pilot)
        current = article.current
        assert current is not None and article.top_paragraph() == current
        await pilot.resize_terminal(140, 45)
        await settle(pilot)
        assert article.top_paragraph() == current
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert article.top_paragraph() == current
        # A tiny terminal squeezes the panes but breaks nothing.
        await pilot.resize_terminal(30, 8)
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert app.is_running


@run_async
async def test_z_zooms_the_focused_pane_and_restores_it(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        results, _ = parts(app)
        await pilot.press("z")
        assert app.screen.maximized is results
        await pilot.press("z")
        assert app.screen.maximized is None


# -- startup ------------------------------------------------------------------------------------


@run_async
async def test_startup_shows_indexing_progress_and_asks_a_question_typed_meanwhile(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_open(root, *, index_dir=None, params=None, progress=None, rebuild=False):
        progress("tokenizing", 3, 10)
        started.set()
        release.wait(10)
        return sample_index

    monkeypatch.setattr(Corpus, "open", staticmethod(slow_open))
    app = ReaderApp(Path("unused"))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the corpus is opened after the first frame is drawn
            if started.is_set():
                break
            await pilot.pause(0.05)
        assert started.is_set()
        await pilot.pause()
        status = str(app.ask_screen.query_one("#status").render())
        assert "Indexing" in status and "tokenizing 3/10" in status and "30%" in status
        # The input works while the index builds; the question waits for it.
        app.post_message(events.Paste(QUESTION))
        await pilot.pause()
        await pilot.press("enter")
        assert app.ask_screen.pending == QUESTION
        release.set()
        await settle(pilot)
        results, _ = parts(app)
        assert results.result is not None and results.result.question == QUESTION


@run_async
async def test_a_corpus_that_cannot_be_opened_is_reported_in_the_app(tmp_path: Path) -> None:
    app = ReaderApp(tmp_path / "missing")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "corpus folder not found" in screen_text(app)
        assert app.is_running


# -- library ------------------------------------------------------------------------------------


@run_async
async def test_library_lists_articles_once_and_opens_next_and_previous(sample_index) -> None:
    infos = sample_index.articles()
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "l")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.query_one(ArticleTable)
        reader = app.screen.query_one("#library-article", ArticleView)
        # Duplicate copies are one entry that lists its copies.
        assert len(table.rows) == len(infos)
        with_copies = [r for r in table.rows if r.info.copies]
        assert with_copies, "the sample corpus has a duplicate copy"
        assert "(+1 copy)" in widget_text(table)
        await pilot.press("down")  # from the filter box to the list
        assert app.focused is table
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is reader
        assert reader.article.key == table.rows[0].info.key
        await pilot.press("J")
        await settle(pilot)
        assert reader.article.key == table.rows[1].info.key
        await pilot.press("J")
        await settle(pilot)
        assert reader.article.key == table.rows[2].info.key
        await pilot.press("K")
        await settle(pilot)
        assert reader.article.key == table.rows[1].info.key
        # The copies of a duplicated article are named in its header.
        copied = with_copies[0].info
        table.move_to(table.rows.index(with_copies[0]))
        await settle(pilot)
        header = "".join("".join(reader.text_lines()[:8]).split())  # a long id may be folded
        assert f"copies:{copied.copies[0]}" in header
        # esc: back to the list, then back to the ask screen.
        await pilot.press("escape")
        assert app.focused is table
        await pilot.press("escape")
        assert app.screen is app.ask_screen


@run_async
async def test_library_filters_by_typing_and_sorts(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "l")
        await settle(pilot)
        table = app.screen.query_one(ArticleTable)
        total = len(table.rows)
        await pilot.press(*"breitbart")
        assert 0 < len(table.rows) < total
        assert all("breitbart" in r.haystack for r in table.rows)
        await pilot.press("ctrl+u")
        assert len(table.rows) == total
        await pilot.press("down", "s")  # sort by title
        assert table.sort_by == "title"
        titles = [r.title.casefold() for r in table.rows]
        assert titles == sorted(titles)
        await pilot.press("r")
        assert [r.title.casefold() for r in table.rows] == sorted(titles, reverse=True)


# -- help and keys ------------------------------------------------------------------------------


@run_async
async def test_help_lists_every_binding_with_its_id(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=(140, 80)) as pilot:  # the whole help, no scrollbar
        await settle(pilot)
        await pilot.press("tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = widget_text(app.screen.query_one("#help-text"))
        for spec_id, spec in keys.ALL_SPECS.items():
            assert spec_id in text
            assert spec.explained in text
        await pilot.press("escape")
        assert app.screen is app.ask_screen


def test_every_binding_of_the_app_has_an_id() -> None:
    from reader.tui.ask_screen import AskScreen
    from reader.tui.library_screen import FilterInput

    for cls in (
        ReaderApp,
        AskScreen,
        LibraryScreen,
        HelpScreen,
        ResultsList,
        ArticleView,
        ArticleTable,
        FilterInput,
    ):
        own = cls.__dict__.get("BINDINGS", [])
        assert own, cls
        assert all(binding.id in keys.ALL_SPECS for binding in own), cls


@run_async
async def test_a_key_override_from_the_config_file_takes_effect(
    sample_index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write_config('theme = "nord"\n[keys]\nlibrary = "L"\narticle.next_passage = "right"\n')
    settings = check_settings(load_settings())
    assert settings.keys == {"library": "L", "article.next_passage": "right"}
    assert settings.theme == "nord"
    app = ReaderApp(corpus=sample_index, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("tab", "l")
        assert app.screen is app.ask_screen  # l no longer opens the library
        await pilot.press("L")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("down", "question_mark")
        help_text = widget_text(app.screen.query_one("#help-text"))
        library_row = next(
            line for line in help_text.split("\n") if line.rstrip().endswith(" library")
        )
        assert library_row.split()[0] == "L"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[keys]\nno_such_binding = "x"\n', "unknown key binding id 'no_such_binding'"),
        ('[keys]\nquit = "ctrl+nonsense"\n', "'ctrl+nonsense' is not a key name"),
        ("[keys]\nquit = 3\n", "keys.quit must be a key name"),
        ('theme = "no-such-theme"\n', "unknown theme 'no-such-theme'"),
        ("[keys\n", "config.toml:1:"),
    ],
)
def test_a_bad_config_file_is_one_line_error(
    config: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write_config(config)
    with pytest.raises(ConfigError) as error:
        check_settings(load_settings())
    assert message in str(error.value)
    assert "\n" not in str(error.value)


# -- article text is data ---------------------------------------------------------------------


MARKUP_TEXT = (
    "The harbour commission voted on Tuesday to close the old pier for repairs.\n\n"
    "A commissioner wrote [bold]x[/bold] on the pier notice board, and a link "
    "[@click=app.quit]y[/] was pasted under it, beside \x1b[31mred\x1b[0m paint.\n\n"
    "Repairs to the pier are expected to take the harbour commission two years."
)


@pytest.fixture
def markup_corpus(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "corpus"
    root.mkdir()
    records = [
        {
            "title": "Pier closes [italic]for repairs[/italic]",
            "source": "Harbour [b]Gazette[/b]",
            "url": "https://example.org/pier",
            "text": MARKUP_TEXT,
        },
        {
            "title": "Weather",
            "source": "Coast Radio",
            "url": "https://example.org/weather",
            "text": "Rain is expected along the coast on Wednesday.\n\nWinds will ease later.",
        },
    ]
    (root / "news.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    return root, tmp_path / "index"


@run_async
async def test_markup_and_escape_codes_in_articles_are_shown_as_text(markup_corpus) -> None:
    root, index_dir = markup_corpus
    app = ReaderApp(root, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "What did the commissioner write on the pier notice board?")
        results, article = parts(app)
        assert article.article is not None
        lines = article.text_lines()
        text = " ".join(line.strip() for line in lines)
        assert "[bold]x[/bold]" in text
        assert "[@click=app.quit]y[/]" in text
        assert "Pier closes [italic]for repairs[/italic]" in text
        assert "Harbour [b]Gazette[/b]" in text
        shown = screen_text(app)
        assert "[bold]x[/bold]" in shown and "\x1b" not in shown and "\x07" not in shown
        # Nothing in the pane is a live action: no segment carries a click handler.
        for line in article.rendered_lines():
            for segment in line:
                meta = segment.style.meta if segment.style else {}
                assert "@click" not in meta
        # And clicking on the text does not run it.
        await pilot.click(ArticleView)
        assert app.is_running


@run_async
async def test_open_url_only_opens_web_addresses_and_copies_without_a_display(
    markup_corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    root, index_dir = markup_corpus
    app = ReaderApp(root, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "pier repairs")
        _, article = parts(app)
        assert article.article is not None and article.article.url
        await pilot.press("o")
        assert app.clipboard == article.article.url
        opened = []
        monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
        monkeypatch.setenv("DISPLAY", ":0")
        app.open_article_url("javascript:alert(1)")
        app.open_article_url("file:///etc/passwd")
        assert opened == []
        app.open_article_url("https://example.org/a")
        assert opened == ["https://example.org/a"]


@run_async
async def test_a_question_the_engine_rejects_is_reported_on_the_status_line(
    sample_index,
) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "the of and")
        status = str(app.ask_screen.query_one("#status").render())
        assert status.startswith("✗ ") and "no words to search for" in status
        assert app.is_running


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


@run_async
async def test_an_engine_bug_is_reported_where_the_work_was_wanted_and_the_app_goes_on(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sample_index, "begin_ask", _boom)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        assert str(app.ask_screen.status.render()) == "✗ internal error: RuntimeError: boom"
        assert app.is_running
        # An article that cannot be read: the passages are listed, the article pane says so,
        # and answering, which reads articles too, says so on the status line.
        monkeypatch.undo()
        monkeypatch.setattr(sample_index, "article", _boom)
        await ask(pilot)
        results, article = parts(app)
        assert results.result is not None and results.result.question == QUESTION
        shown = " ".join(widget_text(article).split())
        assert "could not be read: internal error: RuntimeError: boom" in shown
        assert str(app.ask_screen.status.render()) == "✗ internal error: RuntimeError: boom"
        assert app.is_running


@run_async
async def test_an_engine_bug_opening_the_corpus_is_reported_in_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Corpus, "open", staticmethod(_boom))
    app = ReaderApp(Path("unused"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "internal error: RuntimeError: boom" in screen_text(app)
        assert app.is_running


def test_sources_past_the_engines_cap_are_counted_in_a_last_line(sample_index) -> None:
    result = sample_index.ask(QUESTION)
    listed = sum(1 for s in result.sources if s.passages)
    assert build_items(result)[-1].kind != "more"  # every matching source is listed
    result.matched_sources = listed + 7  # as an archive past index.settings.SOURCES_SHOWN
    last = build_items(result)[-1]
    assert last.kind == "more" and last.target is None
    assert last.visual.plain.startswith("… 7 more sources match")


@run_async
async def test_the_command_palette_opens_the_library_and_articles(sample_index) -> None:
    title = next(info.title for info in sample_index.articles() if info.title)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        app.post_message(events.Paste("library"))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("escape")
        assert app.screen is app.ask_screen
        await pilot.press("ctrl+p")
        app.post_message(events.Paste(title))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        reader = app.screen.query_one("#library-article", ArticleView)
        assert reader.article is not None and reader.article.title == title


def _colours(app: ReaderApp) -> set[tuple[int, int, int]]:
    found = set()
    for strip in screen_strips(app):
        for segment in strip:
            style = segment.style
            for colour in (style.color, style.bgcolor) if style else ():
                if colour is not None and colour.triplet is not None:
                    found.add(tuple(colour.triplet))
    return found


@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_leaves_only_greys_and_the_group_letters(
    no_color: bool, sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    async def run() -> None:
        app = ReaderApp(corpus=sample_index)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await ask(pilot)
            greys = all(r == g == b for r, g, b in _colours(app))
            assert greys == no_color
            assert "[A] " in screen_text(app) and "[B] " in screen_text(app)

    run_async(run)()


@run_async
async def test_control_characters_that_reach_the_app_are_shown_not_sent(sample_index) -> None:
    """The engine cleans escape codes out of articles; the app does not rely on it."""
    text = "Red \x1b[31mpaint\x1b[0m, a bell\x07, a title change \x1b]0;owned\x07 and \u202eevil."
    article = Article(
        key="k",
        path="k",
        source="Out\x1b[1mlet",
        title="T\x1b[2Jitle",
        author=None,
        date=None,
        url=None,
        paragraphs=[Paragraph(text)],
    )
    passage = Passage("k", 0, 1.0, text, terms=[(4, 5)])
    answer = Answer("paint", text, (text.index("paint"), text.index("paint") + 5), "k", 0, 1.0, "A")
    result = SearchResult(
        "q",
        [SourceResult("Out\x1b[1mlet", [], [passage], answer)],
        "x",
        "single",
        [Group("A", "paint\x1b[0m", ["Out\x1b[1mlet"])],
    )
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results, view = parts(app)
        results.show_result(result)
        await settle(pilot)  # the pane tries to load "k" from the corpus, and says it cannot
        view.show(article, marks=QuestionMarks.of(result))
        await pilot.pause()
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "␛[31mpaint␛[0m" in shown
        assert "T␛[2Jitle" in shown and "Out␛[1mlet" in shown


@run_async
async def test_a_second_question_wins_over_a_slower_first_one(
    sample_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    release_first = threading.Event()
    real_search = sample_index.begin_ask

    def search_slowly_the_first_time(question, *args, **kwargs):
        if question == "slow question about Marinelli":
            release_first.wait(10)
        return real_search(question, *args, **kwargs)

    monkeypatch.setattr(sample_index, "begin_ask", search_slowly_the_first_time)
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+u")
        app.post_message(events.Paste("slow question about Marinelli"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not release_first.is_set()  # the first question is still being searched
        await ask(pilot, "embassy in Moscow")  # while the first is still being answered
        results, _ = parts(app)
        assert results.result.question == "embassy in Moscow"
        release_first.set()
        await settle(pilot)
        assert results.result.question == "embassy in Moscow"


def test_an_article_wanted_by_two_threads_at_once_is_read_once() -> None:
    from reader.tui.articles import ArticleCache

    both_asked = threading.Barrier(2)
    reads: list[str] = []

    class SlowCorpus:
        def article(self, key: str) -> Article:
            reads.append(key)
            time.sleep(0.2)  # long enough for the other thread to ask for it meanwhile
            return Article(key, key, "outlet", None, None, None, None, [Paragraph("text", [])])

        def copies(self, key: str) -> list[str]:
            return [key]

    cache, corpus = ArticleCache(), SlowCorpus()
    loaded = []

    def load() -> None:
        both_asked.wait(5)
        loaded.append(cache.load(corpus, "k"))

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert reads == ["k"]
    assert len(loaded) == 2 and loaded[0] is loaded[1]


def test_the_app_can_start_build_processes_while_textual_holds_stderr(tmp_path: Path) -> None:
    """While the app runs, sys.stderr is Textual's capture (fileno -1); starting the worker
    processes of a large build then failed with "bad value(s) in fds_to_keep". Run in a
    fresh interpreter: the tracker starts once per process."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from textual.app import _PrintCapture\n"
        "from multiprocessing import resource_tracker\n"
        "from reader.tui.app import start_resource_tracker\n"
        "capture = _PrintCapture(None)\n"
        "sys.stderr = capture\n"
        "start_resource_tracker()\n"
        "assert sys.stderr is capture\n"
        "sys.stderr = sys.__stderr__\n"
        "print(resource_tracker._resource_tracker._fd is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
