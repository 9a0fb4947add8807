"""Article text, titles, metadata and file names never control the terminal.

A scraped page can hold escape sequences (colours, a screen clear, an OSC 52 clipboard write,
a window-title change, a hyperlink), C1 controls, bells, backspaces and carriage returns that
overwrite what was shown, bidi overrides that reorder it, and Textual/Rich markup. Each such
payload is put everywhere a corpus can carry text: the article body, every metadata field in
the file and in sources.toml, and the file's name. `reader ask`, `reader read`, `reader
sources`, `reader index` and the app must show each one as visible, inert text.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from index.articles import Article, Paragraph
from index.corpus import ArticleInfo, Corpus
from index.result import Answer, ArticleRef, Group, Passage, SearchResult, SourceResult
from reader import cli
from reader.render import Style, render_article, render_ask, render_sources
from reader.textsafe import BIDI_CONTROLS, terminal_safe_json
from tests.hostile_counts import attempt
from tests.tui_helpers import ask, run_async, screen_text, settle

pytest_plugins = ["tests.hostile_counts"]

PAYLOADS = {
    "csi-colour": "\x1b[31mred\x1b[0m",
    "clear-screen": "\x1b[2J\x1b[H",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "osc0-title": "\x1b]0;owned\x07",
    "osc8-hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "dcs-query": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b31m",
    "c1-osc": "\x9d0;owned\x9c",
    "bell": "\x07\x07",
    "backspaces": "safe\b\b\b\bEVIL",
    "carriage-return": "shown\roverwritten",
    "bidi-override": "\u202egnp.exe",
    "bidi-isolate": "\u2067rtl\u2069",
    "line-separator": "one\u2028two",
    "rich-markup": "[bold red]loud[/]",
    "textual-click": "[@click=app.quit]quit[/]",
    "rich-link": "[link=https://evil.example]x[/link]",
    "textual-variable": "$accent",
}
ALL = "".join(PAYLOADS.values())
MARKUP = ("[bold red]loud[/]", "[@click=app.quit]quit[/]", "[link=https://evil.example]x[/link]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the styling the renderer adds itself on a terminal
WORD = "lighthouse"


def assert_inert(output: str) -> None:
    """No character a terminal acts on: C0 (but newline), DEL, C1, bidi, surrogates."""
    for char in output:
        code = ord(char)
        assert not (code < 0x20 and char != "\n"), repr(char)
        assert not 0x7F <= code <= 0x9F, repr(char)
        assert char not in BIDI_CONTROLS and char not in "\u2028\u2029", repr(char)
        assert not 0xD800 <= code <= 0xDFFF, repr(char)


def assert_styled_inert(output: str) -> None:
    """Terminal output: only the renderer's own SGR styling may use escape sequences."""
    assert_inert(SGR.sub("", output))


# --------------------------------------------------------------------------- renderers


def hostile_result() -> tuple[SearchResult, Article, list[ArticleInfo]]:
    """Results and articles whose every string holds every payload, as if the engine had
    let them all through (the renderer must not rely on the engine's cleaning)."""
    text = f"The {WORD} keeper said {ALL} and left."
    span = (text.index(WORD), text.index(WORD) + len(WORD))
    key = f"feed{ALL}.jsonl#1"
    answer = Answer(f"value {ALL}", text, span, key, 0, 0.9, "A", stance=ALL, cites=ALL)
    passage = Passage(key, 0, 1.5, text, terms=[span], sentences=[(0, len(text))])
    ref = ArticleRef(id=key, title=f"Title {ALL}", url=ALL, date=ALL)
    result = SearchResult(
        question=f"Where {ALL}?",
        sources=[SourceResult(f"Outlet {ALL}", [ref], [passage], answer)],
        verdict="conflict",
        groups=[Group("A", f"group {ALL}", [f"Outlet {ALL}"])],
        notes=[f"note {ALL}"],
    )
    article = Article(
        key=key,
        path=key,
        source=f"Outlet {ALL}",
        title=f"Title {ALL}",
        author=ALL,
        date=ALL,
        url=ALL,
        paragraphs=[Paragraph(text, [(0, len(text))])],
    )
    info = ArticleInfo(key, key, f"Outlet {ALL}", f"Title {ALL}", ALL, ALL, ALL, 1, 10, [key])
    return result, article, [info]


def test_every_renderer_shows_every_payload_as_text() -> None:
    result, article, infos = hostile_result()
    with attempt("injection payload", len(PAYLOADS)):
        for style in (Style(ansi=False, colour=False), Style(ansi=True, colour=True)):
            for output in (
                render_ask(result, style),
                render_article(article, style, copies=[article.key]),
                render_sources(infos, style),
            ):
                assert_styled_inert(output)
                plain = SGR.sub("", output)
                assert "␛]52;c;cm0gLXJmIH4=" in plain and "␛[2J" in plain
                for markup in MARKUP:
                    assert markup in plain


def test_json_output_escapes_what_a_terminal_would_act_on() -> None:
    result, _, _ = hostile_result()
    with attempt("injection payload", len(PAYLOADS)):
        document = terminal_safe_json(json.dumps(result.to_json(), ensure_ascii=False))
        assert_inert(document)
        assert json.loads(document) == json.loads(json.dumps(result.to_json()))


# --------------------------------------------------------------------------- the CLI


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: every control character as a \\u escape."""
    return (
        '"'
        + "".join(
            f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in '"\\' else c
            for c in text
        )
        + '"'
    )


@pytest.fixture(scope="module")
def payload_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus with the payloads in bodies, fields, sources.toml, file names and HTML."""
    root = tmp_path_factory.mktemp("payloads") / "corpus"
    root.mkdir()
    rng = random.Random(4)
    filler = ["gull", "storm", "ferry", "rope", "anchor", "tide", "beacon", "cliff", "fog"]
    records = [
        {
            "id": name,
            "title": f"{name} title {payload}",
            "source": f"Outlet {payload}",
            "author": f"Author {payload}",
            "date": payload,
            "url": f"https://example.org/{payload}",
            # Different words in each, so no two records are taken for copies of one story.
            "text": f"The {WORD} keeper reported {payload} on the rocks.\n\n"
            + " ".join(rng.choice(filler) for _ in range(40))
            + f".\n\nA last paragraph about the {WORD} mentions {payload} again.",
        }
        for name, payload in PAYLOADS.items()
    ]
    (root / "feed.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in records), encoding="utf-8"
    )
    named = f"named{PAYLOADS['osc0-title']}{PAYLOADS['c1-csi']}{PAYLOADS['bidi-override']}.txt"
    (root / named).write_text(f"The {WORD} in a file with a hostile name.\n", encoding="utf-8")
    (root / "page.html").write_text(
        f"<title>Page &#27;]0;owned&#7;</title><p>The {WORD} page &#27;[2J &#155;31m "
        "&#8238;evil [bold]x[/bold]</p>",
        encoding="utf-8",
    )
    (root / "sources.toml").write_text(
        f'["page.html"]\ntitle = {toml_string("Page " + ALL)}\n'
        f"outlet = {toml_string('Toml ' + ALL)}\nauthor = [{toml_string(ALL)}]\n",
        encoding="utf-8",
    )
    return root, root.parent / "ix"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(args) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_every_command_shows_every_payload_as_text(
    payload_corpus: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: bool,
) -> None:
    root, index_dir = payload_corpus
    if terminal:  # as on a terminal: the renderer's own styling is on
        monkeypatch.setattr(Style, "for_stream", classmethod(lambda cls, s: cls(True, True)))
    common = ["--corpus", str(root), "--index", str(index_dir)]
    corpus = Corpus.open(root, index_dir=index_dir)
    keys = [info.key for info in corpus.articles()]
    assert len(keys) == len(PAYLOADS) + 2
    with attempt("injection payload", len(PAYLOADS)):
        outputs = [
            run_cli(["index", *common], capsys),
            run_cli(["sources", *common], capsys),
            run_cli(["ask", f"What did the {WORD} keeper report?", *common], capsys),
            run_cli(["ask", f"{WORD} {ALL}", "--passages", "5", *common], capsys),
            *(run_cli(["read", key, *common], capsys) for key in keys),
        ]
        for output in outputs:
            assert_styled_inert(output)
        shown = SGR.sub("", "\n".join(outputs))
        for markup in MARKUP:
            assert markup in shown  # markup is shown as the text it is
        assert "named␛]0;owned" in shown  # in a file name, where nothing removes it
        json_out = run_cli(["ask", f"{WORD} {ALL}", "--json", *common], capsys)
        assert_inert(json_out)
        assert json.loads(json_out)["question"] == f"{WORD} {ALL}"


def test_error_messages_quoting_paths_and_values_are_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / f"missing{PAYLOADS['osc52-clipboard']}{PAYLOADS['c1-csi']}"
    metadata_broken = tmp_path / "corpus"
    metadata_broken.mkdir()
    (metadata_broken / "a.txt").write_text(f"The {WORD}.\n")
    (metadata_broken / "sources.toml").write_text(
        f"[{toml_string('a' + ALL)}]\ntitle = 1\n", encoding="utf-8"
    )
    with attempt("injection payload", 2):
        for args in (
            ["ask", "anything at all", "--corpus", str(hostile)],
            ["index", "--corpus", str(metadata_broken), "--index", str(tmp_path / "ix")],
        ):
            assert cli.main(args) == 2
            err = capsys.readouterr().err
            assert_inert(err)
            assert err.splitlines()[-1].startswith("reader: error: ")


# --------------------------------------------------------------------------- the app

SIZE = (140, 50)


def assert_screen_inert(app) -> str:
    shown = screen_text(app)
    assert_inert(shown)
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is not None:
                assert not style.link, segment
                assert "@click" not in (style.meta or {}), segment
    return shown


@run_async
async def test_the_app_shows_every_payload_in_the_corpus_as_text(
    payload_corpus: tuple[Path, Path],
) -> None:
    from reader.tui.app import ReaderApp
    from reader.tui.library_screen import LibraryScreen

    root, index_dir = payload_corpus
    app = ReaderApp(root, index_dir)
    with attempt("injection payload", len(PAYLOADS)):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await ask(pilot, f"What did the {WORD} keeper report?")
            shown = assert_screen_inert(app)
            assert "Outlet" in shown and WORD in shown
            await pilot.press("tab", "enter")  # open the first passage's article
            await settle(pilot)
            assert_screen_inert(app)
            await app.run_action("library")  # every title, outlet and date
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            shown = assert_screen_inert(app)
            assert "title [bold red]loud[/]" in shown
            for _ in range(len(PAYLOADS) + 2):  # open every article in turn
                await pilot.press("down", "enter")
                await settle(pilot)
                assert_screen_inert(app)
            await pilot.click()  # clicking anywhere runs nothing
            assert app.is_running


@run_async
async def test_the_app_shows_a_question_holding_payloads_as_text(sample_index) -> None:
    from reader.tui.app import ReaderApp

    app = ReaderApp(corpus=sample_index)
    with attempt("injection payload"):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await ask(pilot, f"Where does Marinelli live? {ALL}")
            assert_screen_inert(app)


@run_async
async def test_the_app_shows_an_error_quoting_a_payload_as_text(tmp_path: Path) -> None:
    from reader.tui.app import ReaderApp

    with attempt("injection payload"):
        app = ReaderApp(tmp_path / f"gone{PAYLOADS['osc0-title']}{PAYLOADS['rich-markup']}")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = assert_screen_inert(app)
            assert "corpus folder not found" in shown
            assert "␛]0;owned" in shown and "[bold red]loud[/]" in shown
