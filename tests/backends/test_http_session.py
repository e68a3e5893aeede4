"""The keep-alive transport hvac uses for Vault (graftpy.backends.http_session).

Against a real HTTP/1.1 server on loopback that counts its connections.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from servers.waiting import wait_for

from graftpy.backends.http_session import PooledSession, use_for


class Counting(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1  # type: ignore[attr-defined]

    def _answer(self, status: int, payload: dict, close: bool = False) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/close"):
            self._answer(200, {"closing": True}, close=True)
            return
        if self.path.startswith("/missing"):
            self._answer(404, {"errors": []})
            return
        self._answer(200, {"path": self.path, "token": self.headers.get("X-Vault-Token")})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        self._answer(200, {"got": json.loads(self.rfile.read(length))})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Counting]:
    httpd = Counting(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def base(server: Counting) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_requests_reuse_one_kept_alive_connection(server: Counting) -> None:
    session = PooledSession(base(server))
    for i in range(5):
        answer = session.request(
            "GET", f"{base(server)}/v1/secret/{i}", headers={"X-Vault-Token": "t"}, timeout=5
        )
        assert answer.ok and answer.json() == {"path": f"/v1/secret/{i}", "token": "t"}
    assert server.connections == 1
    session.close()


def test_query_parameters_and_json_bodies(server: Counting) -> None:
    session = PooledSession(base(server))
    got = session.request("GET", f"{base(server)}/v1/x?a=1", params={"list": "true"}, timeout=5)
    assert got.json()["path"] == "/v1/x?a=1&list=true"
    posted = session.request("POST", f"{base(server)}/v1/y", json={"k": [1, 2]}, timeout=5)
    assert posted.json() == {"got": {"k": [1, 2]}}
    missing = session.request("GET", f"{base(server)}/missing", timeout=5)
    assert missing.status_code == 404 and not missing.ok
    assert missing.headers.get("content-type") == "application/json"


def test_a_connection_the_server_closed_is_not_reused(server: Counting) -> None:
    session = PooledSession(base(server))
    session.request("GET", f"{base(server)}/close", timeout=5)
    assert session.request("GET", f"{base(server)}/after", timeout=5).ok
    assert server.connections == 2


def test_failures_are_requests_exceptions(server: Counting) -> None:
    closed_port = base(server)
    server.shutdown()
    server.server_close()
    session = PooledSession(closed_port)
    with pytest.raises(requests.exceptions.ConnectionError):
        session.request("GET", f"{closed_port}/v1/x", timeout=2)


def test_a_server_that_never_answers_the_tls_handshake_times_out_in_time() -> None:
    import socket
    import time

    listener = socket.create_server(("127.0.0.1", 0))  # accepts, then says nothing
    port = listener.getsockname()[1]
    session = PooledSession(f"https://127.0.0.1:{port}", verify=False)
    started = time.monotonic()
    try:
        with pytest.raises(requests.exceptions.Timeout):
            session.request("GET", f"https://127.0.0.1:{port}/v1/x", timeout=0.5)
        took = time.monotonic() - started
    finally:
        session.close()
        listener.close()
    assert took < 2, took  # the request's timeout bounds the handshake too


def test_a_proxy_from_the_environment_keeps_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert use_for("https://vault.example.com:8200")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    assert not use_for("https://vault.example.com:8200")
    assert use_for("http://vault.example.com:8200")  # no proxy for plain http
    monkeypatch.setenv("NO_PROXY", "vault.example.com")
    assert use_for("https://vault.example.com:8200")


def test_connections_opened_ahead_carry_the_requests_that_follow(server: Counting) -> None:
    session = PooledSession(base(server))
    session.open_ahead(3)
    assert wait_for(lambda: server.connections == 3 and len(session._idle) == 3)
    answers = []

    def two_requests(first: int) -> None:  # three threads: never more than three at once
        for i in (first, first + 3):
            answers.append(session.request("GET", f"{base(server)}/v1/s/{i}", timeout=5).json())

    threads = [threading.Thread(target=two_requests, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a["path"] for a in answers) == [f"/v1/s/{i}" for i in range(6)]
    assert server.connections <= 3  # no request needed a connection of its own
    session.close()
    assert session._idle == []


def test_connecting_ahead_to_nothing_leaves_the_request_to_report_it(server: Counting) -> None:
    closed_port = base(server)
    server.shutdown()
    server.server_close()
    session = PooledSession(closed_port)
    session.open_ahead(4)
    with pytest.raises(requests.exceptions.ConnectionError, match="refused"):
        session.request("GET", f"{closed_port}/v1/x", timeout=2)
    assert wait_for(lambda: not any(t.name == "graftpy-connect" for t in threading.enumerate()))
    assert session._idle == []


def test_a_session_closed_while_connecting_ahead_keeps_nothing_open(server: Counting) -> None:
    session = PooledSession(base(server))
    session.close()
    session.open_ahead(4)
    assert wait_for(lambda: not any(t.name == "graftpy-connect" for t in threading.enumerate()))
    assert session._idle == []


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_a_request_target_is_what_urlsplit_finds_in_the_url(rest: str) -> None:
    import urllib.parse

    session = PooledSession("http://127.0.0.1:8200")
    url = "http://127.0.0.1:8200/" + rest  # as hvac joins a path to its base URL
    parts = urllib.parse.urlsplit(url)
    expected = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    assert session._target(url, None) == expected
