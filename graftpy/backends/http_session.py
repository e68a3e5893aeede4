"""A lean HTTP transport for hvac: keep-alive connections from the standard library.

hvac sends every request through ``session.request(...)`` of a requests-style
session it is given. requests spends about 1.6 ms of CPU per request on this
project's reference machine, under the GIL: 500 secret reads cost 0.8 s of
CPU before any network time, however many threads wait on them. This session
answers the same call with ``http.client`` connections kept alive in a pool
(about 0.3 ms per request), and hvac builds the requests and reads the answers
exactly as before.

It covers what a Vault client needs: http and https (verification on, off, or
against a CA bundle), timeouts, and keep-alive (an idle connection the server
closed is not reused). A timeout bounds the whole request, headers and body:
a server trickling a byte a second cannot stretch it (``http_fetch.Deadline``). A proxy from the environment
is the one thing it does not do: ``use_for`` says so, and the caller keeps
requests' own session then. Failures are raised as requests' exception types so
callers handle both sessions alike.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import ssl
import threading
import urllib.parse
import urllib.request
from typing import Any

import requests

from graftpy.http_fetch import Deadline


def use_for(base_url: str) -> bool:
    """Whether this session can talk to ``base_url``: no proxy applies to it."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    proxies = urllib.request.getproxies()
    scheme = urllib.parse.urlsplit(base_url).scheme
    if scheme not in proxies and "all" not in proxies:
        return True
    return bool(urllib.request.proxy_bypass(host))


class Response:
    """The parts of ``requests.Response`` that hvac and graftpy read."""

    def __init__(self, status: int, reason: str, headers: Any, content: bytes) -> None:
        self.status_code = status
        self.reason = reason
        self.headers = headers  # http.client.HTTPMessage: case-insensitive get()
        self.content = content

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)

    def close(self) -> None:
        pass


class PooledSession:
    """A requests-compatible ``Session`` for one base URL (hvac's ``session=``)."""

    def __init__(self, base_url: str, verify: bool | str = True) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        # attributes hvac's Adapter reads from a session it is given
        self.verify = verify
        self.cert = None
        self.proxies: dict[str, str] = {}
        self._tls = self._tls_context(verify) if parts.scheme == "https" else None
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    @staticmethod
    def _tls_context(verify: bool | str) -> ssl.SSLContext:
        if verify is False:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        # requests' own variables name a CA bundle; otherwise the system's store
        bundle = verify if isinstance(verify, str) else None
        bundle = bundle or os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        return ssl.create_default_context(cafile=bundle or None)

    # -- the call hvac makes -----------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        **_ignored: Any,  # allow_redirects, cert, verify, proxies: fixed per session
    ) -> Response:
        target = self._target(url, params)
        body, headers = self._body(json, data, dict(headers or {}))
        conn = self._checkout(timeout)
        deadline = Deadline(timeout) if timeout else None
        try:
            if deadline is None:
                return self._send(conn, method, target, body, headers)
            with deadline:  # the whole request, however slowly the server trickles
                if conn.sock is None:
                    conn.connect()
                deadline.register(conn.sock)
                response = self._send(conn, method, target, body, headers)
            if deadline.expired:  # cut short while the body came in
                raise TimeoutError("timed out")
            return response
        except BaseException as exc:
            conn.close()
            if deadline is not None and deadline.expired:
                raise requests.exceptions.Timeout("timed out") from None
            raise _as_requests_error(exc) from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- internals -----------------------------------------------------------------
    def _target(self, url: str, params: dict[str, Any] | None) -> str:
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        query = parts.query
        if params:
            extra = urllib.parse.urlencode(params, doseq=True)
            query = f"{query}&{extra}" if query else extra
        return f"{target}?{query}" if query else target

    @staticmethod
    def _body(payload: Any, data: Any, headers: dict[str, str]) -> tuple[bytes | None, dict]:
        if payload is not None:
            headers.setdefault("Content-Type", "application/json")
            return json.dumps(payload).encode(), headers
        if isinstance(data, str):
            return data.encode(), headers
        return data, headers

    def _checkout(self, timeout: float | None) -> http.client.HTTPConnection:
        """An idle connection the server has not closed, else a new one."""
        conn = None
        while conn is None:
            with self._lock:
                if not self._idle:
                    break
                conn = self._idle.pop()
            if _dropped(conn):
                conn.close()
                conn = None
        if conn is None:
            if self._tls is not None:
                conn = http.client.HTTPSConnection(self.host, self.port, context=self._tls)
            else:
                conn = http.client.HTTPConnection(self.host, self.port)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _send(
        self, conn: http.client.HTTPConnection, method: str, target: str, body, headers
    ) -> Response:
        conn.request(method.upper(), target, body=body, headers=headers)
        answer = conn.getresponse()
        content = answer.read()
        response = Response(answer.status, answer.reason, answer.headers, content)
        if answer.will_close:
            conn.close()
        else:
            with self._lock:
                if self._closed:
                    conn.close()
                else:
                    self._idle.append(conn)
        return response


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle kept-alive connection was closed by the server meanwhile.

    An idle socket that is readable holds either the server's close or stray
    bytes; either way it must not carry another request.
    """
    if conn.sock is None:
        return True
    try:
        readable, _, _ = select.select([conn.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _as_requests_error(exc: BaseException) -> BaseException:
    """The requests exception a caller of a requests session would have seen."""
    if isinstance(exc, ssl.SSLError):
        return requests.exceptions.SSLError(str(exc))
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return requests.exceptions.Timeout("timed out")
    if isinstance(exc, (OSError, http.client.HTTPException)):
        return requests.exceptions.ConnectionError(str(exc) or type(exc).__name__)
    return exc
