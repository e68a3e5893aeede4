"""The index of the calls below each path (``dataflow._calls_below``) is what the
plain construction gives, whatever the order of the calls."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.evaluator.dataflow import _calls_below


class Call:  # what _calls_below reads of an OpCall
    def __init__(self, index_path: tuple[str, ...]) -> None:
        self.index_path = index_path


def plainly(ops: list[Call]) -> dict[tuple[str, ...], list[int]]:
    below: dict[tuple[str, ...], list[int]] = {}
    for i, op in enumerate(ops):
        for n in range(len(op.index_path)):
            below.setdefault(op.index_path[:n], []).append(i)
    return below


PATHS = st.lists(st.sampled_from("ab01"), max_size=5).map(tuple)


@settings(max_examples=400, deadline=None)
@given(st.lists(PATHS, max_size=30, unique=True), st.booleans())
def test_calls_below_each_path(paths: list[tuple[str, ...]], in_order: bool) -> None:
    ops = [Call(p) for p in (sorted(paths) if in_order else paths)]
    assert _calls_below(ops) == plainly(ops)
