"""An HTTP proxy that injects faults into a share of the requests it forwards.

    proxy = FaultProxy(upstream="http://127.0.0.1:8200",
                       spec=FaultSpec(throttle=0.2, error=0.1, reset=0.1, delay=0.1)).start()
    ... point the client at proxy.url ...
    proxy.stats   # {"requests": .., "forwarded": .., "throttle": .., "error": .., ...}
    proxy.stop()

Each request draws one fate from a seeded RNG: a 429 answer (``Retry-After: 0``),
a 500 answer, a connection reset (RST, no answer), a delay before forwarding, or
plain forwarding. Fault bodies are JSON that both Vault clients (``errors``) and
botocore (``__type``/``message``) understand.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "host",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
}


@dataclass
class FaultSpec:
    throttle: float = 0.0  # share of requests answered 429
    error: float = 0.0  # share answered 500
    reset: float = 0.0  # share whose connection is reset
    delay: float = 0.0  # share delayed by delay_s before forwarding
    delay_s: float = 0.05
    unavailable: float = 0.0  # share answered 503
    seed: int = 1


class FaultProxy:
    def __init__(self, upstream: str, spec: FaultSpec | None = None) -> None:
        parts = urlsplit(upstream)
        self.up_host, self.up_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.spec = spec or FaultSpec()
        self._rng = random.Random(self.spec.seed)
        self._lock = threading.Lock()
        self.stats: dict[str, int] = {
            "requests": 0,
            "forwarded": 0,
            "throttle": 0,
            "error": 0,
            "reset": 0,
            "delay": 0,
            "unavailable": 0,
        }
        self.paths: dict[str, int] = {}
        self.headers: list[dict[str, str]] = []  # request headers, in arrival order
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def set_spec(self, spec: FaultSpec) -> None:
        with self._lock:
            self.spec = spec
            self._rng = random.Random(spec.seed)

    def fate(self, path: str, headers: dict[str, str]) -> str:
        with self._lock:
            self.headers.append(headers)
            self.stats["requests"] += 1
            self.paths[path] = self.paths.get(path, 0) + 1
            roll = self._rng.random()
            s = self.spec
            for name, share in (
                ("throttle", s.throttle),
                ("unavailable", s.unavailable),
                ("error", s.error),
                ("reset", s.reset),
                ("delay", s.delay),
            ):
                if roll < share:
                    self.stats[name] += 1
                    return name
                roll -= share
            return "forward"

    def count_forwarded(self) -> None:
        with self._lock:
            self.stats["forwarded"] += 1


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fate = self.owner.fate(self.path.split("?")[0], dict(self.headers.items()))
        if fate == "throttle":
            return self._answer(429, "ThrottlingException", "Rate exceeded", retry_after="0")
        if fate == "unavailable":
            return self._answer(503, "ServiceUnavailable", "injected unavailability")
        if fate == "error":
            return self._answer(500, "InternalFailure", "injected failure")
        if fate == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return None
        if fate == "delay":
            time.sleep(self.owner.spec.delay_s)
        self._forward(body)
        return None

    do_GET = do_POST = do_PUT = do_DELETE = do_LIST = do_HEAD = handle_any  # noqa: N815

    def _answer(self, status: int, code: str, message: str, retry_after: str | None = None) -> None:
        payload = json.dumps({"errors": [message], "__type": code, "message": message}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(payload)

    def _forward(self, body: bytes) -> None:
        conn = http.client.HTTPConnection(self.owner.up_host, self.owner.up_port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        headers["Host"] = f"{self.owner.up_host}:{self.owner.up_port}"
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            self.owner.count_forwarded()
            self.send_response(resp.status)
            for key, value in resp.getheaders():
                if key.lower() not in HOP_HEADERS:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        finally:
            conn.close()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()
