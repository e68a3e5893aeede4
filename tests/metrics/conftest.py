"""Fixtures of the metrics tests: slow HTTP answers, real Prometheus and Pushgateway."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (str(HERE.parent), str(HERE)):  # tests/ (the shared servers) and this folder
    if folder not in sys.path:
        sys.path.insert(0, folder)

from promstack import PROMETHEUS, PUSHGATEWAY, Prometheus, Pushgateway, missing  # noqa: E402
from servers.fixtures import fault_proxy, openbao  # noqa: E402,F401
from slowhttp import SlowServer  # noqa: E402

from graftpy.metrics import Metrics  # noqa: E402


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; in CI (CI set) a missing server is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must install it: {reason}")
    pytest.skip(reason)


@pytest.fixture
def metrics() -> Iterator[Metrics]:
    """Figures of this test only (runs record there through MergeOptions.extra)."""
    m = Metrics()
    try:
        yield m
    finally:
        m.stop()


@pytest.fixture
def slow_server() -> Iterator[Callable[[float], SlowServer]]:
    started: list[SlowServer] = []

    def make(delay: float) -> SlowServer:
        server = SlowServer(delay).start()
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[Callable[..., Prometheus]]:
    """A factory: ``prometheus({"job": "127.0.0.1:port"}, honor=("job",))``, started."""
    reason = missing(PROMETHEUS)
    if reason:
        skip_or_fail(reason)
    started: list[Prometheus] = []

    def make(targets: dict[str, str], honor: tuple[str, ...] = ()) -> Prometheus:
        server = Prometheus(tmp_path / f"prometheus{len(started)}", targets, honor)
        started.append(server)
        return server.start()

    try:
        yield make
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def pushgateway(tmp_path: Path) -> Iterator[Pushgateway]:
    reason = missing(PUSHGATEWAY)
    if reason:
        skip_or_fail(reason)
    server = Pushgateway(tmp_path / "pushgateway")
    try:
        yield server.start()
    finally:
        server.stop()
