"""Property: for random dependency graphs, every strategy and worker count gives the
sequential result exactly (same tree bytes, same errors in the same order, same
order of run-wide side effects)."""

from __future__ import annotations

import sys

import pytest
from harness import Spec, parallel, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graftpy.errors import GraftError

_interval = sys.getswitchinterval()


def setup_module() -> None:
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: shake out races


def teardown_module() -> None:
    sys.setswitchinterval(_interval)


OP_KINDS = ["cat", "cat", "yielding", "yielding", "fail", "count", "inject"]


@st.composite
def phases(draw: st.DrawFn) -> tuple[dict, list[Spec]]:
    n = draw(st.integers(1, 28))
    tree: dict = {}
    wheres: list[tuple[str, ...]] = []
    containers: list[tuple[str, ...]] = []
    for i in range(n):
        place = draw(st.sampled_from(["top", "map", "list"]))
        j = draw(st.integers(0, 2))
        if place == "top":
            where: tuple[str, ...] = (f"k{i}",)
            tree[where[0]] = None
        elif place == "map":
            where = (f"m{j}", f"k{i}")
            tree.setdefault(f"m{j}", {})[f"k{i}"] = None
            containers.append((f"m{j}",))
        else:
            entry = {"name": f"n{i}", "v": None}
            tree.setdefault(f"l{j}", []).append(entry)
            where = (f"l{j}", f"n{i}", "v")
            containers += [(f"l{j}",), (f"l{j}", f"n{i}")]
        wheres.append(where)

    specs: list[Spec] = []
    for i, where in enumerate(wheres):
        parent = tree
        for k in where[:-1]:
            parent = (
                parent[k] if isinstance(parent, dict) else next(e for e in parent if e["name"] == k)
            )
        if not draw(st.booleans()) and i:  # a literal
            parent[where[-1]] = draw(st.sampled_from(["plain", "has x", 7, [1, 2], {"z": 1}]))
            continue
        op = draw(st.sampled_from(OP_KINDS))
        reads = []
        for _ in range(draw(st.integers(0, 3))):
            pick = draw(st.integers(0, 9))
            if pick < 6 and i:  # an earlier slot: mostly acyclic
                reads.append(wheres[draw(st.integers(0, i - 1))])
            elif pick < 7:  # any slot: may close a cycle
                reads.append(draw(st.sampled_from(wheres)))
            elif pick < 9 and containers:  # a whole map / list / list entry
                reads.append(draw(st.sampled_from(containers)))
            else:
                reads.append(("nowhere", "to", "be", "found"))
        arg: object = f"L{i}"
        if op == "inject":
            if not isinstance(parent, dict) or len(where) > 2:
                op = "cat"
            else:
                arg = {f"new{i}": i, f"new{i % 3}": f"from {i}"}
        if op == "fail" and draw(st.booleans()):
            arg = "always"
        parent[where[-1]] = f"(( {op} ))"
        specs.append(Spec(where, op, tuple(reads), arg))
    return tree, specs


def _reference(tree: dict, specs: list[Spec]) -> object:
    try:
        return run(tree, specs)
    except GraftError as exc:  # cycles: found while planning, before any executor runs
        return type(exc)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    phase=phases(),
    strategy=st.sampled_from(["conservative", "aggressive", "adaptive"]),
    workers=st.sampled_from([1, 2, 3, 8]),
)
def test_parallel_equals_sequential(phase: tuple, strategy: str, workers: int) -> None:
    tree, specs = phase
    expected = _reference(tree, specs)
    if isinstance(expected, type):
        with pytest.raises(expected):
            run(tree, specs, parallel(strategy, workers))
        return
    got = run(tree, specs, parallel(strategy, workers))
    assert got.rendered == expected.rendered
    assert got.errors == expected.errors
    assert got.side_effects == expected.side_effects


def test_the_generator_makes_interesting_graphs() -> None:
    """Guard against a generator that silently produces only trivial phases."""
    seen: set[str] = set()

    @settings(
        max_examples=100,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(phases())
    def sample(phase: tuple) -> None:
        out = _reference(*phase)
        if isinstance(out, type):
            seen.add("cycle")
        elif len(phase[1]) >= 8:
            seen.update(
                k for k, hit in (("errors", out.errors), ("effects", out.side_effects)) if hit
            )
            seen.update("inject" for s in phase[1] if s.op == "inject")

    sample()
    assert seen == {"cycle", "errors", "effects", "inject"}
