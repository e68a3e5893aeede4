"""The adaptive strategy's measurements, driven with synthetic numbers and a simulated clock."""

from __future__ import annotations

import heapq

from graftpy.evaluator.scheduler import signals
from graftpy.evaluator.scheduler.adaptive import WARMUP, AIMDLimit, KindStats


def test_a_kind_follows_its_declaration_until_warmed_up() -> None:
    io, cpu = KindStats(io_bound=True), KindStats(io_bound=False)
    for _ in range(WARMUP - 1):
        io.observe(0.00001, 0.00001)  # cheap, but not enough samples yet
        cpu.observe(0.05, 0.0)  # slow and waiting, same
    assert io.pool and not cpu.pool
    io.observe(0.00001, 0.00001)
    cpu.observe(0.05, 0.0)
    assert not io.pool and cpu.pool


def test_slow_calls_go_to_the_pool_only_when_they_wait() -> None:
    waiting, computing = KindStats(False), KindStats(True)
    for _ in range(WARMUP):
        waiting.observe(0.010, 0.001)  # 90 % off-CPU: a network call
        computing.observe(0.010, 0.009)  # 10 % off-CPU: the GIL would serialise it anyway
    assert waiting.pool and not computing.pool


def test_cpu_is_sampled_during_warmup_then_now_and_then() -> None:
    k = KindStats(False)
    sampled = []
    for _ in range(100):
        sampled.append(k.wants_cpu_sample())
        k.observe(0.001, 0.0005 if sampled[-1] else None)
    assert all(sampled[:WARMUP]) and 1 <= sum(sampled[WARMUP:]) <= 2


def _round(lim: AIMDLimit, now: float, latency: float, backlog: bool = True) -> float:
    """Start ``limit`` calls at ``now`` and finish them all ``latency`` later."""
    n = lim.limit
    for _ in range(n):
        assert lim.has_room()
        lim.started(now)
    if backlog:
        lim.blocked()
    for _ in range(n):
        lim.finished(now + latency, throttled=False)
    return now + latency


def test_slow_start_doubles_while_throughput_doubles() -> None:
    lim = AIMDLimit(cap=16)
    t = 0.0
    for _ in range(4):
        t = _round(lim, t, 0.05)
    assert lim.history == [4, 8, 16]
    assert lim.limit == 16


def test_growth_stops_when_throughput_stops_growing() -> None:
    lim = AIMDLimit(cap=64)
    t = _round(lim, 0.0, 0.05)  # 4 at once: 80/s -> 8
    t = _round(lim, t, 0.10)  # 8 at once, but the server is saturated: still 80/s
    assert lim.limit == 8 and not lim.slow_start
    t = _round(lim, t, 0.10)
    assert lim.history == [4, 8]


def test_no_growth_when_the_limit_is_not_what_holds_calls_back() -> None:
    lim = AIMDLimit(cap=16)
    t = 0.0
    for _ in range(5):
        t = _round(lim, t, 0.05, backlog=False)
    assert lim.history == [4]


def test_throttling_halves_once_per_round_then_grows_additively() -> None:
    lim = AIMDLimit(cap=32, initial=16)
    for _ in range(16):
        lim.started(0.0)
    lim.blocked()
    for i in range(16):
        lim.finished(0.01, throttled=i < 5)  # a burst of 429s counts once
    assert lim.limit == 8 and not lim.slow_start
    t = _round(lim, 1.0, 0.05)
    t = _round(lim, t, 0.05 * 9 / 9.5)  # throughput grew with the limit
    assert lim.history == [16, 8, 9, 10]


def test_aimd_settles_near_a_servers_capacity() -> None:
    """Discrete-event run: the server answers 429 at once beyond 6 concurrent requests."""
    capacity, latency, lim = 6, 0.05, AIMDLimit(cap=64)
    backlog, now, running, served, throttles = 400, 0.0, [], 0, 0
    while backlog or running:
        while backlog and lim.has_room():
            lim.started(now)
            backlog -= 1
            throttled = len(running) >= capacity
            heapq.heappush(running, (now + (0.001 if throttled else latency), throttled))
        if backlog:
            lim.blocked()
        now, throttled = heapq.heappop(running)
        lim.finished(now, throttled)
        if throttled:
            backlog += 1  # the backend retries it
            throttles += 1
        else:
            served += 1
    assert served == 400
    assert max(lim.history) <= 2 * capacity + 2
    assert lim.history[-1] >= capacity // 2
    assert throttles < 100  # it backs off instead of hammering


def test_throttle_signal_is_per_thread_and_read_once() -> None:
    signals.reset()
    assert not signals.take()
    signals.report_throttled()
    assert signals.take() and not signals.take()
    assert signals.take("HTTP 429 Too Many Requests")
    assert signals.take("server said 503")
    assert not signals.take("secret not found at 4290/x")


def test_a_rare_stall_does_not_send_a_cpu_kind_to_the_pool() -> None:
    k = KindStats(io_bound=False)
    for i in range(64):
        k.observe(0.05 if i % 8 == 3 else 0.00005, 0.00005)  # descheduled now and then
    assert k.mean > 0.005 and not k.pool


def test_an_io_kind_with_mostly_cached_answers_stays_on_the_pool() -> None:
    k = KindStats(io_bound=True)
    for i in range(64):
        k.observe(0.02 if i % 5 == 0 else 0.00002, 0.00002)  # 1 in 5 goes to the server
    assert k.pool
