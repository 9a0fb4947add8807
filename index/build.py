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

from index import bm25, process, segments, store
from index.duplicates import choose_by_quality, find_duplicate_groups
from index.errors import CorpusError, ReaderError
from index.fingerprint import content_hashes, file_sha256, fingerprint
from index.loaders import SUPPORTED_SUFFIXES, corpus_files, load_file
from index.metadata import read_metadata, resolve_fields, source_from_path
from index.model import Article, Problem, Record
from index.sentences import SentenceSplitter, train_splitter
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
    hashes: dict[str, str]  # relative path -> sha256 of the bytes that were read


def prepare_articles(root: Path, progress: Progress, segments_dir: Path) -> Prepared:
    """Load, clean, segment and tokenize every article (reusing stored per-file results);
    resolve metadata; group copies."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    metadata = read_metadata(root)  # a broken metadata file stops the build before any work
    paths, problems = corpus_files(root)
    if not paths:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise CorpusError(f"no articles found in {root} (supported: {supported})")
    progress("checking", 0, len(paths))
    rel = {path: path.relative_to(root).as_posix() for path in paths}
    hashes = {}
    for path in paths:
        try:
            hashes[path] = file_sha256(path)
        except OSError as exc:
            problems.append(Problem(rel[path], f"cannot read: {exc.strerror}"))
    paths = [p for p in paths if p in hashes]
    progress("checking", len(paths), len(paths))
    splitter, model_key = _sentence_model(root, paths, rel, hashes, segments_dir, progress)

    stored: dict[Path, segments.FileResult] = {}
    todo = []
    for path in paths:
        result = segments.load(segments_dir, _segment_name(hashes[path], model_key))
        if result is not None and result.path == rel[path]:
            stored[path] = result
        else:
            records, file_problems = load_file(path, root)
            todo.append((rel[path], records, file_problems))
    for result in process.process_files(todo, splitter, progress):
        path = root / result.path
        stored[path] = result
        # Stored only if the file still holds the bytes it was hashed for: a file edited while
        # it was read must not have the new text's result kept under the old text's hash.
        try:
            unchanged = file_sha256(path) == hashes[path]
        except OSError:
            unchanged = False
        if unchanged:
            segments.save(segments_dir, _segment_name(hashes[path], model_key), result)
    segments.remove_unused(segments_dir, {_segment_name(hashes[p], model_key) for p in paths})

    vocabulary: dict[str, int] = {}
    word_terms: dict[str, tuple[str, ...]] = {}
    tokens: dict[str, list[np.ndarray]] = {}
    quality: dict[str, tuple[float, int]] = {}
    articles: list[Article] = []
    for path in paths:
        result = stored[path]
        problems.extend(result.problems)
        to_global = np.array(
            [vocabulary.setdefault(t, len(vocabulary)) for t in result.vocabulary], np.int32
        )
        global_tokens = to_global[result.tokens] if result.tokens.size else result.tokens
        word_terms.update(result.word_terms)
        offset = 0
        for done in result.articles:
            ends = np.cumsum(done.token_counts, dtype=np.int64) + offset
            starts = ends - np.asarray(done.token_counts, np.int64)
            offset = int(ends[-1]) if len(ends) else offset
            if not done.paragraphs:
                problems.append(Problem(done.key, "no article text left after cleaning"))
                continue
            tokens[done.key] = [global_tokens[s:e] for s, e in zip(starts, ends, strict=True)]
            quality[done.key] = done.quality
            record = Record(key=done.key, path=done.path, text="", fields=done.fields)
            inferred = {"source": source_from_path(done.path)}
            if done.title:
                inferred["title"] = done.title
            fields = resolve_fields(record, metadata, inferred)
            articles.append(
                Article(
                    key=done.key,
                    path=done.path,
                    source=fields.get("source") or source_from_path(done.path),
                    title=fields.get("title"),
                    author=fields.get("author"),
                    date=fields.get("date"),
                    url=fields.get("url"),
                    paragraphs=done.paragraphs,
                    canonical=done.key,
                    removed=done.removed,
                )
            )
    if not articles:
        failures = [p for p in problems if not p.warning]
        detail = f"; {failures[0]}" + (f" and {len(failures) - 1} more" if failures[1:] else "")
        raise CorpusError(f"no articles found in {root}{detail if failures else ''}")
    texts = {a.key: "\n\n".join(p.text for p in a.paragraphs) for a in articles}
    # Copies are found on clean text (chrome would hide a match), but which copy is cleaner is
    # judged on the raw text: cleaning erases the damage (deleted words, lost line breaks).
    progress("duplicates", 0, 1)
    canonical = {}
    for group in find_duplicate_groups(texts):
        shown = choose_by_quality(group, quality)
        canonical.update(dict.fromkeys(group, shown))
    for article in articles:
        article.canonical = canonical.get(article.key, article.key)
    progress("duplicates", 1, 1)
    return Prepared(
        articles, problems, tokens, list(vocabulary), word_terms, {rel[p]: hashes[p] for p in paths}
    )


def _segment_name(file_hash: str, model_key: str) -> str:
    return f"{file_hash}-{model_key}-v{store.BUILD_VERSION}"


def _sentence_model(
    root: Path,
    paths: list[Path],
    rel: dict[Path, str],
    hashes: dict[Path, str],
    segments_dir: Path,
    progress: Progress,
) -> tuple[SentenceSplitter, str]:
    """Punkt trained on the corpus's largest files, reused while those files stay the largest.

    Largest first, then by path: what an archive gains between refreshes (a day's articles)
    is small next to what it holds, so additions sort after the files the model learned from
    and leave it, and every stored file result, valid; a rebuild picks the same files.
    """
    sizes = {p: p.stat().st_size for p in paths}
    paths = sorted(paths, key=lambda p: (-sizes[p], rel[p]))
    identities = [(rel[p], hashes[p]) for p in paths]
    stored = segments.stored_model(segments_dir, identities)
    if stored is not None:
        key, params = stored
        return SentenceSplitter(params), key
    progress("training", 0, 1)
    records: list[Record] = []
    trained_on = []
    for path, identity in zip(paths, identities, strict=True):
        file_records, _ = load_file(path, root)
        records.extend(file_records)
        trained_on.append(identity)
        if sum(len(r.text) for r in records) >= process.TRAINING_CHARS:
            break
    splitter = train_splitter(process.training_sample(records), max_chars=process.TRAINING_CHARS)
    key = segments.store_model(segments_dir, trained_on, splitter.params)
    progress("training", 1, 1)
    return splitter, key


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
    prepared = prepare_articles(root, progress, index_dir / "segments")
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
        # Files were hashed as they were read; only what was not read (the metadata file) is left.
        hashes = {
            **content_hashes(root, [f for f in files if f not in prepared.hashes]),
            **prepared.hashes,
        }
        writer.db.executemany(
            "INSERT INTO files VALUES (?,?,?,?)",
            ((rel, size, mtime, hashes.get(rel, "")) for rel, (size, mtime) in files.items()),
        )
        groups = _groups(articles)
        writer.commit(
            {
                "corpus": str(root),
                "params": {"k1": params.k1, "b": params.b, "epsilon": params.epsilon},
                "build_version": store.BUILD_VERSION,
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
