"""`reader` past one machine: the OpenSearch backend beside the embedded index, on AllSides.

    nice .venv/bin/python benchmarks/scale.py --backend opensearch [--articles N]
        [--queries 200] [--runs 3] [--heap 2g] [--seed S] [--workdir DIR]

(`benchmarks/scale_opensearch.py` takes the same options.) One run, one table:

  * the corpus and the questions are scale.py's (`prepare_corpus`: the AllSides articles, the
    held-out 100 added back, "What happened with <title>?" for a seed-fixed sample of titles);
  * the embedded index is built by `reader index` (timed), then queried in process;
  * a real OpenSearch 2.19.6 node (tests/opensearch/node.py, full JIT, `--heap`) gets the
    embedded index's generation through `index.ingest.upload` (1 shard, no replica), and is
    queried through `Corpus.connect`, with and without `exact_scores` (dfs_query_then_fetch);
  * then a 2-node cluster, the index with 2 shards and 1 replica, the same again. Both nodes
    run on this machine's cores: the row shows what distribution costs and what shard-local
    statistics do to the ranking, not the capacity a second machine would add.

What is measured for each: load time (build or bulk upload, with paragraphs per second and
the CPU of the client and the nodes); query p50/p95 of `Corpus.search(question, 3, 20)`
(passages per source, what the app asks); and agreement with rank-bm25. The embedded index's
scores equal rank-bm25's to the last bit (scale.py checks that on every run), so its
exhaustive ranking is rank-bm25's: every paragraph with a question term is scored from the
postings (`PostingsScorer.scores`), the best 10 kept with ties broken by paragraph id. The
cluster's top 10 paragraphs come from a plain query (`match` on `text`, `shown: true`, size
10, no collapse). "top-10 = rank-bm25" is the mean share of rank-bm25's 10 that the
cluster's 10 hold; "= dfs" the share of the same cluster's dfs_query_then_fetch top 10 (what
shard-local statistics alone change); "sources" and "passages" compare what the app shows (the
20 sources, 3 passages each). On 1 node, the cluster's analyzer is also compared with the
project's terms (`_analyze` on every question and on 2,000 sampled paragraphs), and the
agreement is split between the questions both analyse into as many terms and the others.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale  # noqa: E402  (benchmarks/scale.py: corpus, questions, timing, table helpers)

from index.corpus import Corpus  # noqa: E402
from index.errors import ReaderError  # noqa: E402
from index.ingest.upload import paragraph_terms, upload  # noqa: E402
from index.result import SearchResult  # noqa: E402
from index.search.cluster import Cluster, ClusterSettings  # noqa: E402
from index.search.local import LocalIndex  # noqa: E402
from index.search.opensearch import question_query  # noqa: E402
from index.search.tokens import stopwords, terms  # noqa: E402

INDEX_NAME = "allsides"
PASSAGES, SOURCES, TOP = 3, 20, 10
# Paragraphs whose analysis is compared (one _analyze request each).
ANALYSED = 2_000
# The node launcher runs C1 only (fast start-up, for tests); a benchmark wants the full JIT.
JAVA_OPTS = "-XX:TieredStopAtLevel=4"


def load_node_module() -> ModuleType:
    """tests/opensearch/node.py, which starts and stops real nodes (the tests' own launcher)."""
    from tests.opensearch import node

    return node


# --------------------------------------------------------------------------- rankings

Key = tuple[str, int]  # (article key, paragraph index): names a paragraph in either engine


def local_index(corpus: Corpus) -> LocalIndex:
    """The embedded index behind `corpus` (its searcher and generation are read directly)."""
    assert isinstance(corpus.backend, LocalIndex)
    return corpus.backend


def local_top(corpus: Corpus, question: str) -> list[Key]:
    """rank-bm25's best 10 paragraphs: every posting of the question's terms scored (the
    scores are rank-bm25's exactly), ties by paragraph id as in reader and in scale.py."""
    searcher = local_index(corpus).searcher
    docs, scores = searcher.scorer.scores(searcher.term_ids(searcher.question_terms(question)))
    best = [int(d) for d in docs[np.lexsort((docs, -scores))][:TOP]]
    if not best:
        return []
    marks = ",".join("?" * len(best))
    rows = dict(
        (pid, (key, idx))
        for pid, key, idx in searcher.db.execute(
            "SELECT p.id, a.key, p.idx FROM paragraphs p JOIN articles a ON a.id = p.article_id "
            f"WHERE p.id IN ({marks})",
            best,
        )
    )
    return [rows[d] for d in best]


def cluster_top(cluster: Cluster, question: str, exact: bool) -> list[Key]:
    """The cluster's best 10 shown paragraphs for the question, one plain BM25 query."""
    body = {
        "size": TOP,
        "_source": ["article", "paragraph"],
        "track_total_hits": False,
        "query": {
            "bool": {
                "must": question_query(question),
                "filter": {"term": {"shown": True}},
            }
        },
        "sort": [{"_score": "desc"}, {"article": "asc"}, {"paragraph": "asc"}],
    }
    params = {"search_type": "dfs_query_then_fetch"} if exact else None
    hits = cluster.request("POST", f"/{INDEX_NAME}/_search", body, params=params)["hits"]["hits"]
    return [(h["_source"]["article"], h["_source"]["paragraph"]) for h in hits]


def share(reference: Sequence[Any], other: Sequence[Any]) -> float:
    return len(set(reference) & set(other)) / len(reference) if reference else 1.0


@dataclass
class Shown:
    """What the app shows of one result: its sources in order, each one's passages."""

    sources: list[str]
    passages: list[tuple[str, str, int]]  # (source, article, paragraph)
    matched: int

    @classmethod
    def of(cls, result: SearchResult) -> Shown:
        shown = [s for s in result.sources if s.passages]
        return cls(
            [s.source for s in shown],
            [(s.source, p.article, p.paragraph) for s in shown for p in s.passages],
            result.matched_sources,
        )


# --------------------------------------------------------------------------- rows


@dataclass
class Setup:
    """One column of the comparison: an engine and how it was loaded and asked."""

    name: str
    load: str = ""  # how long loading took, and its throughput
    latency: scale.Latency | None = None
    top_latency: scale.Latency | None = None  # the plain top-10 query
    top: float | None = None  # mean share of rank-bm25's top 10
    tops: dict[str, list[Key]] = field(default_factory=dict)  # each question's top 10
    same_as_dfs: float | None = None  # mean share of the same cluster's dfs top 10
    sources: float | None = None  # mean share of the local 20 sources shown
    passages: float | None = None  # mean share of the local shown passages shown
    matched: float | None = None  # share of questions with the same count of matched sources
    first: float | None = None  # share of questions whose first source is the same
    shown: dict[str, Shown] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def jvm_cpu(pids: Sequence[int]) -> float:
    """User + system seconds the nodes' JVMs have used (Linux /proc)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


class Run:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.env = {
            **os.environ,
            "XDG_CACHE_HOME": str(workdir / "cache"),
            "XDG_CONFIG_HOME": str(workdir / "config"),  # no user config: default BM25
        }
        self.setups: list[Setup] = []
        self.errors = 0
        self.corpus: Corpus
        self.questions: list[str] = []
        self.reference: dict[str, list[Key]] = {}
        self.local_shown: dict[str, Shown] = {}
        self.alike: set[str] = set()  # questions both engines analyse into as many terms
        self.analysis_note = ""

    def measure(self, setup: Setup, search: Callable[[str], SearchResult]) -> None:
        """p50/p95 of `search` (the median of --runs passes after a warm-up pass), and how
        what it shows compares with the embedded index's."""
        kept: dict[str, SearchResult] = {}

        def timed(question: str) -> None:
            kept[question] = search(question)

        setup.latency = scale.time_queries(timed, self.questions, self.args.runs)
        shown = setup.shown = {q: Shown.of(r) for q, r in kept.items()}
        if not self.local_shown:
            self.local_shown = shown
        mine = self.local_shown
        qs = self.questions
        setup.sources = statistics.mean(share(mine[q].sources, shown[q].sources) for q in qs)
        setup.passages = statistics.mean(share(mine[q].passages, shown[q].passages) for q in qs)
        setup.matched = statistics.mean(mine[q].matched == shown[q].matched for q in qs)
        setup.first = statistics.mean(mine[q].sources[:1] == shown[q].sources[:1] for q in qs)

    def top10(self, setup: Setup, top: Callable[[str], list[Key]]) -> None:
        seconds, found = [], {}
        for question in self.questions:
            started = time.perf_counter()
            found[question] = top(question)
            seconds.append(time.perf_counter() - started)
        setup.top_latency = scale.Latency.of(seconds)
        setup.tops = found
        setup.top = statistics.mean(share(self.reference[q], found[q]) for q in self.questions)

    # -- the embedded index

    def local(self) -> None:
        prepared = self.prepared
        index_dir = self.workdir / "index"
        scale.log("building the embedded index (`reader index`)")
        build = scale.run_measured(
            scale.reader_command(
                "index", "--corpus", str(prepared.root), "--index", str(index_dir)
            ),
            self.env,
        )
        if build.status != 0:
            raise RuntimeError(f"`reader index` exit {build.status}: {build.stderr[-300:]}")
        self.corpus = Corpus.open(prepared.root, index_dir=index_dir)
        self.counts = self.corpus.meta["counts"]
        self.questions = scale.answerable(self.corpus, prepared.questions)
        setup = Setup(
            "embedded index (in process)",
            f"`reader index` {build.seconds:.0f} s (CPU {build.cpu:.0f} s), "
            f"RSS {build.max_rss / 1024**3:.2f} GB",
        )
        self.setups.append(setup)
        scale.log(f"local queries: {len(self.questions)} questions x {self.args.runs} passes")
        self.measure(setup, lambda q: self.corpus.search(q, PASSAGES, SOURCES))
        self.reference = {q: local_top(self.corpus, q) for q in self.questions}
        setup.top, setup.tops = 1.0, self.reference
        setup.notes.append(
            "top 10: the reference, every posting of the question's terms scored "
            "(PostingsScorer.scores; scale.py checks these scores equal rank-bm25's), not timed"
        )

    # -- a cluster

    def cluster(self, nodes: int, shards: int, replicas: int) -> None:
        osnode = load_node_module()
        label = f"{nodes} node{'s' if nodes > 1 else ''}, {shards} shard{'s' if shards > 1 else ''}"
        label += f" + {replicas} replica" if replicas else ""
        scale.log(f"starting {label} (heap {self.args.heap} per node)")
        started = time.perf_counter()
        if nodes == 1:
            node = osnode.start_node(heap=self.args.heap)
            running, urls, pids = node, [node.url], [node.pid]
        else:
            running = osnode.start_cluster(nodes, heap=self.args.heap)
            urls, pids = running.urls, [n.pid for n in running.nodes]
        try:
            start = time.perf_counter() - started
            settings = ClusterSettings.from_url(",".join(urls), index=INDEX_NAME)
            cluster = Cluster(settings)
            version = cluster.request("GET", "/")["version"]["number"]
            scale.log(f"  OpenSearch {version} up in {start:.0f} s; uploading")
            generation = local_index(self.corpus).generation
            cpu, server = time.process_time(), jvm_cpu(pids)
            summary = upload(
                generation,
                cluster,
                INDEX_NAME,
                progress=_progress_log(),
                rebuild=True,
                shards=shards,
                replicas=replicas,
            )
            cpu, server = time.process_time() - cpu, jvm_cpu(pids) - server
            if summary.failed:
                refused = f"{len(summary.failed)} files, first {summary.failed[0]}"
                raise RuntimeError(f"the cluster refused documents of {refused}")
            cluster.request(
                "GET",
                f"/_cluster/health/{INDEX_NAME}",
                params={"wait_for_status": "green", "timeout": "120s"},
                timeout=130,
            )
            docs = summary.paragraphs + summary.articles
            load = (
                f"upload {summary.seconds:.0f} s, {summary.paragraphs / summary.seconds:,.0f} "
                f"paragraphs/s (CPU: client {cpu:.0f} s, nodes {server:.0f} s)"
            )
            plain = Setup(label, load)
            dfs = Setup(f"{label}, dfs_query_then_fetch", "(the same index)")
            plain.notes.append(
                f"{docs:,} documents ({summary.paragraphs:,} paragraphs incl. copies', "
                f"{summary.articles:,} articles); {self.store(cluster)}; start {start:.0f} s"
            )
            for setup, exact in ((plain, False), (dfs, True)):
                self.setups.append(setup)
                scale.log(f"  queries: {setup.name}")
                remote = Corpus.connect(
                    ClusterSettings.from_url(",".join(urls), index=INDEX_NAME, exact_scores=exact)
                )
                self.measure(setup, lambda q, r=remote: r.search(q, PASSAGES, SOURCES))  # type: ignore[misc]
                self.top10(setup, lambda q, e=exact: cluster_top(cluster, q, e))  # type: ignore[misc]
                if setup.latency is not None and setup.latency.cpu_p50 is not None:
                    setup.notes.append(
                        f"client CPU p50 {scale.ms(setup.latency.cpu_p50)} a search "
                        "(JSON, highlighting)"
                    )
            qs = self.questions
            plain.same_as_dfs = statistics.mean(share(dfs.tops[q], plain.tops[q]) for q in qs)
            moved = [q for q in qs if set(plain.tops[q]) != set(dfs.tops[q])]
            reordered = [q for q in qs if plain.tops[q] != dfs.tops[q]]
            plain.notes.append(
                f"shard-local statistics against dfs: top 10 differs in {len(moved)} of "
                f"{len(qs)} questions (order in {len(reordered)}); "
                f"what the app shows differs in {sum(plain.shown[q] != dfs.shown[q] for q in qs)} "
                f"(1st source in {sum(self._first(plain, dfs, q) for q in qs)})"
            )
            if not self.alike:
                self.analysis(cluster)
            self.split(plain)
        finally:
            running.stop()
            scale.log(f"  stopped {label}")

    @staticmethod
    def _first(a: Setup, b: Setup, question: str) -> bool:
        return a.shown[question].sources[:1] != b.shown[question].sources[:1]

    def analysis(self, cluster: Cluster) -> None:
        """Where the cluster's analyzer and the project's terms part: for each question, and
        for a sample of paragraphs (a different count of terms is a different BM25 length)."""
        searcher = local_index(self.corpus).searcher

        def analysed(text: str) -> list[str]:
            # What the cluster indexes for `text`: the upload's terms field, as analysed there.
            body = {"analyzer": "whitespace", "text": " ".join(paragraph_terms(text))}
            found = cluster.request("POST", f"/{INDEX_NAME}/_analyze", body)["tokens"]
            return [t["token"] for t in found]

        def compare(texts: list[str], local: Callable[[str], list[str]]) -> tuple[set[str], str]:
            alike, reasons = set(), Counter[str]()
            for text in texts:
                mine, theirs = local(text), analysed(text)
                if len(mine) == len(theirs):
                    alike.add(text)
                    continue
                only_mine, only_theirs = (
                    Counter(mine) - Counter(theirs),
                    Counter(theirs) - Counter(mine),
                )
                reasons["hyphenated"] += any("-" in t for t in only_mine)
                reasons["stop word before 's"] += any(t in stopwords() for t in only_theirs)
                reasons["other"] += not (
                    any("-" in t for t in only_mine) or any(t in stopwords() for t in only_theirs)
                )
            why = ", ".join(f"{n:,} {reason}" for reason, n in reasons.most_common())
            return alike, f"{len(alike):,} of {len(texts):,} alike ({why})"

        self.alike, questions = compare(self.questions, searcher.question_terms)
        rows = searcher.db.execute(
            "SELECT p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id "
            "WHERE a.key = a.canonical"
        ).fetchall()
        sample = random.Random(self.args.seed).sample(rows, min(ANALYSED, len(rows)))
        _, paragraphs = compare([text for (text,) in sample], terms)
        self.analysis_note = (
            "analysis (as many terms in the cluster as in the embedded index): questions "
            f"{questions}; sampled paragraphs {paragraphs} (the cluster indexes the project's "
            "own terms, so any difference here would be a bug)"
        )

    def split(self, setup: Setup) -> None:
        """Top-10 agreement on the questions analysed alike and on the others."""
        parts = []
        for name, group in (
            ("questions analysed alike", [q for q in self.questions if q in self.alike]),
            ("others", [q for q in self.questions if q not in self.alike]),
        ):
            if group:
                mean = statistics.mean(share(self.reference[q], setup.tops[q]) for q in group)
                parts.append(f"{mean:.1%} on the {len(group)} {name}")
        if parts:
            setup.notes.append("top-10 = rank-bm25: " + ", ".join(parts))

    def store(self, cluster: Cluster) -> str:
        indices = cluster.request(
            "GET", f"/_cat/indices/{INDEX_NAME}*", params={"format": "json", "bytes": "b"}
        )
        total = sum(int(i["store.size"]) for i in indices)
        shards = cluster.request(
            "GET", f"/_cat/shards/{INDEX_NAME}", params={"format": "json", "h": "shard,prirep,docs"}
        )
        per_shard = sorted(
            f"{int(s['docs']):,}" for s in shards if s["prirep"] == "p" and s.get("docs")
        )
        return (
            f"on disk {total / 1024**2:,.0f} MB (all copies, no force-merge); "
            f"paragraph documents per primary shard {' / '.join(per_shard)}"
        )

    # -- the whole run

    def stage(self, name: str, step: Callable[[], None]) -> bool:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            self.errors += 1
            traceback.print_exc()
            self.setups.append(Setup(name, f"ERROR {type(exc).__name__}: {exc}"[:150]))
            return False
        return True

    def run(self) -> int:
        args = self.args
        load_before = os.getloadavg()
        began = time.perf_counter()
        engine = scale.engine_version()
        scale.log("reading the AllSides corpus")
        self.prepared = scale.prepare_corpus(self.workdir, args.articles, args.queries, args.seed)
        scale.add_held_out(self.prepared)  # the whole corpus, as scale.py's full build
        if self.stage("embedded index", self.local):
            self.stage("1 node", lambda: self.cluster(1, shards=1, replicas=0))
            self.stage("2 nodes", lambda: self.cluster(2, shards=2, replicas=1))
        self.print(load_before, time.perf_counter() - began, engine)
        return 2 if self.errors else 0

    def print(self, load_before: tuple[float, ...], seconds: float, engine: str) -> None:
        counts = getattr(self, "counts", {})

        def count(name: str) -> str:
            value = counts.get(name)
            return f"{value:,}" if isinstance(value, int) else "?"

        def pct(value: float | None) -> str:
            return "-" if value is None else f"{value:.1%}"

        def lat(value: scale.Latency | None) -> str:
            return "-" if value is None else f"{scale.ms(value.p50)} / {scale.ms(value.p95)}"

        header = [
            "",
            "load",
            f"search {PASSAGES}x{SOURCES} p50 / p95",
            "top-10 p50 / p95",
            "top-10 = rank-bm25",
            "= dfs",
            "sources",
            "passages",
            "1st source",
            "matched",
        ]
        table = [header]
        for s in self.setups:
            table.append(
                [
                    s.name,
                    s.load,
                    lat(s.latency),
                    lat(s.top_latency),
                    pct(s.top),
                    pct(s.same_as_dfs),
                    pct(s.sources),
                    pct(s.passages),
                    pct(s.first),
                    pct(s.matched),
                ]
            )
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        after = os.getloadavg()
        prepared = self.prepared
        print()
        print(
            f"reader past one machine: AllSides, {prepared.articles:,} articles; index: "
            f"{count('articles')} shown articles + {count('copies')} copies, "
            f"{count('paragraphs')} paragraphs, {count('sources')} sources"
        )
        print(
            f"{len(self.questions)} questions from article titles (seed {self.args.seed}), "
            f"{self.args.runs} timed passes after a warm-up (median pass shown; top-10: one "
            f"pass); OpenSearch heap {self.args.heap} per node, {JAVA_OPTS}"
        )
        print(
            f"{os.cpu_count()} CPUs shared by every node and this client, nice "
            f"{os.nice(0)}; load average (1/5/15 min) "
            f"{'/'.join(f'{x:.1f}' for x in load_before)} before, "
            f"{'/'.join(f'{x:.1f}' for x in after)} after; run {seconds / 60:.1f} min; "
            f"{time.strftime('%Y-%m-%d %H:%M')}, engine source {engine}"
        )
        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        print(rule)
        for row in table:
            print("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)).rstrip())
        print(rule)
        for s in self.setups:
            for note in s.notes:
                print(f"{s.name}: {note}")
        if self.analysis_note:
            print(self.analysis_note)
        print(
            "top-10 = rank-bm25: mean share of the exhaustive rank-bm25 top 10 paragraphs "
            "(= the embedded index's) in the engine's top 10 (a plain query, no collapse); "
            "= dfs: the same, against the same cluster's dfs_query_then_fetch top 10; "
            "sources / passages: mean share of the embedded index's 20 sources / shown "
            "passages that the engine shows too; 1st source: questions whose first source is "
            "the embedded index's; matched: the same count of matched sources"
        )


def _progress_log() -> Callable[[str, int, int], None]:
    """Upload progress on stderr, every tenth of the files."""
    last = [-1]

    def progress(stage: str, done: int, total: int) -> None:
        tenth = done * 10 // max(1, total)
        if tenth != last[0]:
            last[0] = tenth
            scale.log(f"  {stage} {done}/{total} files")

    return progress


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("opensearch",), default="opensearch")
    parser.add_argument(
        "--articles", type=int, help="first N articles (default: all 37,554; more: mosaics)"
    )
    parser.add_argument("--queries", type=int, default=200, help="questions (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the questions")
    parser.add_argument("--heap", default="2g", help="JVM heap per OpenSearch node (default 2g)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and the index here")
    parser.add_argument("--seed", type=int, default=scale.SEED)
    args = parser.parse_args(argv)
    osnode = load_node_module()
    if not osnode.java_available():
        print("scale_opensearch: no java (set JAVA_HOME): OpenSearch needs a JDK", file=sys.stderr)
        return 2
    os.environ["OPENSEARCH_TEST_JAVA_OPTS"] = " ".join(
        [os.environ.get("OPENSEARCH_TEST_JAVA_OPTS", ""), JAVA_OPTS]
    ).strip()
    scale.load_engine()
    with contextlib.ExitStack() as stack:
        if args.workdir:
            args.workdir.mkdir(parents=True, exist_ok=False)
            workdir = args.workdir.resolve()
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reader-os-")))
        try:
            return Run(args, workdir).run()
        except (ReaderError, OSError) as exc:
            print(f"scale_opensearch: {exc}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
