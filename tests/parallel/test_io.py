"""I/O-bound phases (fake ``load`` calls) against a local HTTP server delaying every answer.

The issue's bounds (200 independent requests with 16 workers within 1.3x of
requests / workers x delay; a 10-deep chain within 1.3x of its critical path,
10 x delay) are measured by ``benchmarks/bench_parallel_io.py``. Here a run must
stay within 2x of them (``SLACK``): far below the sequential time (16x for the
200 requests), so a run that lost its parallelism fails, while a neighbour's load
on this shared machine does not (0.90 s against a 0.81 s bound was seen in CI).
The timed server runs in a child process, as a
remote service would (its handlers do not compete for our GIL). A timing is
the best of up to three runs, stopping at the first within bounds: this
machine is shared, and one run slowed by a neighbour says nothing about us.
"""

from __future__ import annotations

from typing import Any

import pytest
from delay_server import DelayServer, spawn_server
from harness import Spec, parallel, run, within

DELAY = 0.05
SLACK = 2.0  # see above: the tight 1.3x is the benchmark's
ALL = ["conservative", "aggressive", "adaptive"]


def _independent(server: object, n: int, op: str = "load") -> tuple[dict, list[Spec]]:
    specs = [Spec((f"k{i:03}",), op, (), server.url(f"item/{i}")) for i in range(n)]  # type: ignore[attr-defined]
    return {s.where[0]: None for s in specs}, specs


@pytest.mark.parametrize("strategy", ALL)
def test_200_independent_requests_with_16_workers(strategy: str) -> None:
    bound = 200 / 16 * DELAY

    def attempt() -> float:
        with spawn_server(DELAY) as server:
            tree, specs = _independent(server, 200)
            ex = parallel(strategy, workers=16)
            out = run(tree, specs, ex)
            counters = server.counters()
        assert out.errors == []
        assert out.tree["k007"] == "value: item/7\n" and len(set(out.tree.values())) == 200
        assert counters["requests"] == 200 and ex.history[-1].max_in_flight == 16
        return ex.history[-1].wall

    wall = within(SLACK * bound, attempt)
    assert wall <= SLACK * bound, f"{strategy}: {wall:.3f}s vs lower bound {bound:.3f}s"


@pytest.mark.parametrize("strategy", ALL)
def test_a_10_deep_chain_runs_at_its_critical_path(strategy: str) -> None:
    bound = 10 * DELAY

    def attempt() -> float:
        with spawn_server(DELAY) as server:
            specs = [Spec(("c0",), "load", (), server.url("link/0"))]
            specs += [
                Spec((f"c{i}",), "load", ((f"c{i - 1}",),), server.url(f"link/{i}"))
                for i in range(1, 10)
            ]
            ex = parallel(strategy, workers=16)
            out = run({f"c{i}": None for i in range(10)}, specs, ex)
            expected = "".join(server.body(f"link/{i}") for i in range(10))
        assert out.errors == []
        assert out.tree["c9"] == expected
        assert ex.history[-1].generations == 10
        return ex.history[-1].wall

    wall = within(SLACK * bound, attempt)
    assert wall <= SLACK * bound, f"{strategy}: {wall:.3f}s vs critical path {bound:.3f}s"


@pytest.mark.parametrize("strategy", ALL)
def test_a_chain_is_not_stuck_behind_independent_requests(strategy: str) -> None:
    # the chain's links come last in graft's order (later generations), yet each
    # must start at once: 150 + 10 requests in 0.5 s needs every link on time
    bound = max(10 * DELAY, 160 / 16 * DELAY)

    def attempt() -> float:
        with spawn_server(DELAY) as server:
            tree, specs = _independent(server, 150)
            specs.append(Spec(("c0",), "load", (), server.url("link/0")))
            specs += [
                Spec((f"c{i}",), "load", ((f"c{i - 1}",),), server.url(f"link/{i}"))
                for i in range(1, 10)
            ]
            tree.update({f"c{i}": None for i in range(10)})
            ex = parallel(strategy, workers=16)
            out = run(tree, specs, ex)
        assert out.errors == []
        return ex.history[-1].wall

    wall = within(SLACK * bound, attempt)
    assert wall <= SLACK * bound, f"{strategy}: {wall:.3f}s vs lower bound {bound:.3f}s"


def test_adaptive_moves_an_undeclared_waiting_kind_to_the_pool() -> None:
    with DelayServer(0.005) as server:
        tree, specs = _independent(server, 80, op="quiet-fetch")
        ex = parallel("adaptive", workers=8)
        out = run(tree, specs, ex)
    assert out.errors == []
    assert out.tree["k079"] == "value: item/79\n"
    runs, _, pooled = ex.history[-1].by_operator["quiet-fetch"]
    assert runs == 80 and pooled == 80 - 8  # all but the warm-up samples
    assert all(k.pool for k in ex.strategy.kinds.values())


def test_adaptive_runs_a_cheap_io_kind_inline_after_warming_up() -> None:
    specs = [Spec((f"k{i:03}",), "quick-io", (), i) for i in range(100)]
    ex = parallel("adaptive", workers=4)
    out = run({s.where[0]: None for s in specs}, specs, ex)
    assert out.errors == [] and out.tree["k042"] == "42()"
    runs, _, pooled = ex.history[-1].by_operator["quick-io"]
    assert runs == 100 and pooled < 50  # typically 8 to 12: warm-up, plus what was in flight
    assert not any(k.pool for k in ex.strategy.kinds.values() if k is not None)


def _throttled_answers(strategy: str) -> tuple[int, Any, Any]:
    """429s a server of capacity 3 gave 150 polite fetches on 16 workers."""
    with DelayServer(0.01, capacity=3) as server:
        tree, specs = _independent(server, 150, op="polite-fetch")
        ex = parallel(strategy, workers=16)
        out = run(tree, specs, ex)
    return server.throttled, ex, out


def test_adaptive_halves_a_throttled_backend_and_grows_again() -> None:
    throttled, ex, out = _throttled_answers("adaptive")
    hammered, _, _ = _throttled_answers("aggressive")  # the same load, no backing off
    assert out.errors == []
    assert out.tree["k149"] == "value: item/149\n"
    history = ex.strategy.limits["polite-fetch"].history
    cuts = [b for a, b in zip(history, history[1:], strict=False) if b < a]
    grows = [b for a, b in zip(history, history[1:], strict=False) if b == a + 1]
    assert history[0] == 16 and cuts and grows  # halved, then additive increase
    assert min(history) >= 1 and max(history) <= 16
    # it backed off instead of hammering the server (a comparison, not a fixed
    # bound: a loaded machine changes both counts alike)
    assert throttled < hammered / 2, (throttled, hammered)


def test_other_strategies_leave_concurrency_alone() -> None:
    with DelayServer(0.005, capacity=4) as server:
        tree, specs = _independent(server, 40, op="polite-fetch")
        ex = parallel("aggressive", workers=8)
        out = run(tree, specs, ex)
    assert out.errors == []
    assert ex.strategy.limits["polite-fetch"].limit == 8  # no AIMD outside adaptive
