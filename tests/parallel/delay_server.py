"""A local HTTP server that answers every GET after a fixed delay (tests and benchmarks).

It listens on 127.0.0.1 only, on a free port. The delay is waited in the server's
own handler thread, so the client side sees a slow network service. With
``capacity``, requests beyond that many at once get an immediate 429, like a
throttling secret store. The server stops when its ``with`` block ends, and by
itself after ``max_seconds`` in any case.

``DelayServer`` runs in this process; ``spawn_server`` runs the same server in a
child process, for timing measurements: an in-process server's handlers would
compete with graftpy's threads for the GIL, which a remote service never does.
``GET /__stats`` answers the counters as JSON (and is not counted).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def body_for(path: str, url: Callable[[str], str]) -> str:
    """What a GET of ``path`` returns: a YAML map naming the path.

    ``/link/N`` also names the next link, so a chain of ``load`` calls can each
    fetch the URL the previous one returned.
    """
    path = path.strip("/")
    if path.startswith("link/") and path[5:].isdigit():
        return f"value: {path}\nnext: {url(f'link/{int(path[5:]) + 1}')}\n"
    return f"value: {path}\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default (5) drops bursts of connections: 1 s SYN retries
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner: DelayServer = self.server.owner  # type: ignore[attr-defined]
        if self.path == "/__stats":
            self._answer(200, json.dumps(owner.counters()).encode())
            return
        if owner._enter(self.path):
            self._answer(429, b"slow down\n")
            return
        try:
            owner._stop.wait(owner.delay)  # the delay, in this server thread
            self._answer(200, owner.body(self.path).encode())
        finally:
            owner._leave()

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass


class DelayServer:
    def __init__(
        self, delay: float = 0.05, *, capacity: int | None = None, max_seconds: float = 120.0
    ) -> None:
        self.delay = delay
        self.capacity = capacity
        self.max_seconds = max_seconds
        self.requests = 0
        self.throttled = 0
        self.paths: list[str] = []
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._serve, name="delay-server", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def body(self, path: str) -> str:
        return body_for(path, self.url)

    def counters(self) -> dict[str, int]:
        with self._lock:
            return {"requests": self.requests, "throttled": self.throttled, "peak": self.peak}

    def _serve(self) -> None:
        watchdog = threading.Timer(self.max_seconds, self._httpd.shutdown)
        watchdog.daemon = True
        watchdog.start()
        try:
            self._httpd.serve_forever(poll_interval=0.05)
        finally:
            watchdog.cancel()

    def _enter(self, path: str) -> bool:
        with self._lock:
            self.requests += 1
            self.paths.append(path)
            if self.capacity is not None and self.active >= self.capacity:
                self.throttled += 1
                return True
            self.active += 1
            self.peak = max(self.peak, self.active)
            return False

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1

    def __enter__(self) -> DelayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # answer any delayed request at once
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class RemoteServer:
    """A ``DelayServer`` in a child process, seen through its URL and ``/__stats``."""

    def __init__(self, port: int) -> None:
        self.port = port

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def body(self, path: str) -> str:
        return body_for(path, self.url)

    def counters(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url("__stats"), timeout=10) as resp:
            return json.loads(resp.read())


@contextlib.contextmanager
def spawn_server(
    delay: float = 0.05, *, capacity: int | None = None, max_seconds: float = 120.0
) -> Iterator[RemoteServer]:
    """Run a delay server in a child process for the ``with`` block."""
    args = [sys.executable, __file__, "--delay", str(delay), "--max-seconds", str(max_seconds)]
    if capacity is not None:
        args += ["--capacity", str(capacity)]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the child prints its port once it listens
        if not line.strip().isdigit():
            raise RuntimeError(f"delay server did not start: {line!r}")
        yield RemoteServer(int(line))
    finally:
        if proc.stdin is not None:
            proc.stdin.close()  # the child leaves when its stdin closes
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--capacity", type=int, default=None)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    opts = ap.parse_args()
    with DelayServer(opts.delay, capacity=opts.capacity, max_seconds=opts.max_seconds) as server:
        print(server.port, flush=True)
        done = threading.Thread(target=sys.stdin.read, daemon=True)
        done.start()
        done.join(opts.max_seconds)


if __name__ == "__main__":
    main()
