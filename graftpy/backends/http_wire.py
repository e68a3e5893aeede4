"""One HTTP/1.1 connection: send a request, read its answer, keep the socket alive.

``http_session.PooledSession`` talks to Vault through these. ``http.client`` would
do, but it parses every answer's headers with the ``email`` package: on this
project's reference machine 0.30 ms of CPU per Vault read against 0.10 ms for the
same exchange read here, under the GIL, 500 times in a run that reads 500 secrets.

What an answer may be is what HTTP/1.1 allows a server to send to a GET, PUT,
POST, DELETE or LIST: interim ``1xx`` answers (skipped), a body sized by
``Content-Length``, sent ``chunked`` or ending with the connection, or none (HEAD,
204, 304). Sizes are bounded (``MAX_HEAD``, ``MAX_BODY``): a hostile server cannot
make a run hold more. A server that answers something that is not HTTP, or closes
the connection mid-answer, raises ``BrokenAnswer``, an ``OSError`` like the
socket's own failures. ``exchange(..., until=t)`` bounds the whole exchange by the
monotonic time ``t``: the send and every read wait at most what is left of it, so a
server trickling its answer a byte at a time cannot stretch it (``TimeoutError``).
Without ``until``, each socket operation has the socket's own timeout.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from typing import NamedTuple

MAX_HEAD = 64 * 1024  # the status line and headers of one answer
MAX_BODY = 64 * 1024 * 1024  # one answer's body: a Vault secret is kilobytes
_READ = 64 * 1024


class BrokenAnswer(OSError):
    """The server's answer is not HTTP/1.x, or stopped short."""


class Headers(dict):
    """An answer's headers by lower-case name; ``get`` takes any case (as requests')."""

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)


class Answer(NamedTuple):
    status: int
    reason: str
    headers: Headers
    body: bytes
    keep_alive: bool  # the connection may carry another request


class Connection:
    """A connection to one server, opened on first use (or handed one connected socket)."""

    def __init__(
        self,
        host: str,
        port: int,
        tls: ssl.SSLContext | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self._tls = tls
        self._plain = sock  # connected ahead (``PooledSession``), TLS not yet on it
        self.sock: socket.socket | None = None
        self._buffer = bytearray()
        self._until: float | None = None  # the monotonic time the exchange must end by
        default = 443 if tls is not None else 80
        name = f"[{host}]" if ":" in host else host
        self._host_header = name if port == default else f"{name}:{port}"

    # -- the socket ---------------------------------------------------------------
    def connect(self, timeout: float | None = None, until: float | None = None) -> None:
        """Open the socket (TCP, then TLS) unless it is open; either way, the socket's
        timeout becomes ``timeout`` (a kept-alive connection serves requests with
        different timeouts: a retry gets what is left of its budget). With ``until``
        (a monotonic time), the TLS handshake gets what the TCP connect left of it, and
        an open socket is left as it is: the exchange gives each operation its time."""
        if self.sock is not None:
            if until is None:
                self.sock.settimeout(timeout)
            return
        sock, self._plain = self._plain, None
        if sock is None:
            sock = socket.create_connection((self.host, self.port), timeout)
        try:  # a socket not handed on is closed here: nothing else holds it
            sock.settimeout(timeout if until is None else _left(until))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock

    def idle_and_open(self) -> bool:
        """Whether this kept-alive connection can carry a request: still open, and
        nothing arrived on it since its last answer (the server's close, or stray bytes)."""
        if self._buffer:
            return False
        sock = self.sock if self.sock is not None else self._plain
        if sock is None:
            return False
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return False
        try:
            readable, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def close(self) -> None:
        for sock in (self.sock, self._plain):
            if sock is not None:
                sock.close()
        self.sock = self._plain = None
        self._buffer.clear()

    # -- one exchange -----------------------------------------------------------------
    def exchange(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes | None,
        until: float | None = None,
    ) -> Answer:
        """Send one request and read its whole answer (the socket must be open), all
        of it by the monotonic time ``until`` if given."""
        if self.sock is None:
            raise BrokenAnswer("not connected")
        self._until = until
        self._budget()
        self.sock.sendall(self._request(method, target, headers, body))
        while True:
            status, reason, version, answer_headers = self._head()
            if not 100 <= status < 200 or status == 101:
                break  # 1xx but 101 are interim: the answer follows
        keep_alive = _keeps_alive(version, answer_headers)
        if method == "HEAD" or status in (101, 204, 304):
            content = b""
        elif "chunked" in answer_headers.get("transfer-encoding", "").lower():
            content = self._chunked()
        elif "content-length" in answer_headers:
            content = self._exactly(_length(answer_headers["content-length"]))
        else:  # the body ends with the connection
            content, keep_alive = self._until_closed(), False
        return Answer(status, reason, answer_headers, content, keep_alive)

    def _request(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None
    ) -> bytes:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host_header}"]
        names = {name.lower() for name in headers}
        for name, value in headers.items():
            value = str(value)
            if any(c in name for c in "\r\n:") or "\r" in value or "\n" in value:
                raise ValueError(f"invalid HTTP header {name!r}")  # no header injection
            lines.append(f"{name}: {value}")
        if "accept-encoding" not in names:
            lines.append("Accept-Encoding: identity")
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head + body if body else head

    def _head(self) -> tuple[int, str, str, Headers]:
        # the whole head taken at once and split here: a line at a time costs a
        # buffer search and copy per header, 500 times in a run that reads 500 secrets
        block, complete = self._head_block()
        if not block:
            raise BrokenAnswer("Remote end closed connection without response")
        first, _, rest = block.decode("latin-1").partition("\n")
        parts = first.rstrip("\r").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise BrokenAnswer(f"not an HTTP answer: {block[:40]!r}")
        if not complete:
            raise BrokenAnswer("connection closed in the answer's headers")
        status, reason = int(parts[1]), parts[2] if len(parts) > 2 else ""
        headers = Headers()
        last = ""
        for line in rest.split("\n")[:-2]:  # what follows the last header's end: b"\r\n"
            text = line.rstrip("\r")
            if text[:1] in (" ", "\t") and last:  # an old-style continuation line
                headers[last] = f"{headers[last]} {text.strip()}"
                continue
            name, sep, value = text.partition(":")
            if not sep:
                raise BrokenAnswer(f"not an HTTP header: {text[:40]!r}")
            last = name.strip().lower()
            value = value.strip()
            headers[last] = f"{headers[last]}, {value}" if last in headers else value
        return status, reason, parts[0], headers

    def _head_block(self) -> tuple[bytes, bool]:
        """The status line and headers up to and with the empty line that ends them,
        and whether that line came (False: the connection ended first)."""
        start = 0
        while True:
            end = _end_of_head(self._buffer, start)
            if end >= 0:
                block = bytes(self._buffer[:end])
                del self._buffer[:end]
                if len(block) > MAX_HEAD:
                    raise BrokenAnswer(f"answer headers longer than {MAX_HEAD} bytes")
                return block, True
            if len(self._buffer) > MAX_HEAD:
                raise BrokenAnswer(f"answer headers longer than {MAX_HEAD} bytes")
            start = max(0, len(self._buffer) - 2)  # an end may straddle two reads
            if not self._fill():
                block = bytes(self._buffer)
                self._buffer.clear()
                return block, False

    def _chunked(self) -> bytes:
        parts = bytearray()
        while True:
            line = self._line()
            if not line.endswith(b"\n"):
                raise BrokenAnswer("connection closed in a chunked answer")
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise BrokenAnswer(f"bad chunk size {size_text[:20]!r}") from None
            if size == 0:
                break
            if size < 0 or len(parts) + size > MAX_BODY:
                raise BrokenAnswer(f"answer body larger than {MAX_BODY} bytes")
            parts += self._exactly(size)
            self._exactly(2)  # the chunk's CRLF
        while self._line() not in (b"\r\n", b"\n", b""):  # trailers: not used
            pass
        return bytes(parts)

    def _exactly(self, size: int) -> bytes:
        if size > MAX_BODY:
            raise BrokenAnswer(f"answer body larger than {MAX_BODY} bytes")
        while len(self._buffer) < size:
            if not self._fill():
                raise BrokenAnswer(f"answer cut short: {len(self._buffer)} of {size} bytes")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _until_closed(self) -> bytes:
        while self._fill():
            if len(self._buffer) > MAX_BODY:
                raise BrokenAnswer(f"answer body larger than {MAX_BODY} bytes")
        data = bytes(self._buffer)
        self._buffer.clear()
        return data

    def _line(self) -> bytes:
        """One line with its end (b"" at the connection's end), at most ``MAX_HEAD`` long."""
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if len(self._buffer) > MAX_HEAD:
                raise BrokenAnswer(f"answer line longer than {MAX_HEAD} bytes")
            start = len(self._buffer)
            if not self._fill():
                line = bytes(self._buffer)
                self._buffer.clear()
                return line

    def _budget(self) -> None:
        """Give the next socket operation what is left of the exchange's time."""
        if self._until is not None:
            self.sock.settimeout(_left(self._until))  # type: ignore[union-attr]

    def _fill(self) -> bool:
        """Read what the server sent next into the buffer; False at the connection's end."""
        assert self.sock is not None
        self._budget()
        data = self.sock.recv(_READ)
        self._buffer += data
        return bool(data)


def _left(until: float) -> float:
    """Seconds until the monotonic time ``until``; ``TimeoutError`` once it has passed."""
    left = until - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


def _end_of_head(buffer: bytearray, start: int) -> int:
    """Where the head in ``buffer`` ends (after its empty line), or -1: lines may end
    with CRLF or, from a lax server, LF alone."""
    crlf, lf = buffer.find(b"\n\r\n", start), buffer.find(b"\n\n", start)
    ends = [i + n for i, n in ((crlf, 3), (lf, 2)) if i >= 0]
    return min(ends) if ends else -1


def _keeps_alive(version: str, headers: Headers) -> bool:
    connection = headers.get("connection", "").lower()
    if version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


def _length(text: str) -> int:
    # several identical values (``5, 5``) are allowed; differing ones are not
    values = {value.strip() for value in text.split(",")}
    if len(values) != 1 or not next(iter(values)).isdigit():
        raise BrokenAnswer(f"bad Content-Length {text[:20]!r}")
    return int(values.pop())
