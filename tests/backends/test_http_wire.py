"""One HTTP/1.1 connection (graftpy.backends.http_wire), against a server on loopback
that answers each request with bytes the test chose: every shape of answer a server
may send, and the broken ones a hostile or failing server sends."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from graftpy.backends.http_wire import MAX_BODY, MAX_HEAD, BrokenAnswer, Connection


class Scripted:
    """Accepts connections; answers the n-th request of each with ``answers[n]``
    (then closes when ``close_after`` says so). Keeps every request it read."""

    def __init__(self, answers: list[bytes], close_after: bool = False) -> None:
        self.answers = answers
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            buffer = b""
            for answer in self.answers:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = _content_length(head)
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + buffer[:length])
                buffer = buffer[length:]
                conn.sendall(answer)
            if not self.close_after:
                conn.recv(1)  # hold the connection open until the client closes it

    def close(self) -> None:
        self.listener.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@pytest.fixture
def serve() -> Iterator:
    servers: list[Scripted] = []

    def start(*answers: bytes, close_after: bool = False) -> Connection:
        server = Scripted(list(answers), close_after)
        servers.append(server)
        conn = Connection("127.0.0.1", server.port)
        conn.connect(5)
        conn.server = server  # type: ignore[attr-defined]
        return conn

    yield start
    for server in servers:
        server.close()


def ok(body: bytes, *extra: bytes) -> bytes:
    head = [
        b"HTTP/1.1 200 OK",
        b"Content-Type: application/json",
        b"Content-Length: %d" % len(body),
    ]
    return b"\r\n".join([*head, *extra]) + b"\r\n\r\n" + body


def test_an_answer_sized_by_content_length_and_the_request_sent(serve) -> None:
    conn = serve(ok(b'{"a": 1}'))
    answer = conn.exchange("GET", "/v1/x?y=1", {"X-Vault-Token": "t"}, None)
    assert (answer.status, answer.reason, answer.body, answer.keep_alive) == (
        200,
        "OK",
        b'{"a": 1}',
        True,
    )
    assert answer.headers.get("content-type") == answer.headers.get("Content-Type")
    sent = conn.server.requests[0].decode()  # type: ignore[attr-defined]
    assert sent.startswith("GET /v1/x?y=1 HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{conn.port}\r\n" in sent
    assert "X-Vault-Token: t\r\n" in sent and "Accept-Encoding: identity\r\n" in sent
    assert "Content-Length" not in sent  # a GET without a body says nothing of one


def test_a_body_is_sent_with_its_length(serve) -> None:
    conn = serve(ok(b"{}"), ok(b"{}"))
    conn.exchange("POST", "/v1/x", {"Content-Type": "application/json"}, b'{"k": "v"}')
    conn.exchange("PUT", "/v1/y", {}, None)
    first, second = (r.decode() for r in conn.server.requests)  # type: ignore[attr-defined]
    assert first.endswith('Content-Length: 10\r\n\r\n{"k": "v"}')
    assert "Content-Length: 0\r\n" in second


def test_requests_follow_one_another_on_one_connection(serve) -> None:
    conn = serve(ok(b"one"), ok(b"two"), ok(b"three"))
    bodies = [conn.exchange("GET", f"/{i}", {}, None).body for i in range(3)]
    assert bodies == [b"one", b"two", b"three"]
    assert conn.server.connections == 1  # type: ignore[attr-defined]
    assert conn.idle_and_open()


def test_each_request_on_a_kept_alive_connection_gets_its_own_timeout(serve) -> None:
    conn = serve(ok(b"one"), ok(b"two"))  # connected with a 5 s timeout
    conn.exchange("GET", "/1", {}, None)
    conn.connect(0.5)  # a retry with half a second of its budget left
    assert conn.sock is not None and conn.sock.gettimeout() == 0.5
    assert conn.exchange("GET", "/2", {}, None).body == b"two"
    assert conn.server.connections == 1  # type: ignore[attr-defined]


def test_an_exchange_ends_by_its_time_however_slowly_the_answer_trickles() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:  # reads the request, then sends its answer a byte every 50 ms
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            for byte in ok(b"x" * 100):
                if stop.wait(0.05):
                    return
                conn.sendall(bytes([byte]))

    threading.Thread(target=trickle, daemon=True).start()
    conn = Connection("127.0.0.1", listener.getsockname()[1])
    conn.connect(5)  # each read alone would wait up to 5 s, and each gets a byte in 50 ms
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError):
            conn.exchange("GET", "/", {}, None, until=started + 0.5)
        took = time.monotonic() - started
    finally:
        stop.set()
        conn.close()
        listener.close()
    assert 0.45 <= took < 1.5, took  # the answer takes 8 s to come in full


def test_a_chunked_answer_with_extensions_and_trailers(serve) -> None:
    body = b"5;name=x\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    conn = serve(head + body, ok(b"next"))
    assert conn.exchange("GET", "/", {}, None).body == b"hello, world"
    assert conn.exchange("GET", "/", {}, None).body == b"next"  # the trailers were consumed


def test_interim_answers_are_skipped(serve) -> None:
    conn = serve(b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"done"))
    answer = conn.exchange("GET", "/", {}, None)
    assert (answer.status, answer.body) == (200, b"done")


def test_answers_without_a_body(serve) -> None:
    conn = serve(
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n",  # HEAD: the length of what GET sends
        ok(b"after"),
    )
    assert conn.exchange("DELETE", "/", {}, None).body == b""
    assert conn.exchange("HEAD", "/", {}, None).body == b""
    assert conn.exchange("GET", "/", {}, None).body == b"after"


def test_a_body_ending_with_the_connection(serve) -> None:
    conn = serve(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", close_after=True)
    answer = conn.exchange("GET", "/", {}, None)
    assert (answer.body, answer.keep_alive) == (b"all of it", False)


def test_what_keeps_a_connection_alive() -> None:
    from graftpy.backends.http_wire import Headers, _keeps_alive

    assert _keeps_alive("HTTP/1.1", Headers())
    assert not _keeps_alive("HTTP/1.1", Headers(connection="close"))
    assert not _keeps_alive("HTTP/1.0", Headers())
    assert _keeps_alive("HTTP/1.0", Headers(connection="Keep-Alive"))


def test_folded_and_repeated_headers(serve) -> None:
    conn = serve(
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nX-A: one\r\n  two\r\n"
        b"X-B: 1\r\nX-B: 2\r\nContent-Length: 0\r\n\r\n"
    )
    answer = conn.exchange("GET", "/", {}, None)
    assert answer.status == 429 and answer.reason == "Too Many Requests"
    assert answer.headers.get("RETRY-AFTER") == "2"
    assert answer.headers.get("x-a") == "one two" and answer.headers.get("x-b") == "1, 2"


@pytest.mark.parametrize(
    "answer, reason",
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 OK\r\n\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not an HTTP header"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "cut short: 5 of 10"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello", "bad Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"),
        (b"HTTP/1.1 200 OK\r\nContent-Le", "closed in the answer's headers"),
        (b"", "closed connection without response"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1), "larger than"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n" % (MAX_BODY + 1),
            "larger than",
        ),
    ],
)
def test_a_broken_answer_is_an_error_that_says_what_broke(serve, answer, reason) -> None:
    conn = serve(answer, close_after=True)
    with pytest.raises(BrokenAnswer, match=reason):
        conn.exchange("GET", "/", {}, None)


def test_headers_are_bounded_however_long_a_server_sends_them(serve) -> None:
    endless = b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * (MAX_HEAD + 10)
    conn = serve(endless, close_after=True)
    with pytest.raises(BrokenAnswer, match="longer than"):
        conn.exchange("GET", "/", {}, None)
    many = b"HTTP/1.1 200 OK\r\n" + b"X-Pad: aaaaaaaa\r\n" * (MAX_HEAD // 10)
    conn = serve(many, close_after=True)
    with pytest.raises(BrokenAnswer, match="headers longer than"):
        conn.exchange("GET", "/", {}, None)


@pytest.mark.parametrize(
    "name, value", [("X-Token", "a\r\nX-Evil: 1"), ("X-A\r\nB", "v"), ("A:B", "v")]
)
def test_no_header_can_inject_another(serve, name, value) -> None:
    conn = serve(ok(b""))
    with pytest.raises(ValueError, match="invalid HTTP header"):
        conn.exchange("GET", "/", {name: value}, None)
    assert conn.server.requests == []  # type: ignore[attr-defined]


def test_stray_bytes_or_a_close_make_an_idle_connection_unusable(serve) -> None:
    conn = serve(ok(b"x") + b"garbage")
    conn.exchange("GET", "/", {}, None)
    assert not conn.idle_and_open()  # the stray bytes arrived with the answer
    conn = serve(ok(b"x"), close_after=True)
    conn.exchange("GET", "/", {}, None)
    conn.sock.settimeout(5)  # type: ignore[union-attr]
    for _ in range(100):  # the server's close reaches us a moment later
        if not conn.idle_and_open():
            break
        threading.Event().wait(0.01)
    assert not conn.idle_and_open()


def test_the_host_header_names_a_port_only_when_it_is_not_the_default() -> None:
    assert Connection("vault.example", 80)._host_header == "vault.example"
    assert Connection("vault.example", 8200)._host_header == "vault.example:8200"
    assert Connection("::1", 8200)._host_header == "[::1]:8200"
