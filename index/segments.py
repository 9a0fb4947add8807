"""What a build learned about each corpus file, kept so a refresh redoes only changed files.

Cleaning, sentence splitting and tokenizing are most of a build's time. Their result for a
file depends only on the file's bytes and on the sentence model, so it is stored under
`<file sha256>-<sentence model key>` (JSON for text, `.npy` for term ids: nothing that can
run code when read back). The sentence model is kept with the list of files it was trained
on; while those files are unchanged and still come first, it is reused, so a refresh gives
exactly what a rebuild from scratch would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.model import Paragraph, Problem

MODEL_FILE = "sentence-model.json"


@dataclass
class ArticleResult:
    key: str
    path: str
    fields: dict[str, str]
    quality: tuple[float, int]  # duplicates.copy_quality of the raw text
    title: str | None
    removed: list[str]
    paragraphs: list[Paragraph]
    token_counts: list[int]


@dataclass
class FileResult:
    """One file's articles, their terms as ids over `vocabulary`, and the file's problems."""

    path: str
    articles: list[ArticleResult]
    vocabulary: list[str]
    tokens: np.ndarray  # int32, every paragraph's terms laid end to end
    word_terms: dict[str, tuple[str, ...]]
    problems: list[Problem]


def save(directory: Path, name: str, result: FileResult) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    data = {
        "path": result.path,
        "vocabulary": result.vocabulary,
        "word_terms": {w: list(t) for w, t in result.word_terms.items()},
        "problems": [[p.path, p.reason, p.line, p.warning] for p in result.problems],
        "articles": [
            [
                a.key,
                a.path,
                a.fields,
                list(a.quality),
                a.title,
                a.removed,
                [[p.text, p.sentences] for p in a.paragraphs],
                a.token_counts,
            ]
            for a in result.articles
        ],
    }
    tmp = directory / f".{name}.{os.getpid()}.tmp"
    np.save(tmp.with_suffix(".npy"), result.tokens, allow_pickle=False)
    tmp.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Tokens first: a reader that finds the JSON can count on the array being there.
    os.replace(tmp.with_suffix(".npy"), directory / f"{name}.npy")
    os.replace(tmp.with_suffix(".json"), directory / f"{name}.json")


def load(directory: Path, name: str) -> FileResult | None:
    """The stored result, or None when it is missing or unreadable (it is then recomputed)."""
    try:
        data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        tokens = np.load(directory / f"{name}.npy", allow_pickle=False)
        articles = [
            ArticleResult(
                key,
                path,
                fields,
                (quality[0], quality[1]),
                title,
                removed,
                [Paragraph(t, [tuple(s) for s in sents]) for t, sents in paragraphs],
                counts,
            )
            for key, path, fields, quality, title, removed, paragraphs, counts in data["articles"]
        ]
        if tokens.dtype != np.int32 or tokens.size != sum(sum(a.token_counts) for a in articles):
            return None
        return FileResult(
            path=data["path"],
            articles=articles,
            vocabulary=data["vocabulary"],
            tokens=tokens,
            word_terms={w: tuple(t) for w, t in data["word_terms"].items()},
            problems=[Problem(p, r, line, bool(w)) for p, r, line, w in data["problems"]],
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def remove_unused(directory: Path, keep: set[str]) -> None:
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        if path.suffix in (".json", ".npy") and path.name != MODEL_FILE and path.stem not in keep:
            with contextlib.suppress(OSError):
                path.unlink()


def stored_model(directory: Path, files: list[tuple[str, str]]) -> tuple[str, Any] | None:
    """(key, Punkt parameters) if the stored model was trained on the first of `files`."""
    try:
        data = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        trained_on = [tuple(f) for f in data["files"]]
        if not trained_on or files[: len(trained_on)] != trained_on:
            return None
        return data["key"], _params_from_json(data["params"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_model(directory: Path, trained_on: list[tuple[str, str]], params: Any) -> str:
    key = hashlib.sha256(json.dumps(trained_on).encode()).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    data = {"files": trained_on, "key": key, "params": _params_to_json(params)}
    tmp = directory / f".{MODEL_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, directory / MODEL_FILE)
    return key


def _params_to_json(params: Any) -> dict[str, Any]:
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(list(c) for c in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(params.ortho_context),
    }


def _params_from_json(data: dict[str, Any]) -> Any:
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    params.ortho_context = defaultdict(int, data["ortho_context"])
    return params
