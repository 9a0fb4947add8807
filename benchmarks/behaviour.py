"""Record what `reader` prints, and check later that a change left it the same.

A refactoring must not change behaviour. This runs the installed `reader` command on the
bundled corpus, on the story corpora of `../shared/questions/news-dev.toml` and on a slice of
AllSides, and records:

- `reader ask --questions FILE --json` for every question of `../shared/questions/*.toml`
  (each on its own corpus) and for 20 AllSides titles asked on the slice;
- `reader sources` and `reader read` of every article (the slice: the first 20) of each corpus.

    python benchmarks/behaviour.py --save /tmp/before.json     # before the change
    python benchmarks/behaviour.py --check /tmp/before.json    # after: lists every difference

It prints figures, never asserts: `--check` exits 1 when anything differs, so it can gate a
script. Datasets are read from ../shared at run time; corpora and indexes go to --workdir.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SLICE_ARTICLES = 1500
SLICE_TITLES = 20
READ_PER_CORPUS = 20


def reader_command() -> list[str]:
    exe = Path(sys.executable).with_name("reader")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "reader.cli"]


def run(args: list[str], corpus: Path, index: Path) -> str:
    """stdout, stderr and exit status of one `reader` call, as one string."""
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100")
    proc = subprocess.run(
        [*reader_command(), "--corpus", str(corpus), "--index", str(index), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"


def slice_corpus(workdir: Path) -> tuple[Path, list[str]]:
    """The first SLICE_ARTICLES AllSides articles as one JSON Lines file, and 20 titles."""
    folder = workdir / "allsides-slice"
    shard = sorted((SHARED / "data" / "allsides-article-bias").glob("*.jsonl.gz"))[0]
    records = []
    with gzip.open(shard, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            records.append(
                {k: rec.get(k) or "" for k in ("id", "source", "title", "date", "url", "text")}
            )
            if len(records) == SLICE_ARTICLES:
                break
    target = folder / "articles.jsonl"
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    step = len(records) // SLICE_TITLES
    titles = [records[i * step]["title"] for i in range(SLICE_TITLES)]
    return folder, [t for t in titles if t.strip()]


def news_corpora(workdir: Path) -> list[tuple[Path, list[str]]]:
    spec_path = SHARED / "questions" / "news-dev.toml"
    out = workdir / "news-dev"
    if not out.exists():
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "questions" / "news_corpora.py"),
                str(spec_path),
                str(out),
            ],
            check=True,
            capture_output=True,
        )
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    return [
        (out / story["name"], [q["text"] for q in story.get("question", [])])
        for story in spec["story"]
    ]


def record(workdir: Path) -> dict[str, str]:
    bundled = REPO / "corpus"
    dev = tomllib.loads((SHARED / "questions" / "dev.toml").read_text(encoding="utf-8"))
    corpora = [(bundled, [q["text"] for q in dev["question"]])]
    corpora += news_corpora(workdir)
    corpora.append(slice_corpus(workdir))
    outputs: dict[str, str] = {}
    for corpus, questions in corpora:
        name = corpus.name
        index = workdir / "indexes" / name
        qfile = workdir / f"{name}.questions.txt"
        qfile.write_text("".join(q + "\n" for q in questions), encoding="utf-8")
        started = time.perf_counter()
        outputs[f"{name}: ask"] = run(["ask", "--questions", str(qfile)], corpus, index)
        for question in questions[:3]:  # the plain-text rendering too
            outputs[f"{name}: ask {question}"] = run(["ask", question], corpus, index)
        sources = run(["sources"], corpus, index)
        outputs[f"{name}: sources"] = sources
        keys = _article_keys(sources)
        for key in keys[:READ_PER_CORPUS]:
            outputs[f"{name}: read {key}"] = run(["read", key], corpus, index)
        read = min(len(keys), READ_PER_CORPUS)
        seconds = time.perf_counter() - started
        print(f"{name}: {len(questions)} questions, {read} articles read, {seconds:.1f} s")
    return outputs


def _article_keys(listing: str) -> list[str]:
    """Article keys from `reader sources`: the indented lines ending in a paragraph count."""
    body = listing.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
    return [m[1] for m in re.finditer(r"(?m)^    (\S.*?)  \d+ ¶(?:  .*)?$", body)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, metavar="FILE", help="record the outputs to FILE")
    mode.add_argument("--check", type=Path, metavar="FILE", help="compare with a recording")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/reader-behaviour"))
    parser.add_argument("--fresh", action="store_true", help="delete the indexes first")
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(args.workdir / "indexes", ignore_errors=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    outputs = record(args.workdir)
    if args.save:
        args.save.write_text(json.dumps(outputs, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"recorded {len(outputs)} outputs to {args.save}")
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = 0
    for key in sorted(set(before) | set(outputs)):
        old, new = before.get(key), outputs.get(key)
        if old == new:
            continue
        differ += 1
        print(f"== differs: {key}")
        diff = difflib.unified_diff(
            (old or "").splitlines(), (new or "").splitlines(), "before", "after", lineterm="", n=1
        )
        print("\n".join(list(diff)[:40]))
    print(f"{len(outputs)} outputs compared with {args.check}: {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
