"""A lean HTTP transport for hvac: kept-alive connections of our own.

hvac sends every request through ``session.request(...)`` of a requests-style
session it is given. requests spends about 1.6 ms of CPU per request on this
project's reference machine, under the GIL: 500 secret reads cost 0.8 s of
CPU before any network time, however many threads wait on them. This session
answers the same call on a pool of kept-alive ``http_wire.Connection``s (about
0.1 ms per request), and hvac builds the requests and reads the answers exactly
as before.

It covers what a Vault client needs: http and https (verification on, off, or
against a CA bundle), timeouts, and keep-alive (an idle connection the server
closed is not reused). A timeout bounds the whole request, connecting, headers
and body: a server trickling a byte a second cannot stretch it (each socket
operation waits at most what is left of it; no watchdog thread, no per-request
timer to set up and take down).
``open_ahead(n, gets)`` connects n sockets in the background, all at once, then
sends the GETs a client makes first (Vault's mount lookups): their round trips
pass while hvac is imported (0.15 s), and the first reads find them done. A proxy
from the environment is the one thing it does not do: ``use_for`` says so, and
the caller keeps requests' own session then. Failures are raised as requests'
exception types so callers handle both sessions alike (requests is imported for
that on the first failure: hvac has imported it).
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from graftpy.backends.http_wire import Connection, Headers

_SPLITS = frozenset("?#\t\r\n")  # a query, a fragment, or what urlsplit drops
AHEAD_TIMEOUT = 10.0  # seconds a connection opened ahead may take; a request then opens its own


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

    def __init__(self, status: int, reason: str, headers: Headers, content: bytes) -> None:
        self.status_code = status
        self.reason = reason
        self.headers = headers  # case-insensitive get(), as requests' headers
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
        self._origin = f"{parts.scheme}://{parts.netloc}/"  # as hvac joins URLs to it
        # attributes hvac's Adapter reads from a session it is given
        self.verify = verify
        self.cert = None
        self.proxies: dict[str, str] = {}
        self._tls = self._tls_context(verify) if parts.scheme == "https" else None
        self._idle: list[Connection] = []
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
        conn = self._checkout()
        until = time.monotonic() + timeout if timeout else None
        try:
            conn.connect(timeout, until)  # all of it, connecting too, within the timeout
            return self._send(conn, method, target, body, headers, until)
        except BaseException as exc:
            conn.close()
            raise _as_requests_error(exc) from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- internals -----------------------------------------------------------------
    def _target(self, url: str, params: dict[str, Any] | None) -> str:
        if not params and url.startswith(self._origin) and not _SPLITS.intersection(url):
            return url[len(self._origin) - 1 :]  # what urlsplit finds, in a tenth of its time
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

    def open_ahead(
        self,
        count: int,
        gets: Sequence[tuple[str, dict[str, str]]] = (),
        timeout: float | None = None,
    ) -> list[Future]:
        """Connect ``count`` sockets in the background, for the requests to come; then
        GET each ``(url, headers)`` of ``gets`` on them (the requests a client makes
        before any other). Returns a future per GET: its ``Response``, or the error
        ``request`` raises.

        One thread, non-blocking connects: all the handshakes' round trips at once.
        A socket that fails or takes longer than ``AHEAD_TIMEOUT`` is dropped (a
        request opens its own then, and reports what goes wrong)."""
        answers: list[Future] = [Future() for _ in gets]
        if count > 0 or gets:
            threading.Thread(
                target=self._ahead,
                args=(count, list(zip(gets, answers, strict=True)), timeout),
                name="graftpy-connect",
                daemon=True,
            ).start()
        return answers

    def _ahead(self, count: int, gets: list, timeout: float | None) -> None:
        self._connect_ahead(count)
        for (url, headers), answer in gets:
            try:
                answer.set_result(self.request("GET", url, headers=headers, timeout=timeout))
            except BaseException as exc:  # noqa: BLE001 - the reader of the answer meets it
                answer.set_exception(exc)

    def _connect_ahead(self, count: int) -> None:
        import errno
        import selectors

        try:
            family, kind, proto, _, address = socket.getaddrinfo(
                self.host, self.port, type=socket.SOCK_STREAM
            )[0]
        except OSError:
            return
        waiting = selectors.DefaultSelector()
        try:
            for _ in range(count):
                sock = socket.socket(family, kind, proto)
                sock.setblocking(False)
                if sock.connect_ex(address) in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
                    waiting.register(sock, selectors.EVENT_WRITE)
                else:
                    sock.close()
            give_up = time.monotonic() + AHEAD_TIMEOUT
            while waiting.get_map() and not self._closed:
                left = give_up - time.monotonic()
                ready = waiting.select(left) if left > 0 else []
                if not ready:
                    break
                for key, _ in ready:
                    sock = key.fileobj  # type: ignore[assignment]
                    waiting.unregister(sock)
                    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        sock.close()
                        continue
                    sock.setblocking(True)
                    self._give_back(Connection(self.host, self.port, self._tls, sock=sock))
        finally:
            for key in list(waiting.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            waiting.close()

    def _give_back(self, conn: Connection) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(conn)
                return
        conn.close()

    def _checkout(self) -> Connection:
        """An idle connection the server has not closed, else a new one."""
        while True:
            with self._lock:
                if not self._idle:
                    return Connection(self.host, self.port, self._tls)
                conn = self._idle.pop()
            if conn.idle_and_open():
                return conn
            conn.close()

    def _send(
        self, conn: Connection, method: str, target: str, body, headers, until: float | None
    ) -> Response:
        answer = conn.exchange(method.upper(), target, headers, body, until)
        response = Response(answer.status, answer.reason, answer.headers, answer.body)
        if answer.keep_alive:
            self._give_back(conn)
        else:
            conn.close()
        return response


def _as_requests_error(exc: BaseException) -> BaseException:
    """The requests exception a caller of a requests session would have seen."""
    import requests

    if isinstance(exc, ssl.SSLError):
        return requests.exceptions.SSLError(str(exc))
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return requests.exceptions.Timeout("timed out")
    if isinstance(exc, OSError):
        return requests.exceptions.ConnectionError(str(exc) or type(exc).__name__)
    return exc
