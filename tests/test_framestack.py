"""graftpy.framestack.roomy: calls made under it do not map and unmap a frame-stack
chunk per call, wherever the chunk's end falls.

The evidence is the process's minor page faults: a chunk mapped afresh is touched
(zeroed pages), so a call that maps one faults at least once. Counted, not timed.
"""

from __future__ import annotations

import resource

import pytest

from graftpy.framestack import roomy

CALLS = 400
# this thread's faults alone where the platform counts them so (Linux): another thread's
# allocations cannot blur the count
WHO = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)


def _leaf() -> int:
    return 1


def _nested(n: int) -> int:
    a = b = c = d = 0  # noqa: F841 - a frame of some size
    return _leaf() if n == 0 else _nested(n - 1)


def _at_depth(depth: int, then):
    pad = [0]  # noqa: F841
    return then() if depth == 0 else _at_depth(depth - 1, then)


def _faults_per_call_at_worst_depth() -> float:
    """The most minor page faults per call of a short call chain, over many base depths."""
    worst = 0.0
    for depth in range(160):

        def loop() -> int:
            before = resource.getrusage(WHO).ru_minflt
            for _ in range(CALLS):
                _nested(3)
            return resource.getrusage(WHO).ru_minflt - before

        worst = max(worst, _at_depth(depth, loop) / CALLS)
    return worst


def test_a_call_chain_at_a_chunks_end_maps_nothing_under_roomy() -> None:
    without = _faults_per_call_at_worst_depth()
    if without < 0.9:
        pytest.skip("this Python keeps a spare frame-stack chunk: nothing to avoid")
    assert roomy(_faults_per_call_at_worst_depth) < 0.05, without


def test_roomy_returns_what_the_call_returns_and_raises_what_it_raises() -> None:
    assert roomy(lambda: 42) == 42
    with pytest.raises(KeyError):
        roomy(lambda: {}["missing"])
    assert roomy(lambda: _nested(500)) == 1  # deep calls beyond the reserved room still work
