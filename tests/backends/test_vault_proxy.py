"""Vault through an HTTP proxy from the environment (HTTP_PROXY), against OpenBao.

The proxy is a small forwarding server of the test's own on loopback: it
receives absolute-URI requests, as proxies do, and forwards them to OpenBao.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graftpy.backends.http_session import PooledSession
from graftpy.backends.registry import Backends


class ForwardProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        target = urllib.parse.urlsplit(self.path)  # absolute URI: a proxy request
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream.request("GET", path, headers=headers)
        answer = upstream.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        upstream.close()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    server = ForwardProxy()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_reads_go_through_the_proxy_the_environment_names(
    openbao, proxy, clean_proxy_env, tmp_path
) -> None:
    path = f"secret/proxied/{uuid.uuid4().hex[:8]}"
    openbao.put(path, {"password": "through-the-proxy"})
    clean_proxy_env.setenv("HTTP_PROXY", proxy.url)
    env = {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}
    vault = Backends(env).vault()
    assert vault.lookup(f"{path}:password") == "through-the-proxy"
    assert not isinstance(vault._client.adapter.session, PooledSession)
    assert any(seen.endswith(f"/v1/secret/data/{path[len('secret/') :]}") for seen in proxy.seen)


def test_no_proxy_for_the_vault_host_connects_directly(
    openbao, proxy, clean_proxy_env, tmp_path
) -> None:
    path = f"secret/direct/{uuid.uuid4().hex[:8]}"
    openbao.put(path, {"password": "direct"})
    clean_proxy_env.setenv("HTTP_PROXY", proxy.url)
    clean_proxy_env.setenv("NO_PROXY", "127.0.0.1")
    env = {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}
    vault = Backends(env).vault()
    assert vault.lookup(f"{path}:password") == "direct"
    assert isinstance(vault._client.adapter.session, PooledSession)
    assert proxy.seen == []
