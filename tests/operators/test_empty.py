from __future__ import annotations

import pytest

from graftpy.operators.empty import is_empty


def test_empty_type_names_as_words_and_literals(merge):
    out = merge(
        """
        a: (( empty hash ))
        b: (( empty array ))
        c: (( empty string ))
        d: (( empty "map" ))
        e: (( empty "list" ))
        f: (( empty "STRING" ))
        """
    )
    assert out == {"a": {}, "b": [], "c": "", "d": {}, "e": [], "f": ""}


def test_empty_replaces_merged_values(merge):
    out = merge(
        "meta: {first: {foo: bar}, second: [1]}\n",
        "meta: {first: (( empty hash )), second: (( empty array ))}\n",
    )
    assert out == {"meta": {"first": {}, "second": []}}


def test_empty_type_from_an_expression(merge):
    out = merge("t: {l: array}\nx: (( empty (grab t.l) ))\n")
    assert out["x"] == []


def test_empty_tests_values(merge):
    out = merge(
        """
        v: {el: [], fl: [1], em: {}, fm: {a: 1}, zero: 0, s: prod, es: "", nil: ~, f: false}
        c: [(( empty v.el )), (( empty v.fl )), (( empty v.em )), (( empty v.fm )),
            (( empty v.zero )), (( empty v.s )), (( empty v.es )), (( empty v.nil )), (( empty v.f ))]
        """
    )
    assert out["c"] == [True, False, True, False, True, False, True, True, True]


def test_empty_errors(merge_error):
    assert merge_error("x: (( empty ))\nz: (( empty nothing.here ))\n") == [
        " - $.x: empty operator requires exactly one argument",
        " - $.z: Unable to resolve `nothing.here`: `$.nothing` could not be found in the datastructure",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        (0, True),
        (0.0, True),
        (1, False),
        (-0.5, False),
        ("", True),
        ("x", False),
        ([], True),
        ({}, True),
        (False, True),
        (True, False),
    ],
)
def test_is_empty(value, expected):
    assert is_empty(value) is expected
