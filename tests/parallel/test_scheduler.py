"""The scheduler's rules, one by one, on small synthetic phases."""

from __future__ import annotations

import re
import threading

import pytest
from harness import Spec, gate, parallel, run

from graftpy.evaluator.dataflow import DataFlow
from graftpy.evaluator.scheduler import ParallelConfig, ParallelExecutor, make_executor

ALL = ["conservative", "aggressive", "adaptive"]


def _workers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("graftpy-worker")]


@pytest.mark.parametrize("strategy", ALL)
def test_no_barrier_between_generations(strategy: str) -> None:
    # `slow` (generation 0) only finishes once `opener` (generation 1) has run.
    # With a barrier after generation 0 this could never happen: the gate times out.
    event, timeout = gate()
    specs = [
        Spec(("slow",), "vault-gate", (), (event, timeout)),
        Spec(("quick",), "cat", (), "Q"),
        Spec(("opener",), "aws-opener", (("quick",),), event),
        Spec(("after",), "cat", (("slow",), ("opener",)), "A"),
    ]
    tree = {k: None for k in ("slow", "quick", "opener", "after")}
    out = run(tree, specs, parallel(strategy, workers=2))
    assert out.errors == []
    assert out.tree["after"] == "A('opened','set')"


@pytest.mark.parametrize("strategy", ALL)
def test_serial_lane_keeps_sequential_order_of_side_effects(strategy: str) -> None:
    # c1 comes first in graft's order but waits for a gate; c2 is ready long before.
    event, timeout = gate()
    specs = [
        Spec(("a",), "vault-gate", (), (event, timeout)),
        Spec(("b",), "cat", (), "B"),
        Spec(("c1",), "count", (("a",),)),
        Spec(("c2",), "count", (("b",),)),
        Spec(("o",), "aws-opener", (("b",),), event),
    ]
    tree = {k: None for k in ("a", "b", "c1", "c2", "o")}
    out = run(tree, specs, parallel(strategy, workers=3))
    assert out.side_effects == ["c1", "c2"]
    assert (out.tree["c1"], out.tree["c2"]) == ("#1:1", "#2:1")


@pytest.mark.parametrize("strategy", ALL)
def test_container_reshaping_call_runs_alone(strategy: str) -> None:
    # `o` depends on the inject, and the gate waits for `o`: had the inject started
    # while the gate was in flight, it would have seen it (and said so as an error).
    event, timeout = gate()
    specs = [
        Spec(("a",), "vault-gate", (), (event, timeout)),
        Spec(("m", "i"), "inject", (), {"new": 1}),
        Spec(("o",), "aws-opener", (("m",),), event),
    ]
    tree = {"a": None, "m": {"i": None, "keep": 2}, "o": None}
    out = run(tree, specs, parallel(strategy, workers=4))
    assert out.errors == []
    assert out.tree["m"] == {"keep": 2, "new": 1}


@pytest.mark.parametrize("strategy", ALL)
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_errors_are_the_sequential_ones_in_sequential_order(strategy: str, workers: int) -> None:
    specs = [
        Spec(("z",), "fail", (), "always"),
        Spec(("a",), "cat", (("missing",),), "A"),
        Spec(("b",), "yielding", (("z",),), "B"),
        Spec(("c",), "fail", (("b",),), "always"),
        Spec(("d",), "fail", (("e",),)),
        Spec(("f",), "yielding", (("z", "deeper"),), "F"),
    ]
    tree = {"z": None, "a": None, "b": None, "c": None, "d": None, "e": "has x", "f": None}
    expected = run(tree, specs)
    got = run(tree, specs, parallel(strategy, workers))
    assert got.errors == expected.errors
    assert got.rendered == expected.rendered
    assert [p for p, _ in got.errors] == ["a", "d", "z", "f", "c"]  # waves, then path order


@pytest.mark.parametrize("strategy", ALL)
def test_operator_bug_raises_the_first_one_in_sequential_order(strategy: str) -> None:
    # both calls raise; whichever finishes first, `a` comes first in graft's order
    specs = [Spec((k,), op, ()) for k, op in (("a", "aws-boom"), ("b", "boom"), ("c", "aws-boom"))]
    tree = {"a": None, "b": None, "c": None}
    with pytest.raises(ZeroDivisionError, match="bug at a"):
        run(tree, specs, parallel(strategy, workers=3))
    assert _workers_alive() == []


def test_operator_bug_after_earlier_work_waits_for_it() -> None:
    # `b` raises inline while `a` (earlier in order) is still in flight: `a` finishes first
    event, timeout = gate()
    specs = [
        Spec(("a",), "vault-gate", (), (event, timeout)),
        Spec(("b",), "boom", ()),
        Spec(("c",), "aws-opener", (), event),
    ]
    tree = {"a": None, "b": None, "c": None}
    with pytest.raises(ZeroDivisionError, match="bug at b"):
        run(tree, specs, parallel("conservative", workers=2))
    assert _workers_alive() == []


def test_few_operations_run_sequentially_on_the_main_thread() -> None:
    log: list[str] = []
    ex = parallel("aggressive", workers=4, min_ops=5, log=log.append)
    specs = [Spec((k,), "cat", (), k) for k in "abcd"]
    out = run(dict.fromkeys("abcd"), specs, ex)
    assert out.tree == {"a": "a()", "b": "b()", "c": "c()", "d": "d()"}
    assert log == ["Running 4 operations sequentially (below GRAFT_PARALLEL_MIN_OPS)"]
    assert ex.history[0].ran_sequentially and ex.history[0].threads == 0


def test_debug_lines_give_the_plan_and_the_outcome() -> None:
    log: list[str] = []
    ex = parallel("aggressive", workers=2, log=log.append)
    specs = [
        Spec(("a",), "cat", (), "A"),
        Spec(("b",), "cat", (("a",),), "B"),
        Spec(("c",), "count", (("b",),)),
        Spec(("d",), "fail", ()),
        Spec(("e",), "yielding", (("c",),), "E"),
    ]
    run(dict.fromkeys("abcde"), specs, ex)
    # aggressive: all but `count` (not parallel-safe) go to the pool
    assert log[0] == "Running 5 operations in 4 generations: 4 in parallel, 1 sequential"
    assert re.fullmatch(
        r"Parallel execution completed in \d+(\.\d)?(s|ms|µs) \(\d+\.\dx speedup;"
        r" 4 of 5 operations on 2 worker threads\)",
        log[1],
    )
    st = ex.history[0]
    assert (st.operations, st.generations, st.parallel, st.sequential) == (5, 4, 4, 1)
    assert st.by_operator["cat"][0] == 2 and st.by_operator["cat"][2] == 2
    assert st.speedup == pytest.approx(st.busy / st.wall)
    assert len(log) == 2


def test_no_worker_threads_outlive_a_phase() -> None:
    specs = [Spec((f"k{i}",), "yielding", (), i) for i in range(30)]
    run({f"k{i}": None for i in range(30)}, specs, parallel("aggressive", workers=8))
    assert _workers_alive() == []


def test_generations_match_the_dataflow_waves() -> None:
    specs = [
        Spec(("a",), "cat", (), "A"),
        Spec(("b",), "cat", (("a",),), "B"),
        Spec(("c",), "cat", (("a",),), "C"),
        Spec(("d",), "cat", (("b",), ("c",)), "D"),
        Spec(("e",), "cat", (), "E"),
    ]
    from harness import build

    flow, plan = build(dict.fromkeys("abcde"), specs)
    assert [op.where[0] for op in plan.order] == ["a", "e", "b", "c", "d"]
    assert plan.generations == 3
    assert plan.npred == [0, 0, 1, 1, 2]  # order: a, e | b, c | d
    assert plan.succ == [[2, 3], [], [4], [4], []]


def test_dispatch_keys_put_long_chains_first_then_graft_order() -> None:
    specs = [
        Spec(("a",), "cat", (), "A"),
        Spec(("b",), "cat", (), "B"),
        Spec(("c",), "cat", (("b",),), "C"),
        Spec(("d",), "cat", (("c",),), "D"),
    ]
    from harness import build

    flow, plan = build(dict.fromkeys("abcd"), specs)
    order = plan.order
    keys = plan.priorities([1, 1, 1, 1])  # order: a, b | c | d
    assert [o.where[0] for o in order] == ["a", "b", "c", "d"]
    assert sorted(range(4), key=keys.__getitem__) == [1, 2, 0, 3]  # b heads the chain
    keys = plan.priorities([100, 1, 1, 1])  # a slow `a` outweighs the chain
    assert sorted(range(4), key=keys.__getitem__)[0] == 0


def test_an_empty_phase_does_nothing() -> None:
    ex = parallel()
    assert ex.execute(DataFlow({}, []).plan(), lambda op: None) == []
    assert ex.history == []


def test_make_executor_is_none_when_parallelism_is_off() -> None:
    assert make_executor({}, parallel=False) is None
    assert make_executor({"GRAFT_PARALLEL": "false"}, parallel=None) is None
    ex = make_executor({"GRAFT_PARALLEL": "true", "GRAFT_PARALLEL_STRATEGY": "adaptive"})
    assert isinstance(ex, ParallelExecutor) and ex.strategy.name == "adaptive"
    assert make_executor({"GRAFT_PARALLEL": "true"}, parallel=False) is None
    assert make_executor({}, parallel=True, strategy="aggressive").strategy.name == "aggressive"


def test_debug_lines_only_with_debug_on() -> None:
    specs = [Spec((k,), "cat", (), k) for k in "abcdefghijkl"]
    quiet: list[str] = []
    run(dict.fromkeys("abcdefghijkl"), specs, make_executor({}, parallel=True, log=quiet.append))
    loud: list[str] = []
    ex = make_executor({}, parallel=True, debug=True, log=loud.append)
    run(dict.fromkeys("abcdefghijkl"), specs, ex)
    assert quiet == [] and len(loud) == 2 and loud[0].startswith("Running 12 operations")


def test_debug_lines_default_to_stderr_like_graft(capsys: pytest.CaptureFixture[str]) -> None:
    ex = ParallelExecutor(ParallelConfig(enabled=True, min_ops=0, debug=True))
    run({"a": None}, [Spec(("a",), "cat", (), "A")], ex)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "DEBUG> Running 1 operations in 1 generations: 0 in parallel, 1 sequential"
    assert err[1].startswith("DEBUG> Execution completed in ")
    assert err[1].endswith(
        "every operation ran on the main thread (none was worth a worker), no speedup"
    )


def test_disabled_executor_runs_sequentially() -> None:
    ex = ParallelExecutor(ParallelConfig(enabled=False))
    out = run({"a": None}, [Spec(("a",), "cat", (), "A")], ex)
    assert out.tree == {"a": "A()"} and ex.history[0].ran_sequentially


def test_unset_workers_give_lookups_a_wide_pool_and_cpu_work_one_per_cpu() -> None:
    import os

    from graftpy.evaluator.scheduler.config import DEFAULT_IO_WORKERS

    cpus = os.cpu_count() or 1
    unset = ParallelConfig(enabled=True)
    assert unset.workers_for(io_bound=False) == cpus
    assert unset.workers_for(io_bound=True) == max(cpus, DEFAULT_IO_WORKERS)
    chosen = ParallelConfig(enabled=True, workers=3)
    assert chosen.workers_for(io_bound=True) == 3
    assert chosen.workers_for(io_bound=False) == 3
