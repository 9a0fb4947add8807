"""The OpenSearch backend against a real OpenSearch node (started by node.py, as CI does).

The bundled corpus is uploaded and asked the dev questions: the same answers and verdicts as
the embedded index, the same sources with passages, and the same passages per source (their
order may differ where the two BM25 variants score them differently: see docs/scaling.md).
Then the upload's promises (idempotent, only changed files sent, refused items reported and
sent again) and the faults a user meets (server down, not OpenSearch, credentials refused,
index missing or another version's, a node lost mid-session), each a one-line error.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.corpus import Corpus
from index.errors import ReaderError
from index.ingest.upload import upload
from index.search.cluster import Cluster, ClusterError, ClusterSettings
from index.search.opensearch import articles_index
from tests.opensearch import node as osnode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from test_answers_dev import dev_questions  # noqa: E402

pytestmark = pytest.mark.skipif(
    not osnode.java_available(),
    reason="no java on PATH or in JAVA_HOME: the OpenSearch tests need a JDK 11 or newer",
)


@pytest.fixture(scope="module")
def node() -> Iterator[Any]:
    started = osnode.start_node()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.open(REPO / "corpus", index_dir=tmp_path_factory.mktemp("os-local"))


@pytest.fixture(scope="module")
def remote(node: Any, local: Corpus) -> Corpus:
    settings = ClusterSettings.from_url(node.url, index="sample")
    summary = upload(local.backend.generation, Cluster(settings), "sample")  # type: ignore[attr-defined]
    assert summary.failed == [] and summary.recreated
    return Corpus.connect(settings)


def _answers(result: Any) -> dict[str, tuple[str | None, str | None]]:
    return {
        s.source: ((s.answer.value, s.answer.group) if s.answer else (None, None))
        for s in result.sources
    }


QUESTIONS = [q["text"] for q in dev_questions()] + [
    "Who opened an embassy in Moscow?",
    "pier repairs",
    "Canadian lumber tariffs",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_cluster_answers_as_the_embedded_index_does(
    local: Corpus, remote: Corpus, question: str
) -> None:
    mine, theirs = local.ask(question), remote.ask(question)
    assert theirs.answer_type == mine.answer_type
    assert theirs.verdict == mine.verdict
    assert [g.to_json() for g in theirs.groups] == [g.to_json() for g in mine.groups]
    assert _answers(theirs) == _answers(mine)
    assert theirs.matched_sources == mine.matched_sources
    assert sorted(s.source for s in theirs.sources) == sorted(s.source for s in mine.sources)
    # The passages' order, and now and then which passage comes third, follow each engine's
    # BM25 (see test_passages_mostly_agree); the highlighted words of a passage never differ.
    for source in theirs.sources:  # highlighted words: the project's own terms, found locally
        for passage in source.passages:
            twin = local.article(passage.article).paragraphs[passage.paragraph]
            assert passage.text == twin.text
            assert passage.terms == local.backend.term_offsets(question, [twin.text])[0]


def test_passages_mostly_agree(local: Corpus, remote: Corpus) -> None:
    """Lucene's idf is not rank-bm25's (docs/scaling.md): where two paragraphs score close,
    the engines may keep different ones. Most shown passages are the same."""
    same = total = 0
    differences = []
    for question in QUESTIONS:
        mine = {
            s.source: {(p.article, p.paragraph) for p in s.passages}
            for s in local.search(question).sources
        }
        for source in remote.search(question).sources:
            theirs = {(p.article, p.paragraph) for p in source.passages}
            same += len(theirs & mine[source.source])
            total += len(mine[source.source])
            if theirs != mine[source.source]:
                differences.append((question, source.source, sorted(theirs ^ mine[source.source])))
    print(f"passages shown by both: {same}/{total}; differences: {differences}")
    assert same >= 0.85 * total


def test_reading_through_the_cluster(local: Corpus, remote: Corpus) -> None:
    assert remote.source_names() == local.source_names()
    assert [a.key for a in remote.articles()] == sorted(a.key for a in local.articles())
    assert [a.copies for a in remote.articles()] == [
        a.copies for a in sorted(local.articles(), key=lambda a: a.key)
    ]
    for key in remote.backend.article_keys():
        assert remote.article(key) == local.article(key)
        assert remote.copies(key) == local.copies(key)
    assert remote.meta["counts"] == local.meta["counts"]
    with pytest.raises(ReaderError, match="no such article"):
        remote.article("nothing-of-that-name.txt")


def _count(cluster: Cluster, index: str) -> int:
    cluster.request("POST", f"/{index}/_refresh")
    return int(cluster.request("GET", f"/{index}/_count")["count"])


def test_upload_is_idempotent_and_a_refresh_sends_only_changed_files(
    node: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", folder)
    index_dir = tmp_path / "index"
    settings = ClusterSettings.from_url(node.url, index="refresh")
    cluster = Cluster(settings)
    first = Corpus.open(folder, index_dir=index_dir)
    summary = upload(first.backend.generation, cluster, "refresh")  # type: ignore[attr-defined]
    assert summary.files_sent == 6 and summary.recreated
    paragraphs = _count(cluster, "refresh")
    assert paragraphs == first.meta["counts"]["paragraphs"] + _copy_paragraphs(first)
    again = upload(first.backend.generation, cluster, "refresh")  # type: ignore[attr-defined]
    assert (again.files_sent, again.files_deleted, again.recreated) == (0, 0, False)
    assert _count(cluster, "refresh") == paragraphs  # nothing duplicated

    (folder / "wire.txt").write_text(
        "Lumber mills\n\nCanadian lumber tariffs rose again on Monday, the mills said.\n",
        encoding="utf-8",
    )
    (folder / "cbs-los-angeles-embassy-moscow.txt").unlink()
    changed = Corpus.open(folder, index_dir=index_dir)
    summary = upload(changed.backend.generation, cluster, "refresh")  # type: ignore[attr-defined]
    assert (summary.files_sent, summary.files_deleted) == (1, 1)
    remote = Corpus.connect(settings)
    assert remote.source_names() == changed.source_names()
    found = remote.ask("Canadian lumber tariffs")
    assert found.sources[0].source == changed.ask("Canadian lumber tariffs").sources[0].source
    assert "cbs-los-angeles-embassy-moscow.txt" not in remote.backend.article_keys()
    assert _count(cluster, "refresh") == changed.meta["counts"]["paragraphs"] + _copy_paragraphs(
        changed
    )


def _copy_paragraphs(corpus: Corpus) -> int:
    """Paragraphs of the copies that are not shown (stored too, so they can be read)."""
    return sum(
        corpus.article(key).paragraphs.__len__()
        for info in corpus.articles()
        for key in info.copies
    )


def test_refused_documents_are_reported_and_sent_again(node: Any, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", folder)
    settings = ClusterSettings.from_url(node.url, index="blocked")
    cluster = Cluster(settings)
    corpus = Corpus.open(folder, index_dir=tmp_path / "index")
    upload(corpus.backend.generation, cluster, "blocked")  # type: ignore[attr-defined]
    (folder / "wire.txt").write_text("Tariffs\n\nLumber tariffs rose.\n", encoding="utf-8")
    corpus = Corpus.open(folder, index_dir=tmp_path / "index")
    cluster.request("PUT", "/blocked/_settings", {"index.blocks.write": True})
    try:
        summary = upload(corpus.backend.generation, cluster, "blocked")  # type: ignore[attr-defined]
    finally:
        cluster.request("PUT", "/blocked/_settings", {"index.blocks.write": False})
    assert [f.split(":")[0] for f in summary.failed] == ["wire.txt"]
    assert "blocked" in summary.failed[0]
    retried = upload(corpus.backend.generation, cluster, "blocked")  # type: ignore[attr-defined]
    assert (retried.files_sent, retried.failed) == (1, [])
    assert Corpus.connect(settings).ask("lumber tariffs").sources[0].passages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Answering(http.server.BaseHTTPRequestHandler):
    status = 200
    body = b"<html>hello</html>"

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(self.body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Answering]]]:
    """A web server on 127.0.0.1 that is not OpenSearch (the wrong URL, a proxy that wants
    credentials): its answers are set per test."""

    class Handler(_Answering):
        pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Handler
    finally:
        server.shutdown()


def _one_line_error(settings: ClusterSettings) -> str:
    with pytest.raises(ReaderError) as caught:
        Corpus.connect(settings)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_faults_are_one_line_errors(node: Any, remote: Corpus, fake_server: Any) -> None:
    down = f"http://127.0.0.1:{_free_port()}"
    assert "connection refused" in _one_line_error(ClusterSettings.from_url(down))
    url, handler = fake_server
    assert "did not answer like OpenSearch" in _one_line_error(ClusterSettings.from_url(url))
    handler.status, handler.body = 401, b'{"error": "unauthorized"}'
    message = _one_line_error(ClusterSettings.from_url(url.replace("//", "//ann:s3cret@")))
    assert "refused the credentials" in message and "s3cret" not in message
    missing = _one_line_error(ClusterSettings.from_url(node.url, index="nothing-here"))
    assert "no reader index 'nothing-here'" in missing
    cluster = Cluster(ClusterSettings.from_url(node.url))
    for index in ("older", articles_index("older")):
        cluster.request("PUT", f"/{index}", {"mappings": {"_meta": {"reader_mapping": 0}}})
    older = _one_line_error(ClusterSettings.from_url(node.url, index="older"))
    assert "not written by this version of reader" in older
    with pytest.raises(ClusterError, match="not an http"):
        ClusterSettings.from_url("localhost:9200")


def test_a_two_node_cluster_answers_after_losing_a_node(local: Corpus) -> None:
    cluster = osnode.start_cluster(2)
    try:
        urls = ",".join(cluster.urls)
        settings = ClusterSettings.from_url(urls, index="pair")
        client = Cluster(settings)
        generation = local.backend.generation  # type: ignore[attr-defined]
        upload(generation, client, "pair", shards=2, replicas=1)
        client.request("PUT", f"/{articles_index('pair')}/_settings", {"number_of_replicas": 1})
        client.request(
            "GET",
            "/_cluster/health",
            params={"wait_for_status": "green", "timeout": "60s"},
            timeout=90,
        )
        corpus = Corpus.connect(settings)
        before = corpus.ask("Where does Marinelli live?")
        # The node the client asks first goes down mid-session; the other one answers.
        cluster.nodes[0].stop(kill=True)
        after = corpus.ask("Where does Marinelli live?")
        assert after.verdict == before.verdict == "conflict"
        assert _answers(after) == _answers(before)
    finally:
        cluster.stop()


def _reader(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_the_command_indexes_into_and_asks_the_cluster(node: Any, tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "reader").mkdir(parents=True)
    (config / "reader" / "config.toml").write_text(
        f'[backend]\ntype = "opensearch"\nurl = "{node.url}"\nindex = "cli"\n', encoding="utf-8"
    )
    env = {"XDG_CONFIG_HOME": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    indexed = _reader("index", env=env)
    assert indexed.returncode == 0, indexed.stderr
    assert "uploaded 6 changed files" in indexed.stdout and "'cli'" in indexed.stdout
    again = _reader("index", env=env)
    assert "uploaded 0 changed files" in again.stdout
    asked = _reader("ask", "--json", "Where does Marinelli live?", env=env)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["verdict"] == "conflict"
    # The same question on the command line, with the embedded index instead.
    local = _reader("--backend", "local", "ask", "--json", "Where does Marinelli live?", env=env)
    assert json.loads(local.stdout)["groups"] == json.loads(asked.stdout)["groups"]
    down = _reader("--url", "http://127.0.0.1:9", "ask", "Where?", env=env)
    assert down.returncode == 2 and down.stderr.count("\n") == 1
    assert "cannot reach OpenSearch" in down.stderr
