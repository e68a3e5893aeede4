"""One NATS server's connection, on the client's event loop (its thread only).

``_Server.connection()`` gives the live connection, making one when there is none
(a lost one is replaced; several reads waiting for it share the making).
``within()`` waits for one request's answer, unless the timeout passes or the
connection ends first: a connection nats-py marks closed, or one that no longer
answers a PING after a timeout, is dropped, so the next attempt makes a new one.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from graftpy.backends.errors import SecretNotFound
from graftpy.backends.nats_failures import (
    CLOSED,
    NO_SERVERS,
    TIMEOUT,
    NatsFailure,
    NatsTransient,
    connect_failure,
    request_failure,
)
from graftpy.backends.nats_settings import NatsSettings

log = logging.getLogger("graftpy.backends")
T = TypeVar("T")
WATCH_INTERVAL = 0.05  # how often a waiting read looks whether its connection ended


class Connection:
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


class Server:
    """One server's current connection (on the loop's thread only)."""

    def __init__(self, settings: NatsSettings, name: str) -> None:
        self.settings = settings
        self.name = name
        self.current: Connection | None = None
        self.opened = 0
        self._connecting: asyncio.Lock | None = None

    async def connection(self, timeout: float) -> Connection:
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

    async def _connect(self, timeout: float) -> Connection:
        import nats
        import nats.errors as ne

        ended: list[Connection] = []  # filled once connected: the callbacks need it

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
            raise connect_failure(exc) from None
        conn = Connection(nc, timeout)
        ended.append(conn)
        if not nc.is_connected:  # it ended before we got here
            conn.end()
        self.opened += 1
        if s.tls and not nc._server_info.get("tls_required", False):
            await self._drop(conn)
            raise NatsFailure("nats: secure connection not available", connecting=True)
        return conn

    async def _drop(self, conn: Connection | None) -> None:
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
        settle(conn.nc)

    async def handle(self, kind: str, bucket: str, timeout: float) -> tuple[Connection, Any]:
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

    async def within(self, conn: Connection, request: Awaitable[T], timeout: float) -> T:
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
            failure = request_failure(exc)
            if isinstance(failure, NatsTransient) and failure.reason == CLOSED:
                await self._drop(conn)
            raise failure from None

    async def _alive(self, conn: Connection, timeout: float) -> bool:
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


def _close_quietly(request: Any) -> None:
    """A request coroutine never awaited: closed, so it is not reported as such."""
    close = getattr(request, "close", None)
    if close is not None:
        close()


def quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's exception handler: nats-py's background tasks of a dropped
    connection may end in an error nobody awaits; that is a debug line, never a
    traceback on the user's terminal."""
    exc = context.get("exception")
    log.debug("nats: %s (%s)", context.get("message"), type(exc).__name__ if exc else "-")


def settle(nc: Any) -> None:
    """Collect the outcome of a closed connection's own tasks (nats-py leaves the
    read loop's error unretrieved when the socket was reset under it)."""
    for name in ("_reading_task", "_flusher_task", "_ping_interval_task"):
        task = getattr(nc, name, None)
        if task is not None and task.done() and not task.cancelled():
            task.exception()
