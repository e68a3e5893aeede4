from __future__ import annotations

from collections import Counter


def test_shuffle_keeps_the_entries(merge):
    out = merge('a: [1, 2, 3, 4, 5, 6, 7, 8]\nb: x\ns: (( shuffle a b "y" ))\n')
    assert Counter(out["s"]) == Counter([1, 2, 3, 4, 5, 6, 7, 8, "x", "y"])


def test_shuffle_changes_order_sometimes(merge):
    orders = {tuple(merge("a: [1, 2, 3, 4, 5, 6]\ns: (( shuffle a ))\n")["s"]) for _ in range(10)}
    assert len(orders) > 1


def test_shuffle_without_arguments_is_empty(merge):
    assert merge("s: (( shuffle ))\n")["s"] == []


def test_shuffle_errors(merge_error):
    assert merge_error("m: {a: 1}\nnone: ~\nx: (( shuffle m ))\nz: (( shuffle none ))\n") == [
        " - $.x: shuffle only accepts arrays and scalar values",
        " - $.z: shuffle operator argument cannot be nil",
    ]
