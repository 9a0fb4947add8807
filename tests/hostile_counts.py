"""Counts of the hostile inputs tried and the faults injected, reported at the end of a run.

The hostile-input, fault, injection and question tests register this plugin (their
`pytest_plugins`) and wrap every case in `attempt(kind)`: a case counts as handled only when
its checks all passed, so the summary line is evidence, not a tally of intentions. Cases in
tests marked xfail (known faults in code another change must fix; the mark says how) are
counted apart, so a new failure still stands out.

(PYTEST_DONT_REWRITE: the test modules import this before pytest loads it as a plugin.)
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest

# What each kind of case is called in the summary, and the verb for trying one.
KINDS = {
    "hostile input": "tried",
    "fault": "injected",
    "injection payload": "shown",
    "hostile question": "asked",
}

TRIED: Counter[str] = Counter()
HANDLED: Counter[str] = Counter()
KNOWN: Counter[str] = Counter()  # failed inside a test marked xfail
_FAILED_IN: defaultdict[str, Counter[str]] = defaultdict(Counter)
_current_test = [""]


@contextlib.contextmanager
def attempt(kind: str, count: int = 1) -> Iterator[None]:
    """Count `count` cases of `kind` as tried now, and as handled if the block completes."""
    assert kind in KINDS, kind
    TRIED[kind] += count
    try:
        yield
    except BaseException:
        _FAILED_IN[_current_test[0]][kind] += count
        raise
    HANDLED[kind] += count


def pytest_runtest_setup(item: pytest.Item) -> None:
    _current_test[0] = item.nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and getattr(report, "wasxfail", None) is not None:
        KNOWN.update(_FAILED_IN.pop(report.nodeid, Counter()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TRIED:
        return
    terminalreporter.section("hostile inputs and faults")
    for kind, verb in KINDS.items():
        if not TRIED[kind]:
            continue
        line = f"{kind}s: {TRIED[kind]} {verb}, {HANDLED[kind]} handled"
        if KNOWN[kind]:
            line += f", {KNOWN[kind]} known fault(s) marked xfail"
        if HANDLED[kind] + KNOWN[kind] < TRIED[kind]:
            line += "  <-- NOT ALL HANDLED"
        terminalreporter.write_line(line)
