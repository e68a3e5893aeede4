"""nats-py on one asyncio event loop, on a thread of its own, for worker threads.

``NatsClient`` owns the loop thread and one connection per server (per
``NatsSettings.connection_key``, ``nats_connection.Server``): operators run on
the scheduler's worker threads, submit a read to the loop and wait for its
answer, so many reads share one connection and are in flight together. nats-py
is imported when the first read starts; the thread starts then too and ends
with ``close()``.

One call of ``kv_get`` / ``object_get`` is one attempt: it connects if there is
no live connection (a lost one is replaced), then reads. Its failures come out
sorted for the backend layer (``nats_failures``; nats-py's own reconnecting is
off, so retries, backoff and the deadline are the layer's).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graftpy.backends.errors import SecretNotFound
from graftpy.backends.nats_connection import Server, quiet
from graftpy.backends.nats_failures import TIMEOUT, NatsFailure, NatsTransient
from graftpy.backends.nats_settings import NatsSettings

log = logging.getLogger("graftpy.backends")
T = TypeVar("T")


class NatsClient:
    def __init__(self, name: str = "nats") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: dict[tuple, Server] = {}  # touched on the loop's thread only
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
                loop.set_exception_handler(quiet)
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

    def _server(self, settings: NatsSettings) -> Server:
        key = settings.connection_key
        server = self._servers.get(key)
        if server is None:
            server = self._servers[key] = Server(settings, self.name)
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
