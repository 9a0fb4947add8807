"""The real `reader` command in a real terminal (tmux, 120×40): ask, and read what is on screen.

Run alone with `.venv/bin/python -m pytest tests/test_tui_tmux.py -q`. It uses a private tmux
server (its socket in the test's temporary folder) and a fresh cache, so it neither touches
other tmux sessions nor reuses an index: the first screen is the indexing progress, then the
app.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui_helpers import QUESTION, pane_lines, summary_groups

READER = Path(sys.executable).with_name("reader")

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not READER.exists(), reason="the reader command is not installed"),
]


class Tmux:
    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        if out.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {out.stderr.strip()}")
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "reader")

    def wait_for(self, ready: Callable[[str], bool], what: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if ready(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{text}")


@pytest.fixture
def tmux(tmp_path: Path):
    server = Tmux(tmp_path / "tmux.sock")  # a private server, its socket in the test's folder
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # the question history
        "TERM": "xterm-256color",
    }
    # COLUMNS/LINES, if inherited, would override the pane's real size for the app.
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env -u COLUMNS -u LINES {assigns} {shlex.quote(str(READER))}"
    server.run(
        "-f", "/dev/null", "new-session", "-d", "-s", "reader", "-x", "120", "-y", "40", command
    )
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-S", server.socket, "kill-server"], capture_output=True)


def test_reader_answers_in_a_real_terminal(tmux: Tmux) -> None:
    # The index is built on first start; the app shows it and then says it is ready.
    tmux.wait_for(lambda s: "Ready." in s, "the app to open the corpus", timeout=120)
    tmux.run("send-keys", "-t", "reader", "-l", QUESTION)
    tmux.run("send-keys", "-t", "reader", "Enter")
    # The passages are drawn first ("… · finding answers…" on the status line), the answers
    # when found.
    tmux.wait_for(lambda s: "passages from" in s and "finding" not in s, "the answers", timeout=60)
    # The article pane follows the answer once the answer is drawn (a frame or two later).
    screen = tmux.wait_for(
        lambda s: "Select a passage" not in "\n".join(pane_lines(s, "Article")),
        "the article pane to follow the answer",
        timeout=10,
    )

    lines = screen.splitlines()
    assert len(lines) == 40 and max(len(line) for line in lines) <= 120
    assert QUESTION in screen
    # The disagreement summary: Bloomberg and the blog in different answer groups.
    headline, groups = summary_groups(screen)
    assert headline == "Sources disagree", screen
    bloomberg = [letter for letter, text in groups.items() if "Bloomberg" in text]
    blog = [letter for letter, text in groups.items() if "blog" in text]
    assert bloomberg and blog and set(bloomberg).isdisjoint(blog), groups
    # Each source's group in the results, with its letter.
    results = "\n".join(pane_lines(screen, "Results"))
    assert re.search(rf"\[{blog[0]}\] blog", results), screen
    # The article pane shows the selected passage's article.
    article = "\n".join(pane_lines(screen, "Article"))
    assert "Marinelli" in article, article

    # Answered, the results have the keys; `/` goes back to the question, selected: what is
    # typed replaces it (q is typed there, not quit).
    tmux.wait_for(lambda s: "q Quit" in s, "the results pane's keys in the footer", timeout=10)
    tmux.run("send-keys", "-t", "reader", "/")
    # As a person does, type once the question box has the keys (the footer no longer offers
    # the results' q): a key sent sooner goes to the pane that had them, Textual forwarding
    # each key to the widget focused when it arrives.
    tmux.wait_for(lambda s: "q Quit" not in s, "the question box to have the keys", timeout=10)
    tmux.run("send-keys", "-t", "reader", "q")
    tmux.wait_for(
        lambda s: re.search(r"▊  q\s+▎", s) is not None, "q typed over the question", timeout=10
    )
    tmux.run("send-keys", "-t", "reader", "Tab")
    tmux.wait_for(lambda s: "q Quit" in s, "the results pane's keys in the footer", timeout=10)
    tmux.run("send-keys", "-t", "reader", "q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done = subprocess.run(
            ["tmux", "-S", tmux.socket, "has-session", "-t", "reader"], capture_output=True
        )
        if done.returncode != 0:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("q in the results pane did not quit the app")
