"""One HTTP GET with a deadline on the whole request and a cap on the body.

``(( load URL ))`` and ``graftpy diff URL`` fetch through ``get``. Socket
timeouts alone bound each ``recv``: a server that trickles a byte a second
never trips them, in the headers or in the body. Here a watchdog shuts the
request's sockets down when the deadline passes, whatever the request is doing
(connecting, sending, awaiting headers, reading the body, following a
redirect), and the body is read at most ``max_bytes`` (+1, to tell) long.

urllib does the rest as before: redirects, proxies from the environment,
TLS verification. Failures raise ``FetchError`` with a short Go-like reason.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Any, NamedTuple


class FetchError(Exception):
    """The request failed; ``reason`` reads like Go's (``connect: connection refused``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Answer(NamedTuple):
    status: int
    body: bytes


class Deadline:
    """Shuts down every socket registered with it once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.when = time.monotonic() + seconds
        self.expired = False
        self.done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Deadline:
        _local.deadline = self
        _WATCHDOG.watch(self)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.done = True  # the watchdog drops it when its time comes
        _local.deadline = None

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            if self.done:  # finished in time: its sockets may be back in a pool
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


class _Watchdog:
    """One daemon thread for every deadline of the process (a thread per request
    would cost more than the request on a fast server)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._cond = threading.Condition()
        self._seq = 0
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
        with self._cond:
            self._seq += 1
            entry = (deadline.when, self._seq, deadline)
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="graftpy-http-deadlines")
                self._thread.daemon = True
                self._thread.start()
            if self._heap[0] is entry:  # the earliest now: the watchdog must wake sooner
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                when, _, deadline = self._heap[0]
                wait = when - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            deadline.expire()


_WATCHDOG = _Watchdog()
_local = threading.local()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv/send in the other thread


def _watched(base: type) -> type:
    class Watched(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            deadline = getattr(_local, "deadline", None)
            if deadline is not None:
                deadline.register(self.sock)

    return Watched


_opener_cache: list[urllib.request.OpenerDirector] = []


def _opener() -> urllib.request.OpenerDirector:
    """urllib's opener, its connections watched by the calling thread's deadline."""
    if _opener_cache:
        return _opener_cache[0]
    plain = _watched(http.client.HTTPConnection)
    secure = _watched(http.client.HTTPSConnection)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(secure, req, context=self._context)  # type: ignore[attr-defined]

    _opener_cache.append(urllib.request.build_opener(Http, Https))
    return _opener_cache[0]


def get(url: str, *, timeout: float, max_bytes: int) -> Answer:
    """GET ``url``: its status and body, all within ``timeout`` seconds."""
    phase = "awaiting headers"
    with Deadline(timeout) as deadline:
        try:
            try:
                resp = _opener().open(url, timeout=timeout)
            except urllib.error.HTTPError as exc:  # a status other than 2xx: still an answer
                resp = exc
            phase = "reading body"
            with resp:
                body = _read_capped(resp, max_bytes)
                status = resp.status if hasattr(resp, "status") else resp.code
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired:
                raise FetchError(_timed_out(timeout, phase)) from None
            raise FetchError(_reason(exc)) from None
        if deadline.expired:  # the watchdog cut the body short
            raise FetchError(_timed_out(timeout, phase))
    if len(body) > max_bytes:
        raise FetchError(
            f"the answer is larger than {max_bytes} bytes (set GRAFT_MAX_READ_BYTES to read more)"
        )
    return Answer(status, body)


def _read_capped(resp: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the body, a megabyte at a time."""
    chunks, total = [], 0
    while total <= max_bytes:
        chunk = resp.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _timed_out(timeout: float, phase: str) -> str:
    return f"no complete answer within {timeout:g}s (Client.Timeout exceeded while {phase})"


def _reason(exc: BaseException) -> str:
    """A short, Go-like description of a failed request."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return "connect: connection refused"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "Client.Timeout exceeded while awaiting headers"
    if isinstance(reason, socket.gaierror):
        return f"lookup failed: {reason.strerror or reason}"
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return text[:1].lower() + text[1:]
