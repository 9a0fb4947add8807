"""Choosing the passages shown: the best few per source, sources ordered by their best.

Ties are broken by paragraph id (corpus order), so the same question always gives the same
answer. Of the hundred thousand paragraphs a common word touches, only those above a sampled
floor are ranked (`shown_passages`); the results are exactly those of ranking them all
(`best_per_source`, the plain form the tests hold it to).
"""

from __future__ import annotations

import numpy as np


def best_per_source(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """Up to `per_source` best paragraphs of each of the `max_sources` best sources.

    Returns (paragraph, score) best first, and how many sources matched at all. Sources rank
    by their best paragraph; ties go to the lower paragraph id, so results are stable. A
    paragraph may be given more than once (once per query term it has, always with the same
    score, as `PostingsScorer.posting_scores` gives them); it counts once. Scores are finite.

    A common word touches a hundred thousand paragraphs, of which a few dozen are shown: no
    sort of them all. One pass finds each source's best score (`np.maximum.at`), which ranks
    the sources; a sample sets a floor under each chosen source's shown scores, and one pass
    keeps what is above it; then each chosen source's next best is found like its best,
    `per_source` times, over what is left. Every pass is linear and vectorised. A few
    thousand entries are simply sorted: those passes cost more in calls than in work.
    """
    if docs.size == 0 or per_source <= 0:
        return [], 0
    scores = np.asarray(scores, np.float64)
    if docs.size <= SORT_UP_TO:
        return _best_per_source_sorted(docs, scores, paragraph_source, per_source, max_sources)
    sources = paragraph_source[docs]
    count = int(sources.max()) + 1
    best, lowest = _group_best(sources, scores, docs, count)
    ranked = np.flatnonzero(best > -np.inf)  # scores are finite: these are the sources present
    matched = int(ranked.size)
    ranked = ranked[np.lexsort((lowest[ranked], -best[ranked]))][:max_sources]
    chosen = np.zeros(count, np.bool_)
    chosen[ranked] = True
    within = _contenders(sources, scores, docs, chosen, per_source)
    _, first = np.unique(docs[within], return_index=True)  # each paragraph once
    within = within[first]
    top = _top_per_group(sources[within], scores[within], docs[within], count, per_source)
    picked = within[top]
    picked = picked[np.lexsort((docs[picked], -scores[picked]))]
    return [(int(d), float(s)) for d, s in zip(docs[picked], scores[picked], strict=True)], matched


# Up to this many entries, or when fewer than SHOWN_SHARE of them could be shown,
# `shown_passages` ranks them all; above, it ranks those above a floor first.
SELECT_WHOLE_UP_TO = 8_192
# The floor is set so that about this many entries per shown passage are above it...
FLOOR_ENTRIES_PER_SHOWN = 8
# ... as counted in a regular sample of about this many entries.
FLOOR_SAMPLE = 4_096


def shown_passages(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None,
    sources: np.ndarray | None = None,
    repeats: int | None = None,
) -> list[tuple[int, float]]:
    """`best_per_source`'s passages, ranking only the entries that can be shown.

    A common word gives a hundred thousand entries, of which a few dozen are shown. A
    regular sample sets a floor that about `FLOOR_ENTRIES_PER_SHOWN` entries per shown
    passage exceed; the entries at or above it are ranked (by `best_per_source`). Every
    source with an entry there ranks above every source without one, so when at least
    `max_sources` sources are there, the shown sources are those `best_per_source` picks
    among them. A shown source with fewer than `per_source` paragraphs there gets its best
    other entries ranked too (`sources`, the source of each entry, saves looking them up;
    `repeats` bounds how many entries one paragraph has, by default `docs.size`). Otherwise
    (few sources above the floor) everything is ranked.
    """
    repeats = docs.size if repeats is None else repeats
    wanted = per_source * (max_sources or 0)
    if (
        max_sources is None
        or wanted <= 0
        or docs.size <= SELECT_WHOLE_UP_TO
        or wanted * FLOOR_ENTRIES_PER_SHOWN * 4 > docs.size
    ):
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    step = max(1, docs.size // FLOOR_SAMPLE)
    sample = scores[::step]
    above_in_sample = max(1, wanted * FLOOR_ENTRIES_PER_SHOWN // step)
    if above_in_sample >= sample.size:
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    floor = np.partition(sample, sample.size - above_in_sample)[sample.size - above_in_sample]
    above = np.flatnonzero(scores >= floor)
    picked, present = best_per_source(
        docs[above], scores[above], paragraph_source, per_source, max_sources
    )
    if present < max_sources:
        return best_per_source(docs, scores, paragraph_source, per_source, max_sources)[0]
    counts: dict[int, int] = {}
    for doc, _ in picked:
        source = int(paragraph_source[doc])
        counts[source] = counts.get(source, 0) + 1
    short = [source for source, count in counts.items() if count < per_source]
    if not short:
        return picked
    if sources is None:
        sources = paragraph_source[docs]
    is_short = np.zeros(max(short) + 1, np.bool_)
    is_short[short] = True
    rest = np.flatnonzero(is_short[np.minimum(sources, is_short.size - 1)] & (scores < floor))
    # Of each short source's other entries only its best `per_source * repeats` can matter
    # (a paragraph has at most `repeats` entries), and any tied with the last of them.
    keep = [above]
    most = per_source * repeats
    rest_sources = sources[rest]
    for source in short:
        here = rest[rest_sources == source]
        if here.size > most:
            values = scores[here]
            least = np.partition(values, values.size - most)[values.size - most]
            here = here[values >= least]
        keep.append(here)
    kept = np.concatenate(keep)
    return best_per_source(docs[kept], scores[kept], paragraph_source, per_source, max_sources)[0]


# Up to this many entries `best_per_source` sorts them.
SORT_UP_TO = 2_048


def _best_per_source_sorted(
    docs: np.ndarray,
    scores: np.ndarray,
    paragraph_source: np.ndarray,
    per_source: int,
    max_sources: int | None,
) -> tuple[list[tuple[int, float]], int]:
    """`best_per_source` by its definition: each paragraph once, best first (ties: lower
    id); sources in order of their best; each chosen source's first `per_source`."""
    unique, first = np.unique(docs, return_index=True)
    values = scores[first]
    order = np.lexsort((unique, -values))
    unique, values = unique[order], values[order]
    sources = paragraph_source[unique].tolist()
    ranked = list(dict.fromkeys(sources))
    taken = dict.fromkeys(ranked[:max_sources], 0)
    out = []
    for doc, score, source in zip(unique.tolist(), values.tolist(), sources, strict=True):
        count = taken.get(source)
        if count is not None and count < per_source:
            taken[source] = count + 1
            out.append((doc, score))
    return out, len(ranked)


# Up to this many entries the chosen sources' paragraphs are ranked whole; above, a sample of
# about that many (one entry in 8 at least) first sets a floor under each source's shown scores.
RANK_WHOLE_UP_TO = 4_096


def _contenders(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, chosen: np.ndarray, per_group: int
) -> np.ndarray:
    """Positions of the chosen groups' entries that may be among their group's best
    `per_group`; the others certainly are not.

    The chosen sources of a common-word question still hold tens of thousands of touched
    paragraphs, nearly all of them scoring far below the shown ones. The `per_group`-th best
    score of a group within any subset of its entries is at most its `per_group`-th best
    overall, so it is a floor: nothing below it can be shown. A regular sample gives every
    large group such a floor at a small fraction of the cost of ranking them whole; a group
    with fewer than `per_group` paragraphs in the sample keeps all its entries.
    """
    if scores.size <= RANK_WHOLE_UP_TO:
        return np.flatnonzero(chosen[groups])
    sample = np.arange(0, scores.size, max(8, scores.size // RANK_WHOLE_UP_TO))
    sample = sample[chosen[groups[sample]]]
    count = chosen.size
    top = sample[_top_per_group(groups[sample], scores[sample], docs[sample], count, per_group)]
    # Each sampled group's `per_group`-th best: the lowest of its best `per_group` paragraphs,
    # if it has that many (a paragraph may be there twice: it is counted once).
    _, first = np.unique(docs[top], return_index=True)
    distinct = np.bincount(groups[top[first]], minlength=count)
    floor = np.full(count, np.inf)  # groups not chosen: nothing
    np.minimum.at(floor, groups[top], scores[top])
    floor[chosen & (distinct < per_group)] = -np.inf
    return np.flatnonzero(scores >= floor[groups])


def _group_best(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each group's best score, and the lowest id among its entries with that score."""
    best = np.full(count, -np.inf)
    np.maximum.at(best, groups, scores)
    at_best = np.flatnonzero(scores == best[groups])
    lowest = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(lowest, groups[at_best], docs[at_best])
    return best, lowest


def _top_per_group(
    groups: np.ndarray, scores: np.ndarray, docs: np.ndarray, count: int, per_group: int
) -> np.ndarray:
    """Positions of each group's best `per_group` entries (score descending, id ascending)."""
    if per_group > 8:
        # Many per group: one sort beats a pass per rank.
        order = np.lexsort((docs, -scores, groups))
        ordered = groups[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
        return order[rank < per_group]
    live = scores.copy()
    taken = []
    for _ in range(per_group):
        best, lowest = _group_best(groups, live, docs, count)
        take = np.flatnonzero((live == best[groups]) & (docs == lowest[groups]))
        take = take[live[take] > -np.inf]
        if take.size == 0:
            break
        taken.append(take)
        live[take] = -np.inf
    return np.concatenate(taken) if taken else np.empty(0, np.int64)
