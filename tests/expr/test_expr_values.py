"""Type rules and error texts of the infix operators (graft's unit corpus)."""

from __future__ import annotations

import pytest

from graftpy.expr import ExprError
from graftpy.expr.values import go_type, truthy

from .conftest import run


@pytest.mark.parametrize(
    ("tree", "src", "value"),
    [
        ({"a": 5, "b": 3}, "a + b", 8),
        ({"a": 5.5, "b": 3.2}, "a + b", 8.7),
        ({"a": 5, "b": 3.2}, "a + b", 8.2),
        ({"a": "hello", "b": "world"}, "a + b", "helloworld"),
        ({"a": "value: ", "b": 42}, "a + b", "value: 42"),
        ({"a": None, "b": 5}, "a + b", 5),
        ({"a": 5, "b": None}, "a + b", 5),
        ({"a": [1], "b": [2]}, "a + b", [1, 2]),
        ({"a": {"x": 1}, "b": {"y": 2}}, "a + b", {"x": 1, "y": 2}),
        ({"a": 2**63 - 1, "b": 1}, "a + b", 9.223372036854775808e18),
        ({"a": 10, "b": 3}, "a - b", 7),
        ({"a": 3, "b": 10}, "a - b", -7),
        ({"a": None, "b": 3}, "a - b", -3),
        ({"a": 5, "b": 3}, "a * b", 15),
        ({"a": 5.5, "b": 2.0}, "a * b", 11.0),
        ({"text": "ha", "count": 3}, "text * count", "hahaha"),
        ({"text": "ha", "count": 3}, "count * text", "hahaha"),
        ({"a": 100, "b": 0}, "a * b", 0),
        ({"l": [1, 2], "n": 2}, "l * n", [1, 2, 1, 2]),
        ({"a": 10, "b": 3}, "a / b", 10 / 3),
        ({"a": 10.5, "b": 2.5}, "a / b", 4.2),
        ({"a": 10, "b": 2}, "a / b", 5.0),
        ({"a": 10, "b": 3}, "a % b", 1),
        ({"a": -10, "b": 3}, "a % b", -1),
        ({"a": 10, "b": -3}, "a % b", 1),
        ({"a": 10.0, "b": 4}, "a % b", 2),
        ({}, "(2 + 3) * 4", 20),
        ({}, "2 + (3 * 4)", 14),
        ({"a": 10, "b": 2, "c": 3, "d": 4}, "a / b + c * d", 17.0),
        ({}, '"Result: " + 100', "Result: 100"),
        ({}, "10 + -5", 5),
        ({}, "10 - -5", 15),
        ({"x": 2}, "- x", -2),
    ],
)
def test_arithmetic(tree: dict, src: str, value: object) -> None:
    got = run(f"(( {src} ))", tree)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    ("tree", "src", "message"),
    [
        (
            {"a": "hello", "b": 5},
            "a - b",
            "left operand: cannot use string 'hello' in arithmetic operation",
        ),
        (
            {"a": 5, "b": True},
            "a - b",
            "right operand: cannot use boolean 'true' in arithmetic operation",
        ),
        ({"text": "x", "count": 10001}, "text * count", "string repetition count too large: 10001"),
        (
            {"text": "x", "n": -1},
            "n * text",
            "cannot multiply non-integer or negative value by string",
        ),
        ({"a": 10, "b": 0}, "a / b", "division by zero"),
        ({"a": 10, "b": None}, "a / b", "division by null"),
        ({"a": 10.5, "b": 3}, "a % b", "not an integer"),
        ({"a": 10, "b": 0}, "a % b", "modulo by zero"),
        (
            {"a": True, "b": 1},
            "a + b",
            "left operand: cannot use boolean 'true' in arithmetic operation",
        ),
        (
            {"a": 1, "b": "x"},
            "a + b",
            "right operand: cannot use string 'x' in arithmetic operation",
        ),
        (
            {"a": [1], "b": "x"},
            "a - b",
            "left operand: cannot convert []interface {} to numeric value",
        ),
        (
            {"a": None, "b": {}},
            "a - b",
            "right operand: cannot convert map[interface {}]interface {} to numeric value",
        ),
        ({"a": [1], "b": None}, "a / b", "division by null"),
        (
            {"a": None, "b": "x"},
            "a % b",
            "right operand: cannot use string 'x' in arithmetic operation",
        ),
        (
            {"a": "x", "b": True},
            "a * b",
            "left operand: cannot use string 'x' in arithmetic operation",
        ),
        (
            {"a": 2.5, "b": True},
            "a + b",
            "right operand: cannot use boolean 'true' in arithmetic operation",
        ),
        ({"a": -(2**63), "b": 1}, "a - b", f"integer overflow in subtraction: {-(2**63)} - 1"),
        ({"a": 2**62, "b": 4}, "a * b", f"integer overflow in multiplication: {2**62} * 4"),
        ({"a": "s"}, "- a", "cannot negate string 's'"),
    ],
)
def test_arithmetic_errors(tree: dict, src: str, message: str) -> None:
    with pytest.raises(ExprError) as exc:
        run(f"(( {src} ))", tree)
    assert exc.value.message == message


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("1 == 1.0", True),
        ('"a" == "a"', True),
        ('"1" == 1', False),
        ("true == 1", False),
        ("nil == nil", True),
        ("nil == 0", False),
        ("nil != 0", True),
        ("1 < 2", True),
        ("2.5 > 2", True),
        ('"apple" < "banana"', True),
        ('"10" < "2"', True),
        ("nil < 1", True),
        ("1 > nil", True),
        ("nil <= nil", True),
        ("3 >= 3", True),
        ("l == m", True),
        ("d == e", True),
        ("l == n", False),
    ],
)
def test_comparisons(src: str, value: bool) -> None:
    tree = {"l": [1, "a"], "m": [1, "a"], "n": [1.0, "a"], "d": {"k": [1]}, "e": {"k": [1]}}
    assert run(f"(( {src} ))", tree) is value


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ('"10" < 2', "less operation not supported for types string and int64"),
        ("l > l", "greater operation not supported for types []interface {} and []interface {}"),
        ("n < true", "less operation not supported for types <nil> and bool"),
        # graft's <= is "not greater" for some pairs, "less or equal" for others
        ('1 <= "a"', "greater operation not supported for types int64 and string"),
        ("1.5 <= l", "less operation not supported for types float64 and []interface {}"),
        ("1 <= l", "lessOrEqual operation not supported for types int64 and []interface {}"),
        ("1 >= l", "greaterOrEqual operation not supported for types int64 and []interface {}"),
        ("1 == l", "equal operation not supported for types int64 and []interface {}"),
        # an integer of the document is Go's int, one the expression wrote or computed int64
        ("k == l", "equal operation not supported for types int and []interface {}"),
        ("(k + 0) == l", "equal operation not supported for types int64 and []interface {}"),
    ],
)
def test_ordering_needs_comparable_values(src: str, message: str) -> None:
    with pytest.raises(ExprError) as exc:
        run(f"(( {src} ))", {"l": [1], "n": None, "k": 1})
    assert exc.value.message == message


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("true > false", True),
        ("n < 1", True),
        ("n < l", True),
        ("l > n", True),
        ("n <= n", True),
        ("1 == 1.0", True),
        ("1.5 == l", False),
    ],
)
def test_ordering_of_booleans_and_null(src: str, value: bool) -> None:
    assert run(f"(( {src} ))", {"l": [1], "n": None}) is value


@pytest.mark.parametrize(
    ("tree", "src", "value"),
    [
        ({"s": "x", "n": None}, "s + n", "x<nil>"),
        ({"s": "x", "l": [1, 2]}, "s + l", "x[1 2]"),
        ({"a": True, "b": False}, "a + b", True),
        ({"a": True, "b": False}, "a * b", False),
        ({"l": [1], "n": None}, "n + l", [1]),
        ({"m": {"a": 1}, "k": {"b": 2}}, "m + k", {"a": 1, "b": 2}),
        ({"n": None}, "n + 3", 3),
        ({"n": None}, "n - 3", -3),
        ({"l": [1], "n": None}, "l - n", [1]),
        ({"n": None, "l": [1]}, "n * l", None),
        ({"l": [1]}, "l * 3", [1, 1, 1]),
        ({"s": "ab"}, "s * 2.9", "abab"),
        ({"n": None, "m": {}}, "n / m", None),
    ],
)
def test_graft_type_rules(tree: dict, src: str, value: object) -> None:
    assert run(f"(( {src} ))", tree) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (False, False),
        (True, True),
        (0, False),
        (0.0, False),
        (5, True),
        ("", False),
        ("hello", True),
        ([], False),
        ([0], True),
        ({}, False),
        ({"a": 1}, True),
    ],
)
def test_truthiness(value: object, expected: bool) -> None:
    assert truthy(value) is expected


def test_boolean_logic_example() -> None:
    # examples/expression-operators/boolean-logic.yml as graft evaluates it
    tree = {
        "system": {"maintenance_mode": False, "health": {"api": False, "cache": True, "db": True}},
        "user": {"authenticated": True, "is_admin": False, "subscription": "premium"},
    }
    cases = {
        '(( user.subscription == "premium" || user.is_admin ))': True,
        "(( system.maintenance_mode || !system.health.api ))": False,
        "(( !system.maintenance_mode && system.health.db && (user.is_admin || user.authenticated) ))": False,
        "(( (system.maintenance_mode || !system.health.api) && user.authenticated ))": False,
        "(( !system.health.cache || system.maintenance_mode ))": False,
        '(( !"" ))': True,
        "(( !0 ))": True,
        "(( ![] ))": False,
        "(( !{} ))": False,
        "(( ![1, 2, 3] ))": False,
        '(( !"hello" ))': False,
        "(( !42 ))": False,
        "(( !false ))": True,
    }
    for src, value in cases.items():
        assert run(src, tree) is value, src


def test_go_type_names() -> None:
    assert [go_type(v) for v in (None, True, 1, 1.5, "s", [], {})] == [
        "<nil>",
        "bool",
        "int",
        "float64",
        "string",
        "[]interface {}",
        "map[interface {}]interface {}",
    ]
    assert go_type(b"\xff") == "string"  # a !!binary value that is not UTF-8: a Go string
