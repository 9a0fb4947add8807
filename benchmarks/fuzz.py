"""A longer hostile-input run than the tests can afford: mutation fuzzing, full-size files,
time growth of the text parsers, and long questions. Prints counts and measured figures.

1. Mutation fuzzing: valid articles in every format, damaged at random (bytes flipped,
   inserted, deleted, duplicated, markup and encoding marks spliced in, truncated), loaded
   one by one, then indexed together in batches through `Corpus.open` (cleaning, sentence
   splitting, duplicates, the index writer). Every file must load or be skipped with a
   reason naming it; any exception is a crash, saved under --keep for reproduction.
2. Full-size files: the catalogue of tests/test_hostile_files.py plus a 1 GB gzip bomb, each
   loaded in a process of its own; time and peak memory per file.
3. Time growth: markdown, HTML and cleaning on inputs of n and 4n characters built from
   random repeated units; linear code grows 4x, a quadratic path 16x.
4. Questions: random questions against the sample corpus, and the time of 100 KB ones.

Usage: .venv/bin/python benchmarks/fuzz.py [--mutations 3000] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.articles import Problem  # noqa: E402
from index.corpus import Corpus  # noqa: E402
from index.errors import QuestionError, ReaderError  # noqa: E402
from index.ingest.clean import clean_text  # noqa: E402
from index.ingest.files import SUPPORTED_SUFFIXES  # noqa: E402
from index.ingest.loaders import load_file  # noqa: E402
from index.ingest.markdown import markdown_to_text  # noqa: E402
from tests.test_hostile_files import (  # noqa: E402
    ARTICLE,
    BIG,
    CASES,
    Case,
    article_in,
    check_loaded,
    data,
)

REPO = Path(__file__).resolve().parent.parent
SPLICES = [
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b'"',
    b'""',
    b",",
    b"\n\n",
    b"<!--",
    b"-->",
    b"<a href='",
    b"<script>",
    b"]]>",
    b"[[",
    b"](",
    b"**",
    b"_",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\u0000",
    b"\\ud800",
    b"\x1b[2J",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"&#27;",
    b"---\n",
    b"# ",
]


def mutate(raw: bytes, rng: random.Random) -> bytes:
    data_ = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        if not data_:
            data_ += rng.choice(SPLICES)
            continue
        at = rng.randrange(len(data_))
        kind = rng.randrange(6)
        if kind == 0:
            data_[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data_[at:at] = rng.randbytes(rng.randint(1, 16))
        elif kind == 2:
            del data_[at : at + rng.randint(1, 64)]
        elif kind == 3:
            piece = bytes(data_[at : at + rng.randint(1, 200)])
            data_[at:at] = piece * rng.randint(2, 50)
        elif kind == 4:
            data_[at:at] = rng.choice(SPLICES) * rng.randint(1, 20)
        else:
            del data_[rng.randrange(len(data_)) :]
    return bytes(data_)


def fuzz_mutations(count: int, rng: random.Random, keep: Path) -> tuple[int, int, list[str]]:
    tried = handled = 0
    crashes: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        batch = Path(workdir) / "batch"
        batch.mkdir()
        for number in range(count):
            suffix = rng.choice(SUPPORTED_SUFFIXES)
            text = article_in(suffix, ARTICLE * rng.randint(1, 4)).encode()
            if suffix == ".jsonl.gz":
                raw = gzip.compress(mutate(text, rng)) if rng.random() < 0.7 else None
                raw = raw if raw is not None else mutate(gzip.compress(text), rng)
            else:
                raw = mutate(text, rng)
            name = f"m{number:06d}{suffix}"
            path = batch / name
            path.write_bytes(raw)
            tried += 1
            try:
                records, problems = load_file(path, batch)
                check_loaded(Case(name, data(b"")), name, records, problems)
                handled += 1
            except Exception:  # a crash: keep the file and say why
                keep.mkdir(parents=True, exist_ok=True)
                (keep / name).write_bytes(raw)
                crashes.append(f"{name}: {traceback.format_exc(limit=3).splitlines()[-1]}")
            if (number + 1) % 250 == 0:  # the whole pipeline, on the last 250 files
                tried += 1
                try:
                    corpus = Corpus.open(batch, index_dir=Path(workdir) / f"ix{number}")
                    corpus.search("harbour council replica")
                    handled += 1
                except ReaderError as error:
                    if "no articles found" in str(error):
                        handled += 1
                    else:
                        crashes.append(f"batch {number}: {error}")
                except Exception:
                    target = keep / f"batch-{number}"
                    target.mkdir(parents=True, exist_ok=True)
                    for file in batch.iterdir():
                        (target / file.name).write_bytes(file.read_bytes())
                    crashes.append(f"batch {number}: {traceback.format_exc(limit=3)}")
                for file in batch.iterdir():
                    file.unlink()
    seconds = time.perf_counter() - started
    print(f"  {count} mutated files in {seconds:.1f}s ({count / seconds:.0f} files/s)")
    return tried, handled, crashes


BIG_RUNNER = """
import json, resource, sys, time
from pathlib import Path
from index.ingest.loaders import load_file
path = Path(sys.argv[1])
started = time.perf_counter()
records, problems = load_file(path, path.parent)
# VmHWM is this process's own peak; ru_maxrss would include the parent's before exec.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    pass
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mib": peak / 1024,
    "records": len(records),
    "problems": [[p.path, p.reason, p.line, p.warning] for p in problems],
}))
"""


def full_size_files(cases: list[Case]) -> tuple[int, int, list[str]]:
    tried = handled = 0
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as workdir:
        for case in cases:
            path = Path(workdir) / case.name
            case.write(path)
            size = path.stat().st_size
            tried += 1
            done = subprocess.run(
                [sys.executable, "-c", BIG_RUNNER, str(path)],
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            path.unlink()
            if done.returncode != 0:
                failures.append(f"{case.name}: {done.stderr.strip().splitlines()[-1:]}")
                continue
            result = json.loads(done.stdout)
            problems = [Problem(*p) for p in result["problems"]]
            reason = "; ".join(p.reason for p in problems)[:70]
            print(
                f"  {case.name:24} {size / 2**20:8.0f} MiB  {result['seconds']:6.2f}s  "
                f"peak {result['peak_mib']:5.0f} MiB  {result['records']} records  {reason}"
            )
            handled += 1
    return tried, handled, failures


def gigabyte_bomb(path: Path) -> None:
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b'{"text": "')
        chunk = b"a" * 2**20
        for _ in range(1024):
            out.write(chunk)


def growth(rng: random.Random, trials: int) -> None:
    tokens = [
        "a", "A", " ", ".", "\n", "[", "]", "(", ")", "*", "_", "“", "”", '"', ":", "#", "<",
        ">", "/", "http://", "<!--", "<a href='", "<p>", "&", "`", "~~", "**", "e.g.", "\u200b",
    ]  # fmt: skip
    from index.ingest.html import VisibleText, escape_unterminated

    def html(text: str) -> None:
        parser = VisibleText()
        parser.feed(escape_unterminated(text))
        parser.close()

    for name, function in (("markdown", markdown_to_text), ("html", html), ("clean", clean_text)):
        worst = (0.0, "")
        for _ in range(trials):
            unit = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 5)))
            times = []
            for size in (20_000, 80_000):
                text = unit * (size // len(unit) + 1)
                started = time.perf_counter()
                function(text)
                times.append(time.perf_counter() - started)
            ratio = times[1] / max(times[0], 1e-4)
            if times[1] > 0.05 and ratio > worst[0]:
                worst = (ratio, f"{unit!r}: {times[0]:.3f}s -> {times[1]:.3f}s")
        shown = f"worst growth x{worst[0]:.1f} ({worst[1]})" if worst[1] else "all fast"
        print(f"  {name:9} {trials} patterns, 20k -> 80k characters: {shown}")


def questions(rng: random.Random, count: int) -> tuple[int, int, list[str]]:
    corpus = Corpus.open(REPO / "corpus", index_dir=Path(tempfile.mkdtemp()) / "ix")
    alphabet = [chr(c) for c in range(0x20, 0x3000, 7)] + ["\x1b", "\x9b", "\u202e", "\x00"]
    words = ["Marinelli", "live", "where", "Moscow", "embassy", "?", " ", "[b]", "\x1b[2J"]
    tried = handled = 0
    failures: list[str] = []
    for _ in range(count):
        pieces = [rng.choice(words if rng.random() < 0.5 else alphabet) for _ in range(40)]
        question = "".join(pieces)
        tried += 1
        try:
            corpus.ask(question)
            handled += 1
        except QuestionError:
            handled += 1
        except Exception:
            failures.append(f"{question!r}: {traceback.format_exc(limit=2).splitlines()[-1]}")
    for label, question in (
        ("100 KB of words", " ".join(["Where does Marinelli live"] * 4_000)),
        ("90 KB of short phrases", "Where? Does? Marinelli? Live? " * 3_000),
    ):
        started = time.perf_counter()
        try:
            corpus.ask(question)
            outcome = "answered"
        except QuestionError as error:
            outcome = f"refused: {error}"
        print(f"  {label}: {time.perf_counter() - started:.2f}s, {outcome}")
    return tried, handled, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=3000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--growth-patterns", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-crashes")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    totals = {"hostile inputs": [0, 0], "hostile questions": [0, 0]}
    problems: list[str] = []

    print("1. mutation fuzzing")
    tried, handled, crashes = fuzz_mutations(args.mutations, rng, args.keep)
    totals["hostile inputs"][0] += tried
    totals["hostile inputs"][1] += handled
    problems += crashes

    print("2. full-size files (each in its own process)")
    bomb = Case("bomb-1GiB.jsonl.gz", gigabyte_bomb, "skip", "too large", big=True)
    tried, handled, failures = full_size_files([*BIG, bomb])
    totals["hostile inputs"][0] += tried
    totals["hostile inputs"][1] += handled
    problems += failures

    print("3. time growth of the text parsers")
    growth(rng, args.growth_patterns)

    print("4. questions")
    tried, handled, failures = questions(rng, args.questions)
    totals["hostile questions"][0] += tried
    totals["hostile questions"][1] += handled
    problems += failures

    print()
    print(f"catalogue in tests/test_hostile_files.py: {len(CASES)} files")
    for kind, (tried, handled) in totals.items():
        print(f"{kind}: {tried} tried, {handled} handled")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of this process: {peak} MiB")
    if problems:
        print(f"{len(problems)} crashes (files kept in {args.keep}):")
        for line in problems[:20]:
            print(f"  {line}")
        sys.exit(1)


if __name__ == "__main__":
    main()
