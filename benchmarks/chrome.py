"""Site chrome that survives cleaning on real news: a survey, removal counts, and timing.

The rules in `index/ingest/chrome.py` and `index/ingest/clean.py` are checked here on a
seed-fixed sample of the AllSides corpus (37,554 articles from 491 outlets), read at run time
from ../shared/data and never copied into the repository.

    python benchmarks/chrome.py survey  [--size N] [--seed S]
        What survives cleaning and looks like chrome: the commonest short kept lines (digits
        shown as 9) that hold a chrome word, and, for each chrome probe (a clip duration, a
        player label, "Read more", "Click here", a gallery counter, ...), how many kept blocks
        hold it, whole (a short block) or glued into a longer one, with examples. The probes
        are survey heuristics that find candidates; they are not cleaning rules.
    python benchmarks/chrome.py dump FILE [--size N] [--seed S] [--repo DIR]
        Clean the sample and write every article's kept and removed blocks to FILE (JSON, keep
        it outside the repository). `--repo` cleans with another checkout's code (an older
        commit), so two dumps compare two versions of the rules.
    python benchmarks/chrome.py diff OLD NEW [--check K] [--seed S]
        What NEW removes that OLD kept, counted by the chrome rule (of the running code) that
        names each newly removed piece, and K of them per rule drawn at random to check by hand;
        also what NEW keeps that OLD removed.
    python benchmarks/chrome.py time [--size N] [--seed S] [--repo DIR] [--repeat R]
        Seconds to clean the sample (best of R runs).

Prefix long runs with `nice`: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "allsides-article-bias"

# Words that mark a short kept line as worth a look (video and audio players, link labels,
# adverts, galleries, share/follow/newsletter prompts, embeds, durations).
_CHROME_WORD = re.compile(
    r"\b(?:video|videos|watch|watched|play|replay|listen|audio|clip|player|click|tap|read more"
    r"|advert\w*|sponsor\w*|gallery|slideshow|photos?|images?|caption|slide|share|newsletter"
    r"|subscribe|sign up|follow|scroll|youtube|embed|podcast|transcript)\b"
    r"|\d:\d\d|\b\d+ of \d+\b",
    re.IGNORECASE,
)

_CLOCK = r"(?<![\w:.,/])\(?\d{0,2}:\d\d(?::\d\d)?\)?(?![\w:])"
# Survey probes: (name, pattern). Each finds candidates, right or wrong; `diff` says what the
# rules actually removed.
_PROBES: list[tuple[str, re.Pattern[str]]] = [
    (
        "clip duration (m:ss with no a.m./p.m./zone after and no at/by/until before)",
        re.compile(
            r"(?<!\bat )(?<!\bby )(?<!\buntil )(?<!\babout )(?<!\baround )(?<!\bof )"
            + _CLOCK
            + r"(?!\s*(?:[ap]\.?m\b|[ap]\.m\.|et\b|est\b|edt\b|pt\b|ct\b|gmt\b|utc\b|bst\b"
            r"|local\b|hours?\b|mark\b))",
            re.IGNORECASE,
        ),
    ),
    (
        "player label (just watched, replay, more videos, play video, video length, listen ·)",
        re.compile(
            r"\b(?:just watched|must watch|replay|more videos|play video|video length|now playing"
            r"|up next|autoplay|listen to (?:this )?article)\b|\blisten\s*·",
            re.IGNORECASE,
        ),
    ),
    ("'Read more' at the end", re.compile(r"\b(?:Read more|READ MORE)\W*$")),
    ("'click here'", re.compile(r"\bclick(?:ing)? here\b", re.IGNORECASE)),
    ("'Advertisement' label", re.compile(r"^\W*advertisement\b|\badvertisement\W*$", re.I)),
    (
        "gallery counter (N of M with a photo/image/caption/slide word)",
        re.compile(
            r"\b(?:caption|image|photo|slide|picture)s?\W+\d+ of \d+\b|\b\d+ of \d+\W+photos?\b",
            re.IGNORECASE,
        ),
    ),
    ("'Watch:' / 'Now watch:' label", re.compile(r"^\W*(?:now |also )?watch\W*:", re.I)),
    (
        "video prompt (scroll down for / below video)",
        re.compile(r"\b(?:for|below)(?: the)? video\b", re.I),
    ),
    (
        "embed placeholder (YouTube video, view this post)",
        re.compile(r"\byoutube video\b|\bview this (?:post|video) on\b", re.I),
    ),
    ("share prompt", re.compile(r"\bshare (?:this|on|via)\b|\bshares?\W*$", re.IGNORECASE)),
    ("newsletter prompt", re.compile(r"\bnewsletters?\b|\binbox\b", re.IGNORECASE)),
    ('markup (attr="...", {"key":)', re.compile(r"^\W*\w+=\"|^\s*\{\"\w+\":|\[\w+ \w+=")),
]
_SHORT_WORDS = 25


def _load(size: int, seed: int) -> list[dict[str, Any]]:
    paths = sorted(DATA.glob("*.jsonl.gz"))
    if not paths:
        sys.exit(f"error: no AllSides shards in {DATA}")
    records = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records.append({k: record[k] for k in ("id", "source", "text")})
    records.sort(key=lambda r: r["id"])
    if size >= len(records):
        return records
    return random.Random(seed).sample(records, size)


def _cleaner(repo: Path) -> Callable[[str], Any]:
    sys.path.insert(0, str(repo))
    from index.ingest.clean import clean_text

    return clean_text


def _shape(block: str) -> str:
    return re.sub(r"\d+", "9", " ".join(block.lower().split()))


def _clip(text: str, at: int = 0, width: int = 150) -> str:
    start = max(0, at - width // 2)
    return (
        ("…" if start else "")
        + text[start : start + width]
        + ("…" if start + width < len(text) else "")
    )


def survey(args: argparse.Namespace) -> None:
    records = _load(args.size, args.seed)
    clean_text = _cleaner(REPO)
    shapes: Counter[str] = Counter()
    shape_outlets: dict[str, set[str]] = defaultdict(set)
    probe_blocks: dict[str, list[tuple[int, str, str, int]]] = defaultdict(list)
    kept = 0
    for record in records:
        blocks = clean_text(record["text"]).blocks
        kept += len(blocks)
        for block in blocks:
            words = len(block.split())
            if words <= 12 and _CHROME_WORD.search(block):
                shape = _shape(block)
                shapes[shape] += 1
                shape_outlets[shape].add(record["source"])
            for name, probe in _PROBES:
                found = probe.search(block)
                if found:
                    probe_blocks[name].append((words, record["source"], block, found.start()))
    print(f"== {len(records)} articles (seed {args.seed}), {kept} kept blocks")
    print("\n== commonest kept lines of <= 12 words holding a chrome word (count, outlets, shape)")
    for shape, count in shapes.most_common(args.top):
        print(f"{count:6} {len(shape_outlets[shape]):3}  {shape[:110]}")
    print(f"\n== probes: kept blocks holding each (whole: <= {_SHORT_WORDS} words; glued: longer)")
    rng = random.Random(args.seed)
    for name, _ in _PROBES:
        hits = probe_blocks[name]
        whole = sum(1 for words, *_ in hits if words <= _SHORT_WORDS)
        outlets = Counter(source for _, source, _, _ in hits)
        print(
            f"\n-- {name}: {len(hits)} blocks ({whole} whole, {len(hits) - whole} glued), "
            f"{len(outlets)} outlets"
        )
        for words, source, block, at in rng.sample(hits, min(args.examples, len(hits))):
            print(f"   [{source[:20]}] {words}w {_clip(block, at)!r}")


def dump(args: argparse.Namespace) -> None:
    records = _load(args.size, args.seed)
    clean_text = _cleaner(Path(args.repo))
    out = {}
    for record in records:
        result = clean_text(record["text"])
        out[record["id"]] = {
            "source": record["source"],
            "title": result.title,
            "blocks": result.blocks,
            "removed": result.removed,
        }
    Path(args.file).write_text(json.dumps(out), encoding="utf-8")
    print(f"wrote {len(out)} articles to {args.file}")


def _minus(a: list[str], b: list[str]) -> list[str]:
    """The items of `a` left after taking out one for each item of `b`."""
    left = Counter(b)
    out = []
    for item in a:
        if left[item]:
            left[item] -= 1
        else:
            out.append(item)
    return out


def diff(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO))
    from index.ingest.chrome import chrome_rule

    old = json.loads(Path(args.old).read_text(encoding="utf-8"))
    new = json.loads(Path(args.new).read_text(encoding="utf-8"))
    by_rule: dict[str, list[tuple[str, str]]] = defaultdict(list)
    articles: Counter[str] = Counter()
    restored: list[tuple[str, str]] = []
    changed_titles = 0
    for key, after in new.items():
        before = old[key]
        # Text is compared, not blocks: a block cut in two by the new code is the same text.
        kept_before = "\n".join(filter(None, [before["title"], *before["blocks"]]))
        seen_rules = set()
        for piece in _minus(after["removed"], before["removed"]):
            if piece in kept_before:
                rule = chrome_rule(piece) or "(context: head/tail run or repeated clip title)"
                by_rule[rule].append((after["source"], piece))
                seen_rules.add(rule)
        articles.update(seen_rules)
        restored += [
            (after["source"], block) for block in after["blocks"] if block not in kept_before
        ]
        changed_titles += before["title"] != after["title"]
    total = sum(len(v) for v in by_rule.values())
    print(
        f"== {len(new)} articles: {total} pieces newly removed, {len(restored)} blocks "
        f"newly kept, {changed_titles} titles changed"
    )
    rng = random.Random(args.seed)
    for rule, pieces in sorted(by_rule.items(), key=lambda kv: -len(kv[1])):
        words = sum(len(p.split()) for _, p in pieces)
        print(
            f"\n-- {rule}: {len(pieces)} pieces ({words} words) in {articles[rule]} articles;"
            f" {min(args.check, len(pieces))} drawn at random:"
        )
        for source, piece in rng.sample(pieces, min(args.check, len(pieces))):
            print(f"   [{source[:20]}] {_clip(piece, 0, args.width)!r}")
    if restored:
        print("\n-- newly kept (not kept before):")
        for source, piece in restored[: args.check]:
            print(f"   [{source[:20]}] {_clip(piece, 0, args.width)!r}")


def timing(args: argparse.Namespace) -> None:
    records = _load(args.size, args.seed)
    clean_text = _cleaner(Path(args.repo))
    texts = [record["text"] for record in records]
    best, best_cpu = float("inf"), float("inf")
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            clean_text(text)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    chars = sum(len(t) for t in texts)
    # CPU time as well as wall time: on a shared machine the wall time varies with the load.
    print(
        f"{len(texts)} articles, {chars / 1e6:.1f} M characters: {best:.2f} s wall, "
        f"{best_cpu:.2f} s CPU (best of {args.repeat}), {chars / best_cpu / 1e6:.1f} M chars/CPU s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def sample_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--size", type=int, default=4000, help="articles in the sample")
        p.add_argument("--seed", type=int, default=12)

    p = sub.add_parser("survey")
    sample_options(p)
    p.add_argument("--top", type=int, default=60)
    p.add_argument("--examples", type=int, default=4)
    p.set_defaults(run=survey)
    p = sub.add_parser("dump")
    p.add_argument("file")
    sample_options(p)
    p.add_argument("--repo", default=str(REPO))
    p.set_defaults(run=dump)
    p = sub.add_parser("diff")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--check", type=int, default=20)
    p.add_argument("--width", type=int, default=160)
    p.add_argument("--seed", type=int, default=12)
    p.set_defaults(run=diff)
    p = sub.add_parser("time")
    sample_options(p)
    p.add_argument("--repo", default=str(REPO))
    p.add_argument("--repeat", type=int, default=3)
    p.set_defaults(run=timing)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
