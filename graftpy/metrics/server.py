"""The metrics HTTP server: ``/metrics``, ``/metrics/json`` and ``/health``.

It listens on 127.0.0.1 by default, answers from a daemon thread, and stops
with ``stop()``. Several runs of one process may share a server: ``acquire`` /
``release`` count its users, and the server stops when the last one leaves
(``Metrics.serve`` pins it for a library user until ``stop``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from graftpy.metrics.config import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    from graftpy.metrics import Metrics


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a scrape in progress never keeps the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: MetricsServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.owner = owner
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        try:
            if path == "/metrics":
                self._metrics(owner)
            elif path == "/metrics/json":
                body = json.dumps(owner.metrics.to_json(), indent=2, sort_keys=False) + "\n"
                self._answer(200, body.encode(), "application/json")
            elif path == "/health":
                health = {"status": "ok", "uptime_seconds": time.monotonic() - owner.started}
                self._answer(200, json.dumps(health).encode() + b"\n", "application/json")
            else:
                self._answer(404, b"not found: try /metrics, /metrics/json or /health\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the scraper went away

    def _metrics(self, owner: MetricsServer) -> None:
        from prometheus_client.exposition import choose_encoder

        encoder, content_type = choose_encoder(self.headers.get("Accept", ""))
        self._answer(200, encoder(owner.metrics.registry), content_type)

    def _answer(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass  # scrapes are not news


class MetricsServer:
    """Serves one ``Metrics`` over HTTP; ``port=0`` picks a free port (see ``.port``)."""

    def __init__(self, metrics: Metrics, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
        self.metrics = metrics
        self.host = host
        self.requested_port = port
        self.started = time.monotonic()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._users = 0
        self._lock = threading.Lock()
        self.stopped = threading.Event()  # set by stop(): a lingering run stops waiting

    @property
    def port(self) -> int:
        if self._httpd is None:
            return self.requested_port
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def start(self) -> MetricsServer:
        """Bind and serve; raises ``OSError`` when the address cannot be had."""
        with self._lock:
            if self._httpd is None:
                self._httpd = _HTTPServer((self.host, self.requested_port), self)
                self.stopped.clear()
                self.started = time.monotonic()
                self._thread = threading.Thread(
                    target=self._httpd.serve_forever,
                    kwargs={"poll_interval": 0.1},
                    name="graftpy-metrics-server",
                    daemon=True,
                )
                self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (idempotent)."""
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
            self._users = 0
        self.stopped.set()
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self.metrics._server_stopped(self)

    def acquire(self) -> MetricsServer:
        with self._lock:
            self._users += 1
        return self

    def release(self) -> None:
        """One user is done; the last one stops the server."""
        with self._lock:
            self._users -= 1
            last = self._users <= 0
        if last:
            self.stop()

    def __enter__(self) -> MetricsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
