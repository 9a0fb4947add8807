"""Talking to an OpenSearch (or Elasticsearch-compatible) cluster over HTTP, with the standard
library only.

Every failure a user can cause or fix becomes one `ReaderError` line: the server is down or
the URL is wrong, the credentials are refused, the index is missing. Several URLs may be given
(one per node): a request that finds a node gone is sent to the next one, so losing a node
mid-session loses no question. Credentials come from the settings or the environment and are
never part of a message: URLs are shown without their user part.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from index.errors import ReaderError
from index.settings import PASSWORD_VARIABLE, USER_VARIABLE

# A question waits this long for a node; a bulk request (thousands of paragraphs) longer.
TIMEOUT_SECONDS = 30.0
# Statuses that mean "this node cannot answer now": another node (or a later try) may.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


class ClusterError(ReaderError):
    """The cluster could not be reached or refused a request; str(e) is one line."""


@dataclass(frozen=True)
class ClusterSettings:
    """Where the cluster is and how to log in (`[backend]` in config.toml, or options)."""

    urls: tuple[str, ...]
    index: str = "reader"
    user: str | None = None
    password: str | None = None
    ca_file: str | None = None  # a CA bundle for https, when the cluster's CA is private
    exact_scores: bool = False  # dfs_query_then_fetch: global term statistics, one more trip

    @classmethod
    def from_url(cls, url: str, **options: Any) -> ClusterSettings:
        """Settings from a comma-separated list of node URLs, credentials in them taken out."""
        urls, user, password = [], options.pop("user", None), options.pop("password", None)
        for raw in url.split(","):
            parts = urllib.parse.urlsplit(raw.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ClusterError(f"not an http(s) URL of a cluster node: {_shown(raw.strip())}")
            user = user or (urllib.parse.unquote(parts.username) if parts.username else None)
            password = password or (
                urllib.parse.unquote(parts.password) if parts.password else None
            )
            netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
            if ":" in parts.hostname:  # an IPv6 address
                netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
            urls.append(
                urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
            )
        user = user or os.environ.get(USER_VARIABLE) or None
        password = password or os.environ.get(PASSWORD_VARIABLE) or None
        return cls(tuple(urls), user=user, password=password, **options)

    @property
    def shown(self) -> str:
        """The cluster as messages name it (first node, no credentials)."""
        return self.urls[0]


class Cluster:
    """JSON over HTTP to the first node that answers."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self._headers = {"Accept": "application/json"}
        if settings.user is not None:
            token = f"{settings.user}:{settings.password or ''}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        self._context: ssl.SSLContext | None = None
        if settings.ca_file:
            try:
                self._context = ssl.create_default_context(cafile=settings.ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise ClusterError(f"cannot use the CA file {settings.ca_file}: {exc}") from None
        self._preferred = 0  # the node that answered last

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        missing_ok: bool = False,
        timeout: float = TIMEOUT_SECONDS,
    ) -> Any:
        """The decoded answer to one request; None for a 404 when `missing_ok`.

        Tried on each node in turn (the one that answered last first), and once more after a
        short pause when every node was busy or unreachable."""
        data, content_type = _encode(body)
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        last: ClusterError | None = None
        urls = self.settings.urls
        for attempt in range(2):
            if attempt:
                time.sleep(1.0)
            for offset in range(len(urls)):
                node = (self._preferred + offset) % len(urls)
                try:
                    status, answer = self._send(
                        method, urls[node] + path + query, data, content_type, timeout
                    )
                except _Unreachable as exc:
                    last = ClusterError(f"cannot reach OpenSearch at {urls[node]}: {exc}")
                    continue
                if status in _RETRY_STATUSES:
                    last = ClusterError(
                        f"OpenSearch at {urls[node]} cannot answer now (HTTP {status}: "
                        f"{_reason(answer)})"
                    )
                    continue
                self._preferred = node
                return self._checked(status, answer, urls[node], missing_ok)
        assert last is not None
        raise last

    def scan(self, index: str, body: dict[str, Any], page: int = 5_000) -> Iterator[dict[str, Any]]:
        """Every hit of a search whose `body` is sorted on a unique field, a page at a time
        (search_after: no scroll context is left open on the cluster)."""
        after: list[Any] | None = None
        while True:
            request = {**body, "size": page}
            if after is not None:
                request["search_after"] = after
            hits = self.request("POST", f"/{index}/_search", request)["hits"]["hits"]
            yield from hits
            if len(hits) < page:
                return
            after = hits[-1]["sort"]

    def bulk(self, lines: Iterable[dict[str, Any]], timeout: float = 120.0) -> Any:
        """A `_bulk` request; `lines` alternate actions and documents."""
        return self.request("POST", "/_bulk", _NDJSON(list(lines)), timeout=timeout)

    def _send(
        self, method: str, url: str, data: bytes | None, content_type: str | None, timeout: float
    ) -> tuple[int, Any]:
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self._context) as reply:
                status, raw = reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except urllib.error.URLError as exc:
            raise _Unreachable(_url_error_reason(exc.reason)) from None
        except TimeoutError:
            raise _Unreachable(f"no answer within {timeout:.0f} s") from None
        except (ConnectionError, OSError) as exc:  # reset mid-answer, a node going down
            raise _Unreachable(exc.strerror or type(exc).__name__) from None
        try:
            return status, json.loads(raw) if raw else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            return status, _NotJSON(raw[:200].decode("utf-8", "replace"))

    def _checked(self, status: int, answer: Any, url: str, missing_ok: bool) -> Any:
        if isinstance(answer, _NotJSON):
            raise ClusterError(
                f"{url} did not answer like OpenSearch (HTTP {status}, not JSON): is the URL right?"
            )
        if status in (401, 403):
            raise ClusterError(
                f"OpenSearch at {url} refused the credentials (HTTP {status}); set them in "
                f"[backend] of config.toml or in {USER_VARIABLE} / {PASSWORD_VARIABLE}"
            )
        if status == 404 and missing_ok:
            return None
        if status >= 400:
            raise ClusterError(
                f"OpenSearch at {url} refused a request (HTTP {status}: {_reason(answer)})"
            )
        return answer


class _Unreachable(Exception):
    """No answer from a node (refused, reset, timed out, unknown host)."""


class _NotJSON(str):
    """A reply that is not JSON (another server at that address)."""


class _NDJSON(list[dict[str, Any]]):
    """A body sent as newline-delimited JSON (the _bulk API)."""


def _encode(body: Any) -> tuple[bytes | None, str | None]:
    if body is None:
        return None, None
    if isinstance(body, _NDJSON):
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in body)
        return text.encode("utf-8"), "application/x-ndjson"
    return json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"


def _reason(answer: Any) -> str:
    """The server's own one-line reason for an error answer."""
    if isinstance(answer, dict):
        error = answer.get("error")
        if isinstance(error, dict):
            root = (error.get("root_cause") or [error])[0]
            return " ".join(str(root.get("reason") or root.get("type") or error).split())[:300]
        if error:
            return " ".join(str(error).split())[:300]
    return " ".join(str(answer).split())[:300]


def error_type(answer: Any) -> str | None:
    """The error type of an error answer ("index_not_found_exception", ...)."""
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
        return str(answer["error"].get("type"))
    return None


def _url_error_reason(reason: Any) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, and is the port right?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason}); a private CA needs ca_file in [backend]"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def _shown(url: str) -> str:
    """`url` without any user or password in it."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
