"""Does `reader ask` flag real disagreements and only those? A controlled test on SQuAD v1.1 dev.

    python benchmarks/conflicts.py [--seed 7] [--unchanged 200] [--in-process] [--dump FILE]
                                   [--draw FILE]

Two "outlets" cover the same 48 Wikipedia articles: outlet A prints each article whole, outlet
B prints it in three parts (so the duplicate finder does not fold B into A as a copy of the
same article). In B, one question per chosen paragraph has its gold answer
replaced everywhere in that paragraph (every third paragraph of two thirds of the articles),
either

  swap      by the gold answer of another question of the same answer type, from another
            article (a real disagreement: should be flagged "conflict"), or
  variant   by a surface variant of itself: "7 February 2016" for "February 7, 2016", "2" for
            "two", a surname for a full name, the first part of "Santa Clara, California",
            initials for an organisation (not a disagreement);

the other third of the articles are reprinted unchanged (their questions are "unchanged").
Every such
question is asked of the combined corpus through `reader ask --questions FILE --json`, and
per answer type we count swaps flagged as conflict (and, beside them, swaps shown in
different groups under "answers differ, not firmly enough to call a disagreement": the
result's `unconfirmed`), false conflicts on variants and on unchanged questions, and
extraction accuracy (outlet A's answer against the gold spans, SQuAD exact match after
normalisation). Articles are split in two halves by title: "tune" is the half the rules and
thresholds were adjusted on, "report" the half they were not.
The always-flag baseline calls every question a conflict.

The data is read from ../shared/data at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import random
import re
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from index.answers.cues import ORG_WORDS  # noqa: E402
from index.answers.mentions import date_mentions, number_mentions  # noqa: E402
from index.answers.question import analyse  # noqa: E402
from index.answers.values import (  # noqa: E402
    MONTHS,
    UNITS,
    name_words,
    parse_date,
    parse_number,
    relate,
)

SQUAD = REPO.parent / "shared" / "data" / "squad-v1.1-dev" / "dev-v1.1.json.gz"
TYPES = ("place", "date", "number", "person", "organization")
# Outlet B prints each article as three parts: a third of an article shares too few word
# 3-grams with the whole for the duplicate finder to fold it into outlet A's copy.
PARTS = 3
# A third of the articles are reprinted by outlet B exactly as outlet A prints them: their
# questions are the "unchanged" ones. In the others, every third paragraph gets one change.
UNTOUCHED_SHARE = 1 / 3
MODIFY_EVERY = 3
OUTLET_A, OUTLET_B = "Outlet A", "Outlet B"
# A name as news text writes it: capitalised words, joined by "of", "de", "the", "and", "&".
NAME_SHAPE = re.compile(r"[A-Z][\w'’.-]*(?:,?\s+(?:(?:of|de|the|and|&)\s+)?[A-Z][\w'’.-]*)*")
_NUMBER_WORDS = {v: k for k, v in UNITS.items() if v <= 20}


@dataclass
class Item:
    qid: str
    question: str
    answer_type: str
    gold: list[str]
    article: int
    paragraph: int
    half: str
    kind: str = "unchanged"  # swap | variant | unchanged
    replacement: str | None = None


# -- building the corpus ----------------------------------------------------------------------


def half_of(title: str) -> str:
    digest = hashlib.sha256(title.encode()).digest()[0]
    return "tune" if digest % 2 == 0 else "report"


def fits_type(answer_type: str, gold: str, context: str) -> bool:
    """Whether the gold span has the shape of its question's type, so that extraction of that
    type can find it at all and a swap keeps the paragraph readable."""
    if gold not in context or len(gold) > 60:
        return False
    if answer_type == "date":
        found = date_mentions(gold)
        return len(found) == 1 and found[0].text == gold and parse_date(gold) is not None
    if answer_type == "number":
        found = number_mentions(gold)
        return len(found) == 1 and found[0].text == gold and parse_number(gold) is not None
    if not NAME_SHAPE.fullmatch(gold) or len(gold.split()) > 5 or parse_date(gold):
        return False
    # Crowd workers answered some "who" questions with organisations ("Stagecoach", "Working
    # Group chairs"); a swap between such answers would not be a swap of people.
    return answer_type != "person" or not set(name_words(gold)) & ORG_WORDS


def variant_of(answer_type: str, gold: str) -> str | None:
    """The same referent written another way, or None when the type has no safe variant."""
    if answer_type == "date":
        d = parse_date(gold)
        if d is None or d.month is None or d.day is None or d.year is None:
            return None
        month = list(MONTHS)[d.month - 1].capitalize()  # the full names come first
        if re.match(r"\d", gold):
            return f"{month} {d.day}, {d.year}"
        return f"{d.day} {month} {d.year}"
    if answer_type == "number":
        n = parse_number(gold)
        if n is None or n.unit is not None:
            return None
        if gold.isdigit() and int(gold) in _NUMBER_WORDS:
            return _NUMBER_WORDS[int(gold)]
        if gold.lower() in UNITS and UNITS[gold.lower()] <= 20:
            return str(UNITS[gold.lower()])
        if (
            re.fullmatch(r"\d{1,3}(,\d{3})+", gold)
            and not 1000 <= int(gold.replace(",", "")) < 2100
        ):
            return gold.replace(",", "")  # not 1,388 → 1388: that would read as a year
        return None
    if answer_type == "place" and "," in gold:
        return gold.split(",")[0].strip()
    words = gold.split()
    plain_name = re.fullmatch(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)+", gold)
    if answer_type == "person" and plain_name and len(words) <= 3 and _surname(words[-1]):
        return words[-1]  # a surname for a full name
    if answer_type == "organization" and plain_name:
        caps = [w for w in name_words(gold)]
        if len(caps) >= 2 and all(w[:1].isupper() for w in gold.split() if w.lower() != "of"):
            return "".join(w[0].upper() for w in caps)
    return None


def _surname(word: str) -> bool:
    """Not an initial, a regnal number ("Charles I") or a suffix ("Jr.")."""
    return len(word) >= 3 and not re.fullmatch(r"[IVXL]+|Jr\.?|Sr\.?", word)


def shape(answer_type: str, text: str) -> str:
    """Swaps keep the shape: a year for a year, a percentage for a percentage."""
    if answer_type == "date":
        d = parse_date(text)
        return "date:" + "".join("ymd"[i] for i, x in enumerate((d.year, d.month, d.day)) if x)
    if answer_type == "number":
        n = parse_number(text)
        words = "w" if re.search(r"[a-z]", text.lower().replace("percent", "")) else "d"
        return f"number:{n.unit}:{words}"
    return answer_type


def pick_swap(
    rng: random.Random, pool: list[tuple[int, str]], item: Item, context: str
) -> str | None:
    """Another article's gold answer of the same type and shape that really differs."""
    for _ in range(50):
        article, value = rng.choice(pool)
        if article == item.article or value in context:
            continue
        if any(value in g or g in value for g in item.gold):
            continue
        if relate(item.answer_type, value, item.gold[0])[0] == "different":
            return value
    return None


def replace_all(context: str, old: str, new: str) -> str:
    """Every occurrence of `old` in the paragraph, as a whole word."""
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", lambda _: new, context)


def build(seed: int, unchanged_per_half: int) -> tuple[list[dict], list[dict], list[Item]]:
    data = json.loads(gzip.decompress(SQUAD.read_bytes()))["data"]
    rng = random.Random(seed)
    items_by_paragraph: dict[tuple[int, int], list[Item]] = defaultdict(list)
    pool: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for ai, article in enumerate(data):
        half = half_of(article["title"])
        for pi, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                q = analyse(qa["question"])
                golds = [a["text"] for a in qa["answers"]]
                gold = Counter(golds).most_common(1)[0][0]
                if q.answer_type not in TYPES or not fits_type(
                    q.answer_type, gold, paragraph["context"]
                ):
                    continue
                item = Item(qa["id"], qa["question"], q.answer_type, golds, ai, pi, half)
                item.gold = [gold, *[g for g in golds if g != gold]]
                items_by_paragraph[(ai, pi)].append(item)
                pool[shape(q.answer_type, gold)].append((ai, gold))

    contexts_b = {
        (ai, pi): p["context"] for ai, a in enumerate(data) for pi, p in enumerate(a["paragraphs"])
    }
    chosen: list[Item] = []
    unchanged: dict[str, list[Item]] = defaultdict(list)
    untouched = {ai for ai in range(len(data)) if rng.random() < UNTOUCHED_SHARE}
    for (ai, pi), items in sorted(items_by_paragraph.items()):
        if ai in untouched:
            unchanged[items[0].half].extend(items)
            continue
        if pi % MODIFY_EVERY:
            continue  # left alone, so that each change stands apart from the next
        context = contexts_b[(ai, pi)]
        rng.shuffle(items)
        first = rng.choice(("swap", "variant"))
        modes = (first, "variant" if first == "swap" else "swap")
        for mode, item in ((m, i) for m in modes for i in items):
            gold = item.gold[0]
            if mode == "variant":
                new = variant_of(item.answer_type, gold)
            else:
                new = pick_swap(rng, pool[shape(item.answer_type, gold)], item, context)
            if new is None or (mode == "swap" and new in context):
                continue
            item.kind, item.replacement = mode, new
            contexts_b[(ai, pi)] = replace_all(context, gold, new)
            chosen.append(item)
            break
    for _, items in sorted(unchanged.items()):
        rng.shuffle(items)
        chosen.extend(items[:unchanged_per_half])

    outlet_a, outlet_b = [], []
    for ai, article in enumerate(data):
        title = article["title"].replace("_", " ")
        paras = [p["context"] for p in article["paragraphs"]]
        outlet_a.append({"id": f"a{ai}", "title": title, "source": OUTLET_A,
                         "text": "\n\n".join(paras)})  # fmt: skip
        size = -(-len(paras) // PARTS)
        for part, start in enumerate(range(0, len(paras), size), start=1):
            text = "\n\n".join(
                contexts_b[(ai, pi)] for pi in range(start, min(start + size, len(paras)))
            )
            outlet_b.append(
                {
                    "id": f"b{ai}-{part}",
                    "title": f"{title} ({part})",
                    "source": OUTLET_B,
                    "text": text,
                }
            )
    return outlet_a, outlet_b, chosen


# -- asking -----------------------------------------------------------------------------------


def ask_all(corpus_dir: Path, index_dir: Path, questions: list[str], in_process: bool) -> list:
    if in_process:
        from index.corpus import Corpus

        corpus = Corpus.open(corpus_dir, index_dir=index_dir)
        return [corpus.ask(q, 3).to_json() for q in questions]
    qfile = corpus_dir.parent / "questions.txt"
    qfile.write_text("\n".join(questions) + "\n", encoding="utf-8")
    command = [
        sys.executable, "-c", "import sys; from reader.cli import main; sys.exit(main())",
        "ask", "--corpus", str(corpus_dir), "--index", str(index_dir),
        "--questions", str(qfile), "--json",
    ]  # fmt: skip
    out = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


# -- scoring ----------------------------------------------------------------------------------


def squad_normal(text: str) -> str:
    text = text.lower()
    text = "".join(c for c in text if c not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def source_answer(record: dict, source: str) -> str | None:
    for s in record.get("sources", []):
        if s["source"] == source and s.get("answer"):
            return s["answer"]["value"]
    return None


def table(items: list[Item], records: list[dict], half: str) -> list[str]:
    rows = []
    header = (
        f"{'type':<13}{'swaps':>6}{'flagged':>9}{'differ':>8}{'variants':>9}{'false':>7}"
        f"{'unchanged':>10}{'false':>7}{'extract EM':>11}{'answered':>9}"
    )
    rows.append(header)
    stats: dict[str, Counter] = defaultdict(Counter)
    for item, record in zip(items, records, strict=True):
        if item.half != half:
            continue
        for key in (item.answer_type, "all"):
            s = stats[key]
            conflict = record.get("verdict") == "conflict"
            s[item.kind] += 1
            s[item.kind + "_conflict"] += conflict
            s[item.kind + "_unconfirmed"] += bool(record.get("unconfirmed"))
            a = source_answer(record, OUTLET_A)
            s["asked"] += 1
            s["answered"] += a is not None
            s["em"] += a is not None and squad_normal(a) in {squad_normal(g) for g in item.gold}

    def pct(n: int, d: int) -> str:
        if not d:
            return "-"
        share = 100 * n / d
        # One false conflict in 200 must not print as "0%": the target for unchanged is none.
        return f"{share:.1f}%" if 0 < share < 1 else f"{share:.0f}%"

    for key in (*TYPES, "all"):
        s = stats[key]
        rows.append(
            f"{key:<13}{s['swap']:>6}{pct(s['swap_conflict'], s['swap']):>9}"
            f"{pct(s['swap_unconfirmed'], s['swap']):>8}"
            f"{s['variant']:>9}{pct(s['variant_conflict'], s['variant']):>7}"
            f"{s['unchanged']:>10}{pct(s['unchanged_conflict'], s['unchanged']):>7}"
            f"{pct(s['em'], s['asked']):>11}{pct(s['answered'], s['asked']):>9}"
        )
    s = stats["all"]
    rows.append(
        f"{'always flag':<13}{s['swap']:>6}{'100%':>9}{'-':>8}{s['variant']:>9}{'100%':>7}"
        f"{s['unchanged']:>10}{'100%':>7}{'-':>11}{'-':>9}"
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--unchanged", type=int, default=200, help="unchanged questions per half")
    parser.add_argument("--in-process", action="store_true", help="skip the CLI, call the engine")
    parser.add_argument("--dump", type=Path, help="write every question's outcome here (JSONL)")
    parser.add_argument(
        "--workdir", type=Path, help="keep the corpus and its index here (reused by the next run)"
    )
    parser.add_argument(
        "--draw",
        type=Path,
        help="read the corpus and questions from this file, or write them there if it does not "
        "exist: the draw depends on the question typing, so two versions of the code are "
        "compared on one draw",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.draw and args.draw.exists():
        drawn = json.loads(args.draw.read_text(encoding="utf-8"))
        outlet_a, outlet_b = drawn["outlet_a"], drawn["outlet_b"]
        items = [Item(**item) for item in drawn["items"]]
    else:
        outlet_a, outlet_b, items = build(args.seed, args.unchanged)
        if args.draw:
            drawn = {"outlet_a": outlet_a, "outlet_b": outlet_b, "items": [vars(i) for i in items]}
            args.draw.write_text(json.dumps(drawn), encoding="utf-8")
    with contextlib.ExitStack() as stack:
        if args.workdir:
            tmp = args.workdir / f"seed-{args.seed}"
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        corpus_dir = Path(tmp) / "corpus"
        corpus_dir.mkdir(parents=True, exist_ok=True)
        for name, records in (("outlet-a.jsonl", outlet_a), ("outlet-b.jsonl", outlet_b)):
            with open(corpus_dir / name, "w", encoding="utf-8") as f:
                for r in records:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
        records = ask_all(
            corpus_dir, Path(tmp) / "index", [i.question for i in items], args.in_process
        )
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for item, record in zip(items, records, strict=True):
                f.write(json.dumps({"item": item.__dict__, "record": {
                    "verdict": record.get("verdict"),
                    "unconfirmed": record.get("unconfirmed"),
                    "a": source_answer(record, OUTLET_A),
                    "b": source_answer(record, OUTLET_B),
                    "sentences": {
                        s["source"]: s["answer"]["sentence"]
                        for s in record.get("sources", []) if s.get("answer")
                    },
                    "notes": record.get("notes"),
                }}) + "\n")  # fmt: skip
    elapsed = time.perf_counter() - started
    print(f"SQuAD v1.1 dev, two outlets, {len(items)} questions asked, {elapsed:.0f} s")
    for half in ("tune", "report"):
        print(f"\n[{half} half]")
        print("\n".join(table(items, records, half)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
