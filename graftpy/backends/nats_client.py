"""nats-py on one asyncio event loop, on a thread of its own, for worker threads.

``NatsClient`` owns the loop thread and one connection per server (per
``NatsSettings.connection_key``): operators run on the scheduler's worker
threads, submit a read to the loop and wait for its answer, so many reads share
one connection and are in flight together. nats-py is imported when the first
read starts; the thread starts then too and ends with ``close()``.

One call of ``kv_get`` / ``object_get`` is one attempt: it connects if there is
no live connection (a lost one is replaced), then reads. Its failures come out
sorted for the backend layer (nats-py's own reconnecting is off, so retries,
backoff and the deadline are the layer's):

* ``NatsTransient`` (a ``Transient``): worth another try: no server answered,
  the connection dropped, a timeout, JetStream unavailable (503);
* ``SecretNotFound``: no such bucket, key or object;
* ``NatsFailure`` (a ``BackendError``): a final answer: refused credentials, a
  TLS failure, an invalid key, an object over the size limit.

Their texts are nats.go's where there is one (``nats: key not found``); they
never hold a value, a URL or a credential. ``connecting`` tells whether the
failure happened while connecting (graft words those differently).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graftpy.backends.errors import BackendError, SecretNotFound, Transient
from graftpy.backends.nats_settings import NatsSettings

log = logging.getLogger("graftpy.backends")
T = TypeVar("T")

NO_SERVERS = "nats: no servers available for connection"
TIMEOUT = "nats: timeout"
CLOSED = "nats: connection closed"
WATCH_INTERVAL = 0.05  # how often a waiting read looks whether its connection ended


class NatsTransient(Transient):
    def __init__(self, reason: str, *, connecting: bool = False, **kw: Any) -> None:
        kw.setdefault("outcome", "connection_error")
        super().__init__(reason, **kw)
        self.connecting = connecting


class NatsFailure(BackendError):
    def __init__(self, message: str, *, connecting: bool = False, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.connecting = connecting


class NatsClient:
    def __init__(self, name: str = "nats") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: dict[tuple, _Server] = {}  # touched on the loop's thread only
        self._closed = False

    # -- the loop thread -------------------------------------------------------
    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._closed:
                raise NatsFailure("nats: the client is closed")
            if self._loop is None:
                from graftpy.extras import require

                require("nats", "(( nats ))")  # only runs that read NATS pay for the import

                loop = asyncio.new_event_loop()
                loop.set_exception_handler(_quiet)
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                self._thread = threading.Thread(target=run, name=f"{self.name}-loop", daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    def _run(self, make: Callable[[], Awaitable[T]], timeout: float) -> T:
        """Run ``make()`` on the loop and wait for it (at most ``timeout`` and a grace)."""
        loop = self._start()
        future = asyncio.run_coroutine_threadsafe(_coroutine(make), loop)
        try:
            return future.result(timeout + 1.0)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise NatsTransient(TIMEOUT) from None

    def close(self) -> None:
        """Close every connection and stop the loop thread (idempotent)."""
        with self._lock:
            self._closed = True
            loop, thread, self._loop = self._loop, self._thread, None
        if loop is None:
            return

        async def close_all() -> None:
            await asyncio.gather(
                *(server.close() for server in self._servers.values()), return_exceptions=True
            )
            self._servers.clear()
            # nats-py's own tasks of closed connections: ended before the loop is
            rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in rest:
                task.cancel()
            await asyncio.wait(rest, timeout=1.0) if rest else None

        try:
            asyncio.run_coroutine_threadsafe(close_all(), loop).result(5.0)
        except Exception:  # closing must not fail a finished run
            log.debug("%s: closing the connections failed", self.name, exc_info=True)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5.0)
        if not loop.is_running():
            loop.close()

    @property
    def connections(self) -> int:
        """Connections opened so far in this run (for tests and the debug log)."""
        return sum(server.opened for server in list(self._servers.values()))

    def _server(self, settings: NatsSettings) -> _Server:
        key = settings.connection_key
        server = self._servers.get(key)
        if server is None:
            server = self._servers[key] = _Server(settings, self.name)
        return server

    # -- reads -----------------------------------------------------------------
    def kv_get(self, settings: NatsSettings, bucket: str, key: str, timeout: float) -> bytes:
        async def read() -> bytes:
            server = self._server(settings)
            conn = await server.connection(timeout)
            return await server.within(conn, _kv_entry(conn.js, bucket, key), timeout)

        return self._run(read, timeout)

    def object_get(
        self,
        settings: NatsSettings,
        bucket: str,
        name: str,
        timeout: float,
        limit: int | None,
    ) -> tuple[Any, bytes]:
        """The object's headers and its bytes (refused above ``limit`` bytes)."""

        async def read() -> tuple[Any, bytes]:
            server = self._server(settings)
            conn, store = await server.handle("obj", bucket, timeout)
            info = await server.within(conn, store.get_info(name), timeout)
            if limit is not None and (info.size or 0) > limit:
                raise NatsFailure(_too_large(info.size, limit))
            result = await server.within(conn, store.get(name), timeout)
            data = bytes(result.data or b"")
            if limit is not None and len(data) > limit:  # a link to a larger object
                raise NatsFailure(_too_large(len(data), limit))
            if not _complete(result.info, data):
                # nats-py returns what it has when the connection drops mid-object
                raise NatsTransient("nats: object read cut short")
            return result.info.headers, data

        return self._run(read, timeout)


STREAM_NOT_FOUND = 10059  # JetStream's error codes
NO_MESSAGE_FOUND = 10037


async def _kv_entry(js: Any, bucket: str, key: str) -> bytes:
    """The last value of ``key``: one STREAM.MSG.GET request (nats-py's KeyValue
    first asks for the stream's info, a round trip more, and answers a missing
    bucket as a missing key)."""
    import nats.js.errors as je

    subject = f"$KV.{bucket}.{key}"
    try:
        msg = await js.get_msg(f"KV_{bucket}", subject=subject)
    except je.NotFoundError as exc:
        if exc.err_code == STREAM_NOT_FOUND:
            raise SecretNotFound("nats: bucket not found") from None
        raise SecretNotFound("nats: key not found") from None
    operation = (msg.headers or {}).get("KV-Operation")
    if msg.subject != subject or operation in ("DEL", "PURGE"):
        raise SecretNotFound("nats: key not found")  # deleted or purged
    return bytes(msg.data or b"")


def _close_quietly(request: Any) -> None:
    """A request coroutine never awaited: closed, so it is not reported as such."""
    close = getattr(request, "close", None)
    if close is not None:
        close()


def _quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's exception handler: nats-py's background tasks of a dropped
    connection may end in an error nobody awaits; that is a debug line, never a
    traceback on the user's terminal."""
    exc = context.get("exception")
    log.debug("nats: %s (%s)", context.get("message"), type(exc).__name__ if exc else "-")


def _settle(nc: Any) -> None:
    """Collect the outcome of a closed connection's own tasks (nats-py leaves the
    read loop's error unretrieved when the socket was reset under it)."""
    for name in ("_reading_task", "_flusher_task", "_ping_interval_task"):
        task = getattr(nc, name, None)
        if task is not None and task.done() and not task.cancelled():
            task.exception()


def _complete(info: Any, data: bytes) -> bool:
    """Whether ``data`` is all of the object: its size and SHA-256 digest match."""
    import base64
    import hashlib

    if len(data) != (info.size or 0):
        return False
    digest = (info.digest or "").partition("=")[2]
    if not digest:
        return True  # an object stored without a digest: the size is all we can check
    try:
        expected = base64.urlsafe_b64decode(digest + "=" * (-len(digest) % 4))
    except ValueError:
        return False
    return hashlib.sha256(data).digest() == expected


def _too_large(size: int, limit: int) -> str:
    return (
        f"object too large for processing: {size} bytes (the limit is {limit} bytes, "
        "twice NATS_STREAMING_THRESHOLD)"
    )


async def _coroutine(make: Callable[[], Awaitable[T]]) -> T:
    return await make()


class _Connection:
    """One nats-py connection, its JetStream context and the bucket handles made
    over it. ``end()`` marks it lost (the server's doing or ours) and fails the
    reads waiting on it at once."""

    def __init__(self, nc: Any, timeout: float) -> None:
        self.nc = nc
        self.js = nc.jetstream(timeout=timeout)
        self.lost = asyncio.Event()
        self.handles: dict[tuple[str, str], Any] = {}  # a handle, or the error
        self.locks: dict[tuple[str, str], asyncio.Lock] = {}
        self.pending: set[asyncio.Task] = set()  # reads waiting on an answer
        self._watchdog: asyncio.Task | None = None

    @property
    def usable(self) -> bool:
        return not self.lost.is_set() and self.nc.is_connected

    def end(self) -> None:
        if not self.lost.is_set():
            self.lost.set()
            for task in list(self.pending):
                task.cancel()

    def track(self, task: asyncio.Task) -> None:
        """``task`` is a read waiting on this connection (watched while it waits)."""
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        # nats-py can mark a connection closed well before it calls back (its close
        # waits on the socket): one look every WATCH_INTERVAL while reads wait
        while self.pending and not self.lost.is_set():
            await asyncio.sleep(WATCH_INTERVAL)
            if not self.nc.is_connected:
                self.end()


class _Server:
    """One server's current connection (on the loop's thread only)."""

    def __init__(self, settings: NatsSettings, name: str) -> None:
        self.settings = settings
        self.name = name
        self.current: _Connection | None = None
        self.opened = 0
        self._connecting: asyncio.Lock | None = None

    async def connection(self, timeout: float) -> _Connection:
        if self.current is not None and self.current.usable:
            return self.current
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self.current is not None and self.current.usable:
                return self.current
            await self._drop(self.current)
            self.current = await self._connect(timeout)
            return self.current

    async def _connect(self, timeout: float) -> _Connection:
        import nats
        import nats.errors as ne

        ended: list[_Connection] = []  # filled once connected: the callbacks need it

        async def on_error(exc: Exception) -> None:
            log.debug("%s: connection error: %s", self.name, type(exc).__name__)

        async def on_end() -> None:
            for conn in ended:
                conn.end()

        s = self.settings
        try:
            nc = await asyncio.wait_for(
                nats.connect(
                    servers=[u.strip() for u in s.url.split(",") if u.strip()],
                    name="graftpy",
                    connect_timeout=timeout,
                    allow_reconnect=False,  # the backend layer retries
                    max_reconnect_attempts=1,  # (0 would mean: try forever)
                    reconnect_time_wait=0,
                    error_cb=on_error,
                    disconnected_cb=on_end,
                    closed_cb=on_end,
                    tls=_tls_context(s),
                    verbose=False,
                ),
                timeout * 2,
            )
        except ne.AuthorizationError:
            raise NatsFailure("nats: authorization violation", connecting=True) from None
        except ne.NoServersError:
            raise NatsTransient(NO_SERVERS, connecting=True) from None
        except (TimeoutError, ne.TimeoutError):
            raise NatsTransient(TIMEOUT, connecting=True) from None
        except NatsFailure:
            raise
        except Exception as exc:
            raise _connect_failure(exc) from None
        conn = _Connection(nc, timeout)
        ended.append(conn)
        if not nc.is_connected:  # it ended before we got here
            conn.end()
        self.opened += 1
        if s.tls and not nc._server_info.get("tls_required", False):
            await self._drop(conn)
            raise NatsFailure("nats: secure connection not available", connecting=True)
        return conn

    async def _drop(self, conn: _Connection | None) -> None:
        """End ``conn``: reads still waiting on it fail at once; if it is the
        current connection the next read makes a new one (a read that failed on
        an older connection leaves a newer one alone)."""
        if conn is None:
            return
        conn.end()
        if conn is self.current:
            self.current = None
        if not conn.nc.is_closed:
            try:
                await asyncio.wait_for(conn.nc.close(), 2.0)
            except Exception:
                log.debug("%s: closing a lost connection failed", self.name, exc_info=True)
        _settle(conn.nc)

    async def handle(self, kind: str, bucket: str, timeout: float) -> tuple[_Connection, Any]:
        """A connection and the bucket's KeyValue / ObjectStore on it, looked up once
        per connection (a missing bucket too: its keys are then answered at once)."""
        conn = await self.connection(timeout)
        key = (kind, bucket)
        lock = conn.locks.get(key)
        if lock is None:
            lock = conn.locks[key] = asyncio.Lock()
        async with lock:
            if key not in conn.handles:
                js = conn.js
                lookup = js.key_value(bucket) if kind == "kv" else js.object_store(bucket)
                try:
                    conn.handles[key] = await self.within(conn, lookup, timeout)
                except (SecretNotFound, NatsFailure) as exc:
                    conn.handles[key] = exc
            found = conn.handles[key]
        if isinstance(found, Exception):
            raise copy.copy(found)  # one exception object per raise: tracebacks stay apart
        return conn, found

    async def within(self, conn: _Connection, request: Awaitable[T], timeout: float) -> T:
        """``request``'s answer over ``conn``, unless it takes longer than ``timeout``
        or the connection ends first; nats-py's exceptions sorted for the backend."""
        if not conn.usable:
            _close_quietly(request)
            await self._drop(conn)
            raise NatsTransient(CLOSED)
        task = asyncio.ensure_future(request)
        conn.track(task)
        try:
            async with asyncio.timeout(timeout):
                return await task
        except TimeoutError:  # ours (the task is cancelled with it), or nats-py's own
            if conn.lost.is_set():
                await self._drop(conn)
                raise NatsTransient(CLOSED) from None
            if not await self._alive(conn, timeout):  # silent: the next try makes a new one
                await self._drop(conn)
            raise NatsTransient(TIMEOUT) from None
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if conn.lost.is_set() and current is not None and not current.cancelling():
                await self._drop(conn)  # the connection ended under the read
                raise NatsTransient(CLOSED) from None
            raise
        except Exception as exc:
            failure = _request_failure(exc)
            if isinstance(failure, NatsTransient) and failure.reason == CLOSED:
                await self._drop(conn)
            raise failure from None

    async def _alive(self, conn: _Connection, timeout: float) -> bool:
        """Whether the server still answers a PING (JetStream may be slow while the
        connection is fine: then it is kept for the other reads in flight)."""
        if not conn.usable:
            return False
        try:
            await conn.nc.flush(timeout=max(timeout, 0.05))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        await self._drop(self.current)


def _tls_context(s: NatsSettings) -> Any:
    """An SSL context when TLS is asked for (or a TLS file is named); else nats-py's
    default, which it uses for a server that requires TLS."""
    if not (s.tls or s.ca_file or s.cert_file or s.insecure_skip_verify):
        return None
    import os
    import ssl

    for path in (s.ca_file, s.cert_file, s.key_file):
        if path and not os.path.isfile(path):
            raise NatsFailure(f"nats: TLS file not found: {path}", connecting=True)
    try:
        context = ssl.create_default_context(cafile=s.ca_file or None)
        if s.cert_file and s.key_file:
            context.load_cert_chain(s.cert_file, s.key_file)
    except (ssl.SSLError, OSError) as exc:
        raise NatsFailure(
            f"nats: TLS files could not be loaded: {getattr(exc, 'reason', None) or exc}",
            connecting=True,
        ) from None
    if s.insecure_skip_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _connect_failure(exc: Exception) -> BackendError | Transient:
    import ssl

    if isinstance(exc, ssl.SSLCertVerificationError):
        return NatsFailure(
            f"nats: TLS: certificate verification failed: {exc.verify_message}", connecting=True
        )
    if isinstance(exc, ssl.SSLError):
        return NatsFailure(f"nats: TLS: {exc.reason or 'handshake failed'}", connecting=True)
    if isinstance(exc, OSError | EOFError):
        return NatsTransient(NO_SERVERS, connecting=True)
    text = str(exc) if str(exc).startswith("nats:") else f"nats: {type(exc).__name__}"
    return NatsFailure(text, connecting=True)


def _request_failure(exc: Exception) -> Exception:
    import nats.errors as ne
    import nats.js.errors as je

    if isinstance(exc, NatsFailure | NatsTransient | SecretNotFound):
        return exc
    if isinstance(exc, je.BucketNotFoundError):
        return SecretNotFound("nats: bucket not found")
    if isinstance(exc, je.KeyNotFoundError | je.KeyDeletedError):
        return SecretNotFound("nats: key not found")
    if isinstance(exc, je.ObjectNotFoundError | je.ObjectDeletedError):
        return SecretNotFound("nats: object not found")
    if isinstance(exc, je.NotFoundError):  # a stream or message behind the bucket
        return SecretNotFound("nats: not found")
    if isinstance(exc, je.InvalidKeyError):
        return NatsFailure("nats: invalid key")
    if isinstance(exc, je.InvalidBucketNameError):
        return NatsFailure("nats: invalid bucket name")
    if isinstance(exc, je.InvalidObjectNameError):
        return NatsFailure("nats: invalid object name")
    if isinstance(exc, je.DigestMismatchError):  # the object changed while we read it
        return NatsTransient("nats: received a corrupt object, digests do not match")
    if isinstance(exc, je.ServiceUnavailableError) or (
        isinstance(exc, je.APIError) and exc.code == 503
    ):
        # JetStream's 503: overloaded or between leaders; like an HTTP 503, a signal
        # to slow down (the adaptive strategy halves the backend's share)
        return NatsTransient("nats: jetstream unavailable", status=503, throttled=True)
    if isinstance(exc, ne.NoRespondersError):
        return NatsTransient("nats: jetstream not enabled", status=503, outcome="server_error")
    if isinstance(exc, je.APIError):
        return NatsFailure(
            f"nats: API error {exc.code or ''} {exc.description or type(exc).__name__}".replace(
                "  ", " "
            ),
            status=exc.code,
        )
    if isinstance(exc, TimeoutError | ne.TimeoutError):
        return NatsTransient(TIMEOUT)
    if isinstance(
        exc,
        ne.ConnectionClosedError
        | ne.StaleConnectionError
        | ne.ConnectionReconnectingError
        | ne.ConnectionDrainingError
        | OSError,
    ):
        return NatsTransient(CLOSED)
    if isinstance(exc, ne.AuthorizationError):
        return NatsFailure("nats: authorization violation")
    if isinstance(exc, ne.Error):
        text = str(exc)
        return NatsFailure(text if text.startswith("nats:") else f"nats: {type(exc).__name__}")
    return exc  # a bug: not dressed up as an answer
