"""Indexing a corpus into an OpenSearch cluster: the same ingest, then a streamed upload.

The corpus is first built (or refreshed) as an embedded index, so cleaning, paragraphs,
sentences and copies are exactly the embedded index's. Its tables are then read a file at a
time and sent in bulk requests of bounded size: memory stays flat at any corpus size.

Document ids are derived from article keys (and paragraph numbers), so sending again never
duplicates anything. A refresh sends only the files whose content changed since the last
upload (the cluster's meta document records every file's hash), deletes what belongs to files
that changed or left, and re-sends the articles whose shown copy changed. The meta document is
written last and lists the files being sent before they are sent: an upload stopped halfway is
finished by the next one. Bulk items the cluster was too busy for are retried; items it
refused are reported, and their files are not recorded as sent.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from index.ingest import Progress
from index.search.cluster import Cluster, ClusterError
from index.search.opensearch import (
    MAPPING_VERSION,
    META_ID,
    articles_index,
    articles_mapping,
    paragraph_mapping,
)
from index.search.store import Generation
from index.search.tokens import terms, terms_of_word

# A bulk request holds at most this many documents and about this many bytes: large enough
# to amortise the round trip, small enough for a node's default 100 MB request limit and for
# the upload's memory to stay small.
BULK_DOCUMENTS = 2_000
BULK_BYTES = 8_000_000
# Items the cluster answers 429 (too many requests) are sent again this many times.
BULK_RETRIES = 5


@dataclass
class UploadSummary:
    files_sent: int = 0
    files_deleted: int = 0
    articles: int = 0
    paragraphs: int = 0
    failed: list[str] = field(default_factory=list)  # "path: reason", one per refused file
    recreated: bool = False
    seconds: float = 0.0


def upload(
    generation: Generation,
    cluster: Cluster,
    name: str,
    progress: Progress | None = None,
    rebuild: bool = False,
    shards: int | None = None,
    replicas: int | None = None,
) -> UploadSummary:
    """Make the cluster's index `name` hold what `generation` holds, sending only changes.
    `shards` and `replicas` apply when the index is (re)created."""
    started = time.perf_counter()
    progress = progress or (lambda stage, done, total: None)
    summary = UploadSummary()
    params = generation.meta["params"]
    meta = None if rebuild else _existing_meta(cluster, name, params)
    if meta is None:
        _create(cluster, name, params, shards, replicas)
        summary.recreated = True
        meta = {}
    db = generation.db
    local = dict(db.execute("SELECT path, sha256 FROM files"))
    sent: dict[str, str] = dict(meta.get("files", {}))
    pending = set(meta.get("pending", []))
    changed = {p for p, h in local.items() if sent.get(p) != h} | (pending & set(local))
    gone = (set(sent) | pending) - set(local)
    shown_changed = _articles_whose_copy_changed(cluster, name, db, changed)
    # Record what is about to change before changing it (see the module docstring).
    _write_meta(cluster, name, {**meta, "pending": sorted(changed | gone)}, refresh=False)
    stale = sorted((changed | gone) & (set(sent) | pending))
    for start in range(0, len(stale), 500):
        _delete_paths(cluster, name, stale[start : start + 500])
    summary.files_deleted = len(gone)
    todo = sorted(changed)
    failed_paths: set[str] = set()
    batch = _Batch(cluster)
    for done, path in enumerate(todo):
        for action, doc in _documents(db, name, "a.path = ?", (path,)):
            summary.paragraphs += action["index"]["_index"] == name
            summary.articles += action["index"]["_index"] != name
            failed_paths |= batch.add(action, doc)
        progress("uploading", done + 1, len(todo))
    for key in shown_changed:
        for action, doc in _documents(db, name, "a.key = ?", (key,)):
            failed_paths |= batch.add(action, doc)
    failed_paths |= batch.flush()
    summary.failed = sorted(f"{p}: {batch.reasons.get(p, 'refused')}" for p in failed_paths)
    summary.files_sent = len(set(todo) - failed_paths)
    files = {p: h for p, h in local.items() if p not in failed_paths}
    problems = [
        {"path": p, "line": line, "reason": r, "warning": bool(w)}
        for p, line, r, w in db.execute("SELECT path, line, reason, warning FROM problems")
    ]
    _write_meta(
        cluster,
        name,
        {
            "reader_mapping": MAPPING_VERSION,
            "params": params,
            "counts": generation.meta["counts"],
            "build_version": generation.meta.get("build_version"),
            "corpus": generation.meta.get("corpus"),
            "files": files,
            "pending": sorted(failed_paths),
            "problems": problems,
            "uploaded_at": time.time(),
        },
        refresh=True,
    )
    summary.seconds = time.perf_counter() - started
    return summary


def _existing_meta(cluster: Cluster, name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The meta of an index that can be refreshed; None when it must be created (again)."""
    mapping = cluster.request("GET", f"/{name}/_mapping", missing_ok=True)
    if mapping is None:
        return None
    described: dict[str, Any] = next(iter(mapping.values()), {})
    if described.get("mappings", {}).get("_meta", {}).get("reader_mapping") != MAPPING_VERSION:
        raise ClusterError(
            f"the index '{name}' at {cluster.settings.shown} was written by another version of "
            "reader: rebuild it with `reader index --backend opensearch --rebuild`"
        )
    doc = cluster.request("GET", f"/{articles_index(name)}/_doc/{META_ID}", missing_ok=True)
    meta: dict[str, Any] = (doc or {}).get("_source", {}).get("meta", {}) if doc else {}
    if meta.get("params") not in (None, params):
        return None  # other BM25 parameters: the similarity is fixed when an index is made
    return meta


def _create(
    cluster: Cluster,
    name: str,
    params: dict[str, Any],
    shards: int | None,
    replicas: int | None,
) -> None:
    for index in (name, articles_index(name)):
        cluster.request("DELETE", f"/{index}", missing_ok=True)
    mapping = paragraph_mapping(params["k1"], params["b"], shards, replicas)
    cluster.request("PUT", f"/{name}", mapping)
    cluster.request("PUT", f"/{articles_index(name)}", articles_mapping())


def _write_meta(cluster: Cluster, name: str, meta: dict[str, Any], refresh: bool) -> None:
    cluster.request(
        "PUT",
        f"/{articles_index(name)}/_doc/{META_ID}",
        {"kind": "meta", "meta": meta},
        params={"refresh": "true"} if refresh else None,
    )
    if refresh:
        cluster.request("POST", f"/{name}/_refresh")


def _delete_paths(cluster: Cluster, name: str, paths: list[str]) -> None:
    """Delete every document of the files `paths`: their articles are found by path, and
    their paragraphs' ids follow from the articles' keys (no delete-by-query, which needs a
    module a cluster may not have)."""
    deletes: list[dict[str, Any]] = []
    body = {
        "sort": [{"key": "asc"}],
        "_source": ["key", "paragraphs"],
        "query": {"bool": {"filter": [{"term": {"kind": "article"}}, {"terms": {"path": paths}}]}},
    }
    for hit in cluster.scan(articles_index(name), body, 1000):
        key, count = hit["_source"]["key"], hit["_source"]["paragraphs"]
        deletes.append({"delete": {"_index": articles_index(name), "_id": _doc_id(key)}})
        deletes += [{"delete": {"_index": name, "_id": _doc_id(key, i)}} for i in range(count)]
        if len(deletes) >= BULK_DOCUMENTS:
            cluster.bulk(deletes)
            deletes = []
    if deletes:
        cluster.bulk(deletes)
    for index in (name, articles_index(name)):
        cluster.request("POST", f"/{index}/_refresh")


def _articles_whose_copy_changed(
    cluster: Cluster, name: str, db: sqlite3.Connection, changed: set[str]
) -> list[str]:
    """Keys of articles in unchanged files whose shown copy is not the one the cluster has
    (a new file brought a cleaner copy of an old article, or took one away)."""
    local: dict[str, str] = {}  # article in a group of copies -> its shown copy
    for key, canonical in db.execute("SELECT key, canonical FROM articles WHERE key != canonical"):
        local[key] = canonical
        local.setdefault(canonical, canonical)
    remote: dict[str, str] = {}  # the same, as the cluster has it
    copies = {
        "sort": [{"key": "asc"}],
        "_source": ["key", "canonical"],
        "query": {"bool": {"filter": [{"term": {"kind": "article"}}, {"term": {"shown": False}}]}},
    }
    for hit in cluster.scan(articles_index(name), copies):
        remote[hit["_source"]["key"]] = hit["_source"]["canonical"]
        remote.setdefault(hit["_source"]["canonical"], hit["_source"]["canonical"])
    out = []
    for key in sorted(set(local) | set(remote)):
        if local.get(key, key) == remote.get(key, key):
            continue
        row = db.execute("SELECT path FROM articles WHERE key = ?", (key,)).fetchone()
        if row is not None and row[0] not in changed:  # changed files are sent anyway
            out.append(key)
    return out


def _documents(
    db: sqlite3.Connection, name: str, where: str, args: tuple[Any, ...]
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Bulk actions and documents for the articles `where` selects: each article, then its
    paragraphs, read a row at a time."""
    rows = db.execute(
        "SELECT a.id, a.key, a.path, s.name, a.title, a.author, a.date, a.url, a.canonical, "
        "a.first_paragraph, a.paragraph_count, a.chars, a.removed "
        f"FROM articles a JOIN sources s ON s.id = a.source_id WHERE {where} ORDER BY a.id",
        args,
    ).fetchall()
    for (aid, key, path, source, title, author, date, url, canonical, first, count, chars,
         removed) in rows:  # fmt: skip
        shown = key == canonical
        yield (
            {"index": {"_index": articles_index(name), "_id": _doc_id(key)}},
            {
                "kind": "article",
                "key": key,
                "path": path,
                "source": source,
                "title": title,
                "author": author,
                "date": date,
                "url": url,
                "canonical": canonical,
                "shown": shown,
                "paragraphs": count,
                "chars": chars,
                "removed": json.loads(removed),
            },
        )
        for idx, text, sentences in db.execute(
            "SELECT idx, text, sentences FROM paragraphs WHERE id >= ? AND id < ? "
            "AND article_id = ? ORDER BY idx",
            (first, first + count, aid),
        ):
            yield (
                {"index": {"_index": name, "_id": _doc_id(key, idx)}},
                {
                    "text": text,
                    "terms": " ".join(paragraph_terms(text)),
                    "article": key,
                    "paragraph": idx,
                    "path": path,
                    "source": source,
                    "shown": shown,
                    "sentences": json.loads(sentences),
                    "title": title,
                    "url": url,
                    "date": date,
                },
            )


def paragraph_terms(text: str) -> list[str]:
    """The paragraph's index terms, as the embedded index makes them (words remembered: an
    archive is written in a vocabulary far smaller than its word count)."""
    return terms(text, _word_terms)


@lru_cache(maxsize=500_000)
def _word_terms(word: str) -> tuple[str, ...]:
    return terms_of_word(word)


def _doc_id(key: str, paragraph: int | None = None) -> str:
    """A stable id: the same article (and paragraph) always overwrites its own document."""
    text = key if paragraph is None else f"{key}\x00{paragraph}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


class _Batch:
    """Documents gathered into bulk requests; returns the paths of refused documents."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.lines: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.size = 0
        self.reasons: dict[str, str] = {}

    def add(self, action: dict[str, Any], doc: dict[str, Any]) -> set[str]:
        self.lines += [action, doc]
        self.paths.append(doc["path"])
        self.size += len(doc.get("text") or "") + 300
        if len(self.paths) >= BULK_DOCUMENTS or self.size >= BULK_BYTES:
            return self.flush()
        return set()

    def flush(self) -> set[str]:
        lines, paths = self.lines, self.paths
        self.lines, self.paths, self.size = [], [], 0
        failed: set[str] = set()
        for attempt in range(BULK_RETRIES + 1):
            if not lines:
                break
            answer = self.cluster.bulk(lines)
            if not answer.get("errors"):
                break
            retry_lines: list[dict[str, Any]] = []
            retry_paths: list[str] = []
            for i, item in enumerate(answer["items"]):
                result = next(iter(item.values()))
                status = result.get("status", 500)
                if status < 300:
                    continue
                if status == 429 and attempt < BULK_RETRIES:
                    retry_lines += lines[2 * i : 2 * i + 2]
                    retry_paths.append(paths[i])
                    continue
                failed.add(paths[i])
                error = result.get("error", {})
                reason = error.get("reason", error) if isinstance(error, dict) else error
                self.reasons.setdefault(paths[i], " ".join(str(reason).split())[:200])
            lines, paths = retry_lines, retry_paths
            if lines:
                time.sleep(min(30.0, 0.5 * 2**attempt))
        return failed
