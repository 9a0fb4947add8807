"""The words a result is summed up in, shared by `reader ask` and the app.

Both say the verdict, who is in each answer group (and whom they cite) and how many matching
sources are not listed in the same words; only the styling differs. This module imports only
the engine's result types (no numpy), so the app can use it before the engine has loaded.
"""

from __future__ import annotations

from index.result import Group, SearchResult

VERDICT_HEADLINES = {
    "conflict": "Sources disagree",
    "variant": "Sources agree, in different words",
    "compatible": "Sources agree, at different levels of detail",
    "agree": "Sources agree",
    "single": "One source answers",
    "unanswered": "No source answers this",
}


def headline(verdict: str) -> str:
    """The summary's first words for a verdict (an unknown verdict is shown as it is)."""
    return VERDICT_HEADLINES.get(verdict, verdict)


def group_members(result: SearchResult) -> list[tuple[Group, list[str]]]:
    """Each answer group with its sources, a source that attributes its claim to another
    named `X citing Y`: a claim repeated from one origin is not independent agreement."""
    cites = {s.source: s.answer.cites for s in result.sources if s.answer and s.answer.cites}
    return [
        (group, [f"{n} citing {cites[n]}" if n in cites else n for n in group.sources])
        for group in result.groups
    ]


def unlisted_sources(result: SearchResult) -> int:
    """Sources with a matching passage that the result does not list (past the engine's cap)."""
    listed = sum(1 for s in result.sources if s.passages)
    return max(result.matched_sources - listed, 0)
