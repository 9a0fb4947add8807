"""Build an index from a corpus folder: load, clean, segment, group copies, fit BM25, write.

Only the shown copy of each duplicate group is in the BM25 model: a second copy of an article
would double its terms' document frequencies and put the same passage in the results twice.
The other copies are still stored (paragraphs and all), so they can be read and compared.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import bm25, process, store
from index.duplicates import choose_shown, find_duplicate_groups
from index.errors import ReaderError
from index.fingerprint import content_hashes, fingerprint
from index.loaders import load_corpus
from index.metadata import read_metadata, resolve_fields, source_from_path
from index.model import Article, Problem
from index.tokens import base_forms, terms_of_word

Progress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    articles: int
    paragraphs: int
    sources: int
    duplicate_groups: list[list[str]]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Prepared:
    """Every loaded article, processed, with the term ids of each of its paragraphs."""

    articles: list[Article]
    problems: list[Problem]
    tokens: dict[str, list[np.ndarray]]  # article key -> per-paragraph global term ids
    vocabulary: list[str]  # global term id -> term (in processing order, not yet final)
    word_terms: dict[str, tuple[str, ...]]


def prepare_articles(root: Path, progress: Progress) -> Prepared:
    """Load, clean, segment and tokenize every article; resolve metadata; group copies."""
    records, problems = load_corpus(root)
    metadata = read_metadata(root)
    progress("training", 0, 1)
    splitter = process.train(records)
    progress("training", 1, 1)
    vocabulary: dict[str, int] = {}
    word_terms: dict[str, tuple[str, ...]] = {}
    tokens: dict[str, list[np.ndarray]] = {}
    by_key = {r.key: r for r in records}
    articles: list[Article] = []
    for chunk in process.process_records(records, splitter, progress):
        to_global = np.array(
            [vocabulary.setdefault(t, len(vocabulary)) for t in chunk.vocabulary], np.int32
        )
        global_tokens = to_global[chunk.tokens] if chunk.tokens.size else chunk.tokens
        word_terms.update(chunk.word_terms)
        offset = 0
        for done in chunk.articles:
            record = by_key[done.key]
            ends = np.cumsum(done.token_counts, dtype=np.int64) + offset
            starts = ends - np.asarray(done.token_counts, np.int64)
            offset = int(ends[-1]) if len(ends) else offset
            if not done.paragraphs:
                problems.append(Problem(record.key, "no article text left after cleaning"))
                continue
            tokens[record.key] = [global_tokens[s:e] for s, e in zip(starts, ends, strict=True)]
            inferred = {"source": source_from_path(record.path)}
            if done.clean.title:
                inferred["title"] = done.clean.title
            fields = resolve_fields(record, metadata, inferred)
            articles.append(
                Article(
                    key=record.key,
                    path=record.path,
                    source=fields.get("source") or source_from_path(record.path),
                    title=fields.get("title"),
                    author=fields.get("author"),
                    date=fields.get("date"),
                    url=fields.get("url"),
                    paragraphs=done.paragraphs,
                    canonical=record.key,
                    removed=done.clean.removed,
                )
            )
    texts = {a.key: "\n\n".join(p.text for p in a.paragraphs) for a in articles}
    # Copies are found on clean text (chrome would hide a match), but which copy is cleaner is
    # judged on the raw text: cleaning erases the damage (deleted words, lost line breaks).
    progress("duplicates", 0, 1)
    canonical = {}
    for group in find_duplicate_groups(texts):
        shown = choose_shown(group, {k: by_key[k].text for k in group})
        canonical.update(dict.fromkeys(group, shown))
    for article in articles:
        article.canonical = canonical.get(article.key, article.key)
    progress("duplicates", 1, 1)
    return Prepared(articles, problems, tokens, list(vocabulary), word_terms)


def first_appearance_order(
    vocabulary: list[str], paragraph_tokens: list[np.ndarray]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(terms, term ids, tokens per paragraph) renumbered in order of first appearance."""
    doc_len = np.array([t.size for t in paragraph_tokens], np.int64)
    flat = np.concatenate(paragraph_tokens) if paragraph_tokens else np.empty(0, np.int32)
    present, first_seen = np.unique(flat, return_index=True)
    order = present[np.argsort(first_seen, kind="stable")]
    renumber = np.empty(len(vocabulary), np.int64)
    renumber[order] = np.arange(order.size)
    return [vocabulary[i] for i in order.tolist()], renumber[flat], doc_len


def build(
    root: Path,
    index_dir: Path,
    params: bm25.BM25Params,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build a new index generation for `root` in `index_dir` and make it current."""
    progress = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    files = fingerprint(root)
    prepared = prepare_articles(root, progress)
    articles, problems, word_terms = prepared.articles, prepared.problems, prepared.word_terms
    # Shown copies first, so BM25 paragraph ids are the first paragraph ids.
    articles.sort(key=lambda a: (a.canonical != a.key, a.key))
    shown = [a for a in articles if a.canonical == a.key]
    if not shown:
        raise ReaderError(f"no article text found in {root}")
    sources = sorted({a.source for a in articles}, key=lambda s: (s.casefold(), s))
    source_id = {name: i for i, name in enumerate(sources)}
    progress("indexing", 0, 1)
    terms, term_of_token, doc_len = first_appearance_order(
        prepared.vocabulary, [t for a in shown for t in prepared.tokens[a.key]]
    )
    model = bm25.fit_arrays(terms, term_of_token, doc_len, params)
    paragraph_article = np.repeat(
        np.arange(len(shown), dtype=np.int32), [len(a.paragraphs) for a in shown]
    )
    shown_sources = np.array([source_id[a.source] for a in shown], np.int32)

    writer = store.GenerationWriter(index_dir)
    try:
        article_rows, paragraph_rows = [], []
        for article_id, article in enumerate(articles):
            first = len(paragraph_rows)
            article_rows.append(
                (
                    article_id,
                    article.key,
                    article.path,
                    source_id[article.source],
                    article.title,
                    article.author,
                    article.date,
                    article.url,
                    article.canonical,
                    first,
                    len(article.paragraphs),
                    sum(len(p.text) for p in article.paragraphs),
                    json.dumps(article.removed),
                )
            )
            for idx, paragraph in enumerate(article.paragraphs):
                paragraph_rows.append(
                    (first + idx, article_id, idx, paragraph.text, json.dumps(paragraph.sentences))
                )
        writer.db.executemany(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", article_rows
        )
        writer.db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?)", paragraph_rows)
        del paragraph_rows
        for name in ("offsets", "postings", "frequencies", "contributions", "doc_len", "idf"):
            writer.save_array(name, getattr(model, name))
        writer.save_array("paragraph_article", paragraph_article)
        writer.save_array("paragraph_source", shown_sources[paragraph_article])
        writer.db.executemany(
            "INSERT INTO terms VALUES (?,?)", ((t, i) for i, t in enumerate(model.terms))
        )
        for form in {f for w in list(word_terms) for f in base_forms(w)} - word_terms.keys():
            word_terms[form] = terms_of_word(form)
        writer.db.executemany(
            "INSERT INTO words VALUES (?,?)", ((w, " ".join(t)) for w, t in word_terms.items())
        )
        writer.db.executemany("INSERT INTO sources VALUES (?,?)", enumerate(sources))
        writer.db.executemany(
            "INSERT INTO problems VALUES (?,?,?,?)",
            ((p.path, p.line, p.reason, int(p.warning)) for p in problems),
        )
        hashes = content_hashes(root, list(files))
        writer.db.executemany(
            "INSERT INTO files VALUES (?,?,?,?)",
            ((rel, size, mtime, hashes.get(rel, "")) for rel, (size, mtime) in files.items()),
        )
        groups = _groups(articles)
        writer.commit(
            {
                "corpus": str(root),
                "params": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
                "avgdl": model.avgdl,
                "average_idf": model.average_idf,
                "fingerprint": files,
                "counts": {
                    "articles": len(shown),
                    "copies": len(articles) - len(shown),
                    "paragraphs": model.paragraph_count,
                    "sources": len(sources),
                    "terms": len(model.terms),
                },
                "duplicate_groups": groups,
                "built_at": time.time(),
            }
        )
        progress("indexing", 1, 1)
    except BaseException:
        writer.abort()
        raise
    return BuildSummary(
        articles=len(shown),
        paragraphs=model.paragraph_count,
        sources=len(sources),
        duplicate_groups=groups,
        problems=problems,
        seconds=time.perf_counter() - started,
    )


def _groups(articles: list[Article]) -> list[list[str]]:
    by_shown: dict[str, list[str]] = {}
    for article in articles:
        by_shown.setdefault(article.canonical, []).append(article.key)
    return sorted(
        [
            [shown, *sorted(k for k in keys if k != shown)]
            for shown, keys in by_shown.items()
            if len(keys) > 1
        ]
    )
