"""A loopback HTTP server that misbehaves on purpose, for deadline and size tests.

    with HostileServer(interval=0.5) as server:
        server.url("/trickle-headers")   # status line and headers, one byte per interval
        server.url("/trickle-body")      # headers at once, then the body a byte per interval
        server.url("/endless")           # headers at once, then an endless body, fast
        server.url("/silent")            # accepts, reads the request, never answers
        server.url("/json/<text>")       # 200 with the body <text> (URL-decoded), at once

``answers={"/v1/x": '{"data": 5}'}`` answers those exact paths with 200 and that body.

Every path also answers under any prefix (``/v1/secret/data/x`` ending in one of the
names above behaves as that name), so a Vault client pointed at the server meets the
same behaviour. Each connection stops by itself after ``max_seconds`` (default 120)
or when the server is stopped; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse


class HostileServer:
    def __init__(
        self,
        interval: float = 0.5,
        max_seconds: float = 120.0,
        answers: dict[str, str] | None = None,
    ) -> None:
        self.interval = interval
        self.answers = dict(answers or {})
        self.max_seconds = max_seconds
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + "/" + path.lstrip("/")

    def __enter__(self) -> HostileServer:
        self._accept.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._accept.join(timeout=5)
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    # -- serving -----------------------------------------------------------------
    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        started = time.monotonic()
        conn.settimeout(1.0)
        try:
            path = self._read_request(conn)
            if path is None:
                return
            self.requests.append(path)
            name = path.split("?", 1)[0]
            if name in self.answers:
                body = self.answers[name].encode()
                conn.sendall(_head(len(body), "application/json") + body)
            elif "/json/" in name:
                body = urllib.parse.unquote(name.split("/json/", 1)[1]).encode()
                head = _head(len(body), "application/json")
                conn.sendall(head + body)
            elif name.endswith("/trickle-headers"):
                self._trickle(conn, _head(2, "text/yaml") + b"{}", started)
            elif name.endswith("/trickle-body"):
                conn.sendall(_head(10_000, "text/yaml"))
                self._trickle(conn, b"a: " + b"x" * 9_997, started)
            elif name.endswith("/endless"):
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/yaml\r\nConnection: close\r\n\r\n"
                )
                chunk = b"a" * 65536
                while not self._stop.is_set() and time.monotonic() - started < self.max_seconds:
                    conn.sendall(chunk)
            elif name.endswith("/silent"):
                while not self._stop.is_set() and time.monotonic() - started < self.max_seconds:
                    self._stop.wait(0.1)
            else:
                conn.sendall(_head(0, "text/plain", status=b"404 Not Found"))
        except OSError:
            pass  # the client gave up: that is what these tests want
        finally:
            conn.close()

    def _trickle(self, conn: socket.socket, data: bytes, started: float) -> None:
        for i in range(len(data)):
            if self._stop.is_set() or time.monotonic() - started > self.max_seconds:
                return
            conn.sendall(data[i : i + 1])
            self._stop.wait(self.interval)

    def _read_request(self, conn: socket.socket) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                if self._stop.is_set():
                    return None
                continue
            if not chunk:
                return None
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        return parts[1] if len(parts) >= 2 else "/"


def _head(length: int, ctype: str, status: bytes = b"200 OK") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype.encode() + b"\r\n"
        b"Content-Length: " + str(length).encode() + b"\r\nConnection: close\r\n\r\n"
    )
