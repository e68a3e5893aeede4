"""TLS to a real nats-server with ``--tls``: graft's NATS_TLS, NATS_CA_FILE and
NATS_INSECURE_SKIP_VERIFY."""

from __future__ import annotations

import pytest
from servers import NatsServer
from servers.certs import TestCA

from graftpy.backends import BackendError
from graftpy.backends.registry import Backends


@pytest.fixture(scope="module")
def authority(tmp_path_factory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tls_nats(authority, nats):  # ``nats``: skips where there is no server binary
    server = NatsServer(tls=authority.issue("server")).start()
    server.put_kv("secure", {"k": b"over tls"})
    try:
        yield server, authority.path
    finally:
        server.stop()


def _read(env):
    backend = Backends({"NATS_RETRIES": "0", **env}).nats()
    try:
        return backend.lookup("kv", "secure", "k", backend.settings())
    finally:
        backend.close()


def test_the_servers_certificate_is_checked_against_the_ca_file(tls_nats):
    server, ca = tls_nats
    assert _read({"NATS_URL": server.url, "NATS_CA_FILE": ca}) == "over tls"
    plain_url = server.url.replace("tls://", "nats://")  # the server asks for TLS
    assert _read({"NATS_URL": plain_url, "NATS_CA_FILE": ca, "NATS_TLS": "true"}) == "over tls"


def test_an_unknown_certificate_is_refused_unless_told_to_skip(tls_nats):
    server, _ = tls_nats
    with pytest.raises(BackendError) as info:
        _read({"NATS_URL": server.url})
    assert info.value.message.startswith(
        "failed to connect to NATS: nats: TLS: certificate verification failed"
    )
    assert _read({"NATS_URL": server.url, "NATS_INSECURE_SKIP_VERIFY": "true"}) == "over tls"


def test_tls_asked_of_a_server_without_it(nats):
    with pytest.raises(BackendError) as info:
        _read({"NATS_URL": nats.url, "NATS_TLS": "true"})
    assert info.value.message == "failed to connect to NATS: nats: secure connection not available"


def test_a_missing_ca_file_is_named(tls_nats, tmp_path):
    server, _ = tls_nats
    missing = str(tmp_path / "nope.pem")
    with pytest.raises(BackendError) as info:
        _read({"NATS_URL": server.url, "NATS_CA_FILE": missing})
    assert info.value.message == f"failed to connect to NATS: nats: TLS file not found: {missing}"


def test_a_client_certificate_for_a_server_that_asks_for_one(authority, nats):
    server = NatsServer(tls=authority.issue("server"), client_ca=authority.path)
    server.client_cert = authority.issue("client")
    server.start()
    try:
        server.put_kv("secure", {"k": b"with a client certificate"})
        cert, key = server.client_cert
        env = {"NATS_URL": server.url, "NATS_CA_FILE": authority.path}
        got = _read({**env, "NATS_CERT_FILE": cert, "NATS_KEY_FILE": key})
        assert got == "with a client certificate"
        with pytest.raises(BackendError) as info:  # no certificate: the server refuses
            _read(env)
        assert info.value.message.startswith("failed to connect to NATS")
    finally:
        server.stop()
