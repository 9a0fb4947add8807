"""Smoke test of a real OpenSearch (issue #14): the features the search backend will rely on work
on the node that node.py starts, and a 2-node cluster still answers after losing a node.

Runs wherever a JDK is found (Maven fetches the rest); skipped only when there is no java.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.opensearch import node as osnode

pytestmark = pytest.mark.skipif(
    not osnode.java_available(),
    reason="no java on PATH or in JAVA_HOME: the OpenSearch smoke test needs a JDK 11 or newer",
)

K1, B = 1.2, 0.75
TITLE_B = 0.3  # not the default, so explain proves per-field similarity settings reach Lucene

INDEX_SETTINGS: dict[str, Any] = {
    "index": {
        "similarity": {
            "body_bm25": {"type": "BM25", "k1": K1, "b": B},
            "title_bm25": {"type": "BM25", "k1": K1, "b": TITLE_B},
        },
        "analysis": {
            "filter": {
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_snowball": {"type": "snowball", "language": "English"},
            },
            "analyzer": {
                "prose": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "english_stop", "english_snowball"],
                }
            },
        },
    }
}
MAPPINGS: dict[str, Any] = {
    "properties": {
        "source": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "prose", "similarity": "title_bm25"},
        "body": {
            "type": "text",
            "analyzer": "prose",
            "similarity": "body_bm25",
            "term_vector": "with_positions_offsets",  # for the fast vector highlighter
        },
    }
}
DOCS: list[dict[str, str]] = [
    {"source": "north", "title": "River floods the valley", "body": "The river flooded farms."},
    {"source": "north", "title": "Dam repairs", "body": "Repairs to the dam are finished."},
    {"source": "south", "title": "Flooding closes roads", "body": "Flooding closed two roads."},
    {"source": "south", "title": "Harvest report", "body": "The harvest was larger this year."},
    {"source": "east", "title": "Rivers rising", "body": "Rivers are rising after the rain."},
    {"source": "east", "title": "Council vote", "body": "The council voted on the budget."},
]


def _call(method: str, url: str, body: Any = None, **kwargs: Any) -> Any:
    status, answer = osnode.http(method, url, body, **kwargs)
    assert 200 <= status < 300, f"{method} {url}: HTTP {status}: {answer}"
    return answer


def _make_index(url: str, shards: int, replicas: int) -> None:
    settings = {
        **INDEX_SETTINGS,
        "number_of_shards": shards,
        "number_of_replicas": replicas,
    }
    _call("PUT", f"{url}/news", {"settings": settings, "mappings": MAPPINGS})
    lines: list[dict[str, Any]] = []
    for number, doc in enumerate(DOCS):
        lines += [{"index": {"_id": str(number)}}, doc]
    answer = _call("POST", f"{url}/news/_bulk?refresh=true", lines, ndjson=True)
    assert answer["errors"] is False, answer
    _call("GET", f"{url}/_cluster/health/news?wait_for_status=green&timeout=60s", timeout=70)


@pytest.fixture(scope="module")
def node_url() -> Iterator[str]:
    node = osnode.start_node(node_name="smoke")
    try:
        _make_index(node.url, shards=2, replicas=0)
        yield node.url
    finally:
        node.stop()


def test_the_modules_the_mapping_needs_are_loaded(node_url: str) -> None:
    answer = _call("GET", f"{node_url}/_nodes/plugins?filter_path=nodes.*.modules.name")
    (info,) = answer["nodes"].values()
    modules = {module["name"] for module in info["modules"]}
    assert {"analysis-common", "lang-painless", "transport-netty4"} <= modules


def test_the_analyzer_lowercases_drops_stop_words_and_stems(node_url: str) -> None:
    answer = _call(
        "POST",
        f"{node_url}/news/_analyze",
        {"analyzer": "prose", "text": "The Rivers were FLOODING the valleys"},
    )
    assert [token["token"] for token in answer["tokens"]] == ["river", "were", "flood", "valley"]


def test_bm25_parameters_reach_lucene(node_url: str) -> None:
    settings = _call("GET", f"{node_url}/news/_settings?flat_settings=true")
    flat = settings["news"]["settings"]
    assert flat["index.similarity.body_bm25.k1"] == str(K1)
    assert flat["index.similarity.body_bm25.b"] == str(B)
    answer = _call(
        "POST",
        f"{node_url}/news/_search",
        {"query": {"match": {"title": "valley"}}, "explain": True},
    )
    explanation = str(answer["hits"]["hits"][0]["_explanation"])
    assert "'value': 1.2, 'description': 'k1, term saturation parameter'" in explanation
    assert "'value': 0.3, 'description': 'b, length normalization parameter'" in explanation


def test_dfs_search_matches_stems_and_highlights(node_url: str) -> None:
    answer = _call(
        "POST",
        f"{node_url}/news/_search?search_type=dfs_query_then_fetch",
        {
            "query": {"multi_match": {"query": "flooded rivers", "fields": ["title", "body"]}},
            "highlight": {
                "fields": {"body": {"type": "fvh"}, "title": {}},
                "pre_tags": ["<em>"],
                "post_tags": ["</em>"],
            },
        },
    )
    assert answer["_shards"] == {"total": 2, "successful": 2, "skipped": 0, "failed": 0}
    ids = {hit["_id"] for hit in answer["hits"]["hits"]}
    assert ids == {"0", "2", "4"}  # "floods", "Flooding", "Rivers": matched through the stemmer
    by_id = {hit["_id"]: hit["highlight"] for hit in answer["hits"]["hits"]}
    assert by_id["2"]["body"] == ["<em>Flooding</em> closed two roads."]
    assert "<em>Rivers</em>" in by_id["4"]["title"][0]


def test_collapse_on_source_with_inner_hits(node_url: str) -> None:
    answer = _call(
        "POST",
        f"{node_url}/news/_search?search_type=dfs_query_then_fetch",
        {
            "query": {"match_all": {}},
            "collapse": {
                "field": "source",
                "inner_hits": {"name": "per_source", "size": 5, "sort": [{"_id": "asc"}]},
            },
            "sort": [{"source": "asc"}],
        },
    )
    hits = answer["hits"]["hits"]
    assert [hit["fields"]["source"] for hit in hits] == [["east"], ["north"], ["south"]]
    inner = {
        hit["fields"]["source"][0]: [
            h["_id"] for h in hit["inner_hits"]["per_source"]["hits"]["hits"]
        ]
        for hit in hits
    }
    assert inner == {"east": ["4", "5"], "north": ["0", "1"], "south": ["2", "3"]}


@pytest.mark.parametrize("victim", ["other", "cluster-manager"])
def test_two_node_cluster_answers_after_losing_a_node(victim: str) -> None:
    cluster = osnode.start_cluster(2)
    try:
        _make_index(cluster.url, shards=2, replicas=1)
        shards = _call("GET", f"{cluster.url}/_cat/shards/news?format=json")
        assert sorted((s["shard"], s["prirep"], s["state"]) for s in shards) == [
            ("0", "p", "STARTED"),
            ("0", "r", "STARTED"),
            ("1", "p", "STARTED"),
            ("1", "r", "STARTED"),
        ]
        manager = cluster.cluster_manager()
        other = next(node for node in cluster.nodes if node is not manager)
        dead, survivor = (manager, other) if victim == "cluster-manager" else (other, manager)

        dead.stop(kill=True)  # SIGKILL: a crash, not a clean leave
        answer = _call(
            "POST",
            f"{survivor.url}/news/_search",
            {"query": {"match": {"body": "rivers"}}, "size": 10},
        )
        assert answer["_shards"]["failed"] == 0
        assert {hit["_id"] for hit in answer["hits"]["hits"]} == {"0", "4"}
        if victim == "other":
            # The survivor is the cluster manager: the cluster stays up, one copy of each shard.
            health = _call(
                "GET",
                f"{survivor.url}/_cluster/health?wait_for_nodes=1&wait_for_status=yellow"
                "&timeout=60s",
                timeout=70,
            )
            assert (health["number_of_nodes"], health["status"]) == (1, "yellow")
            _call("PUT", f"{survivor.url}/news/_doc/new?refresh=true", {"body": "rivers"})
            count = _call("GET", f"{survivor.url}/news/_count?q=body:rivers")
            assert count["count"] == 3
    finally:
        cluster.stop()
