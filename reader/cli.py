"""The `reader` command.

`reader` alone opens the TUI; the subcommands are one-shot and never import textual, so that
`reader ask` starts fast and works over ssh pipes and in scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from index.errors import ReaderError
from index.settings import GROUPINGS, PASSAGES_PER_SOURCE, PASSWORD_VARIABLE, USER_VARIABLE
from reader.config import BACKENDS, BM25_SETTINGS, Settings, load_settings
from reader.textsafe import one_line, terminal_safe_json

if TYPE_CHECKING:
    from index.corpus import Corpus
    from index.search.bm25 import BM25Params
    from index.search.cluster import ClusterSettings

# The engine and the renderers are imported where they are used: `reader` (the TUI) must draw
# its first frame before numpy and the engine have loaded.

# numpy brings OpenBLAS, which starts a thread per core as it loads: a third of numpy's import
# time on a 2-core machine, a tenth of a cold `reader ask`. Nothing in reader does linear
# algebra; a user's own setting is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def bundled_corpus() -> Path:
    """The sample corpus shipped with the package (a wheel) or beside it (a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpus", here.parent / "corpus"):
        if (candidate / "sources.toml").is_file():
            return candidate
    raise ReaderError("the bundled sample corpus is missing from this installation")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _corpus_options(default: object) -> argparse.ArgumentParser:
    """The corpus options, accepted before and after the command (`reader --index D ask`,
    `reader ask --index D`). A subcommand's parser must not default them: argparse would let
    its default overwrite a value given before the command."""
    options = argparse.ArgumentParser(add_help=False, argument_default=default)
    options.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="folder of articles (default: the bundled sample corpus)",
    )
    options.add_argument(
        "--index",
        metavar="DIR|NAME",
        help="where the index is kept: a folder (default: under $XDG_CACHE_HOME/reader); "
        "with --backend opensearch, the cluster's index name (default: reader)",
    )
    options.add_argument(
        "--backend",
        choices=BACKENDS,
        help="where questions are searched: the embedded index (local, the default) or an "
        "OpenSearch cluster (also [backend] in config.toml)",
    )
    options.add_argument(
        "--url",
        metavar="URL",
        help="the cluster's node URL(s), comma-separated (with --backend opensearch); "
        f"credentials from [backend] or {USER_VARIABLE} / {PASSWORD_VARIABLE}",
    )
    options.add_argument(
        "--exact-scores",
        action="store_const",
        const=True,
        help="with --backend opensearch: score with the whole index's term statistics "
        "(dfs_query_then_fetch), not each shard's",
    )
    options.add_argument("--k1", type=_number, help="BM25 k1 (default 1.2)")
    options.add_argument("--b", type=_number, help="BM25 b (default 0.75)")
    options.add_argument("--epsilon", type=_number, help="BM25 idf floor factor (default 0.25)")
    return options


def build_parser() -> argparse.ArgumentParser:
    corpus_opts = _corpus_options(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Ask a folder of news articles a question; see what every source says.",
        parents=[_corpus_options(None)],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", parents=[corpus_opts], help="answer a question from every source")
    ask.add_argument("question", nargs="?", help="the question, in quotes")
    ask.add_argument(
        "--questions",
        type=Path,
        metavar="FILE",
        help="one question per line; prints JSON Lines, one result per question",
    )
    ask.add_argument("--json", action="store_true", help="print the result as JSON")
    ask.add_argument(
        "--passages",
        type=_positive,
        default=PASSAGES_PER_SOURCE,
        metavar="N",
        help=f"passages per source (default {PASSAGES_PER_SOURCE})",
    )
    ask.add_argument("--sources", type=_positive, metavar="N", help="show at most N sources")
    ask.add_argument(
        "--by",
        choices=GROUPINGS,
        help="group passages and answers by source or by article (default: by article when "
        "the corpus has one source, else by source)",
    )
    ask.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        help="text (the default), json (as --json) or markdown: a report to keep or paste",
    )

    index = sub.add_parser("index", parents=[corpus_opts], help="build or refresh the index")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if up to date")

    sub.add_parser("sources", parents=[corpus_opts], help="list sources and their articles")

    read = sub.add_parser("read", parents=[corpus_opts], help="print an article's clean paragraphs")
    read.add_argument("article", help="article id, file name or a unique part of it")
    read.add_argument("--paragraph", type=_positive, metavar="N", help="only paragraph N")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(parser, args)
    except ReaderError as exc:
        # Messages quote file names and metadata values: shown inert, on one line.
        print(f"reader: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`reader ask ... | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command is None and not sys.stdout.isatty():
        raise ReaderError(
            "the reader app needs a terminal; for scripts and pipes use "
            '`reader ask "QUESTION"` (add --json for machine-readable output)'
        )
    settings = load_settings()  # the config file, read and checked once for the whole run
    if args.command is None:
        from reader.tui import run_tui  # textual is imported only here

        cluster = cluster_settings(args, settings)
        root = args.corpus if args.corpus is not None else bundled_corpus()
        if cluster is not None:
            return run_tui(None, settings, cluster=cluster)
        return run_tui(
            root, settings, index_dir=_index_dir(args), params=bm25_params(args, settings)
        )
    if args.command == "ask":
        return cmd_ask(args, settings)
    if args.command == "index":
        return cmd_index(args, settings)
    from reader.render import Style, render_article, render_sources

    corpus = open_corpus(args, settings)
    style = Style.for_stream(sys.stdout)
    if args.command == "sources":
        print(render_sources(corpus.articles(), style))
    elif args.command == "read":
        key = corpus.find_article(args.article)
        article = corpus.article(key)
        if args.paragraph is not None and args.paragraph > len(article.paragraphs):
            raise ReaderError(
                f"{key} has {len(article.paragraphs)} paragraphs; "
                f"there is no paragraph {args.paragraph}"
            )
        copies = [c for c in corpus.copies(key) if c != key]
        print(render_article(article, style, args.paragraph, copies))
    return 0


def bm25_params(args: argparse.Namespace, settings: Settings) -> BM25Params:
    """The config file's BM25 parameters, overridden by those given on the command line."""
    from index.search.bm25 import BM25Params

    given = dict(settings.bm25)
    for name in BM25_SETTINGS:
        value = getattr(args, name, None)
        if value is not None:
            given[name] = value
    return BM25Params(**given)


def open_corpus(
    args: argparse.Namespace,
    settings: Settings,
    progress: ProgressBar | None = None,
    rebuild: bool = False,
    local: bool = False,
) -> Corpus:
    """The corpus the options name: a cluster's (`--backend opensearch`), or the embedded
    index of a folder (built or refreshed as needed; `local` forces this one, in the default
    cache folder, even when a cluster is configured)."""
    from index.corpus import Corpus

    cluster = cluster_settings(args, settings)
    if cluster is not None and not local:
        return Corpus.connect(cluster)
    root = args.corpus if args.corpus is not None else bundled_corpus()
    corpus = Corpus.open(
        root,
        index_dir=None if cluster is not None else _index_dir(args),
        params=bm25_params(args, settings),
        progress=progress,
        rebuild=rebuild,
    )
    if progress is not None:
        progress.finish()  # end the bar's line before a warning is written after it
    for warning in corpus.warnings:
        print(f"reader: warning: {one_line(warning)}", file=sys.stderr)
    return corpus


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from reader.render import Style, render_ask

    if args.questions is not None:
        if args.question is not None:
            raise ReaderError("give either a question or --questions FILE, not both")
        questions = _read_questions(args.questions)
        corpus = open_corpus(args, settings, progress=ProgressBar.maybe())
        for question in questions:
            try:
                record = corpus.ask(question, args.passages, args.sources, args.by).to_json()
            except ReaderError as exc:
                record = {"question": question, "error": str(exc)}
            sys.stdout.write(terminal_safe_json(json.dumps(record, ensure_ascii=False)) + "\n")
        return 0
    if args.question is None:
        raise ReaderError('no question given: reader ask "Where does ... live?"')
    if args.json and args.format not in (None, "json"):
        raise ReaderError(f"give either --json or --format {args.format}, not both")
    corpus = open_corpus(args, settings, progress=ProgressBar.maybe())
    result = corpus.ask(args.question, args.passages, args.sources, args.by)
    if args.json or args.format == "json":
        print(terminal_safe_json(json.dumps(result.to_json(), ensure_ascii=False, indent=2)))
    elif args.format == "markdown":
        from reader.report import markdown_report

        print(markdown_report(result, corpus.name), end="")
    else:
        print(render_ask(result, Style.for_stream(sys.stdout)))
    return 0


def _read_questions(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReaderError(f"questions file not found: {path}") from None
    except UnicodeDecodeError:
        raise ReaderError(f"questions file is not UTF-8 text: {path}") from None
    except OSError as exc:
        raise ReaderError(f"cannot read questions file {path}: {exc.strerror}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def cluster_settings(args: argparse.Namespace, settings: Settings) -> ClusterSettings | None:
    """The cluster to search, when `--backend opensearch` or [backend] asks for one."""
    config = settings.backend
    backend = args.backend or config.get("type", "local")
    if backend != "opensearch":
        if args.url is not None or args.exact_scores:
            raise ReaderError("--url and --exact-scores go with --backend opensearch")
        return None
    from index.search.cluster import ClusterSettings

    url = args.url or config.get("url")
    if not url:
        raise ReaderError(
            "--backend opensearch needs the cluster's URL: --url http://HOST:9200 "
            "(or url in [backend] of config.toml)"
        )
    return ClusterSettings.from_url(
        url,
        index=args.index or config.get("index") or "reader",
        user=config.get("user"),
        password=config.get("password"),
        ca_file=config.get("ca_file"),
        exact_scores=bool(args.exact_scores or config.get("exact_scores", False)),
    )


def _index_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.index) if args.index is not None else None


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    bar = ProgressBar.maybe() or ProgressBar(sys.stderr, live=False)
    cluster = cluster_settings(args, settings)
    if cluster is not None:
        return _upload(args, settings, cluster, bar, started)
    corpus = open_corpus(args, settings, progress=bar, rebuild=args.rebuild)
    bar.finish()
    if corpus.outdated:
        raise ReaderError("the index was not updated (see the warning above)")
    meta = corpus.meta
    counts = meta["counts"]
    built = bar.used
    print(
        f"{'indexed' if built else 'index up to date:'} {counts['articles']} articles "
        f"({counts['copies']} duplicate copies), {counts['paragraphs']} paragraphs, "
        f"{counts['sources']} sources, {counts['terms']} terms"
        + (f" in {time.perf_counter() - started:.1f}s" if built else "")
    )
    print(f"index: {one_line(str(corpus.index_dir))}")
    groups = meta.get("duplicate_groups", [])
    print(f"duplicate groups: {len(groups)}")
    for group in groups:
        print(f"  {one_line(group[0])} (shown) = " + ", ".join(one_line(k) for k in group[1:]))
    problems = corpus.problems()
    skipped = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    if skipped:
        print(f"skipped: {len(skipped)}")
        for problem in skipped:
            print(f"  {one_line(str(problem))}")
    if warnings:
        print(f"warnings: {len(warnings)}")
        for problem in warnings:
            print(f"  {one_line(str(problem))}")
    return 0


def _upload(
    args: argparse.Namespace,
    settings: Settings,
    cluster: ClusterSettings,
    bar: ProgressBar,
    started: float,
) -> int:
    """`reader index --backend opensearch`: the folder's embedded index (the same ingest),
    then its changes sent to the cluster."""
    from index.ingest.upload import upload
    from index.search.cluster import Cluster

    corpus = open_corpus(args, settings, progress=bar, rebuild=args.rebuild, local=True)
    if corpus.outdated:
        raise ReaderError("the index was not updated (see the warning above)")
    summary = upload(
        corpus.backend.generation,  # type: ignore[attr-defined]
        Cluster(cluster),
        cluster.index,
        progress=bar,
        rebuild=args.rebuild,
        shards=settings.backend.get("shards"),
        replicas=settings.backend.get("replicas"),
    )
    bar.finish()
    counts = corpus.meta["counts"]
    print(
        f"uploaded {summary.files_sent} changed files ({summary.articles} articles, "
        f"{summary.paragraphs} paragraphs) to index '{one_line(cluster.index)}' at "
        f"{one_line(cluster.shown)}"
        + (f", removed {summary.files_deleted}" if summary.files_deleted else "")
        + f" in {time.perf_counter() - started:.1f}s"
    )
    print(
        f"the index holds {counts['articles']} articles ({counts['copies']} duplicate copies), "
        f"{counts['paragraphs']} paragraphs, {counts['sources']} sources"
        + (" (created anew)" if summary.recreated else "")
    )
    if summary.failed:
        print(f"refused by the cluster: {len(summary.failed)} files", file=sys.stderr)
        for failure in summary.failed:
            print(f"  {one_line(failure)}", file=sys.stderr)
        raise ReaderError("some files were not indexed; run `reader index` again to retry them")
    return 0


class ProgressBar:
    """A one-line progress bar with ETA on stderr (or plain stage lines when not a terminal)."""

    def __init__(self, stream: TextIO, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.used = False
        self.finished = False
        self.stage = ""
        self.stage_started = time.perf_counter()

    @classmethod
    def maybe(cls) -> ProgressBar | None:
        return cls(sys.stderr, live=True) if sys.stderr.isatty() else None

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.used = True
        now = time.perf_counter()
        if stage != self.stage:
            if self.stage and not self.live:
                self.stream.write(f"{self.stage}: done\n")
            self.stage, self.stage_started = stage, now
        if not self.live:
            return
        fraction = done / total if total else 1.0
        elapsed = now - self.stage_started
        eta = f"ETA {elapsed / fraction - elapsed:4.0f}s" if 0 < fraction < 1 else " " * 8
        bar = "█" * int(fraction * 30) + "░" * (30 - int(fraction * 30))
        self.stream.write(f"\r{stage:<11} {bar} {fraction:4.0%} {done}/{total} {eta}  ")
        self.stream.flush()

    def finish(self) -> None:
        if self.used and not self.finished:
            self.finished = True
            self.stream.write("\n" if self.live else f"{self.stage}: done\n")
            self.stream.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
