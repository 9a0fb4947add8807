"""Start and stop real OpenSearch nodes on 127.0.0.1, for tests and CI (issue #14).

Why this shape: the only network here is the package registries, so the server comes from Maven
Central: the `integ-test-zip` distribution (core + transport-netty4) plus the analysis-common and
lang-painless modules, put together by `pom.xml` under `target/`. Its `bin/opensearch` refuses to
run as root, which CI is, so each node is started by a small Java main (`LocalNode`) that runs the
real `org.opensearch.node.Node` without that bootstrap. Standard library only, so tests, CI and a
shell can all use it:

    python tests/opensearch/node.py start            # prints the URL, leaves the node running
    python tests/opensearch/node.py stop WORKDIR|PID
    python tests/opensearch/node.py cluster -n 2     # prints one URL per node
    python tests/opensearch/node.py fetch            # only fetch and build (warms the Maven cache)
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _pom_version() -> str:
    """The OpenSearch version pom.xml builds: one place to change it."""
    match = re.search(r"<opensearch\.version>([^<]+)<", (HERE / "pom.xml").read_text())
    if match is None:
        raise RuntimeError(f"no <opensearch.version> in {HERE / 'pom.xml'}")
    return match.group(1)


OPENSEARCH_VERSION = _pom_version()
TARGET = HERE / "target"
HOME = TARGET / f"opensearch-{OPENSEARCH_VERSION}"
LAUNCHER_JAR = TARGET / "opensearch-local-node.jar"
MAIN_CLASS = "reader.opensearch.LocalNode"
BUILD_STAMP = TARGET / ".built"
BUILD_TIMEOUT_S = 900.0
LOOPBACK = "127.0.0.1"

# Mirrors the flags the distribution's own launcher adds (SystemJvmOptions in 2.19), minus those
# for production (AlwaysPreTouch, GC logs). Serial GC and C1-only JIT start a node about twice as
# fast on 2 shared cores; append "-XX:TieredStopAtLevel=4" in OPENSEARCH_TEST_JAVA_OPTS for
# benchmarks, where the full JIT matters more than start-up.
BASE_JVM_OPTS = (
    "-Xss1m",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Djna.nosys=true",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dio.netty.allocator.numDirectArenas=0",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
)

# Console only: the node's stdout is its log file. The header_warning appender keeps deprecation
# warnings in HTTP responses (the "Warning" header), as on a real server.
LOG4J2_PROPERTIES = """\
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
appender.header_warning.type = HeaderWarningAppender
appender.header_warning.name = header_warning
logger.deprecation.name = org.opensearch.deprecation
logger.deprecation.level = warn
logger.deprecation.appenderRef.header_warning.ref = header_warning
logger.deprecation.additivity = false
"""


class OpenSearchError(RuntimeError):
    """A node could not be built, started, reached or stopped; the message says which and why."""


# ---------------------------------------------------------------------------------------------
# Java and the build


@cache
def java_executable() -> str:
    """The JDK that runs the nodes: OPENSEARCH_JAVA_HOME, then JAVA_HOME, then `java` on PATH."""
    for var in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        home = os.environ.get(var)
        if home and (Path(home) / "bin" / "java").is_file():
            return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise OpenSearchError("no java: set JAVA_HOME or put a JDK 11 or newer on PATH")
    return found


def java_available() -> bool:
    """Whether a JDK can be found at all; the smoke test skips on this alone."""
    try:
        java_executable()
    except OpenSearchError:
        return False
    return True


@cache
def java_major_version() -> int:
    """The feature version of java_executable(), which picks the locale-provider flag."""
    out = subprocess.run(
        [java_executable(), "-XshowSettings:properties", "-version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stderr
    match = re.search(r"java\.specification\.version = (\d+)", out)
    if match is None or int(match.group(1)) < 11:
        raise OpenSearchError(f"{java_executable()} is not Java 11 or newer")
    return int(match.group(1))


def _build_is_current() -> bool:
    if not (BUILD_STAMP.is_file() and LAUNCHER_JAR.is_file() and (HOME / "lib").is_dir()):
        return False
    built = BUILD_STAMP.stat().st_mtime
    sources = [HERE / "pom.xml", *(p for p in (HERE / "src").rglob("*") if p.is_file())]
    return all(p.stat().st_mtime <= built for p in sources)


def ensure_built(timeout: float = BUILD_TIMEOUT_S) -> Path:
    """Fetch the distribution and modules with Maven and build the launcher, unless already done.

    A file lock keeps parallel test processes from building into the same folder at once.
    Returns the OpenSearch home.
    """
    if _build_is_current():
        return HOME
    mvn = shutil.which("mvn")
    if mvn is None:
        raise OpenSearchError("no mvn on PATH: Maven fetches and builds the test OpenSearch")
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _build_is_current():
            return HOME
        env = dict(os.environ)
        java = Path(java_executable()).resolve()
        env.setdefault("JAVA_HOME", str(java.parent.parent))
        try:
            done = subprocess.run(
                [mvn, "-q", "-B", "-f", str(HERE / "pom.xml"), "package"],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OpenSearchError(f"Maven build took over {timeout:.0f} s") from exc
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            raise OpenSearchError("Maven build failed:\n" + "\n".join(tail))
        BUILD_STAMP.write_text(OPENSEARCH_VERSION + "\n")
    return HOME


# ---------------------------------------------------------------------------------------------
# HTTP


def http(
    method: str, url: str, body: Any = None, *, timeout: float = 30.0, ndjson: bool = False
) -> tuple[int, Any]:
    """One JSON request; returns (status, decoded body) for any status, raising only on no answer.

    `body` is JSON-encoded, or for `ndjson` (the _bulk API) a list of objects, one a line.
    """
    data: bytes | None = None
    headers = {"Accept": "application/json"}
    if body is not None:
        if ndjson:
            data = "".join(json.dumps(line) + "\n" for line in body).encode()
            headers["Content-Type"] = "application/x-ndjson"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    return status, json.loads(raw) if raw else None


# ---------------------------------------------------------------------------------------------
# Nodes

_LIVE: set[Node] = set()


@dataclass(eq=False)
class Node:
    """One OpenSearch JVM. `url` is its HTTP endpoint on 127.0.0.1, `transport` its node-to-node
    address; `process` is None when the node was started by another process (CLI `stop`)."""

    name: str
    pid: int
    workdir: Path
    url: str = ""
    transport: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    owns_workdir: bool = False

    @property
    def log_path(self) -> Path:
        return self.workdir / "node.log"

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return _is_our_node(self.pid)

    def failure(self) -> str:
        """Why the JVM died, in one line: the first exception its log names (not a stack dump)."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "no log"
        for line in lines:
            text = line.split("] ", 3)[-1].strip() if line.startswith("[") else line.strip()
            if re.search(r"(Exception|Error)\b", text) and not text.startswith(("at ", "...")):
                return text[:400]
        return lines[-1][:400] if lines else "empty log"

    def _ports_file(self, kind: str, deadline: float) -> str:
        path = self.workdir / "logs" / f"{kind}.ports"
        while time.monotonic() < deadline:
            if path.is_file():
                first = path.read_text().strip().splitlines()
                if first:
                    return first[0]
            if not self.alive():
                raise OpenSearchError(f"node {self.name} exited: {self.failure()}")
            time.sleep(0.1)
        raise OpenSearchError(f"node {self.name} did not bind its {kind} port in time")

    def wait_transport(self, timeout: float = 120.0) -> str:
        """Wait until the node has bound its transport port (before it is fully started)."""
        if not self.transport:
            self.transport = self._ports_file("transport", time.monotonic() + timeout)
        return self.transport

    def wait_ready(
        self, timeout: float = 120.0, status: str | None = "green", nodes: int | None = None
    ) -> None:
        """Wait until HTTP answers and, with `status`, the cluster health reaches it."""
        deadline = time.monotonic() + timeout
        self.wait_transport(timeout)
        if not self.url:
            self.url = "http://" + self._ports_file("http", deadline)
        query = []
        if status:
            query.append(f"wait_for_status={status}")
        if nodes:
            query.append(f"wait_for_nodes={nodes}")
        last = "no answer"
        while time.monotonic() < deadline:
            if not self.alive():
                raise OpenSearchError(f"node {self.name} exited: {self.failure()}")
            left = max(1, int(deadline - time.monotonic()))
            wait = min(left, 5)
            try:
                code, body = http(
                    "GET",
                    f"{self.url}/_cluster/health?timeout={wait}s&" + "&".join(query),
                    timeout=wait + 5,
                )
            except (OSError, ValueError) as exc:
                last = str(exc)
                time.sleep(0.2)
                continue
            if code == 200 and isinstance(body, dict) and not body.get("timed_out"):
                return
            last = f"HTTP {code}: {body}"
        raise OpenSearchError(f"node {self.name} not ready in {timeout:.0f} s ({last})")

    def stop(self, timeout: float = 30.0, kill: bool = False) -> None:
        """SIGTERM (a clean shutdown) or, with `kill`, SIGKILL (a crash); SIGKILL after timeout.

        Removes the work dir if start_node made it.
        """
        _LIVE.discard(self)
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL if kill else signal.SIGTERM)
            if not self._wait_exit(timeout):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                if not self._wait_exit(10.0):
                    raise OpenSearchError(f"node {self.name} (pid {self.pid}) would not die")
        if self.owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _wait_exit(self, timeout: float) -> bool:
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_our_node(self.pid):
                return True
            time.sleep(0.1)
        return False


def _is_our_node(pid: int) -> bool:
    """True if `pid` is a live LocalNode JVM: guards `stop PID` against a reused pid."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return MAIN_CLASS.encode() in cmdline and state != "Z"


def _settings(
    workdir: Path,
    *,
    node_name: str,
    cluster_name: str,
    port: int | None,
    seed_hosts: Sequence[str],
    initial_managers: Sequence[str] | None,
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "cluster.name": cluster_name,
        "node.name": node_name,
        "network.host": LOOPBACK,
        "http.port": port or 0,
        "transport.port": 0,
        "node.portsfile": True,  # logs/http.ports, logs/transport.ports: race-free free ports
        "path.data": str(workdir / "data"),
        "path.logs": str(workdir / "logs"),
        # A shared machine's disk may be fuller than the default watermarks allow.
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
    }
    if seed_hosts or initial_managers:
        settings["discovery.seed_hosts"] = list(seed_hosts)
        if initial_managers:
            settings["cluster.initial_cluster_manager_nodes"] = list(initial_managers)
    else:
        settings["discovery.type"] = "single-node"
    settings.update(extra or {})
    return settings


def launch_node(
    workdir: str | Path | None = None,
    port: int | None = None,
    *,
    node_name: str = "node-0",
    cluster_name: str = "reader-test",
    seed_hosts: Sequence[str] = (),
    initial_managers: Sequence[str] | None = None,
    heap: str = "512m",
    java_opts: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
    detach: bool = False,
) -> Node:
    """Start a node's JVM and return at once; `start_node` also waits for it.

    No `seed_hosts` and no `initial_managers` make a single-node cluster. `detach` leaves the node
    running after this Python process ends (the CLI); otherwise it stops with this process.
    """
    home = ensure_built()
    owns = workdir is None
    if workdir is None:
        workdir = tempfile.mkdtemp(prefix=f"opensearch-{node_name}-")
    wd = Path(workdir).resolve()
    config = wd / "config"
    for sub in (config, wd / "data", wd / "logs", wd / "tmp"):
        sub.mkdir(parents=True, exist_ok=True)
    for stale in ("http.ports", "transport.ports"):
        (wd / "logs" / stale).unlink(missing_ok=True)
    values = _settings(
        wd,
        node_name=node_name,
        cluster_name=cluster_name,
        port=port,
        seed_hosts=seed_hosts,
        initial_managers=initial_managers,
        extra=settings,
    )
    # JSON values are valid YAML, which spares quoting rules.
    yml = "".join(f"{key}: {json.dumps(value)}\n" for key, value in values.items())
    (config / "opensearch.yml").write_text(yml)
    (config / "log4j2.properties").write_text(LOG4J2_PROPERTIES)

    locale = "SPI,COMPAT" if java_major_version() < 23 else "SPI,CLDR"
    command = [
        java_executable(),
        f"-Xms{min(heap, '256m', key=_heap_bytes)}",
        f"-Xmx{heap}",
        f"-XX:MaxDirectMemorySize={_heap_bytes(heap) // 2}",
        *BASE_JVM_OPTS,
        f"-Djava.locale.providers={locale}",
        f"-Djava.io.tmpdir={wd / 'tmp'}",
        "-XX:ErrorFile=" + str(wd / "logs" / "hs_err_pid%p.log"),
        *([] if detach else [f"-Dlocalnode.exit_with_pid={os.getpid()}"]),
        *java_opts,
        *os.environ.get("OPENSEARCH_TEST_JAVA_OPTS", "").split(),
        "-cp",
        f"{LAUNCHER_JAR}{os.pathsep}{home / 'lib'}/*",
        MAIN_CLASS,
        str(home),
        str(config),
    ]
    with open(wd / "node.log", "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=wd,
            start_new_session=True,  # a Ctrl-C meant for the caller does not reach the node
        )
    node = Node(
        name=node_name,
        pid=process.pid,
        workdir=wd,
        url=f"http://{LOOPBACK}:{port}" if port else "",
        process=process,
        owns_workdir=owns,
    )
    if not detach:
        _LIVE.add(node)
    return node


def start_node(
    workdir: str | Path | None = None,
    port: int | None = None,
    *,
    node_name: str = "node-0",
    cluster_name: str = "reader-test",
    seed_hosts: Sequence[str] = (),
    initial_managers: Sequence[str] | None = None,
    wait_for: str | None = "green",
    timeout: float = 120.0,
    **kwargs: Any,
) -> Node:
    """Start a node bound to 127.0.0.1 and wait until its cluster health is `wait_for`.

    `port` None picks a free HTTP port. Raises OpenSearchError (with the log's tail) on failure,
    after stopping the JVM.
    """
    node = launch_node(
        workdir,
        port,
        node_name=node_name,
        cluster_name=cluster_name,
        seed_hosts=seed_hosts,
        initial_managers=initial_managers,
        **kwargs,
    )
    try:
        node.wait_ready(timeout, status=wait_for)
    except BaseException:
        node.stop(timeout=10.0)
        raise
    return node


@dataclass(eq=False)
class Cluster:
    """Nodes of one cluster; `url` is the first node's."""

    nodes: list[Node]
    workdir: Path
    owns_workdir: bool = False

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def cluster_manager(self) -> Node:
        """The node currently elected cluster manager (asked of any live node)."""
        for node in self.nodes:
            if node.alive():
                _, body = http("GET", f"{node.url}/_cat/cluster_manager?format=json", timeout=10)
                name = body[0]["node"]
                return next(n for n in self.nodes if n.name == name)
        raise OpenSearchError("no live node")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every node (signals sent to all first, so they shut down together)."""
        for node in self.nodes:
            if node.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(node.pid, signal.SIGTERM)
        for node in self.nodes:
            node.stop(timeout)
        if self.owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_cluster(
    n: int = 2,
    workdir: str | Path | None = None,
    *,
    cluster_name: str = "reader-test-cluster",
    timeout: float = 180.0,
    **kwargs: Any,
) -> Cluster:
    """Start `n` nodes (one JVM each, all cluster-manager eligible) and wait for all to join.

    node-0 bootstraps the cluster alone; the others seed from its transport port and join, so their
    start-up overlaps with its. With 2 nodes the voting configuration stays {node-0}: node-0 is the
    cluster manager, and the cluster survives the loss of node-1 (not of node-0).
    """
    if n < 1:
        raise OpenSearchError("a cluster needs at least one node")
    owns = workdir is None
    if workdir is None:
        workdir = tempfile.mkdtemp(prefix="opensearch-cluster-")
    root = Path(workdir).resolve()
    names = [f"node-{i}" for i in range(n)]
    nodes: list[Node] = []
    deadline = time.monotonic() + timeout
    try:
        first = launch_node(
            root / names[0],
            node_name=names[0],
            cluster_name=cluster_name,
            initial_managers=names[:1],
            **kwargs,
        )
        nodes.append(first)
        seed = first.wait_transport(timeout)
        for name in names[1:]:
            nodes.append(
                launch_node(
                    root / name,
                    node_name=name,
                    cluster_name=cluster_name,
                    seed_hosts=[seed],
                    **kwargs,
                )
            )
        for node in nodes:
            node.wait_ready(max(1.0, deadline - time.monotonic()), status=None)
        first.wait_ready(max(1.0, deadline - time.monotonic()), status="green", nodes=n)
    except BaseException:
        Cluster(nodes, root, owns).stop(timeout=10.0)
        raise
    return Cluster(nodes, root, owns)


@atexit.register
def _stop_leftovers() -> None:
    """Nodes this process started (not detached) never outlive it, even if a test forgot them."""
    for node in list(_LIVE):
        with contextlib.suppress(Exception):
            node.stop(timeout=15.0)


def _heap_bytes(size: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", size.strip().lower())
    if match is None:
        raise OpenSearchError(f"bad heap size {size!r}: use e.g. 512m or 1g")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[match.group(2)]
    return int(match.group(1)) * scale


# ---------------------------------------------------------------------------------------------
# CLI: detached nodes, remembered in WORKDIR/node.json so `stop` can find them


def _record(node: Node) -> dict[str, Any]:
    return {
        "name": node.name,
        "pid": node.pid,
        "url": node.url,
        "transport": node.transport,
        "workdir": str(node.workdir),
        "owns_workdir": node.owns_workdir,
    }


def _from_record(record: dict[str, Any]) -> Node:
    return Node(
        name=record["name"],
        pid=int(record["pid"]),
        workdir=Path(record["workdir"]),
        url=record["url"],
        transport=record["transport"],
        owns_workdir=bool(record["owns_workdir"]),
    )


def _stop_targets(targets: Iterable[str]) -> list[str]:
    stopped = []
    for target in targets:
        path = Path(target)
        if target.isdigit():
            pid = int(target)
            if not _is_our_node(pid):
                raise OpenSearchError(f"pid {pid} is not a running test OpenSearch node")
            node = Node(name=f"pid {pid}", pid=pid, workdir=Path("/nonexistent"))
            node.stop()
            stopped.append(node.name)
        elif (path / "node.json").is_file():
            node = _from_record(json.loads((path / "node.json").read_text()))
            node.stop()
            stopped.append(node.name)
        elif (path / "cluster.json").is_file():
            record = json.loads((path / "cluster.json").read_text())
            cluster = Cluster(
                [_from_record(r) for r in record["nodes"]], path, record["owns_workdir"]
            )
            cluster.stop()
            stopped.extend(node.name for node in cluster.nodes)
        else:
            raise OpenSearchError(f"{target}: neither a node pid nor a node/cluster work dir")
    return stopped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="node.py", description="Real OpenSearch nodes on 127.0.0.1 for tests."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch and build only; prints the OpenSearch home")
    start = sub.add_parser("start", help="start one node, print its URL, leave it running")
    start.add_argument("--workdir", help="data/log/config dir (default: a new temp dir)")
    start.add_argument("--port", type=int, help="HTTP port (default: a free one)")
    start.add_argument("--name", default="node-0", help="node name")
    start.add_argument("--cluster-name", default="reader-test")
    start.add_argument("--seed", action="append", default=[], help="HOST:PORT to join (repeat)")
    start.add_argument("--heap", default="512m")
    start.add_argument("--timeout", type=float, default=120.0)
    clus = sub.add_parser("cluster", help="start N nodes, print their URLs, leave them running")
    clus.add_argument("-n", type=int, default=2)
    clus.add_argument("--workdir", help="parent dir of the nodes' dirs (default: a temp dir)")
    clus.add_argument("--heap", default="512m")
    clus.add_argument("--timeout", type=float, default=180.0)
    stop = sub.add_parser("stop", help="stop nodes by work dir (node or cluster) or pid")
    stop.add_argument("targets", nargs="+")
    args = parser.parse_args(argv)

    try:
        if args.command == "fetch":
            began = time.monotonic()
            print(ensure_built())
            print(f"built in {time.monotonic() - began:.1f} s", file=sys.stderr)
        elif args.command == "start":
            node = start_node(
                args.workdir,
                args.port,
                node_name=args.name,
                cluster_name=args.cluster_name,
                seed_hosts=args.seed,
                wait_for="green" if not args.seed else None,
                timeout=args.timeout,
                heap=args.heap,
                detach=True,
            )
            (node.workdir / "node.json").write_text(json.dumps(_record(node), indent=1))
            print(node.url)
            print(
                f"node {node.name} pid {node.pid}, transport {node.transport}, log "
                f"{node.log_path}\nstop: python {Path(__file__)} stop {node.workdir}",
                file=sys.stderr,
            )
        elif args.command == "cluster":
            cluster = start_cluster(
                args.n, args.workdir, timeout=args.timeout, heap=args.heap, detach=True
            )
            record = {
                "owns_workdir": cluster.owns_workdir,
                "nodes": [_record(node) for node in cluster.nodes],
            }
            (cluster.workdir / "cluster.json").write_text(json.dumps(record, indent=1))
            for node in cluster.nodes:
                print(node.url)
            pids = " ".join(str(node.pid) for node in cluster.nodes)
            print(
                f"pids {pids}\nstop: python {Path(__file__)} stop {cluster.workdir}",
                file=sys.stderr,
            )
        else:
            for name in _stop_targets(args.targets):
                print(f"stopped {name}", file=sys.stderr)
    except (OpenSearchError, OSError, ValueError, KeyError) as exc:
        print(f"node.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
