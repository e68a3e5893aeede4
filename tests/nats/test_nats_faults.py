"""Faults between graftpy and the NATS server: resets, stalls, restarts, a dead server.

Through a TCP fault proxy (``servers.tcp_faults``) in front of the real server:
with faults the retries can beat, every value must be right; with faults they
cannot, the read fails with graft's wording within the retry budget.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from servers import NatsServer, TcpFaultSpec

from graftpy.backends import BackendError, BackendUnavailable, SecretNotFound
from graftpy.backends.registry import Backends


@pytest.fixture(scope="module")
def many(nats) -> tuple[str, dict[str, str]]:
    bucket = f"faults_{uuid.uuid4().hex[:6]}"
    values = {f"k{i}": f"value-{i}" for i in range(60)}
    nats.put_kv(bucket, values)
    return bucket, values


def _read_all(backend, bucket, keys, threads=8):
    settings = backend.settings()

    def read(key):
        try:
            return backend.lookup("kv", bucket, key, settings)
        except BackendError as exc:
            return exc

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(read, keys))


def test_values_survive_connection_resets(nats, many, tcp_fault_proxy):
    bucket, values = many
    proxy = tcp_fault_proxy(nats.address, TcpFaultSpec(reset=0.08, seed=5))
    env = {"NATS_URL": proxy.url, "NATS_RETRIES": "8", "NATS_RETRY_INTERVAL": "5ms"}
    backend = Backends(env).nats()
    try:
        got = _read_all(backend, bucket, [*values, "missing"])
    finally:
        backend.close()
    assert got[:-1] == list(values.values())
    assert isinstance(got[-1], SecretNotFound)
    snap = backend.stats.snapshot()
    assert proxy.stats["reset"] >= 2 and snap.retries >= proxy.stats["reset"]
    assert proxy.stats["connections"] >= 1 + proxy.stats["reset"] // 2  # reconnected
    assert snap.outcomes.get("connection_error", 0) >= 2


def test_a_silent_connection_is_replaced(nats, many, tcp_fault_proxy):
    bucket, values = many
    proxy = tcp_fault_proxy(nats.address)
    env = {"NATS_URL": proxy.url, "NATS_RETRY_INTERVAL": "5ms", "NATS_TIMEOUT": "300ms"}
    backend = Backends(env).nats()
    keys = list(values)
    try:
        first = _read_all(backend, bucket, keys[:20])
        assert proxy.stall_all() == 1
        second = _read_all(backend, bucket, keys[20:])
    finally:
        backend.close()
    assert first + second == list(values.values())
    assert proxy.stats["connections"] == 2
    assert backend.stats.snapshot().retries >= 1


def test_a_network_blip_mid_run_reconnects(nats, many, tcp_fault_proxy):
    bucket, values = many
    proxy = tcp_fault_proxy(nats.address)
    env = {"NATS_URL": proxy.url, "NATS_RETRY_INTERVAL": "5ms"}
    backend = Backends(env).nats()
    keys = list(values)
    try:
        first = _read_all(backend, bucket, keys[:20])
        assert proxy.break_all() == 1
        second = _read_all(backend, bucket, keys[20:])
        assert backend.connections == 2
    finally:
        backend.close()
    assert first + second == list(values.values())
    assert proxy.stats["connections"] == 2


def test_a_server_restart_mid_run(many):
    server = NatsServer().start()
    try:
        server.put_kv("restart", {"a": b"1", "b": b"2"})
        env = {"NATS_URL": server.url, "NATS_RETRIES": "30", "NATS_RETRY_INTERVAL": "50ms"}
        backend = Backends(env).nats()
        settings = backend.settings()
        assert backend.lookup("kv", "restart", "a", settings) == "1"
        server.stop(keep_store=True)
        server.start(port=server.port)
        assert backend.lookup("kv", "restart", "b", settings) == "2"
        backend.close()
    finally:
        server.stop()


def test_faults_beyond_the_retries_fail_with_graft_wording(nats, many, tcp_fault_proxy):
    bucket, _ = many
    proxy = tcp_fault_proxy(nats.address)
    env = {
        "NATS_URL": proxy.url,
        "NATS_RETRIES": "2",
        "NATS_RETRY_INTERVAL": "10ms",
        "NATS_TIMEOUT": "200ms",
    }
    backend = Backends(env).nats()
    settings = backend.settings()
    try:
        assert backend.lookup("kv", bucket, "k1", settings) == "value-1"  # connected
        proxy.set_spec(TcpFaultSpec(stall=1.0))
        started = time.monotonic()
        with pytest.raises(BackendUnavailable) as info:
            backend.lookup("kv", bucket, "k2", settings)
        elapsed = time.monotonic() - started
    finally:
        backend.close()
    assert info.value.message == (
        "failed to connect to NATS after 3 attempts: nats: timeout"  # the reconnects stall too
    )
    assert elapsed < 3 * (0.2 + 1.0) + 0.5  # three bounded attempts, short waits


def test_the_deadline_bounds_the_retries(tcp_fault_proxy):
    env = {
        "NATS_URL": "nats://127.0.0.1:1",
        "NATS_RETRIES": "100",
        "NATS_RETRY_INTERVAL": "100ms",
        "GRAFT_BACKEND_DEADLINE": "1",
    }
    backend = Backends(env).nats()
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as info:
        backend.lookup("kv", "b", "k", backend.settings())
    elapsed = time.monotonic() - started
    assert elapsed < 1.5
    assert info.value.message.startswith("failed to connect to NATS after ")
    assert info.value.message.endswith(" attempts: nats: no servers available for connection")
    # the server is down for the rest of the run: the next read fails at once
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        backend.lookup("kv", "b", "other", backend.settings())
    assert time.monotonic() - started < 0.1
    backend.close()
