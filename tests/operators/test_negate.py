from __future__ import annotations

import pytest

from graftpy.operators.negate import is_falsy


def test_negate_uses_graft_truthiness(merge):
    out = merge(
        """
        v: {t: true, f: false, es: "", s: hi, zero: 0, num: 42, nil: ~, el: [], l: [1]}
        r: [(( negate v.t )), (( negate v.f )), (( negate v.es )), (( negate v.s )),
            (( negate v.zero )), (( negate v.num )), (( negate v.nil )), (( negate v.el )),
            (( negate v.l ))]
        """
    )
    assert out["r"] == [False, True, True, False, True, False, True, True, False]


def test_negate_of_nested_call(merge):
    out = merge(
        "d: {users: [], admins: [a]}\nx: (( negate (empty d.users) ))\nz: (( negate (empty d.admins) ))\n"
    )
    assert (out["x"], out["z"]) == (False, True)


def test_negate_errors(merge_error):
    assert merge_error("x: (( negate ))\nz: (( negate nope ))\n") == [
        " - $.x: negate operator requires exactly one argument",
        " - $.z: Unable to resolve `nope`: `$.nope` could not be found in the datastructure",
    ]


@pytest.mark.parametrize("value", [None, False, "", 0, 0.0, [], {}])
def test_falsy_values(value):
    assert is_falsy(value)


@pytest.mark.parametrize("value", [True, "0", 1, -1.5, [None], {"a": None}])
def test_truthy_values(value):
    assert not is_falsy(value)
