"""A TCP proxy that adds network latency, pipelined, for protocols that are not HTTP.

    proxy = TcpDelayProxy(("127.0.0.1", 4222), delay=0.020).start()
    ... point the client at proxy.url ...
    proxy.stop()    # proxy.stats: connections, chunks relayed

Every byte the client sends reaches the server ``delay`` seconds later, and a new
connection costs ``delay`` before it is opened (a handshake round trip): each
request/answer exchange costs one extra ``delay``, as over a network whose round
trip is ``delay``. Unlike ``../shared/bench/latency_proxy.py --mode chunk``, which
sleeps before relaying each chunk and so serialises one connection's chunks (a
second request written during the sleep waits for a second delay), chunks here
are timestamped on arrival and released in order when due: requests multiplexed
on one connection overlap, as they do on a real link. Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class TcpDelayProxy:
    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        self.upstream = upstream
        self.delay = delay
        self.stats = {"connections": 0, "chunks": 0}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> TcpDelayProxy:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            loop.set_exception_handler(lambda _loop, _context: None)  # cut connections: quiet
            self._loop = loop
            self._server = loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="tcp-delay-proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        self.stats["connections"] += 1
        u_writer = None
        try:
            await asyncio.sleep(self.delay)  # the handshake's round trip
            u_reader, u_writer = await asyncio.open_connection(*self.upstream)
            await asyncio.gather(self._delayed(c_reader, u_writer), self._plain(u_reader, c_writer))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (c_writer, u_writer):
                if w is not None:
                    with contextlib.suppress(Exception):
                        w.close()

    async def _delayed(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        async def release() -> None:
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            with contextlib.suppress(OSError, RuntimeError):
                writer.write_eof()

        sender = asyncio.create_task(release())
        try:
            while True:
                data = await reader.read(65536)
                self.stats["chunks"] += 1
                queue.put_nowait((loop.time() + self.delay, data or None))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()

    async def _plain(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError, RuntimeError):
            writer.write_eof()
