"""How well does `reader` answer questions? One table, on held-out data only (issue #12).

    python benchmarks/answers.py [--systems rules,learned,combined] [--sets squad,qed,news,ramdocs]
                                 [--limit N] [--dump FILE] [--workdir DIR] [--jobs N]

Every question goes through the command line (`reader ask --corpus C --index I --questions F
--json`, JSON Lines out), never through the engine's modules. Each system is a column of the
table: the environment variable READER_ANSWERS=<system> is set for every `reader` process, and
is the switch the engine honours to choose its answer layer (`rules`: the hand-written layer;
`learned`: the trained span scorer; `combined`, the default: the rules where they answer, the
scorer where they do not). An engine that does not read the variable answers with its only
layer, so there every column repeats the default one.

The sets (read from ../shared at run time, never copied):

  squad    SQuAD v1.1 dev, the held-out half: the articles at odd positions of its `data` list
           (the even half is the one a learned layer may be trained or tuned on). One corpus
           per Wikipedia article with each paragraph its own source ("<title> ¶<n>"): a
           question's paragraph competes with the other paragraphs of its article, the nearest
           distractors there are (same topic, same names), and a corpus indexes in a second.
           The gold source is the question's paragraph.
             gold source answered     it is shown and gives an answer
             EM when answered         its answer equals a gold answer after SQuAD normalisation
                                      (lowercase, no punctuation, no a/an/the, single spaces)
             F1 overall               mean SQuAD token F1 of its answer over ALL questions
                                      (no answer: 0)
             other sources answering  share of the other sources shown with passages that give
                                      an answer; "with a gold answer": share of them whose
                                      answer equals a gold one (a neighbouring paragraph may
                                      state it too)
  qed      QED dev: real search-engine questions, one Wikipedia passage each. Passages are
           batched 20 to a corpus, each its own source; only the answer of the question's own
           passage counts. Gold: each annotator's short answer (spans joined), QED's answer.
  news     ../shared/questions/news-dev.toml: 4 AllSides stories, 32 questions, each outlet's
           answer read by hand (corpora built by its news_corpora.py). Per question and outlet
           of the story: where the outlet states an answer, the reader's answer for that outlet
           is right, wrong, or missed (none shown); where it does not, the reader abstained or
           not. Right means the same referent (`same_referent`): numbers: the same set of
           numbers, hedges and units ignored ("at least 50" = "50", "$5.7 billion" = "5.7
           billion", "more than a dozen" = "12", "50-48" = {50, 48}; a gold answer with no
           number in it, like "hundreds", is compared as text); people: the same last name;
           yes/no: the source's stance (affirms = yes, denies = no); places, dates,
           organisations: one normalised answer is a word sequence of the other ("Feb. 15" =
           "February 15", "1982" in "in 1982", "G4S" in "G4S Secure Solutions"). Verdict
           accuracy: the result's verdict equals the hand verdict (a question the engine does not
           answer at all has verdict null: taken as "unanswered"). False "Sources disagree":
           verdict "conflict" where the hand verdict is not.
  ramdocs  RAMDocs dev half: a corpus per question of its documents, each its own source. For
           each pair of documents with a labelled answer (not "unknown"): if the labels differ
           (SQuAD normalisation), both must answer in different groups (the recall row); if they
           are the same, the pair is kept together when both answer in one group (among pairs
           where both answered; how many pairs that is is shown).

Cost: the median time of one question, taken as the gap between consecutive JSON lines of one
`reader ask --questions` process (output unbuffered): the engine's in-process time per question
with the index open, start-up excluded (the first question of each process is left out). Also
shown: the median over "typed" questions (those the engine gives an answer type, i.e. tries to
answer; the others cost a search only), the 90th percentile, and the median number of sources
in a result (20 for SQuAD and QED: the "20-source question"). RAMDocs asks one question per
process, so its line is the wall time of a whole `reader ask` (start-up, opening the index, one
question). The asks run one process at a time unless --jobs says otherwise; missing indexes are
built beforehand, two at a time, untimed.

Corpora and indexes live under --workdir (default /tmp/reader-answers-bench), never in the
repository; files are rewritten only when their content changes, so indexes are reused across
runs. Questions come in a fixed shuffled order (seed 12): --limit N always takes the same N.
--dump FILE writes one JSON object per question and system, for error analysis.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SQUAD = SHARED / "data" / "squad-v1.1-dev" / "dev-v1.1.json.gz"
QED = SHARED / "data" / "qed" / "qed-dev.jsonlines.gz"
RAMDOCS = SHARED / "data" / "ramdocs-dev" / "ramdocs-dev.jsonl.gz"
NEWS_TOML = SHARED / "questions" / "news-dev.toml"
NEWS_BUILDER = SHARED / "questions" / "news_corpora.py"

SEED = 12
SETS = ("squad", "qed", "news", "ramdocs")
SYSTEMS = ("rules", "learned", "combined")
QED_PASSAGES_PER_CORPUS = 20

Result = dict[str, Any]  # one line of `reader ask --json` output


# --- SQuAD answer normalisation and scores (the official v1.1 evaluation's definitions) ---


def normalize(text: str) -> str:
    text = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def exact(prediction: str, golds: Iterable[str]) -> bool:
    return any(normalize(prediction) == normalize(g) for g in golds)


def f1(prediction: str, golds: Iterable[str]) -> float:
    def one(gold: str) -> float:
        pred_tokens, gold_tokens = normalize(prediction).split(), normalize(gold).split()
        common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
        if common == 0:
            return 0.0
        precision, recall = common / len(pred_tokens), common / len(gold_tokens)
        return 2 * precision * recall / (precision + recall)

    return max((one(g) for g in golds), default=0.0)


# --- Running `reader` ---


@dataclass
class Job:
    """One corpus and the questions asked of it by one `reader ask --questions` process."""

    name: str
    corpus: Path
    index: Path
    items: list[Any]  # each has a `.question`


@dataclass
class Answers:
    results: list[Result]  # one per item
    gaps_ms: list[float]  # in-process time of questions 2..n: gaps between JSON lines
    wall_ms: float  # the whole process


class Reader:
    """Runs the `reader` command with one system's answer layer selected."""

    def __init__(self, executable: str, workdir: Path) -> None:
        self.executable = executable
        self.workdir = workdir

    def ensure_index(self, job: Job) -> None:
        """Build a missing index up front, so that no timed `ask` includes a build
        (`reader ask` refreshes a stale index by itself)."""
        if not job.index.exists():
            cmd = [self.executable, "index", "--corpus", str(job.corpus), "--index", str(job.index)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"answers.py: reader index failed: {done.stderr.strip()[-300:]}")

    def ask(self, job: Job, system: str) -> Answers:
        questions = [" ".join(item.question.split()) for item in job.items]
        qfile = self.workdir / "questions" / f"{job.name}.txt"
        write_if_changed(qfile, "\n".join(questions) + "\n")
        cmd = [self.executable, "ask", "--corpus", str(job.corpus), "--index", str(job.index)]
        cmd += ["--questions", str(qfile), "--json"]
        # Unbuffered output: each result line leaves the process as soon as it is answered.
        env = {**os.environ, "READER_ANSWERS": system, "PYTHONUNBUFFERED": "1"}
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:  # a pipe could fill up
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8", env=env
            )
            assert proc.stdout is not None
            lines, stamps = [], []
            for line in proc.stdout:
                stamps.append(time.perf_counter())
                lines.append(line)
            if proc.wait() != 0:
                errors.seek(0)
                sys.exit(f"answers.py: reader failed on {job.corpus}: {errors.read()[-300:]}")
        wall_ms = (time.perf_counter() - started) * 1000
        results = [json.loads(line) for line in lines if line.strip()]
        if len(results) != len(questions):
            sys.exit(f"answers.py: {len(questions)} questions, {len(results)} results: {job.name}")
        gaps = [(b - a) * 1000 for a, b in zip(stamps, stamps[1:], strict=False)]
        return Answers(results, gaps, wall_ms)


def write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their mtime, so `reader` reuses the index built on them."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_corpus(workdir: Path, name: str, records: list[dict[str, Any]], items: list) -> Job:
    folder = workdir / "corpora" / name
    write_if_changed(folder / "articles.json", json.dumps(records, ensure_ascii=False, indent=1))
    return Job(name, folder, workdir / "indexes" / name, items)


def answer_of(result: Result, source: str) -> dict[str, Any] | None:
    """The answer `source` gives in `result` (None: not shown, or no answer)."""
    for shown in result.get("sources", []):
        if shown["source"] == source:
            return shown["answer"]
    return None


# --- Table rows ---


@dataclass
class Row:
    measure: str
    target: str
    value: float | None  # a share (shown as %) or a score (shown as 0.xxx)
    detail: str  # the counts behind the value
    percent: bool = True


def share(measure: str, target: str, part: int, whole: int, percent: bool = True) -> Row:
    return Row(measure, target, part / whole if whole else None, f"{part}/{whole}", percent)


def mean(measure: str, target: str, total: float, n: int) -> Row:
    return Row(measure, target, total / n if n else None, f"n={n}", percent=False)


@dataclass
class Scored:
    rows: list[Row]
    details: list[dict[str, Any]]  # one per question, for --dump


# --- SQuAD and QED: one gold source per question, answers scored as in SQuAD ---


@dataclass
class Extractive:
    qid: str
    question: str
    source: str  # the gold source: the passage the question was written on
    golds: list[str]


def prepare_squad(workdir: Path, limit: int) -> list[Job]:
    data = json.loads(gzip.decompress(SQUAD.read_bytes()))["data"]
    records: dict[str, list[dict[str, Any]]] = {}
    order: list[tuple[str, Extractive]] = []
    for position, article in list(enumerate(data))[1::2]:  # the held-out half: odd positions
        title = article["title"].replace("_", " ")
        name = f"squad-{position:02d}"
        records[name] = []
        for n, paragraph in enumerate(article["paragraphs"], 1):
            source = f"{title} ¶{n}"
            text = paragraph["context"]
            records[name].append({"id": f"p{n}", "source": source, "title": title, "text": text})
            for qa in paragraph["qas"]:
                golds = [a["text"] for a in qa["answers"]]
                order.append((name, Extractive(qa["id"], qa["question"], source, golds)))
    random.Random(SEED).shuffle(order)
    items: dict[str, list[Extractive]] = defaultdict(list)
    for name, item in order[:limit] if limit else order:
        items[name].append(item)
    return [write_corpus(workdir, name, records[name], items[name]) for name in sorted(items)]


def prepare_qed(workdir: Path, limit: int) -> list[Job]:
    with gzip.open(QED, "rt", encoding="utf-8") as fh:
        by_passage: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for line in fh:  # a passage asked about twice is one source, not two copies
            record = json.loads(line)
            by_passage[record["paragraph_text"]].append(record)
    passages = sorted(by_passage)
    random.Random(SEED).shuffle(passages)
    jobs, taken = [], 0
    for start in range(0, len(passages), QED_PASSAGES_PER_CORPUS):
        if limit and taken >= limit:
            break
        records, items = [], []
        for k, text in enumerate(passages[start : start + QED_PASSAGES_PER_CORPUS], start + 1):
            asked = by_passage[text]
            title = asked[0]["title_text"]
            source = f"{title} ¶{k}"
            records.append({"id": f"q{k}", "source": source, "title": title, "text": text})
            for r in asked:
                items.append(Extractive(str(r["example_id"]), r["question_text"], source, golds(r)))
        items = items[: limit - taken] if limit else items
        taken += len(items)
        name = f"qed-{start // QED_PASSAGES_PER_CORPUS:03d}"
        jobs.append(write_corpus(workdir, name, records, items))
    return jobs


def golds(qed: dict[str, Any]) -> list[str]:
    """Each annotator's short answer (its spans joined) and QED's own answer spans."""
    answers = {" ".join(span["string"] for span in a) for a in qed["original_nq_answers"]}
    answers |= {a["paragraph_reference"]["string"] for a in qed["annotation"].get("answer", [])}
    return sorted(a for a in answers if a.strip())


def score_extractive(pairs: list[tuple[Extractive, Result]], others: bool) -> Scored:
    """The gold source's answer against the gold answers; with `others`, also what the other
    sources shown with passages say."""
    answered = exact_answered = gold_shown = 0
    f1_sum = 0.0
    other_sources = other_answering = other_matching = 0
    details = []
    for item, result in pairs:
        answer = answer_of(result, item.source)
        value = answer["value"] if answer else None
        item_f1 = f1(value, item.golds) if value is not None else 0.0
        item_exact = value is not None and exact(value, item.golds)
        answered += value is not None
        exact_answered += item_exact
        f1_sum += item_f1
        said_by_others = []
        for source in result.get("sources", []):
            if source["source"] == item.source:
                gold_shown += bool(source["passages"])
            elif source["passages"]:
                other_sources += 1
                if source["answer"]:
                    matches = exact(source["answer"]["value"], item.golds)
                    other_answering += 1
                    other_matching += matches
                    said_by_others.append([source["source"], source["answer"]["value"], matches])
        details.append(
            asdict(item)
            | {"answer_type": result.get("answer_type"), "answer": value, "em": item_exact}
            | {"f1": round(item_f1, 3), "others": said_by_others}
        )
    n = len(pairs)
    if not others:
        return Scored(
            [
                mean("F1 overall", "report; learned ≥ rules + 0.20", f1_sum, n),
                share("EM when answered", "report", exact_answered, answered, percent=False),
                share("gold passage answered (info)", "", answered, n),
            ],
            details,
        )
    return Scored(
        [
            share("gold source answered", "≥ 50%", answered, n),
            share("EM when answered", "≥ 0.70", exact_answered, answered, percent=False),
            mean("F1 overall", "≥ 0.45", f1_sum, n),
            share("other retrieved sources answering", "≤ 5%", other_answering, other_sources),
            share("  ... answering with a gold answer (info)", "", other_matching, other_sources),
            mean("EM overall (info)", "", exact_answered, n),
            share("gold source shown with passages (info)", "", gold_shown, n),
        ],
        details,
    )


# --- news-dev.toml: per outlet, against answers read by hand ---


@dataclass
class NewsItem:
    question: str
    answer_type: str
    verdict: str
    answers: dict[str, str]  # outlet -> its answer, for the outlets that state one
    outlets: list[str]  # every outlet of the story's corpus


def prepare_news(workdir: Path, limit: int) -> list[Job]:
    """The corpora are built by the question set's own script, once per version of it."""
    stories = workdir / "news"
    stamp = hashlib.sha256(NEWS_TOML.read_bytes() + NEWS_BUILDER.read_bytes()).hexdigest()
    if not (stories / ".built-from").exists() or (stories / ".built-from").read_text() != stamp:
        staging = workdir / "news-staging"
        shutil.rmtree(staging, ignore_errors=True)
        cmd = [sys.executable, str(NEWS_BUILDER), str(NEWS_TOML), str(staging)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"answers.py: news_corpora.py failed: {done.stderr.strip()[-300:]}")
        for path in sorted(staging.rglob("*.json")):
            write_if_changed(stories / path.relative_to(staging), path.read_text("utf-8"))
        shutil.rmtree(staging)
        write_if_changed(stories / ".built-from", stamp)
    jobs = []
    for story in tomllib.loads(NEWS_TOML.read_text(encoding="utf-8"))["story"]:
        folder = stories / story["name"]
        outlets = sorted(
            {json.loads(p.read_text("utf-8"))["source"] for p in folder.glob("*.json")}
        )
        items = [
            NewsItem(q["text"], q["answer_type"], q["verdict"], dict(q.get("answers", {})), outlets)
            for q in story["question"]
        ]
        jobs.append(Job(story["name"], folder, workdir / "indexes" / story["name"], items))
    return jobs  # 32 questions: always the whole set, whatever the limit


MONTHS = {"jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june"}
MONTHS |= {"jul": "july", "aug": "august", "sep": "september", "sept": "september"}
MONTHS |= {"oct": "october", "nov": "november", "dec": "december"}
UNITS = re.findall(r"\w+", "zero one two three four five six seven eight nine ten eleven twelve")
TEENS = re.findall(r"\w+", "thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
TENS = re.findall(r"\w+", "twenty thirty forty fifty sixty seventy eighty ninety")
NUMBER_WORDS = {w: float(i) for i, w in enumerate(UNITS + TEENS)}
NUMBER_WORDS |= {w: float(20 + 10 * i) for i, w in enumerate(TENS)}
SCALES = {"dozen": 12.0, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def plain_words(text: str) -> list[str]:
    """Words after SQuAD normalisation, without diacritics, possessive 's or hyphens, and with
    month abbreviations spelled out ("Feb." = "February")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’]s\b", "", text).replace("-", " ")
    return [MONTHS.get(word, word) for word in normalize(text).split()]


def numbers(text: str) -> set[float]:
    """The numbers a phrase states: "$5.7 billion" {5.7e9}, "some two dozen" {24}, "more than
    a dozen" {12}, "twenty-two" {22}, "50-48" {50, 48}, "hundreds" {} (no number)."""
    values: list[float] = []
    previous = ""  # the previous token, if it was part of a number
    for token in re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", text.lower()):
        if token[0].isdigit():
            values.append(float(token.replace(",", "")))
        elif token in SCALES:
            if previous:
                values[-1] *= SCALES[token]
            else:
                values.append(SCALES[token])
        elif token in UNITS and previous in TENS:
            values[-1] += NUMBER_WORDS[token]
        elif token in NUMBER_WORDS:
            values.append(NUMBER_WORDS[token])
        else:
            previous = ""
            continue
        previous = token
    return set(values)


def contains(words: list[str], part: list[str]) -> bool:
    return bool(part) and any(
        words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1)
    )


def reader_value(answer: dict[str, Any]) -> str:
    """The answer as the hand labels write it (yes/no answers are the source's stance)."""
    stance = answer.get("stance")
    return {"affirms": "yes", "denies": "no"}.get(stance, stance) if stance else answer["value"]


def same_referent(answer_type: str, gold: str, answer: dict[str, Any]) -> bool:
    """Whether the reader's answer is the outlet's answer read by hand (see the docstring)."""
    value = reader_value(answer)
    if answer_type == "number" and numbers(gold):
        return numbers(gold) == numbers(value)
    gold_words, words = plain_words(gold), plain_words(value)
    if answer_type == "person":
        return bool(gold_words and words) and gold_words[-1] == words[-1]
    if answer_type == "yes_no":
        return gold_words == words
    return contains(words, gold_words) or contains(gold_words, words)


def score_news(pairs: list[tuple[NewsItem, Result]]) -> Scored:
    outcomes: Counter[str] = Counter()
    verdict_right = non_conflict = false_conflict = 0
    details = []
    for item, result in pairs:
        per_outlet = {}
        for outlet in item.outlets:
            answer = answer_of(result, outlet)
            gold = item.answers.get(outlet)
            if gold is None:
                outcome = "abstained" if answer is None else "answered, outlet states nothing"
            elif answer is None:
                outcome = "missed"
            else:
                outcome = "right" if same_referent(item.answer_type, gold, answer) else "wrong"
            outcomes[outcome] += 1
            value = reader_value(answer) if answer else None
            per_outlet[outlet] = {"gold": gold, "answer": value, "outcome": outcome}
        verdict = result.get("verdict") or "unanswered"  # None: the engine answered nothing
        verdict_right += verdict == item.verdict
        if item.verdict != "conflict":
            non_conflict += 1
            false_conflict += verdict == "conflict"
        details.append(
            {"question": item.question, "answer_type": item.answer_type, "verdict": item.verdict}
            | {"reader_answer_type": result.get("answer_type"), "reader_verdict": verdict}
            | {"outlets": per_outlet}
        )
    stated = outcomes["right"] + outcomes["wrong"] + outcomes["missed"]
    unstated = outcomes["abstained"] + outcomes["answered, outlet states nothing"]
    return Scored(
        [
            share("outlet states it: answer right", "≥ 70%", outcomes["right"], stated),
            share("outlet states it: answer wrong", "≤ 10%", outcomes["wrong"], stated),
            share("outlet states it: missed", "", outcomes["missed"], stated),
            share("outlet does not: abstained", "≥ 90%", outcomes["abstained"], unstated),
            share("verdict accuracy", "≥ 70%", verdict_right, len(pairs)),
            share('false "Sources disagree"', "≤ 1 in 15", false_conflict, non_conflict),
        ],
        details,
    )


# --- RAMDocs: are documents with different answers told apart? ---


@dataclass
class RamItem:
    question: str
    documents: list[dict[str, Any]]  # {text, type: correct/misinfo/noise, answer}


def document_source(j: int) -> str:
    return f"Document {j + 1}"


def prepare_ramdocs(workdir: Path, limit: int) -> list[Job]:
    with gzip.open(RAMDOCS, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    order = list(range(len(records)))
    random.Random(SEED).shuffle(order)
    jobs = []
    for position in order[:limit] if limit else order:
        item = RamItem(records[position]["question"], records[position]["documents"])
        documents = [
            {"id": f"d{j + 1}", "source": document_source(j), "text": doc["text"]}
            for j, doc in enumerate(item.documents)
        ]
        jobs.append(write_corpus(workdir, f"ramdocs-{position:03d}", documents, [item]))
    return jobs


def score_ramdocs(pairs: list[tuple[RamItem, Result]]) -> Scored:
    differ = separated = separated_right = same = both_answered = together = 0
    details = []
    for item, result in pairs:
        answers = [answer_of(result, document_source(j)) for j in range(len(item.documents))]
        groups = [a["group"] if a else None for a in answers]
        labels = [doc["answer"] for doc in item.documents]
        right = [
            a is not None and exact(a["value"], [lab])
            for a, lab in zip(answers, labels, strict=True)
        ]
        known = [j for j, label in enumerate(labels) if label != "unknown"]
        for i, j in combinations(known, 2):
            both = groups[i] is not None and groups[j] is not None
            if normalize(labels[i]) != normalize(labels[j]):
                differ += 1
                separated += both and groups[i] != groups[j]
                separated_right += both and groups[i] != groups[j] and right[i] and right[j]
            else:
                same += 1
                both_answered += both
                together += both and groups[i] == groups[j]
        details.append(
            {"question": item.question, "verdict": result.get("verdict")}
            | {
                "documents": [
                    {"type": doc["type"], "label": doc["answer"], "group": group}
                    | {"answer": answer["value"] if answer else None}
                    for doc, group, answer in zip(item.documents, groups, answers, strict=True)
                ]
            }
        )
    kept = share("same answer kept together", "≥ 0.90", together, both_answered, percent=False)
    kept.measure += " (of pairs both answered)"
    kept.detail += f"; {same} pairs"
    return Scored(
        [
            share("different answers in different groups", "≥ 0.60", separated, differ, False),
            share("  ... both answers exact (info)", "", separated_right, differ, False),
            kept,
        ],
        details,
    )


# --- The run ---

PREPARE: dict[str, Callable[[Path, int], list[Job]]] = {
    "squad": prepare_squad,
    "qed": prepare_qed,
    "news": prepare_news,
    "ramdocs": prepare_ramdocs,
}
SCORE: dict[str, Callable[[list[Any]], Scored]] = {
    "squad": lambda pairs: score_extractive(pairs, others=True),
    "qed": lambda pairs: score_extractive(pairs, others=False),
    "news": score_news,
    "ramdocs": score_ramdocs,
}
COST = {
    "squad": "SQuAD: ms per question, in-process",
    "qed": "QED: ms per question, in-process",
    "news": "news: ms per question, in-process",
    "ramdocs": "RAMDocs: ms per `reader ask` process",
}


def set_title(name: str, jobs: list[Job]) -> str:
    n = sum(len(job.items) for job in jobs)
    return {
        "squad": f"SQuAD dev, odd articles ({n} q, {len(jobs)} corpora, ¶ = source)",
        "qed": f"QED dev ({n} q, {QED_PASSAGES_PER_CORPUS} passages a corpus)",
        "news": f"news-dev.toml ({n} q, {len(jobs)} stories)",
        "ramdocs": f"RAMDocs dev ({n} q, a corpus each)",
    }[name]


def run_set(name: str, jobs: list[Job], reader: Reader, system: str, workers: int) -> Scored:
    """Score one set for one system; its last row is the cost line."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(lambda job: reader.ask(job, system), jobs))
    pairs = [
        (item, result)
        for job, run in zip(jobs, runs, strict=True)
        for item, result in zip(job.items, run.results, strict=True)
    ]
    scored = SCORE[name](pairs)
    # Per question: the gap before its JSON line (none for the first of a process); RAMDocs
    # asks one question per process, so there the whole process is timed.
    times: list[float | None] = []
    for run in runs:
        times += [run.wall_ms] if name == "ramdocs" else [None, *run.gaps_ms]
    for record, ms, (_, result) in zip(scored.details, times, pairs, strict=True):
        record["ms"] = None if ms is None else round(ms, 1)
        record["sources_shown"] = len(result.get("sources", []))
    timed = [ms for ms in times if ms is not None]
    typed = [
        ms
        for ms, (_, r) in zip(times, pairs, strict=True)
        if ms is not None and r.get("answer_type") not in (None, "other")
    ]
    shown = statistics.median(len(result.get("sources", [])) for _, result in pairs)
    detail = f"typed {statistics.median(typed):.0f} ms; " if typed else ""
    detail += f"p90 {statistics.quantiles(timed, n=10)[-1]:.0f} ms; " if len(timed) > 1 else ""
    detail += f"n={len(timed)}; {shown:.0f} sources"
    scored.rows.append(Row(COST[name], "", statistics.median(timed) if timed else None, detail))
    return scored


def cell(row: Row) -> str:
    if row.value is None:
        value = "—"
    elif row.measure in COST.values():
        value = f"{row.value:.0f} ms"
    else:
        value = f"{row.value:.1%}" if row.percent else f"{row.value:.3f}"
    return f"{value} ({row.detail})"


def print_table(lines: list[list[str]]) -> None:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for k, line in enumerate(lines):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="comma-separated, of: " + ",".join(SYSTEMS)
    )
    parser.add_argument(
        "--sets", default=",".join(SETS), help="comma-separated, of: " + ",".join(SETS)
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="questions per SQuAD/QED/RAMDocs set (default 0: all)"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/reader-answers-bench"))
    parser.add_argument("--reader", help="the reader command (default: the one beside python)")
    parser.add_argument("--dump", type=Path, help="write per-question details here (JSON Lines)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="reader processes at once (default 1: steady times)"
    )
    args = parser.parse_args()
    args.systems = [s for s in args.systems.split(",") if s]
    args.sets = [s for s in args.sets.split(",") if s]
    args.reader = args.reader or str(Path(sys.executable).parent / "reader")
    bad = [s for s in args.systems if s not in SYSTEMS] + [s for s in args.sets if s not in SETS]
    if bad or not args.systems or not args.sets or args.limit < 0 or args.jobs < 1:
        parser.error(f"bad --systems, --sets, --limit or --jobs {' '.join(bad)}")
    if not shutil.which(args.reader):
        parser.error(f"no reader command at {args.reader} (use --reader)")
    missing = [p for p in (SQUAD, QED, RAMDOCS, NEWS_TOML, NEWS_BUILDER) if not p.exists()]
    if missing:
        parser.error(f"missing data: {missing[0]}")
    return args


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    reader = Reader(args.reader, args.workdir)
    prepared = {name: PREPARE[name](args.workdir, args.limit) for name in args.sets}
    with ThreadPoolExecutor(max_workers=max(2, args.jobs)) as pool:  # untimed: 2 at once
        list(pool.map(reader.ensure_index, [job for jobs in prepared.values() for job in jobs]))
    print(f"corpora and indexes ready in {time.perf_counter() - started:.0f}s", file=sys.stderr)

    lines = [["set", "measure", "target", *args.systems]]
    columns: dict[str, dict[str, Scored]] = defaultdict(dict)  # set -> system -> scores
    with open(args.dump or os.devnull, "w", encoding="utf-8") as dump:
        for system in args.systems:
            for name in args.sets:
                t0 = time.perf_counter()
                columns[name][system] = scored = run_set(
                    name, prepared[name], reader, system, args.jobs
                )
                print(f"{system} {name}: {time.perf_counter() - t0:.0f}s", file=sys.stderr)
                for detail in scored.details:
                    record = {"system": system, "set": name} | detail
                    dump.write(json.dumps(record, ensure_ascii=False) + "\n")
    for name in args.sets:
        rows = columns[name][args.systems[0]].rows
        for k, row in enumerate(rows):
            label = set_title(name, prepared[name]) if k == 0 else ""
            values = [cell(columns[name][system].rows[k]) for system in args.systems]
            lines.append([label, row.measure, row.target, *values])
    print()
    print_table(lines)
    print(f"\ncommand: python benchmarks/answers.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"questions: {args.limit or 'all'} per SQuAD/QED/RAMDocs set (fixed order, seed {SEED}); "
        f"systems selected by READER_ANSWERS; {time.perf_counter() - started:.0f}s in all"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
