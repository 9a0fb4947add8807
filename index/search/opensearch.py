"""An OpenSearch index as a search backend, for archives past one machine.

Two indices per corpus: `<name>` holds one document per paragraph (its text, its terms as the
embedded index makes them, its article's metadata beside it), `<name>-articles` one document per
article plus one `meta` document (BM25 parameters, counts, the files and their hashes, the
build's problems). `index.ingest.upload` writes them; this module only reads.

What is the same as the embedded index: the question's words, the passages per source
(collapse on the source, its best paragraphs as inner hits), the number of sources that
match, the highlighted words (found locally in the returned text with the project's own
terms), articles, copies and the library. What is not: the scores. OpenSearch's BM25 uses
Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), which is never negative, where rank-bm25
floors negative idf at epsilon times the average; and each shard scores with its own
statistics unless `exact_scores` asks for dfs_query_then_fetch. The terms themselves are the
project's (`index.search.tokens`: stop words, Snowball stems, hyphenated words whole and by
part), computed by the upload and by the question's side alike and given to OpenSearch split
at white space, so no analyzer of OpenSearch's has to imitate them. docs/scaling.md measures
how much the top passages differ.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from index.articles import Article, ArticleInfo, Paragraph, Problem, library
from index.errors import QuestionError, ReaderError
from index.result import ArticleRef, Passage, SearchResult, SourceResult
from index.search.cluster import Cluster, ClusterError, ClusterSettings
from index.search.highlight import Highlighter
from index.search.searcher import check_question
from index.search.tokens import iter_words, stopwords, terms, terms_of_word
from index.settings import LIST_EVERY_SOURCE_UP_TO, SOURCES_SHOWN

# The layout of the documents and the analysis; an index written with another is refused.
MAPPING_VERSION = 2
META_ID = "meta"
# Rows read per request when walking every article (the library, article keys).
PAGE = 5_000
# The most sources a corpus may have for `source_names` to list them in one request.
MAX_SOURCES = 65_000
# A paragraph's fields returned with a hit (its text and sentences, its article's metadata).
HIT_FIELDS = ["article", "paragraph", "source", "text", "sentences", "title", "url", "date"]


def articles_index(name: str) -> str:
    return f"{name}-articles"


def paragraph_mapping(
    k1: float, b: float, shards: int | None = None, replicas: int | None = None
) -> dict[str, Any]:
    """Settings and mappings of the paragraph index: BM25 with the corpus's k1 and b over the
    project's own terms (a white-space-separated `terms` field; the text is stored, not
    indexed). Shards and replicas are the cluster's defaults unless given."""
    layout = {"number_of_shards": shards, "number_of_replicas": replicas}
    return {
        "settings": {
            "index": {
                **{k: v for k, v in layout.items() if v is not None},
                "similarity": {"reader_bm25": {"type": "BM25", "k1": k1, "b": b}},
            }
        },
        "mappings": {
            "_meta": {"reader_mapping": MAPPING_VERSION},
            "dynamic": "strict",
            "properties": {
                "text": {"type": "text", "index": False},
                "terms": {
                    "type": "text",
                    "analyzer": "whitespace",
                    "similarity": "reader_bm25",
                    "index_options": "freqs",
                },
                "article": {"type": "keyword"},
                "paragraph": {"type": "integer"},
                "path": {"type": "keyword"},
                "source": {"type": "keyword"},
                "shown": {"type": "boolean"},
                "sentences": {"type": "object", "enabled": False},
                "title": {"type": "keyword", "index": False},
                "url": {"type": "keyword", "index": False},
                "date": {"type": "keyword", "index": False},
            },
        },
    }


def question_query(question: str) -> dict[str, Any]:
    """The question as a query on the paragraphs' terms: its own terms, made as the embedded
    index makes them, each a clause (a repeated word counts again, as in rank-bm25)."""
    return {"match": {"terms": {"query": " ".join(terms(question))}}}


def articles_mapping() -> dict[str, Any]:
    return {
        "mappings": {
            "_meta": {"reader_mapping": MAPPING_VERSION},
            "dynamic": "strict",
            "properties": {
                "kind": {"type": "keyword"},  # "article", or "meta" for the one meta document
                "key": {"type": "keyword"},
                "path": {"type": "keyword"},
                "source": {"type": "keyword"},
                "title": {"type": "keyword", "index": False},
                "author": {"type": "keyword", "index": False},
                "date": {"type": "keyword"},
                "url": {"type": "keyword", "index": False},
                "canonical": {"type": "keyword"},
                "shown": {"type": "boolean"},  # the copy shown for its group (key == canonical)
                "paragraphs": {"type": "integer"},
                "chars": {"type": "integer"},
                "removed": {"type": "object", "enabled": False},
                "meta": {"type": "object", "enabled": False},
            },
        }
    }


class OpenSearchIndex:
    """`SearchBackend` over a corpus indexed into an OpenSearch cluster."""

    def __init__(self, settings: ClusterSettings, cluster: Cluster | None = None) -> None:
        self.settings = settings
        self.cluster = cluster or Cluster(settings)
        self.name = settings.index
        self._lock = threading.Lock()  # the highlighter's caches
        self._highlighter = Highlighter(_computed_terms)
        self._meta = self._read_meta()
        self._names: list[str] | None = None

    # -- the index itself ------------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any]:
        """The meta document, after checking that both indices exist and are this version's."""
        where = self.settings.shown
        for index in (self.name, articles_index(self.name)):
            mapping = self.cluster.request("GET", f"/{index}/_mapping", missing_ok=True)
            if mapping is None:
                raise ClusterError(
                    f"no reader index '{self.name}' at {where}: create it with "
                    f"`reader index --backend opensearch --url {where} --index {self.name}`"
                )
            described: dict[str, Any] = next(iter(mapping.values()), {})
            found = described.get("mappings", {}).get("_meta", {})
            if found.get("reader_mapping") != MAPPING_VERSION:
                raise ClusterError(
                    f"the index '{index}' at {where} was not written by this version of reader "
                    f"(mapping {found.get('reader_mapping')}, expected {MAPPING_VERSION}): "
                    "rebuild it with `reader index --backend opensearch --rebuild`"
                )
        doc = self.cluster.request(
            "GET", f"/{articles_index(self.name)}/_doc/{META_ID}", missing_ok=True
        )
        if not doc or not doc.get("found"):
            raise ClusterError(
                f"the index '{self.name}' at {where} is incomplete (its upload never finished): "
                "run `reader index --backend opensearch` again"
            )
        meta: dict[str, Any] = doc["_source"]["meta"]
        return meta

    @property
    def meta(self) -> dict[str, Any]:
        return self._meta

    # -- questions -------------------------------------------------------------------------

    def search(
        self,
        question: str,
        passages: int,
        sources: int | None,
        *,
        marks: bool = True,
        by: str = "source",
    ) -> SearchResult:
        if by != "source":
            raise ReaderError("--by article is not supported on the cluster backend yet")
        check_question(question)
        stop = stopwords()
        words = [word for word, _, _ in iter_words(question)]
        if all(word in stop for word in words):
            raise QuestionError(
                "the question has no words to search for (only stopwords or punctuation)"
            )
        names = self.source_names()
        listing_all = sources is None and len(names) <= LIST_EVERY_SOURCE_UP_TO
        if sources is None and not listing_all:
            sources = SOURCES_SHOWN
        wanted = len(names) if sources is None else sources
        order = [{"_score": "desc"}, {"article": "asc"}, {"paragraph": "asc"}]
        body: dict[str, Any] = {
            "size": max(1, wanted),
            "_source": False,
            "track_total_hits": False,
            "query": {
                "bool": {
                    "must": question_query(question),
                    "filter": {"term": {"shown": True}},
                }
            },
            "sort": order,
            "collapse": {
                "field": "source",
                "inner_hits": {
                    "name": "best",
                    "size": max(1, passages),
                    "sort": order,
                    "_source": HIT_FIELDS,
                },
            },
            "aggs": {"matched": {"cardinality": {"field": "source", "precision_threshold": 40000}}},
        }
        params = {"search_type": "dfs_query_then_fetch"} if self.settings.exact_scores else None
        answer = self.cluster.request("POST", f"/{self.name}/_search", body, params=params)
        results: list[SourceResult] = []
        for hit in answer["hits"]["hits"][:wanted]:
            found = [h for h in hit["inner_hits"]["best"]["hits"]["hits"]][:passages]
            refs: dict[str, ArticleRef] = {}
            shown_passages = []
            for inner in found:
                doc = inner["_source"]
                refs.setdefault(
                    doc["article"],
                    ArticleRef(doc["article"], doc["title"], doc["url"], doc["date"]),
                )
                shown_passages.append(
                    Passage(
                        doc["article"],
                        doc["paragraph"],
                        float(inner["_score"] or 0.0),
                        doc["text"],
                        [],
                        [(s, e) for s, e in doc["sentences"]],
                    )
                )
            results.append(
                SourceResult(hit["fields"]["source"][0], list(refs.values()), shown_passages)
            )
        matched = int(answer.get("aggregations", {}).get("matched", {}).get("value", len(results)))
        if listing_all:
            seen = {r.source for r in results}
            for name in sorted(set(names) - seen, key=str.casefold):
                results.append(SourceResult(name, self._articles_of(name), []))
        result = SearchResult(question=question, sources=results, matched_sources=matched)
        if marks:
            texts = [p.text for s in results for p in s.passages]
            offsets = iter(self.term_offsets(question, texts))
            for source in results:
                for p in source.passages:
                    p.terms = next(offsets)
        return result

    def term_offsets(self, question: str, texts: list[str]) -> list[list[tuple[int, int]]]:
        terms = {t for word, _, _ in iter_words(question) for t in terms_of_word(word)}
        with self._lock:
            return self._highlighter.highlights(texts, terms)

    # -- reading ---------------------------------------------------------------------------

    def source_names(self) -> list[str]:
        if self._names is None:
            answer = self.cluster.request(
                "POST",
                f"/{articles_index(self.name)}/_search",
                {
                    "size": 0,
                    "query": {"term": {"kind": "article"}},
                    "aggs": {"names": {"terms": {"field": "source", "size": MAX_SOURCES}}},
                },
            )
            names = [b["key"] for b in answer["aggregations"]["names"]["buckets"]]
            self._names = sorted(names, key=lambda s: (s.casefold(), s))
        return self._names

    def _articles_of(self, source: str) -> list[ArticleRef]:
        answer = self.cluster.request(
            "POST",
            f"/{articles_index(self.name)}/_search",
            {
                "size": 20,
                "sort": [{"key": "asc"}],
                "query": {"bool": {"filter": [{"term": {"source": source}}, _shown_articles()]}},
                "_source": ["key", "title", "url", "date"],
            },
        )
        return [
            ArticleRef(d["key"], d.get("title"), d.get("url"), d.get("date"))
            for d in (h["_source"] for h in answer["hits"]["hits"])
        ]

    def articles(self) -> list[ArticleInfo]:
        return library(
            [
                (
                    ArticleInfo(
                        key=d["key"],
                        path=d["path"],
                        source=d["source"],
                        title=d.get("title"),
                        author=d.get("author"),
                        date=d.get("date"),
                        url=d.get("url"),
                        paragraphs=d["paragraphs"],
                        chars=d["chars"],
                        copies=[],
                    ),
                    d["canonical"],
                )
                for d in self._walk_articles()
            ]
        )

    def article(self, key: str) -> Article:
        found = self.cluster.request(
            "POST",
            f"/{articles_index(self.name)}/_search",
            {"size": 1, "query": {"bool": {"filter": [{"term": {"key": key}}, _article()]}}},
        )["hits"]["hits"]
        if not found:
            raise ReaderError(f"no such article: {key}")
        doc = found[0]["_source"]
        body = {
            "query": {"term": {"article": key}},
            "sort": [{"paragraph": "asc"}],
            "_source": ["text", "sentences"],
        }
        paragraphs = [
            Paragraph(h["_source"]["text"], [(s, e) for s, e in h["_source"]["sentences"]])
            for h in self.cluster.scan(self.name, body, min(PAGE, max(1, doc["paragraphs"])))
        ]
        return Article(
            key=doc["key"],
            path=doc["path"],
            source=doc["source"],
            title=doc.get("title"),
            author=doc.get("author"),
            date=doc.get("date"),
            url=doc.get("url"),
            paragraphs=paragraphs,
            canonical=doc["canonical"],
            removed=list(doc.get("removed") or []),
        )

    def copies(self, key: str) -> list[str]:
        found = self.cluster.request(
            "POST",
            f"/{articles_index(self.name)}/_search",
            {
                "size": 1,
                "query": {"bool": {"filter": [{"term": {"key": key}}, _article()]}},
                "_source": ["canonical"],
            },
        )["hits"]["hits"]
        if not found:
            return []
        canonical = found[0]["_source"]["canonical"]
        others = self.cluster.request(
            "POST",
            f"/{articles_index(self.name)}/_search",
            {
                "size": 1000,
                "sort": [{"key": "asc"}],
                "query": {"bool": {"filter": [{"term": {"canonical": canonical}}, _article()]}},
                "_source": ["key"],
            },
        )["hits"]["hits"]
        return [
            canonical,
            *(h["_source"]["key"] for h in others if h["_source"]["key"] != canonical),
        ]

    def article_keys(self) -> list[str]:
        return [doc["key"] for doc in self._walk_articles(["key"])]

    def problems(self) -> list[Problem]:
        return [
            Problem(p["path"], p["reason"], p.get("line"), p.get("warning", False))
            for p in self._meta.get("problems", [])
        ]

    def _walk_articles(self, fields: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every article document in key order."""
        body: dict[str, Any] = {"sort": [{"key": "asc"}], "query": _article()}
        if fields is not None:
            body["_source"] = fields
        for hit in self.cluster.scan(articles_index(self.name), body, PAGE):
            yield hit["_source"]


def _article() -> dict[str, Any]:
    return {"term": {"kind": "article"}}


def _shown_articles() -> dict[str, Any]:
    return {"term": {"shown": True}}


def _computed_terms(words: Any) -> dict[str, tuple[str, ...]]:
    return {word: terms_of_word(word) for word in words}
