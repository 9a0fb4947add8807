"""How fast the reader app feels: startup to a usable input, and Enter to painted results.

    python benchmarks/tui_latency.py [--runs 5] [--corpus DIR [--index DIR]]

Runs the installed `reader` command in a pseudo-terminal (120×40), as a user's terminal
would, and reads what it draws:
  startup       process start -> the question box is drawn (the user can type)
  corpus ready  process start -> "Ready." (the index is open; a question is answered at once)
  answer        Enter -> the status line and the results for that question are drawn, answers
                included (the status line's "N passages from M sources · <keys>", not the
                "· finding answers…" drawn with the passages first, then, when N > 0, the
                passage headings "· score" in the results pane, whichever is drawn last)
The index is built once beforehand (`reader index`), so startup is measured on a fresh index;
a cold start (no index) is timed once as well. Targets: startup <= 1.0 s, answer <= 100 ms.

With `--index DIR` (an archive, e.g. the AllSides corpus, indexed beforehand) the index is used
as it is and never written: no cold start, no `reader index`, and the benchmark stops if the
index is not up to date. The questions are then an archive reader's: a few of its article
titles asked as "What happened with <title>?" (chosen with a fixed seed) and short who / where /
when questions about US news. On an archive answering every source takes seconds, so each
question is timed in its phases:
  results       Enter -> the first results drawn (passages, before any source's answer): the
                status line "N passages from M sources" and a passage heading or the summary
  answers       Enter -> every source's answer and the comparison drawn (the status line
                without "finding …")
and, while the answers are being found, typing is timed:
  key echo      a character typed into the question box -> drawn; `j` in the results pane ->
                the first thing drawn after it (the selection moving). Target: <= 50 ms.
An app that draws nothing before the answers has "results" equal to "answers".
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

READER = Path(sys.executable).with_name("reader")
READER_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
QUESTIONS = [
    "Where does Marinelli live?",
    "Who opened an embassy in Moscow?",
    "When will the independence referendum be held?",
    "Who supports the California secession movement?",
    "What does Marinelli teach?",
]
# Short questions about US news in general (who / where / when / how many), for an archive.
ARCHIVE_QUESTIONS = [
    "Who won the Senate race in Georgia?",
    "Where did the president speak?",
    "When will the Supreme Court rule on abortion?",
    "Who is the speaker of the House?",
    "How many people died in the hurricane?",
]
TITLE_QUESTIONS = 3
TITLE_SEED = 20261122
# The status line once a question is answered: "12 passages from 4 sources · …".
STATUS = re.compile(r"(\d+) passages? from \d+ sources?")
# The status line while the sources' answers are still being found (drawn first, with the
# passages, by an app that paints in two phases): "12 passages from 4 sources · finding …".
ANSWERING = re.compile(r"(\d+) passages? from \d+ sources? · (?:finding|answers from)")
# The status line once every answer is in: anything but the in-progress wording.
ANSWERED = re.compile(r"(\d+) passages? from \d+ sources? · (?!finding|answers from)")
# Drawn in the results pane with a question's results: a passage's heading, or the agreement
# summary (on an archive its answer groups, "[A] ...", can fill the first screen).
RESULTS_DRAWN = re.compile(r" · score |\[A\] |with passages on this|No passage matches")
# Typed while answering, to time the echo: drawn nowhere else on the screen.
ECHO_CHAR = "~"
ECHO_KEYS = 3
# Seconds after Enter before the keys are typed: after the first results' target (150 ms).
KEYS_AFTER = 0.25
# Terminal control sequences, removed so that drawn text can be searched.
ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"  # charsets, keypad modes, cursor save/restore
)


class Terminal:
    """`reader` on a pty, and the text it has drawn (control sequences removed), with times."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 40):
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal size is set before the app asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.raw = b""
        self.text = ""
        self.arrivals: list[tuple[int, float]] = []  # (drawn text length, time it arrived)
        self.searched_from = 0

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            raise TimeoutError(f"the app exited; last drawn: {self.text[-600:]!r}") from None
        now = time.perf_counter()
        self.raw += chunk
        self.text = ANSI.sub("", self.raw.decode("utf-8", "replace"))
        self.arrivals.append((len(self.text), now))

    def wait_for(self, text: str, timeout: float = 60.0) -> float:
        """When `text` was first drawn after the previous match (or `send`)."""
        return self.wait_for_match(re.compile(re.escape(text)), timeout)[0]

    def wait_for_match(self, pattern: re.Pattern[str], timeout: float = 60.0):
        """When `pattern` was first drawn after the previous match (or `send`), and the match."""
        deadline = time.perf_counter() + timeout
        while True:
            found = pattern.search(self.text, self.searched_from)
            if found:
                self.searched_from = found.end()
                return next(t for length, t in self.arrivals if length >= found.end()), found
            if time.perf_counter() > deadline:
                raise TimeoutError(
                    f"{pattern.pattern!r} was not drawn within {timeout}s; last drawn: "
                    f"{self.text[-300:]!r}"
                )
            self._read(0.05)

    def drawn_since(self, pattern: re.Pattern[str], start: int) -> bool:
        """Whether `pattern` has been drawn after position `start` of the drawn text."""
        while select.select([self.fd], [], [], 0)[0]:
            self._read(0)
        return pattern.search(self.text, start) is not None

    def pump(self, seconds: float) -> None:
        """Read what is drawn for `seconds` (what is drawn is timed as it arrives)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self._read(left)

    def quiet(self, seconds: float, timeout: float = 60.0) -> None:
        """Read until nothing has been drawn for `seconds`: the app has handled every key."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            before = len(self.raw)
            self.pump(seconds)
            if len(self.raw) == before:
                return

    def wait_for_output(self, timeout: float = 10.0) -> float:
        """When the first thing was drawn after the previous `send`."""
        deadline = time.perf_counter() + timeout
        while len(self.text) <= self.searched_from:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"nothing was drawn within {timeout}s")
            self._read(0.05)
        return next(t for length, t in self.arrivals if length > self.searched_from)

    def send(self, data: str) -> float:
        """Type `data`; later matches must be drawn after this."""
        while select.select([self.fd], [], [], 0)[0]:
            self._read(0)
        self.searched_from = len(self.text)
        os.write(self.fd, data.encode("utf-8"))
        return time.perf_counter()

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def ask(term: Terminal, question: str) -> float:
    """Type `question` into the question box and press Enter; when Enter was sent.

    `/` brings the box back (after an answer the results have the focus; in the box itself it
    is typed, and cleared with the rest), the box is cleared (ctrl+u), and an empty question
    is submitted: it replaces the status line, so the previous answer's status, which the
    next one may repeat word for word, cannot be taken for this one's if the terminal redraws
    that line.
    """
    term.send("/")
    time.sleep(0.1)
    term.send("\x15")
    term.send("\r")
    term.wait_for("Type a question first.")
    time.sleep(0.2)
    term.send(question)
    term.wait_for(question[-12:])
    return term.send("\r")


def session(env: dict[str, str], questions: list[str]) -> tuple[float, float, list[float]]:
    term = Terminal([str(READER), *env.pop("_ARGS", "").split()], env)
    try:
        drawn = term.wait_for("Ask a question")
        ready = term.wait_for("Ready.", timeout=300)
        answers = []
        for question in questions:
            sent = ask(term, question)
            start = term.searched_from
            status_drawn, status = term.wait_for_match(ANSWERED)
            # The results pane may reach the terminal before or after the status line (the
            # focus moving to it redraws it): its passage headings are looked for from Enter.
            results_drawn = status_drawn
            if int(status[1]) > 0:
                term.searched_from = start
                results_drawn = term.wait_for(" · score ")
            answers.append(max(status_drawn, results_drawn) - sent)
        return drawn - term.started, ready - term.started, answers
    finally:
        term.close()


class Phased:
    """One archive question: when its results and its answers were drawn, and key echoes."""

    def __init__(self) -> None:
        self.results: list[float] = []
        self.answers: list[float] = []
        self.typed: list[float] = []  # a character typed into the question box, to its echo
        self.moved: list[float] = []  # j in the results pane, to the first thing drawn


def archive_session(argv: list[str], env: dict[str, str], questions: list[str], out: Phased):
    term = Terminal(argv, env)
    try:
        term.wait_for("Ask a question")
        term.wait_for("Ready.", timeout=300)
        for question in questions:
            # Back to the question box, from wherever the keys left the focus, once the app
            # has handled them all (the focus moves after the key is handled: keys queued
            # behind it would go to the pane it leaves).
            term.quiet(0.3)
            term.send("/")
            term.quiet(0.3)
            sent = ask(term, question)
            start = term.searched_from
            # Keys are typed once the first results are due (a two-phase app has drawn them;
            # either app is then finding answers); what they draw does not hide the results'
            # arrival time, which is read afterwards from the record of what came when.
            term.pump(KEYS_AFTER)
            _time_keys(term, start, out)
            term.searched_from = start
            first, status = term.wait_for_match(STATUS, timeout=300)
            if int(status[1]) > 0:
                first = max(first, term.wait_for_match(RESULTS_DRAWN)[0])
            out.results.append(first - sent)
            term.searched_from = start
            done, _ = term.wait_for_match(ANSWERED, timeout=300)
            out.answers.append(done - sent)
    finally:
        term.close()


def _time_keys(term: Terminal, start: int, out: Phased) -> None:
    """Type into the question box, then move in the results, while answers are being found
    (keys sent after the answers were drawn are not counted)."""
    for _ in range(ECHO_KEYS):
        if term.drawn_since(ANSWERED, start):
            return
        sent = term.send(ECHO_CHAR)
        out.typed.append(term.wait_for(ECHO_CHAR) - sent)
        term.pump(0.05)
    term.send("\t")  # the results pane
    term.pump(0.1)
    for _ in range(ECHO_KEYS):
        if term.drawn_since(ANSWERED, start):
            return
        sent = term.send("j")
        out.moved.append(term.wait_for_output() - sent)
        term.pump(0.05)


def archive_questions(root: Path, index_dir: Path) -> list[str]:
    """A few of the archive's own titles as questions, and the general US-news questions."""
    import random

    from index.corpus import Corpus

    corpus = Corpus.open(root, index_dir=index_dir)
    titles = sorted(
        {
            a.title.strip().rstrip("?.!:;")
            for a in corpus.articles()
            if a.title and 3 <= len(a.title.split()) <= 25 and a.title.isprintable()
        }
    )
    chosen = random.Random(TITLE_SEED).sample(titles, min(TITLE_QUESTIONS, len(titles)))
    return [f"What happened with {title}?" for title in chosen] + ARCHIVE_QUESTIONS


def run_archive(root: Path, index_dir: Path, runs: int) -> None:
    from index.search.lifecycle import needs_build

    if needs_build(root, index_dir):
        sys.exit(f"{index_dir} is not an up-to-date index of {root}: index it first")
    questions = archive_questions(root, index_dir)
    phased = Phased()
    argv = [str(READER), "--corpus", str(root), "--index", str(index_dir)]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": tmp,
            "TERM": "xterm-256color",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "XDG_CACHE_HOME": f"{tmp}/cache",
            "LANG": "C.UTF-8",
        }
        for _ in range(runs):
            archive_session(argv, env, questions, phased)
    print(f"reader TUI on an archive, {runs} runs of {len(questions)} questions, 120x40 pty")
    print(f"  corpus {root}, index {index_dir}")
    for question in questions:
        print(f"    {question}")
    for label, seconds in (
        ("Enter to first results drawn", phased.results),
        ("Enter to answers drawn", phased.answers),
        ("key echo while answering (typed)", phased.typed),
        ("key echo while answering (j)", phased.moved),
    ):
        if not seconds:
            print(f"  {label:<34} (none)")
            continue
        ms = sorted(x * 1000 for x in seconds)
        print(
            f"  {label:<34} median {statistics.median(ms):6.0f} ms   "
            f"p90 {ms[int(0.9 * (len(ms) - 1))]:6.0f} ms   max {ms[-1]:6.0f} ms   (n={len(ms)})"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"  load average (1, 5, 15 min) after measuring: {load} ({os.cpu_count()} cpus)")


def engine_times(corpus: Path | None, cache: Path, runs: int) -> list[float]:
    """Milliseconds `Corpus.ask` takes for the questions, in this process, index warm: the
    part of "Enter to results drawn" that is the engine's, not the app's."""
    os.environ["XDG_CACHE_HOME"] = str(cache)
    from index.corpus import Corpus

    root = corpus or READER_CORPUS
    opened = Corpus.open(root)
    for question in QUESTIONS:  # first asks fill the engine's caches, as in the app
        opened.ask(question, 3)
    times = []
    for _ in range(runs):
        for question in QUESTIONS:
            started = time.perf_counter()
            opened.ask(question, 3)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the bundled one)")
    parser.add_argument(
        "--index", type=Path, help="an archive's existing index (used read-only; needs --corpus)"
    )
    args = parser.parse_args()
    if not READER.exists():
        sys.exit(f"{READER} is missing: install the project first (pip install -e .)")
    if args.index is not None:
        if args.corpus is None:
            sys.exit("--index needs --corpus")
        run_archive(args.corpus.resolve(), args.index.resolve(), args.runs)
        return
    extra = f"--corpus {args.corpus}" if args.corpus else ""
    with tempfile.TemporaryDirectory() as tmp:
        base = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": tmp,
            "TERM": "xterm-256color",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "LANG": "C.UTF-8",
        }
        cold_env = {**base, "XDG_CACHE_HOME": f"{tmp}/cold", "_ARGS": extra}
        cold_drawn, cold_ready, _ = session(cold_env, [])
        warm = {**base, "XDG_CACHE_HOME": f"{tmp}/warm"}
        subprocess.run(
            [str(READER), "index", *extra.split()], env=warm, check=True, capture_output=True
        )
        drawn, ready, first, again = [], [], [], []
        for _ in range(args.runs):
            # Each question twice: its first ask in a session pays the engine's per-process
            # warm-up, the second is what asking feels like once the app has been used.
            d, r, a = session({**warm, "_ARGS": extra}, QUESTIONS + QUESTIONS)
            drawn.append(d)
            ready.append(r)
            first.extend(x * 1000 for x in a[: len(QUESTIONS)])
            again.extend(x * 1000 for x in a[len(QUESTIONS) :])
        engine = engine_times(args.corpus, Path(tmp) / "warm", args.runs)
    print(f"reader TUI latency, {args.runs} runs, 120x40 pty, corpus: {args.corpus or 'bundled'}")
    print(
        f"  startup to input drawn    median {statistics.median(drawn):.3f} s   "
        f"max {max(drawn):.3f} s   (target <= 1.0 s)"
    )
    print(
        f"  startup to corpus ready   median {statistics.median(ready):.3f} s   "
        f"max {max(ready):.3f} s"
    )
    print(f"  cold start (no index)     input drawn {cold_drawn:.3f} s, ready {cold_ready:.3f} s")
    for label, ms in (("first time in a session", first), ("asked again", again)):
        print(
            f"  Enter to results drawn, {label:<24} median {statistics.median(ms):4.0f} ms   "
            f"p90 {sorted(ms)[int(0.9 * (len(ms) - 1))]:4.0f} ms   max {max(ms):4.0f} ms"
        )
    print(
        f"  engine's Corpus.ask alone (in-process, warm)   "
        f"median {statistics.median(engine):4.0f} ms   max {max(engine):4.0f} ms"
        "   (the rest is the app; target <= 100 ms in all)"
    )
    load = os.getloadavg()[0]
    print(f"  machine load average while measuring: {load:.1f} ({os.cpu_count()} cpus)")


if __name__ == "__main__":
    main()
