from __future__ import annotations

import math
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy.errors import GraftError
from graftpy.operators.calc import calculate, path_candidates, replace_references
from graftpy.tree import resolve

FUNCTIONS_DOC = """
meta:
  numA: 8.333
  numB: 3.666
homework:
  max: (( calc "max(meta.numA, meta.numB)" ))
  min: (( calc "min(meta.numA, meta.numB)" ))
  mod: (( calc "mod(meta.numA, meta.numB)" ))
  pow: (( calc "pow(meta.numA, meta.numB)" ))
  sqrt: (( calc "sqrt(meta.numA)" ))
  floor: (( calc "floor(meta.numB)" ))
  ceil: (( calc "ceil(meta.numA)" ))
"""


def test_builtin_functions(merge):
    hw = merge(FUNCTIONS_DOC)["homework"]
    assert hw["max"] == 8.333 and hw["min"] == 3.666
    assert hw["mod"] == pytest.approx(1.001)
    assert hw["pow"] == pytest.approx(2374.9685654)
    assert hw["sqrt"] == pytest.approx(2.8866936)
    assert (hw["floor"], hw["ceil"]) == (3, 9)
    assert isinstance(hw["floor"], int)


def test_references_are_dependencies(merge):
    out = merge(
        """
        meta:
          target_mem: 144
          extras: (( grab meta.custom-extras || 0 ))
        jobs:
        - name: small_ones
          instances: (( calc "floor((meta.target_mem - jobs.big_ones.instances * 32) / 16)" ))
        - name: big_ones
          instances: (( calc "floor(meta.target_mem / 32)" ))
        - name: extra_ones
          instances: (( calc "2 + meta.extras" ))
        """
    )
    assert [j["instances"] for j in out["jobs"]] == [1, 4, 2]


def test_integral_results_are_ints(merge):
    out = merge('int: (( calc "90 * 86400" ))\nfloat: (( calc "(90 * 86400) + 0.1" ))\n')
    assert out["int"] == 7776000 and isinstance(out["int"], int)
    assert out["float"] == 7776000.1


def test_argument_may_be_a_reference(merge):
    out = merge(
        'num: 3\nexpr: "meta.two * 2"\nmeta: {two: 2}\nx: (( calc num ))\nz: (( calc expr ))\n'
    )
    assert (out["x"], out["z"]) == (3, 4)


def test_argument_count_and_type(merge_error):
    assert merge_error('x: (( calc "1 + 1" "2 + 2" ))\nm: {a: 1}\nz: (( calc m ))\n') == [
        " - $.x: calc operator only expects one argument containing the expression",
        " - $.z: calc operator argument must resolve to a string or number, "
        "got map[interface {}]interface {}",
    ]


def test_named_variables_are_refused(merge_error):
    assert merge_error('x: (( calc "2 * pi * r" ))\n') == [
        " - $.x: calc operator does not support named variables in expression: pi, r"
    ]


def test_function_argument_checks(merge_error):
    lines = merge_error(
        """
        meta: {a: 8.333, b: 3.666}
        max: (( calc "max(meta.a)" ))
        sqrt: (( calc "sqrt(meta.a, meta.b)" ))
        """
    )
    assert lines == [
        " - $.max: max function expects two arguments of type float64",
        " - $.sqrt: sqrt function expects one argument of type float64",
    ]


def test_referenced_types(merge_error):
    lines = merge_error(
        """
        meta: {s: hi, nil: ~, m: {k: v}, l: [1]}
        s: (( calc "1.0 * meta.s" ))
        nil: (( calc "1.0 * meta.nil" ))
        m: (( calc "1.0 * meta.m" ))
        l: (( calc "1.0 * meta.l" ))
        """
    )
    assert lines == [
        " - $.l: path meta.l is of type slice, which cannot be used in calculations",
        " - $.m: path meta.m is of type map, which cannot be used in calculations",
        " - $.nil: path meta.nil references a nil value, which cannot be used in calculations",
        " - $.s: path meta.s is of type string, which cannot be used in calculations",
    ]


def test_missing_reference(merge_error):
    assert merge_error('x: (( calc "meta.nope + 1" ))\nmeta: {}\n') == [
        " - $.x: `$.meta.nope` could not be found in the datastructure"
    ]


def test_path_candidates_skip_numbers():
    assert path_candidates("1.5 * a.b - 2.0e3 + c.d-e.f") == (("a", "b"), ("c", "d-e", "f"))


def test_references_are_replaced_textually():
    tree = {"a": {"i": 2, "f": 0.5}}
    assert replace_references("a.i + a.f", lambda p: resolve(tree, p)) == "2 + 0.500000"


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("10 - 2 - 3", 5),
        ("2 ** 3 ** 2", 64),
        ("-2 ** 2", 4),
        ("2 * -3", -6),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("5 & 3", 1),
        ("5 | 3", 7),
        ("5 ^ 3", 6),
        ("1 << 4", 16),
        ("~5", -6),
        ("1 < 2 && 2 < 3", True),
        ("false && 1", False),
        ("true ? 1 : 2", 1),
        ("false ? 1 : 2", 2),
        ("'a' + 1", "a1"),
        ("1, 2", [1.0, 2.0]),
        ("()", None),
        ("1 / 0", math.inf),
    ],
)
def test_govaluate_semantics(expr, want):
    assert calculate(expr) == want


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("", "Unexpected end of expression"),
        ("1 +", "Unexpected end of expression"),
        ("2*-3", "Invalid token: '*-'"),
        ("(1", "Unbalanced parenthesis"),
        ("1 2", "Cannot transition token types from NUMERIC [1] to NUMERIC [2]"),
        ("foo(1)", "Undefined function foo"),
        ("'open", "Unclosed string literal"),
        ("1 > 'a'", "Value '1' cannot be used with the comparator '>', it is not a number"),
        ("true * 2", "Value 'true' cannot be used with the modifier '*', it is not a number"),
        ("1 && true", "Value '1' cannot be used with the logical operator '&&', it is not a bool"),
        ("1 ? 2 : 3", "Value '1' cannot be used with the ternary operator '?', it is not a bool"),
        ("-'a'", "Cannot transition token types from PREFIX [-] to STRING [a]"),
    ],
)
def test_govaluate_errors(expr, message):
    with pytest.raises(GraftError) as info:
        calculate(expr)
    assert info.value.message == message


small = st.integers(min_value=-1000, max_value=1000)
OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}


@given(small, small, small, st.sampled_from(sorted(OPS)), st.sampled_from(sorted(OPS)))
def test_integer_arithmetic_precedence_and_associativity(a, b, c, op1, op2):
    f, g = OPS[op1], OPS[op2]
    want = f(a, g(b, c)) if op2 == "*" and op1 != "*" else g(f(a, b), c)
    assert calculate(f"({a}) {op1} ({b}) {op2} ({c})") == want
