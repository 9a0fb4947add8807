"""`reader` at archive scale: build, query, cold start and refresh on the AllSides corpus,
side by side with rank-bm25, bm25s and tantivy on the same tokens.

    .venv/bin/python benchmarks/scale.py [--articles N] [--queries 200] [--skip-peers]
    .venv/bin/python benchmarks/scale.py --backend opensearch [...]   (scale_opensearch.py)

Prints one table of medians, percentiles, ratios to the peers and PASS/MISS per target of
issue 5. A missed target is reported, never an error: the exit status is 1 only when reader's
scores differ from rank-bm25's (the index's defining invariant), 2 when a step crashed.

The corpus is ../shared/data/allsides-article-bias (37,554 articles from 491 outlets), read at
run time and never copied into the repository; everything is built in a temporary folder.
  * The last 100 articles are held out of the first build; adding them back as a new
    `.jsonl` file is the refresh step, and the refreshed index is compared with a build from
    scratch of the whole corpus, which is also the build that is timed.
  * --articles N takes the first N articles (the shards are ordered by a hash of the article
    id, so that is an unbiased sample). Above 37,554 the extra articles are "mosaics": each
    copies the outlet, title and paragraph count of a real article but takes its paragraphs
    from random other articles. Real sentences and vocabulary, the same length distribution,
    and no copy of any one article (a 3-gram Jaccard far below the duplicate threshold), so a
    doubled corpus is not collapsed into duplicate groups. The vocabulary does not grow as a
    real archive's would; postings, paragraphs and text all double.
  * Questions are article titles as a reader would ask about them ("What happened with
    <title>?"), a seed-fixed sample of real (not mosaic) articles.
  * Peers get reader's own terms (index.search.tokens) of the paragraphs the index scores (the
    shown copy of each article, read back from the index), so only the engines differ.
    rank-bm25 scores every paragraph in Python for every query (seconds per query at this
    size), so it is timed on a subsample (--check-queries); the same subsample checks that
    reader's scores are rank-bm25's exactly. Peers: `pip install -r
    benchmarks/requirements-peers.txt` (benchmark-only; not dependencies of reader).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib
import importlib.metadata
import json
import os
import pkgutil
import pty
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.corpus import Corpus  # noqa: E402
from index.errors import ReaderError  # noqa: E402
from index.search import store  # noqa: E402
from index.search.tokens import WORD_PATTERN, terms  # noqa: E402

ALLSIDES = REPO.parent / "shared" / "data" / "allsides-article-bias"
BUNDLED = REPO / "corpus"
HELD_OUT = 100
SEED = 20240605
READER = Path(sys.executable).with_name("reader")

# The targets of issue 5.
BUILD_SECONDS = 60.0
BUILD_RSS = 2 * 1024**3
QUERY_P50_MS = 3.0
QUERY_P95_MS = 15.0
COLD_ASK_SECONDS = 0.5
COLD_ASK_RSS = 300 * 1024**2
BUNDLED_ASK_SECONDS = 0.30
REFRESH_SECONDS = 10.0
TUI_ANSWER_MS = 150.0


# --------------------------------------------------------------------------- corpus


@dataclass
class Entry:
    """One article as a line of a shard file."""

    shard: str  # file name the line goes to
    line: str  # the JSON object, as read (or written, for a mosaic)
    title: str | None
    real: bool


@dataclass
class Prepared:
    root: Path
    articles: int
    real: int  # articles of the dataset (the rest are mosaics)
    held_out: list[Entry]
    questions: list[str]
    held_out_questions: list[str]


def read_allsides() -> tuple[list[Entry], dict[str, Path]]:
    shards = sorted(ALLSIDES.glob("*.jsonl.gz"))
    if not shards:
        sys.exit(f"AllSides corpus not found in {ALLSIDES}")
    entries = []
    for path in shards:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    title = json.loads(line).get("title")
                    entries.append(Entry(path.name, line.rstrip("\n"), title, True))
    return entries, {p.name: p for p in shards}


def mosaics(real: list[Entry], count: int, seed: int) -> list[Entry]:
    """`count` new articles shaped like real ones, made of other articles' paragraphs."""
    rng = random.Random(seed)
    objects = [json.loads(e.line) for e in real]
    shapes = [[p for p in (o.get("text") or "").split("\n") if p.strip()] for o in objects]
    pool = [p for paragraphs in shapes for p in paragraphs]
    order = list(range(len(pool)))
    rng.shuffle(order)
    cursor = 0
    out = []
    for n in range(count):
        template = objects[n % len(objects)]
        size = max(1, len(shapes[n % len(objects)]))
        picked = [pool[order[(cursor + k) % len(pool)]] for k in range(size)]
        cursor += size
        copy_number = n // len(objects) + 1
        article = {
            **template,
            "id": f"{template.get('id')}-mosaic{copy_number}",
            "url": f"{template.get('url')}#mosaic{copy_number}",
            "text": "\n\n".join(picked),
        }
        shard = real[n % len(real)].shard.replace("articles-", f"mosaic{copy_number}-")
        out.append(Entry(shard, json.dumps(article, ensure_ascii=False), article["title"], False))
    return out


def title_question(title: str) -> str:
    return f"What happened with {title.strip().rstrip('?.!:;')}?"


def usable_title(title: str | None) -> bool:
    return bool(title) and 3 <= len(title.split()) <= 25 and title.isprintable()


def prepare_corpus(workdir: Path, articles: int | None, queries: int, seed: int) -> Prepared:
    entries, shard_paths = read_allsides()
    shard_sizes: dict[str, int] = {}
    for entry in entries:
        shard_sizes[entry.shard] = shard_sizes.get(entry.shard, 0) + 1
    total = len(entries) if articles is None else articles
    if total <= HELD_OUT:
        sys.exit(f"--articles must be more than {HELD_OUT}")
    real = min(total, len(entries))
    if total > len(entries):
        entries = entries + mosaics(entries, total - len(entries), seed)
    entries = entries[:total]
    base, held_out = entries[:-HELD_OUT], entries[-HELD_OUT:]

    root = workdir / "corpus"
    root.mkdir()
    by_shard: dict[str, list[Entry]] = {}
    for entry in base:
        by_shard.setdefault(entry.shard, []).append(entry)
    for shard, lines in by_shard.items():
        whole = shard in shard_paths and len(lines) == shard_sizes[shard]
        if whole:
            (root / shard).symlink_to(shard_paths[shard])  # the dataset's own file
        else:
            with gzip.open(root / shard, "wt", encoding="utf-8", compresslevel=1) as out:
                out.writelines(e.line + "\n" for e in lines)

    rng = random.Random(seed)
    titles = list(dict.fromkeys(e.title for e in base if e.real and usable_title(e.title)))
    sample = rng.sample(titles, min(queries, len(titles)))
    held_titles = [e.title for e in held_out if usable_title(e.title)]
    return Prepared(
        root=root,
        articles=total,
        real=real,
        held_out=held_out,
        questions=[title_question(t) for t in sample],
        held_out_questions=[title_question(t) for t in held_titles],
    )


def add_held_out(prepared: Prepared) -> None:
    """Drop the held-out articles into the corpus as a new file, as a user's feed would."""
    with open(prepared.root / f"added-{HELD_OUT}.jsonl", "w", encoding="utf-8") as out:
        out.writelines(e.line + "\n" for e in prepared.held_out)


# --------------------------------------------------------------------------- processes


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds
    max_rss: int  # bytes
    status: int
    stdout: str
    stderr: str
    stages: list[tuple[str, float]] = field(default_factory=list)  # (stage, seconds) drawn


TIME = Path("/usr/bin/time")


def run_measured(command: Sequence[str], env: dict[str, str], terminal: bool = False) -> Run:
    """Run a command; its own wall time, CPU time and peak RSS.

    The RSS comes from GNU time, which forks the command from its own small process: a child
    forked from this (large) benchmark process would count this process's memory in its peak
    (Linux keeps the pre-exec high-water mark). With `terminal`, stderr is a pseudo-terminal,
    as when a user runs the command, so the live progress bar is drawn; what it drew is
    returned as `stderr`.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".time") as usage_file,
    ):
        wrapped = list(command)
        if TIME.exists():
            wrapped = [str(TIME), "-f", "%M %U %S", "-o", usage_file.name, *wrapped]
        master = slave = -1
        if terminal:
            master, slave = pty.openpty()
        drawn: list[tuple[float, bytes]] = []
        started = time.perf_counter()
        proc = subprocess.Popen(
            wrapped,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=slave if terminal else err,
            env=env,
            cwd=REPO,
        )
        reader_thread = None
        if terminal:
            os.close(slave)
            reader_thread = threading.Thread(target=_drain, args=(master, drawn), daemon=True)
            reader_thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if reader_thread is not None:
            reader_thread.join(timeout=5)
            os.close(master)
        max_rss, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
        if TIME.exists():
            # "Command exited with non-zero status N" may come first; the figures are last.
            lines = usage_file.read().split("\n")
            figures = [line for line in lines if line.strip()][-1].split()
            max_rss = int(figures[0]) * 1024  # kilobytes
            cpu = float(figures[1]) + float(figures[2])
        out.seek(0)
        err.seek(0)
        stderr = b"".join(chunk for _, chunk in drawn) if terminal else err.read()
        return Run(
            seconds=seconds,
            cpu=cpu,
            max_rss=max_rss,
            status=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=stderr.decode("utf-8", "replace"),
            stages=stage_durations(drawn, started, started + seconds),
        )


def _drain(fd: int, chunks: list[tuple[float, bytes]]) -> None:
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return
        if not data:
            return
        chunks.append((time.perf_counter(), data))


# The live progress bar redraws "\r<stage> <bar>" on stderr.
_STAGE = re.compile(r"\r\s*([^\r\n█░]*?)\s+[█░]")


def stage_durations(
    drawn: list[tuple[float, bytes]], started: float, ended: float
) -> list[tuple[str, float]]:
    """How long each stage of the progress bar was on screen: a profile of the build."""
    firsts: list[tuple[str, float]] = []
    for when, chunk in drawn:
        for name in _STAGE.findall(chunk.decode("utf-8", "replace")):
            if name and (not firsts or firsts[-1][0] != name):
                firsts.append((name, when))
    if not firsts:
        return []
    out = [("start", firsts[0][1] - started)]
    ends = [when for _, when in firsts[1:]] + [ended]
    out += [(name, end - when) for (name, when), end in zip(firsts, ends, strict=True)]
    return out


def reader_command(*args: str) -> list[str]:
    if READER.exists():
        return [str(READER), *args]
    return [sys.executable, "-m", "reader.cli", *args]


def compile_bytecode() -> None:
    """Write the engine's and the app's .pyc files, as installing a package does.

    A checkout being edited (or PYTHONDONTWRITEBYTECODE set) leaves them stale, and every
    cold start would then compile the sources again: a cost no installed copy pays.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "index"), str(REPO / "reader")],
        check=False,
        capture_output=True,
    )


def disk_usage(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # removed while walking
                total += os.lstat(os.path.join(folder, name)).st_blocks * 512
    return total


# --------------------------------------------------------------------------- measurements


@dataclass
class Latency:
    p50: float
    p95: float
    p99: float
    count: int
    cpu_p50: float | None = None  # CPU time: what the wall time would be on an idle machine

    @classmethod
    def of(cls, seconds: Sequence[float], cpu: Sequence[float] | None = None) -> Latency:
        ms = np.asarray(seconds) * 1000
        return cls(
            *(float(np.percentile(ms, p)) for p in (50, 95, 99)),
            count=len(ms),
            cpu_p50=float(np.percentile(np.asarray(cpu) * 1000, 50)) if cpu else None,
        )


def median_run(runs: list[Latency]) -> Latency:
    return sorted(runs, key=lambda r: r.p50)[len(runs) // 2]


def time_queries(
    search: Callable[[str], object], questions: list[str], runs: int, warm_up: bool = True
) -> Latency:
    """A pass to warm up, then `runs` timed passes; the pass with the median p50."""
    for question in questions if warm_up else []:
        search(question)
    passes = []
    for _ in range(runs):
        seconds, cpu = [], []
        for question in questions:
            started, started_cpu = time.perf_counter(), time.process_time()
            search(question)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        passes.append(Latency.of(seconds, cpu))
    return median_run(passes)


def answerable(corpus: Corpus, questions: list[str]) -> list[str]:
    """The questions reader can search for (not only stopwords); this also warms it up."""
    out = []
    for question in questions:
        try:
            corpus.search(question, passages=3)
        except ReaderError:
            continue
        out.append(question)
    return out


def core_top10(corpus: Corpus) -> Callable[[str], list[int]] | None:
    """reader's scoring alone (postings -> scores -> best 10), the work a peer's top-10 does.

    Reads the index's internals, which may change; None when they have.
    """
    try:
        searcher = corpus.backend.searcher  # type: ignore[attr-defined]
        question_terms, term_ids = searcher.question_terms, searcher.term_ids
        posting_scores = searcher.scorer.posting_scores
    except AttributeError:
        return None

    def top10(question: str) -> list[int]:
        ids = term_ids(question_terms(question))
        # A paragraph comes once per query term it has, always with its full score: the best
        # 10 paragraphs are among the best 10 x terms entries (ties with the last included).
        docs, scores = posting_scores(ids)
        if docs.size > 10:
            last = min(docs.size, 10 * len(ids)) - 1
            keep = scores >= -np.partition(-scores, last)[last]
            docs, scores = docs[keep], scores[keep]
        docs, first = np.unique(docs, return_index=True)
        scores = scores[first]
        return [int(d) for d in docs[np.lexsort((docs, -scores))][:10]]

    try:
        top10("test")
    except Exception:  # noqa: BLE001 - internals changed: the row is left out, not the run
        return None
    return top10


# --------------------------------------------------------------------------- peers


@dataclass
class Scored:
    """The paragraphs the index scores, in its order, with what the checks need."""

    tokens: list[list[str]]
    position: dict[tuple[str, int], int]  # (article key, paragraph index) -> position
    source_of: np.ndarray  # source id of each position
    source_id: dict[str, int]
    params: dict[str, float]
    same_lengths: bool | None  # token counts equal the index's own (None: not stored)


def scored_paragraphs(index_dir: Path) -> Scored:
    generation = store.current_generation(index_dir)
    if generation is None:
        sys.exit(f"no index in {index_dir}")
    meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
    db = store.open_generation(generation).db
    rows = db.execute(
        "SELECT a.key, p.idx, p.text, a.source_id FROM paragraphs p "
        "JOIN articles a ON a.id = p.article_id WHERE a.key = a.canonical ORDER BY p.id"
    ).fetchall()
    sources = dict(db.execute("SELECT name, id FROM sources"))
    db.close()
    memo: dict[str, tuple[str, ...]] = {}
    tokens = []
    for _, _, text, _ in rows:
        out: list[str] = []
        # index.tokens.terms, memoised on the matched word: a word's terms depend only on it.
        for word in WORD_PATTERN.findall(text):
            found = memo.get(word)
            if found is None:
                found = memo[word] = tuple(terms(word))
            out.extend(found)
        tokens.append(out)
    same = None
    doc_len_file = generation / "doc_len.npy"
    if doc_len_file.is_file():
        doc_len = np.load(doc_len_file, allow_pickle=False)
        same = doc_len.tolist() == [len(t) for t in tokens]
    return Scored(
        tokens=tokens,
        position={(key, idx): n for n, (key, idx, _, _) in enumerate(rows)},
        source_of=np.array([row[3] for row in rows], np.int64),
        source_id=sources,
        params=meta["params"],
        same_lengths=same,
    )


@dataclass
class PeerRow:
    name: str
    build: float | None = None
    latency: Latency | None = None
    overlap: float | None = None  # mean share of rank-bm25's top 10 also in this top 10
    note: str = ""


@dataclass
class ScoreCheck:
    queries: int = 0
    passages: int = 0
    failures: list[str] = field(default_factory=list)


def run_rank_bm25(
    scored: Scored,
    corpus: Corpus,
    sample: list[str],
) -> tuple[PeerRow, ScoreCheck, dict[str, list[int]]]:
    from rank_bm25 import BM25Okapi

    p = scored.params
    started = time.perf_counter()
    model = BM25Okapi(scored.tokens, k1=p["k1"], b=p["b"], epsilon=p["epsilon"])
    build = time.perf_counter() - started
    documents = list(range(len(scored.tokens)))
    seconds, cpu = [], []
    for question in sample:
        query = terms(question)
        started, started_cpu = time.perf_counter(), time.process_time()
        model.get_top_n(query, documents, n=10)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    check = ScoreCheck()
    tops = {}
    for question in sample:
        scores = model.get_scores(terms(question))
        check_scores(scores, corpus.search(question, 3), 3, scored, check)
        check.queries += 1
        # The reference top 10 breaks ties by paragraph order, as reader does (get_top_n's
        # argsort leaves tied paragraphs in no particular order).
        best = np.flatnonzero(scores > 0)
        best = best[np.lexsort((best, -scores[best]))][:10]
        tops[question] = [int(d) for d in best]
    row = PeerRow(
        f"rank_bm25 {importlib.metadata.version('rank-bm25')} BM25Okapi.get_top_n",
        build,
        Latency.of(seconds, cpu),
        1.0,
        f"{len(sample)} queries",
    )
    return row, check, tops


def check_scores(
    expected: np.ndarray, result, per_source: int, scored: Scored, check: ScoreCheck
) -> None:
    """reader's result must be rank-bm25's ranking, score for score.

    Sources are ranked by their best paragraph (ties: corpus order); reader may show only the
    first few of them, but those must be the best, in order, each with its `per_source`
    best paragraphs (or all it has).
    """
    question = result.question
    positive = expected > 0
    order = np.lexsort((np.arange(expected.size), -expected, scored.source_of))
    order = order[positive[order]]
    sources = scored.source_of[order]
    starts = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]]) if order.size else []
    ends = np.r_[starts[1:], order.size] if order.size else []
    blocks = {int(sources[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
    ranked = sorted(
        blocks, key=lambda sid: (-expected[order[blocks[sid][0]]], order[blocks[sid][0]])
    )
    shown = [source for source in result.sources if source.passages]
    got_sources = [scored.source_id.get(source.source) for source in shown]
    if got_sources != ranked[: len(shown)] or (ranked and not shown):
        check.failures.append(f"{question!r}: sources not in rank-bm25's order")
    matched = getattr(result, "matched_sources", None)
    if matched is not None and matched != len(blocks):
        check.failures.append(f"{question!r}: {matched} sources matched, rank-bm25 {len(blocks)}")
    for source in shown:
        start, end = blocks.get(scored.source_id.get(source.source), (0, 0))
        want = order[start : min(end, start + per_source)]
        if len(source.passages) != len(want):
            check.failures.append(
                f"{question!r} {source.source}: {len(source.passages)} passages, want {len(want)}"
            )
        for passage, pos in zip(source.passages, want, strict=False):
            check.passages += 1
            got = scored.position.get((passage.article, passage.paragraph))
            if got != int(pos) or passage.score != float(expected[pos]):
                check.failures.append(
                    f"{question!r} {source.source}: passage {passage.article}"
                    f"#{passage.paragraph} score {passage.score!r}, rank-bm25 "
                    f"{float(expected[pos])!r} (position {got} vs {int(pos)})"
                )


def overlap(tops: dict[str, list[int]], peer: dict[str, list[int]]) -> float | None:
    shares = [len(set(tops[q]) & set(peer[q])) / max(1, len(tops[q])) for q in tops if q in peer]
    return statistics.mean(shares) if shares else None


def run_bm25s(scored: Scored, questions: list[str]) -> tuple[PeerRow, dict[str, list[int]]]:
    import bm25s

    p = scored.params
    # "robertson" is rank-bm25's Okapi formula, but its idf is clamped at 0 where rank-bm25
    # floors negative idf to epsilon x the mean idf, and its scores lack the constant
    # (k1 + 1) factor; float32. Rankings agree except on terms in over half the paragraphs.
    model = bm25s.BM25(method="robertson", k1=p["k1"], b=p["b"])
    started = time.perf_counter()
    model.index(scored.tokens, show_progress=False)
    build = time.perf_counter() - started
    queries = {q: terms(q) for q in questions}
    queries = {q: t for q, t in queries.items() if any(x in model.vocab_dict for x in t)}

    def retrieve(question: str) -> list[int]:
        docs, _ = model.retrieve([queries[question]], k=10, show_progress=False, n_threads=1)
        return [int(d) for d in docs[0]]

    latency = time_queries(retrieve, list(queries), runs=1)
    tops = {q: retrieve(q) for q in queries}
    name = f"bm25s {importlib.metadata.version('bm25s')} (robertson) retrieve k=10"
    return PeerRow(name, build, latency), tops


def run_tantivy(
    scored: Scored, questions: list[str], workdir: Path
) -> tuple[PeerRow, dict[str, list[int]]]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    # The terms are reader's, joined by spaces: the whitespace tokenizer gives them back.
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field("position", stored=True)
    schema = builder.build()
    path = workdir / "tantivy"
    path.mkdir()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=256_000_000)
    for n, tokens in enumerate(scored.tokens):
        writer.add_document(tantivy.Document(body=" ".join(tokens), position=n))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - started
    searcher = index.searcher()
    queries = {}
    for question in questions:
        query_terms = terms(question)
        if query_terms:
            queries[question] = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", t))
                    for t in query_terms
                ]
            )

    def search(question: str):
        return searcher.search(queries[question], 10).hits

    latency = time_queries(search, list(queries), runs=1)
    tops = {q: [searcher.doc(address)["position"][0] for _, address in search(q)] for q in queries}
    name = f"tantivy {importlib.metadata.version('tantivy')} (Lucene BM25) top 10"
    note = f"index {disk_usage(path) / 1024**2:.0f} MB"
    return PeerRow(name, build, latency, note=note), tops


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    what: str
    value: str
    target: str = ""
    status: str = ""  # PASS, MISS, or "" when there is no target


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_table(title: list[str], rows: list[Row]) -> None:
    widths = [max(len(r.what) for r in rows), max(len(r.value) for r in rows)]
    target_width = max(len(r.target) for r in rows)
    print()
    for line in title:
        print(line)
    rule = "-" * (widths[0] + widths[1] + target_width + 12)
    print(rule)
    for row in rows:
        if not row.value and not row.target:
            print(f"{row.what}")
            continue
        print(
            f"{row.what:<{widths[0]}}  {row.value:<{widths[1]}}  "
            f"{row.target:<{target_width}}  {row.status}".rstrip()
        )
    print(rule)


def mb(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, help="first N articles (default: all 37,554; more: mosaics)"
    )
    parser.add_argument("--queries", type=int, default=200, help="questions (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the questions")
    parser.add_argument("--cold-runs", type=int, default=10, help="cold `reader ask` runs")
    parser.add_argument(
        "--check-queries", type=int, default=20, help="rank-bm25 timing and score check"
    )
    parser.add_argument("--skip-peers", action="store_true", help="no peers, no score check")
    parser.add_argument("--skip-refresh", action="store_true", help="one build, no refresh")
    parser.add_argument(
        "--only-build",
        action="store_true",
        help="only the build and refresh rows (and refresh = rebuild): no queries, no peers",
    )
    parser.add_argument(
        "--tui", action="store_true", help="also time the TUI (benchmarks/tui_latency.py)"
    )
    parser.add_argument("--workdir", type=Path, help="keep corpus and indexes here")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--backend",
        choices=("local", "opensearch"),
        default="local",
        help="opensearch: the cluster beside the local index (benchmarks/scale_opensearch.py)",
    )
    args, unknown = parser.parse_known_args()
    if args.backend == "opensearch":  # its own options: see benchmarks/scale_opensearch.py
        import scale_opensearch

        return scale_opensearch.main(sys.argv[1:])
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    load_engine()

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=False)
        workdir = args.workdir.resolve()
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="reader-scale-")
        workdir = Path(cleanup.name)
    try:
        return Benchmark(args, workdir).run()
    finally:
        if cleanup is not None:
            cleanup.cleanup()


def engine_version() -> str:
    """A short hash of the engine's and the app's source, to tell runs of different code apart
    (the tree is edited between commits)."""
    digest = hashlib.sha256()
    for folder in ("index", "reader"):
        for path in sorted((REPO / folder).rglob("*.py")):
            digest.update(path.relative_to(REPO).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def load_engine() -> None:
    """Import every engine module now, as one snapshot of the tree.

    A run takes minutes and the engine may be edited meanwhile: a module imported late would
    come from a newer engine than the modules imported at the start. (`reader` subprocesses
    always run the engine as it is when they start.)
    """
    import index

    for module in pkgutil.iter_modules(index.__path__):
        importlib.import_module(f"index.{module.name}")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class StepFailed(Exception):
    """A `reader` command failed; the stage that ran it is reported as an error."""


class Benchmark:
    """The stages of one run. A stage that fails becomes an ERROR row; the rest still run
    when they can (the engine is changing under this script, and a run takes minutes)."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.env = {
            **os.environ,
            "XDG_CACHE_HOME": str(workdir / "cache"),
            "XDG_CONFIG_HOME": str(workdir / "config"),  # no user config: default BM25
        }
        self.rows: list[Row] = []
        self.peers: list[PeerRow] = []
        self.errors = 0
        self.scores_differ = False
        self.refreshed_ix = workdir / "index-refreshed"
        self.full_ix = workdir / "index-full"
        self.refresh: Run | None = None
        self.build: Run | None = None
        self.counts: dict = {}
        self.corpus: Corpus | None = None
        self.questions: list[str] = []
        self.latency: Latency | None = None
        self.core: Callable[[str], list[int]] | None = None
        self.prepared: Prepared  # set by run()

    # -- helpers

    def reader(self, *args: str, terminal: bool = False, env: dict | None = None) -> Run:
        run = run_measured(reader_command(*args), env or self.env, terminal=terminal)
        if run.status != 0:
            raise StepFailed(f"`reader {args[0]}` exit {run.status}: {run.stderr.strip()[-300:]}")
        return run

    def stage(self, name: str, step: Callable[[], None]) -> bool:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            self.errors += 1
            traceback.print_exc()
            self.rows.append(Row(name, f"ERROR {type(exc).__name__}: {exc}"[:110], "", "ERROR"))
            return False
        return True

    def ask_at_scale(self, *args: str, index: Path | None = None) -> Run:
        root = str(self.prepared.root)
        return self.reader("ask", *args, "--corpus", root, "--index", str(index or self.full_ix))

    # -- stages

    def run(self) -> int:
        load_before = os.getloadavg()[0]
        self.engine = engine_version()
        log("reading the AllSides corpus")
        args = self.args
        self.prepared = prepare_corpus(self.workdir, args.articles, args.queries, args.seed)
        if not args.skip_refresh:
            self.stage(f"add {HELD_OUT} articles, then reader ask", self.refresh_index)
        if not (self.prepared.root / f"added-{HELD_OUT}.jsonl").exists():
            add_held_out(self.prepared)
        built = self.stage("reader index, from scratch", self.build_full)
        if built and self.refresh is not None:
            self.stage("  results equal a full rebuild", self.compare_refresh)
        if self.build is not None and not args.only_build:
            self.stage("cold reader ask, warm index", self.cold_ask)
            self.stage("cold reader ask, bundled corpus", self.cold_ask_bundled)
            if self.stage("query in-process: Corpus.search", self.query_latency):
                self.tui()
                if args.skip_peers:
                    self.rows.append(Row("scores equal rank-bm25", "not checked (--skip-peers)"))
                else:
                    self.stage("peers", self.run_peers)
        self.print(load_before)
        if self.scores_differ:
            return 1
        return 2 if self.errors else 0

    def refresh_index(self) -> None:
        root = str(self.prepared.root)
        log(f"building the index without the last {HELD_OUT} articles")
        self.reader("index", "--corpus", root, "--index", str(self.refreshed_ix))
        add_held_out(self.prepared)
        log(f"adding {HELD_OUT} articles, then `reader ask` (refreshes the index)")
        question = (self.prepared.held_out_questions or self.prepared.questions)[0]
        self.refresh = self.ask_at_scale(question, index=self.refreshed_ix)
        self.rows.append(
            Row(
                f"add {HELD_OUT} articles, then reader ask",
                f"{self.refresh.seconds:.1f} s (CPU {self.refresh.cpu:.1f} s), refresh + ask",
                "<= 10 s",
                verdict(self.refresh.seconds <= REFRESH_SECONDS),
            )
        )

    def build_full(self) -> None:
        root = str(self.prepared.root)
        log("building the whole corpus from scratch (`reader index`, on a terminal)")
        build = self.reader("index", "--corpus", root, "--index", str(self.full_ix), terminal=True)
        self.build = build
        self.counts = read_meta(self.full_ix).get("counts", {})
        eta_shown = "ETA" in build.stderr
        self.rows.insert(
            0,
            Row(
                "reader index, from scratch",
                f"{build.seconds:.1f} s wall (CPU {build.cpu:.0f} s), "
                f"peak RSS {build.max_rss / 1024**3:.2f} GB",
                "<= 60 s, <= 2 GB",
                verdict(build.seconds <= BUILD_SECONDS and build.max_rss <= BUILD_RSS),
            ),
        )
        self.rows.insert(
            1,
            Row(
                "  progress bar with ETA on a terminal",
                "yes" if eta_shown else "no",
                "shown",
                verdict(eta_shown),
            ),
        )
        if build.stages:
            profile = ", ".join(f"{name} {seconds:.0f}" for name, seconds in build.stages)
            self.rows.insert(2, Row("  build stages (s, from the progress bar)", profile))
        total = disk_usage(self.full_ix)
        generation = store.current_generation(self.full_ix)
        current = disk_usage(generation) if generation is not None else total
        size = f"{mb(total)}" + (
            f" ({mb(current)} index, {mb(total - current)} build caches)" if total > current else ""
        )
        self.rows.insert(3 if build.stages else 2, Row("index size on disk", size))

    def compare_refresh(self) -> None:
        log("comparing the refreshed index with the full build")
        prepared = self.prepared
        held = prepared.held_out_questions[:10]
        questions = held + prepared.questions[: 20 - len(held)]
        questions_file = self.workdir / "refresh-questions.txt"
        questions_file.write_text("\n".join(questions) + "\n", encoding="utf-8")
        outputs = [
            self.ask_at_scale("--questions", str(questions_file), "--json", index=ix).stdout
            for ix in (self.refreshed_ix, self.full_ix)
        ]
        lines = [o.splitlines() for o in outputs]
        same = sum(a == b for a, b in zip(*lines, strict=False))
        same_counts = read_meta(self.refreshed_ix).get("counts") == self.counts
        identical = outputs[0] == outputs[1] and same_counts
        self.rows.append(
            Row(
                "  results equal a full rebuild",
                f"{'yes' if identical else 'NO'} ({same}/{len(questions)} questions, "
                f"{len(held)} about the new articles; index counts "
                f"{'equal' if same_counts else 'DIFFER'})",
                "identical",
                verdict(identical),
            )
        )

    def cold_ask(self) -> None:
        runs = self.args.cold_runs
        log(f"cold `reader ask`, {runs} runs")
        compile_bytecode()
        questions = self.prepared.questions
        self.ask_at_scale(questions[0])  # the first one after a build is not cold-start alone
        cold = [self.ask_at_scale(questions[(n + 1) % len(questions)]) for n in range(runs)]
        wall = statistics.median(r.seconds for r in cold)
        rss = max(r.max_rss for r in cold)
        self.rows.append(
            Row(
                "cold reader ask, warm index",
                f"median {wall:.2f} s (CPU {statistics.median(r.cpu for r in cold):.2f} s), "
                f"max {max(r.seconds for r in cold):.2f} s, RSS {mb(rss)}",
                "<= 0.5 s, <= 300 MB",
                verdict(wall <= COLD_ASK_SECONDS and rss <= COLD_ASK_RSS),
            )
        )

    def cold_ask_bundled(self) -> None:
        """`reader ask` with no options: the bundled corpus, its index warm."""
        log("cold `reader ask` on the bundled corpus")
        env = {**self.env, "XDG_CACHE_HOME": str(self.workdir / "cache-bundled")}
        # Questions from the bundled articles' own titles, like the AllSides questions.
        sample = Corpus.open(BUNDLED, index_dir=self.workdir / "index-bundled")
        titles = [a.title for a in sample.articles() if usable_title(a.title)] or ["news"]
        questions = [title_question(t) for t in titles]
        self.reader("ask", questions[0], env=env)
        runs = [
            self.reader("ask", questions[n % len(questions)], env=env)
            for n in range(self.args.cold_runs)
        ]
        wall = statistics.median(r.seconds for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        self.rows.append(
            Row(
                "cold reader ask, bundled corpus",
                f"median {wall:.2f} s (CPU {cpu:.2f} s), RSS {mb(max(r.max_rss for r in runs))}",
                "<= 0.30 s",
                verdict(wall <= BUNDLED_ASK_SECONDS),
            )
        )

    def query_latency(self) -> None:
        args = self.args
        log(f"in-process queries, {len(self.prepared.questions)} questions x {args.runs} runs")
        corpus = self.corpus = Corpus.open(self.prepared.root, index_dir=self.full_ix)
        questions = self.questions = answerable(corpus, self.prepared.questions)
        latency = self.latency = time_queries(
            lambda q: corpus.search(q, passages=3), questions, args.runs, warm_up=False
        )
        self.rows.append(
            Row(
                "query in-process: Corpus.search, 3/source",
                f"p50 {ms(latency.p50)}, p95 {ms(latency.p95)}, p99 {ms(latency.p99)} "
                f"(CPU p50 {ms(latency.cpu_p50 or 0)})",
                "p50 <= 3 ms, p95 <= 15 ms",
                verdict(latency.p50 <= QUERY_P50_MS and latency.p95 <= QUERY_P95_MS),
            )
        )
        assert self.build is not None
        self.peers.append(
            PeerRow(
                "reader Corpus.search (passages per source)",
                self.build.seconds,
                latency,
                note="build = all of `reader index`",
            )
        )
        self.core = core_top10(corpus)
        if self.core is not None:
            self.peers.append(
                PeerRow(
                    "reader scoring only (postings, top 10)",
                    None,
                    time_queries(self.core, questions, args.runs),
                )
            )

    def tui(self) -> None:
        if not self.args.tui:
            self.rows.append(
                Row("TUI: Enter to results painted", "not measured (--tui)", "<= 150 ms")
            )
            return
        log("TUI: Enter to results painted")
        self.rows.append(
            measure_tui(self.prepared.root, self.full_ix, self.workdir, self.questions[:3])
        )

    def run_peers(self) -> None:
        assert self.corpus is not None
        log("tokenising the index's paragraphs for the peers")
        started = time.perf_counter()
        scored = scored_paragraphs(self.full_ix)
        log(f"  {len(scored.tokens):,} paragraphs in {time.perf_counter() - started:.0f} s")
        questions = self.questions
        step = max(1, len(questions) // self.args.check_queries)
        sample = questions[::step][: self.args.check_queries]
        log(f"rank-bm25: fitting, {len(sample)} queries, score check")
        row, check, reference = run_rank_bm25(scored, self.corpus, sample)
        self.peers.append(row)
        equal = not check.failures
        if not equal:
            self.scores_differ = True
            for failure in check.failures[:10]:
                print(f"score mismatch: {failure}", file=sys.stderr)
        self.rows.append(
            Row(
                "scores equal rank-bm25",
                f"{'yes' if equal else 'NO'} ({check.queries} queries, {check.passages:,} "
                "passages"
                + (", sources and passages" if equal else f", {len(check.failures)} failures")
                + ")",
                "equal",
                verdict(equal),
            )
        )
        if scored.same_lengths is not None:
            same = "yes" if scored.same_lengths else "NO (paragraph lengths differ)"
            self.rows.append(Row("  peers' tokens = the index's", same))
        if self.core is not None:
            core_row = next(p for p in self.peers if p.name.startswith("reader scoring"))
            core_row.overlap = overlap(reference, {q: self.core(q) for q in reference})
        for name, runner in (("bm25s", run_bm25s), ("tantivy", run_tantivy)):
            log(f"{name}: building and querying")
            try:
                if runner is run_tantivy:
                    peer, tops = run_tantivy(scored, questions, self.workdir)
                else:
                    peer, tops = run_bm25s(scored, questions)
                peer.overlap = overlap(reference, tops)
            except ImportError:
                peer = PeerRow(name, note="not installed: see benchmarks/requirements-peers.txt")
            self.peers.append(peer)

    # -- the table

    def print(self, load_before: float) -> None:
        rows = list(self.rows)
        latency = self.latency
        if self.peers and latency is not None:
            rows.append(Row("", ""))
            rows.append(
                Row(
                    "query latency on the same questions/tokens",
                    "wall p50 / p95 (CPU p50); build; top-10 overlap",
                    "reader/peer p50",
                )
            )
            for peer in self.peers:
                if peer.latency is None:
                    rows.append(Row(f"  {peer.name}", peer.note))
                    continue
                ratio = latency.p50 / peer.latency.p50
                lat = peer.latency
                cpu = f" ({ms(lat.cpu_p50)})" if lat.cpu_p50 is not None else ""
                built = f"; {peer.build:.0f} s" if peer.build is not None else ""
                agreement = f"; {peer.overlap:.0%}" if peer.overlap is not None else ""
                note = f"; {peer.note}" if peer.note else ""
                rows.append(
                    Row(
                        f"  {peer.name}",
                        f"{ms(lat.p50)} / {ms(lat.p95)}{cpu}{built}{agreement}{note}",
                        f"{ratio:.2f}x" if ratio < 10 else f"{ratio:,.0f}x",
                    )
                )
        load_after = os.getloadavg()[0]
        prepared, counts = self.prepared, self.counts
        shape = f"{prepared.articles:,} articles" + (
            f" ({prepared.articles - prepared.real:,} mosaics)"
            if prepared.articles > prepared.real
            else ""
        )

        def count(name: str) -> str:
            value = counts.get(name)
            return f"{value:,}" if isinstance(value, int) else "?"

        title = [
            f"reader at scale: AllSides, {shape}; index: {count('articles')} shown articles + "
            f"{count('copies')} copies, {count('paragraphs')} paragraphs, {count('sources')} "
            f"sources, {count('terms')} terms",
            f"{len(self.questions)} questions from article titles (seed {self.args.seed}), "
            f"{self.args.runs} timed passes (median pass shown); {os.cpu_count()} CPUs, load "
            f"average {load_before:.1f} before / {load_after:.1f} after; "
            f"{time.strftime('%Y-%m-%d %H:%M')}, engine source {self.engine}",
        ]
        if engine_version() != self.engine:
            title.append(f"the engine's source changed during the run (now {engine_version()})")
        # Before the run, any load is someone else's; after it, this run's own is in it too.
        if load_before >= 1.0 or load_after > (os.cpu_count() or 1) + 1:
            title.append(
                "the machine was busy (load above its CPU count): wall times are inflated; "
                "CPU times show the work itself"
            )
        print_table(title, rows)


def read_meta(index_dir: Path) -> dict:
    generation = store.current_generation(index_dir)
    if generation is None:
        raise StepFailed(f"no index in {index_dir}")
    return json.loads((generation / "meta.json").read_text(encoding="utf-8"))


def measure_tui(root: Path, index_dir: Path, workdir: Path, questions: list[str]) -> Row:
    """Enter -> first results drawn (and answers, and key echo meanwhile), through
    benchmarks/tui_latency.py's pseudo-terminal session on the built index."""
    target = "<= 150 ms"
    try:
        sys.path.insert(0, str(REPO / "benchmarks"))
        import tui_latency

        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "TERM": "xterm-256color",
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "XDG_CACHE_HOME": str(workdir / "cache"),
            "LANG": "C.UTF-8",
        }
        argv = [str(tui_latency.READER), "--corpus", str(root), "--index", str(index_dir)]
        phased = tui_latency.Phased()
        # Title questions expect no typed answer; the general ones are answered per source.
        asked = [*questions, *tui_latency.ARCHIVE_QUESTIONS]
        tui_latency.archive_session(argv, env, asked, phased)
    except Exception as exc:  # noqa: BLE001 - another script's interface; report, do not crash
        return Row("TUI: Enter to results painted", f"failed: {exc!r}"[:80], target)
    results = [x * 1000 for x in phased.results[1:] or phased.results]  # the first warms up
    answers = [x * 1000 for x in phased.answers[1:] or phased.answers]
    echoes = sorted(x * 1000 for x in phased.typed + phased.moved)
    echo = (
        f"; key echo while answering median {statistics.median(echoes):.0f} ms, "
        f"p90 {echoes[int(0.9 * (len(echoes) - 1))]:.0f} ms"
        if echoes
        else ""
    )
    return Row(
        "TUI: Enter to results painted",
        f"median {statistics.median(results):.0f} ms, max {max(results):.0f} ms "
        f"({len(results)} questions); answers median {statistics.median(answers) / 1000:.1f} s"
        + echo,
        target,
        verdict(statistics.median(results) <= TUI_ANSWER_MS),
    )


if __name__ == "__main__":
    sys.exit(main())
