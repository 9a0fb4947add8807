"""`/` in the article pane finds words in the article; n/N step through the matches there,
`]`/`[` keep stepping the question's passages, esc ends the find (issue 13)."""

from __future__ import annotations

from textual.widgets import Input

from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from reader.tui.find_screen import FindScreen
from tests.tui_helpers import ask, run_async, settle

SIZE = (120, 40)


async def find(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FindScreen)
    box = pilot.app.screen.query_one("#find-text", Input)
    box.value = text
    await pilot.press("enter")
    await settle(pilot)


@run_async
async def test_finding_words_in_the_article_and_stepping_through_them(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        article = app.query_one(ArticleView)
        article.focus()
        await pilot.pause()
        assert article.article is not None
        text = "\n".join(p.text for p in article.article.paragraphs).casefold()
        await find(pilot, "MARINELLI")  # case does not matter
        assert len(article.found) == text.count("marinelli") > 1
        assert app.focused is article  # back in the pane, on the first match
        first = article.found_at
        assert first is not None
        paragraph, start, end = article.found[first]
        assert article.article.paragraphs[paragraph].text[start:end].casefold() == "marinelli"
        assert "find" in article.border_subtitle
        await pilot.press("n")
        assert article.found_at == first + 1
        await pilot.press("N")
        assert article.found_at == first
        # ] steps the question's passages even while the find is on.
        before = article.current
        stops = article.stops
        await pilot.press("right_square_bracket")
        assert article.current != before or stops == [before]
        assert article.found_at == first
        await pilot.press("escape")  # ends the find, stays in the pane
        assert article.find_text is None and article.found == []
        assert app.focused is article
        await pilot.press("escape")
        assert app.focused is not article


@run_async
async def test_a_find_with_no_match_says_so_and_the_slash_elsewhere_asks(sample_index) -> None:
    app = ReaderApp(corpus=sample_index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot)
        article = app.query_one(ArticleView)
        article.focus()
        await pilot.pause()
        await find(pilot, "zeppelin")
        assert article.found == [] and article.find_text == "zeppelin"
        assert article.border_subtitle.endswith("find 0")
        await pilot.press("escape")
        app.ask_screen.results.focus()
        await pilot.press("slash")  # outside the article pane, / is the question box
        assert isinstance(app.focused, Input)
