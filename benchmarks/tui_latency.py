"""How fast the reader app feels: startup to a usable input, and Enter to painted results.

    python benchmarks/tui_latency.py [--runs 5] [--corpus DIR]

Runs the installed `reader` command in a pseudo-terminal (120×40), as a user's terminal
would, and reads what it draws:
  startup       process start -> the question box is drawn (the user can type)
  corpus ready  process start -> "Ready." (the index is open; a question is answered at once)
  answer        Enter -> the status line and the results for that question are drawn (the
                status line's "N passages from M sources", then, when N > 0, the passage
                headings "· score" in the results pane, whichever is drawn last)
The index is built once beforehand (`reader index`), so startup is measured on a fresh index;
a cold start (no index) is timed once as well. Targets: startup <= 1.0 s, answer <= 100 ms.
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
# The status line once a question is answered: "12 passages from 4 sources · …".
STATUS = re.compile(r"(\d+) passages? from \d+ sources?")
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
            raise TimeoutError("the app exited") from None
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
                raise TimeoutError(f"{pattern.pattern!r} was not drawn within {timeout}s")
            self._read(0.05)

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


def session(env: dict[str, str], questions: list[str]) -> tuple[float, float, list[float]]:
    term = Terminal([str(READER), *env.pop("_ARGS", "").split()], env)
    try:
        drawn = term.wait_for("Ask a question")
        ready = term.wait_for("Ready.", timeout=300)
        answers = []
        for question in questions:
            term.send("\x15")  # ctrl+u clears the question box
            # An empty question replaces the status line, so the previous answer's status,
            # which the next one may repeat word for word, cannot be taken for it if the
            # terminal redraws that line.
            term.send("\r")
            term.wait_for("Type a question first.")
            time.sleep(0.2)
            term.send(question)
            term.wait_for(question[-12:])
            sent = term.send("\r")
            status_drawn, status = term.wait_for_match(STATUS)
            # The results pane is drawn below the status line: in the same frame, its
            # passage headings come after the status in what the terminal receives.
            results_drawn = term.wait_for(" · score ") if int(status[1]) > 0 else status_drawn
            answers.append(max(status_drawn, results_drawn) - sent)
        return drawn - term.started, ready - term.started, answers
    finally:
        term.close()


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
    args = parser.parse_args()
    if not READER.exists():
        sys.exit(f"{READER} is missing: install the project first (pip install -e .)")
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
