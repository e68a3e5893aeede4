"""The machinery under every backend: limit, single flight, retries, tuner, events."""

from __future__ import annotations

import random
import threading
import time

import pytest

from graftpy.backends import BackendError, BackendUnavailable, SecretNotFound
from graftpy.backends.base import Backend
from graftpy.backends.config import BackendConfig, RetryPolicy
from graftpy.backends.errors import Transient
from graftpy.backends.limiter import ConcurrencyLimit
from graftpy.backends.singleflight import SingleFlight
from graftpy.backends.stats import BackendEvent
from graftpy.backends.tuning import AimdTuner
from graftpy.errors import UsageError


class Recorder:
    def __init__(self) -> None:
        self.events: list[BackendEvent] = []
        self.lock = threading.Lock()

    def backend_event(self, event: BackendEvent) -> None:
        with self.lock:
            self.events.append(event)

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events if e.kind != "limit"]


def fast_backend(**retry) -> Backend:
    policy = RetryPolicy(**{"base": 0.001, "cap": 0.002, **retry})
    return Backend(None, BackendConfig(concurrency=4, retry=policy))


# -- ConcurrencyLimit ---------------------------------------------------------------
def test_limit_can_be_raised_while_requests_wait():
    limit = ConcurrencyLimit(1)
    limit.acquire()
    entered = threading.Event()

    def second() -> None:
        limit.acquire()
        entered.set()

    t = threading.Thread(target=second)
    t.start()
    assert not entered.wait(0.1)  # held back by the limit of 1
    limit.limit = 2
    assert entered.wait(1)
    t.join()
    assert limit.in_flight == 2


def test_halving_holds_new_requests_until_enough_finish():
    limit = ConcurrencyLimit(4, maximum=8)
    for _ in range(4):
        limit.acquire()
    assert limit.halve() == 2
    got = threading.Event()
    t = threading.Thread(target=lambda: (limit.acquire(), got.set()))
    t.start()
    limit.release()
    limit.release()
    assert not got.wait(0.1)  # 2 in flight, limit 2: still full
    limit.release()
    assert got.wait(1)
    t.join()
    assert (limit.increase(100), limit.halve(), ConcurrencyLimit(3, minimum=2).halve()) == (8, 4, 2)


def test_concurrency_never_exceeds_the_limit():
    backend = Backend(None, BackendConfig(concurrency=3))
    peak = [0]
    current = [0]
    lock = threading.Lock()

    def attempt(_timeout: float) -> str:
        with lock:
            current[0] += 1
            peak[0] = max(peak[0], current[0])
        time.sleep(0.01)
        with lock:
            current[0] -= 1
        return "ok"

    threads = [threading.Thread(target=backend.request, args=("read", attempt)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 3
    assert backend.stats.snapshot().max_in_flight == 3


# -- SingleFlight ---------------------------------------------------------------------
def test_single_flight_loads_once_and_keeps_misses():
    flight = SingleFlight()
    calls = []
    gate = threading.Event()

    def load() -> str:
        calls.append(1)
        gate.wait(1)
        return "v"

    results, hows = [], []
    threads = [
        threading.Thread(target=lambda: results.append(flight.get("k", load, hows.append)))
        for _ in range(10)
    ]
    for t in threads:
        t.start()
    time.sleep(0.05)
    gate.set()
    for t in threads:
        t.join()
    assert results == ["v"] * 10 and len(calls) == 1
    assert hows.count("cache_miss") == 1 and hows.count("shared") + hows.count("cache_hit") == 9

    def missing() -> str:
        calls.append(2)
        raise SecretNotFound("secret a:b not found")

    for _ in range(3):
        with pytest.raises(SecretNotFound, match="secret a:b not found"):
            flight.get("m", missing)
    assert calls.count(2) == 1


def test_single_flight_does_not_keep_bugs():
    flight = SingleFlight()
    with pytest.raises(ZeroDivisionError):
        flight.get("k", lambda: 1 / 0)
    assert flight.get("k", lambda: "fine") == "fine"


# -- retries --------------------------------------------------------------------------
def test_retry_delays_grow_with_jitter_and_respect_retry_after():
    policy = RetryPolicy(base=0.1, cap=1.0)
    rng = random.Random(3)
    for retry in range(1, 8):
        d = min(1.0, 0.1 * 2 ** (retry - 1))
        assert all(d / 2 <= policy.delay(retry, rng=rng) <= d for _ in range(50))
    assert policy.delay(1, retry_after=0.7, rng=rng) >= 0.7
    assert policy.delay(1, retry_after=60, rng=rng) <= 1.0


def test_transient_failures_are_retried_then_answered():
    backend = fast_backend()
    recorder = Recorder()
    backend.add_listener(recorder)
    answers = iter(
        [
            Transient("429", status=429, throttled=True),
            Transient("reset", outcome="connection_error"),
            "value",
        ]
    )

    def attempt(_t: float) -> str:
        item = next(answers)
        if isinstance(item, Exception):
            raise item
        return item

    assert backend.request("read", attempt) == "value"
    assert recorder.kinds() == ["request", "retry", "request", "retry", "request"]
    outcomes = [e.outcome for e in recorder.events if e.kind == "request"]
    assert outcomes == ["throttled", "connection_error", "ok"]
    assert recorder.events[0].throttled and recorder.events[0].latency >= 0


def test_final_answers_are_not_retried():
    backend = fast_backend()
    for error in (SecretNotFound("gone"), BackendError("403 Forbidden: no")):
        calls = []

        def attempt(_t: float, error=error, calls=calls) -> str:
            calls.append(1)
            raise error

        with pytest.raises(type(error)):
            backend.request("read", attempt)
        assert len(calls) == 1


def test_attempts_are_bounded_and_then_the_backend_is_down():
    backend = fast_backend(attempts=4)
    calls = []

    def attempt(_t: float) -> str:
        calls.append(1)
        raise Transient("500 Internal Server Error: x", status=500)

    with pytest.raises(BackendUnavailable) as info:
        backend.request("read", attempt)
    assert len(calls) == 4
    assert info.value.message == "500 Internal Server Error: x (backend: gave up after retrying)"
    with pytest.raises(BackendUnavailable):
        backend.request("read", lambda _t: "never called")
    assert len(calls) == 4


def test_deadline_bounds_the_total_time():
    backend = Backend(
        None, BackendConfig(retry=RetryPolicy(attempts=1000, deadline=0.3, base=0.02, cap=0.05))
    )
    start = time.monotonic()
    with pytest.raises(BackendUnavailable):
        backend.request(
            "read", lambda _t: (_ for _ in ()).throw(Transient("503", status=503, throttled=True))
        )
    assert 0.2 < time.monotonic() - start < 0.5


def test_timeout_handed_to_an_attempt_never_exceeds_the_deadline_left():
    backend = Backend(None, BackendConfig(retry=RetryPolicy(deadline=0.5, request_timeout=10)))
    seen = []
    backend.request("read", lambda t: seen.append(t))
    assert 0 < seen[0] <= 0.5


# -- tuner and events ---------------------------------------------------------------------
def test_aimd_tuner_halves_on_throttling_and_grows_when_busy():
    backend = Backend(None, BackendConfig(concurrency=8, max_concurrency=64))
    tuner = AimdTuner(backend, cooldown=10)
    limit = backend.concurrency

    def event(outcome: str, in_flight: int, latency: float = 0.01) -> None:
        backend.emit(
            "request", operation="read", outcome=outcome, latency=latency, in_flight=in_flight
        )

    event("throttled", 8)
    event("throttled", 8)  # same burst: one halving only
    assert limit.limit == 4
    for _ in range(4):
        event("ok", 1)  # not busy: no growth
    assert limit.limit == 4
    for _ in range(4):
        event("ok", 4)
    assert limit.limit == 5
    for _ in range(5):
        event("ok", 5, latency=1.0)  # latency way up: hold
    assert limit.limit == 5
    tuner.detach()
    event("throttled", 5)
    assert limit.limit == 5


def test_limit_changes_are_events():
    backend = Backend("prod", BackendConfig(concurrency=8))
    recorder = Recorder()
    backend.add_listener(recorder)
    backend.concurrency.halve()
    assert [(e.backend, e.kind, e.limit) for e in recorder.events] == [("backend@prod", "limit", 4)]
    assert backend.stats.snapshot().limit == 4


def test_a_broken_listener_does_not_break_requests():
    backend = fast_backend()

    class Broken:
        def backend_event(self, event: BackendEvent) -> None:
            raise RuntimeError("listener bug")

    backend.add_listener(Broken())
    assert backend.request("read", lambda _t: "ok") == "ok"


def test_config_from_env():
    cfg = BackendConfig.from_env(
        {
            "GRAFT_BACKEND_CONCURRENCY": "4",
            "GRAFT_BACKEND_DEADLINE": "2.5",
            "GRAFT_BACKEND_ATTEMPTS": "3",
            "GRAFT_BACKEND_MAX_CONCURRENCY": "2",
        }
    )
    assert (cfg.concurrency, cfg.max_concurrency, cfg.retry.deadline, cfg.retry.attempts) == (
        2,
        2,
        2.5,
        3,
    )
    with pytest.raises(
        UsageError, match="GRAFT_BACKEND_DEADLINE must be a number of seconds, not 'x'"
    ):
        BackendConfig.from_env({"GRAFT_BACKEND_DEADLINE": "x"})


def test_throttling_reaches_the_scheduler_on_the_operator_thread():
    from graftpy.backends.registry import Backends
    from graftpy.evaluator.scheduler import signals

    backends = Backends({})
    seen = []
    backends.on_create(lambda b: seen.append(b.name))
    vault = backends.vault()
    signals.reset()
    vault.emit("request", operation="read", outcome="ok", latency=0.01)
    assert signals.take() is False
    vault.emit("request", operation="read", outcome="throttled", status=429, latency=0.01)
    assert signals.take() is True
    assert seen == ["vault"] and backends.vault() is vault
    assert backends.aws("awsparam", "legacy").name == "awsparam@legacy"
    assert seen == ["vault", "awsparam@legacy"]
