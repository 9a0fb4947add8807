"""Build an index from a corpus folder: load, clean, segment, group copies, fit BM25, write.

Only the shown copy of each duplicate group is in the BM25 model: a second copy of an article
would double its terms' document frequencies and put the same passage in the results twice.
The other copies are still stored (paragraphs and all), so they can be read and compared.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import bm25, store
from index.clean import clean_text
from index.duplicates import choose_shown, find_duplicate_groups
from index.loaders import corpus_files, load_corpus
from index.metadata import METADATA_FILE, read_metadata, resolve_fields, source_from_path
from index.model import Article, Problem
from index.sentences import paragraphs_from_blocks, train_splitter
from index.tokens import base_forms, iter_words, terms_of_word

Progress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    articles: int
    paragraphs: int
    sources: int
    duplicate_groups: list[list[str]]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def fingerprint(root: Path) -> dict[str, list[int]]:
    """{relative path: [size, mtime_ns]} of every file that makes up the corpus."""
    files, _ = corpus_files(root)
    meta = root / METADATA_FILE
    if meta.is_file():
        files = [*files, meta]
    out: dict[str, list[int]] = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[path.relative_to(root).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def content_hashes(root: Path, paths: list[str]) -> dict[str, str]:
    out = {}
    for rel in paths:
        digest = hashlib.sha256()
        try:
            with open(root / rel, "rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError:
            continue
        out[rel] = digest.hexdigest()
    return out


def prepare_articles(root: Path, progress: Progress) -> tuple[list[Article], list[Problem]]:
    """Load and clean every article; resolve metadata; choose the shown copy of duplicates."""
    records, problems = load_corpus(root)
    metadata = read_metadata(root)
    cleaned = []
    for n, record in enumerate(records, 1):
        cleaned.append(clean_text(record.text))
        if n % 200 == 0 or n == len(records):
            progress("cleaning", n, len(records))
    splitter = train_splitter(block for c in cleaned for block in c.blocks)
    articles: list[Article] = []
    for n, (record, clean) in enumerate(zip(records, cleaned, strict=True), 1):
        paragraphs = paragraphs_from_blocks(clean.blocks, splitter)
        if n % 200 == 0 or n == len(records):
            progress("segmenting", n, len(records))
        if not paragraphs:
            problems.append(Problem(record.key, "no article text left after cleaning"))
            continue
        inferred = {"source": source_from_path(record.path)}
        if clean.title:
            inferred["title"] = clean.title
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
                paragraphs=paragraphs,
                canonical=record.key,
                removed=clean.removed,
            )
        )
    texts = {a.key: "\n\n".join(p.text for p in a.paragraphs) for a in articles}
    # Copies are found on clean text (chrome would hide a match), but which copy is cleaner is
    # judged on the raw text: cleaning erases the damage (deleted words, lost line breaks).
    raw = {r.key: r.text for r in records}
    progress("duplicates", 0, 1)
    for group in find_duplicate_groups(texts):
        shown = choose_shown(group, raw)
        for article in articles:
            if article.key in group:
                article.canonical = shown
    progress("duplicates", 1, 1)
    return articles, problems


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
    articles, problems = prepare_articles(root, progress)
    # Shown copies first, so BM25 paragraph ids are the first paragraph ids.
    articles.sort(key=lambda a: (a.canonical != a.key, a.key))
    sources = sorted({a.source for a in articles}, key=lambda s: (s.casefold(), s))
    source_id = {name: i for i, name in enumerate(sources)}

    writer = store.GenerationWriter(index_dir)
    try:
        word_terms: dict[str, tuple[str, ...]] = {}
        paragraph_terms: list[list[str]] = []
        paragraph_article: list[int] = []
        paragraph_source: list[int] = []
        next_paragraph = 0
        shown = [a for a in articles if a.canonical == a.key]
        for article_id, article in enumerate(articles):
            writer.db.execute(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    next_paragraph,
                    len(article.paragraphs),
                    sum(len(p.text) for p in article.paragraphs),
                    json.dumps(article.removed),
                ),
            )
            is_shown = article.canonical == article.key
            for idx, paragraph in enumerate(article.paragraphs):
                writer.db.execute(
                    "INSERT INTO paragraphs VALUES (?,?,?,?,?)",
                    (
                        next_paragraph,
                        article_id,
                        idx,
                        paragraph.text,
                        json.dumps(paragraph.sentences),
                    ),
                )
                next_paragraph += 1
                if is_shown:
                    paragraph_terms.append(_paragraph_terms(paragraph.text, word_terms))
                    paragraph_article.append(article_id)
                    paragraph_source.append(source_id[article.source])
            if is_shown and (article_id % 200 == 0 or article_id == len(shown) - 1):
                progress("tokenizing", article_id + 1, len(shown))
        if not paragraph_terms:
            raise store.ReaderError(f"no article text found in {root}")
        progress("indexing", 0, 1)
        model = bm25.fit(paragraph_terms, params)
        for name in ("offsets", "postings", "frequencies", "contributions", "doc_len", "idf"):
            writer.save_array(name, getattr(model, name))
        writer.save_array("paragraph_article", np.asarray(paragraph_article, np.int32))
        writer.save_array("paragraph_source", np.asarray(paragraph_source, np.int32))
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


def _paragraph_terms(text: str, word_terms: dict[str, tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for word, _, _ in iter_words(text):
        found = word_terms.get(word)
        if found is None:
            found = word_terms[word] = terms_of_word(word)
        out.extend(found)
    return out


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
