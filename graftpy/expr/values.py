"""Value semantics of graft's infix operators: truthiness, arithmetic and
comparison, with graft's type rules and error texts.

Integers behave as Go's int64: ``+`` falls back to a float on overflow, ``-``
and ``*`` report it. ``/`` always gives a float. ``%`` needs whole numbers and
keeps the sign of the dividend, as Go does.
"""

from __future__ import annotations

import math
from typing import Any

from graftpy.expr.errors import ExprError
from graftpy.gofmt import go_type, sprint

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_REPEAT = 10000


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def truthy(v: Any) -> bool:
    """false, nil, 0, "", [] and {} are false; everything else is true."""
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if is_number(v):
        return v != 0
    if isinstance(v, str | list | dict):
        return len(v) > 0
    return True


def _fits(n: int) -> bool:
    return INT64_MIN <= n <= INT64_MAX


def _operand_error(side: str, v: Any) -> ExprError:
    return ExprError(
        f"{side} operand: cannot use {go_type(v)} '{sprint(v)}' in arithmetic operation"
    )


def _check_numbers(a: Any, b: Any) -> None:
    if not is_number(a):
        raise _operand_error("left", a)
    if not is_number(b):
        raise _operand_error("right", b)


def add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if is_number(a) and is_number(b):
        r = a + b
        if isinstance(r, int) and not _fits(r):
            return float(a) + float(b)
        return r
    if isinstance(a, str) or isinstance(b, str):
        return _text(a) + _text(b)
    if isinstance(a, list) and isinstance(b, list):
        return [*a, *b]
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **b}
    raise ExprError(f"cannot add {go_type(a)} and {go_type(b)}")


def _text(v: Any) -> str:
    return v if isinstance(v, str) else sprint(v)


def subtract(a: Any, b: Any) -> Any:
    if a is None and b is None:
        return None
    if a is None and is_number(b):
        return -b
    if b is None:
        return a
    _check_numbers(a, b)
    r = a - b
    if isinstance(r, int) and not _fits(r):
        raise ExprError(f"integer overflow in subtraction: {a} - {b}")
    return r


def multiply(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        return _repeat_string(a, b, "cannot multiply string by non-integer or negative value")
    if isinstance(b, str):
        return _repeat_string(b, a, "cannot multiply non-integer or negative value by string")
    if isinstance(a, list) and _is_int(b):
        return _repeat_list(a, b)
    if isinstance(b, list) and _is_int(a):
        return _repeat_list(b, a)
    if a is None or b is None:
        return None
    _check_numbers(a, b)
    r = a * b
    if isinstance(r, int) and not _fits(r):
        raise ExprError(f"integer overflow in multiplication: {a} * {b}")
    return r


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _repeat_string(s: str, n: Any, problem: str) -> str:
    if not _is_int(n) or n < 0:
        raise ExprError(problem)
    if n > MAX_REPEAT:
        raise ExprError(f"string repetition count too large: {n}")
    return s * n


def _repeat_list(items: list, n: int) -> list:
    if n < 0:
        raise ExprError(f"cannot repeat list negative times: {n}")
    if items and n > MAX_REPEAT // len(items):
        raise ExprError(
            f"list repetition too large (would result in {len(items) * n} elements, max {MAX_REPEAT})"
        )
    return items * n


def divide(a: Any, b: Any) -> Any:
    if a is None:
        return None
    if b is None:
        raise ExprError("division by null")
    _check_numbers(a, b)
    if b == 0:
        raise ExprError("division by zero")
    return float(a) / float(b)


def modulo(a: Any, b: Any) -> Any:
    if a is None:
        return None
    if b is None:
        raise ExprError("modulo by null")
    _check_numbers(a, b)
    x, y = _whole(a), _whole(b)
    if y == 0:
        raise ExprError("modulo by zero")
    r = abs(x) % abs(y)
    return -r if x < 0 else r  # Go: the result takes the dividend's sign


def _whole(v: Any) -> int:
    if isinstance(v, float):
        if not math.isfinite(v) or v != math.trunc(v) or not _fits(int(v)):
            raise ExprError("not an integer")
        return int(v)
    return v


def negate(v: Any) -> Any:
    if is_number(v):
        return -v
    raise ExprError(f"cannot negate {go_type(v)} '{sprint(v)}'")


def equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a) == float(b)
        return a == b
    return _deep_equal(a, b)


def _deep_equal(a: Any, b: Any) -> bool:
    """Go's reflect.DeepEqual on decoded YAML: types must match exactly."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_deep_equal(v, b[k]) for k, v in a.items())
    return a == b


def order(a: Any, b: Any) -> int:
    """-1, 0 or 1; nil sorts first, numbers by value, strings by bytes."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if is_number(a) and is_number(b):
        x, y = (float(a), float(b)) if isinstance(a, float) or isinstance(b, float) else (a, b)
        return (x > y) - (x < y)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    raise ExprError(f"cannot compare {go_type(a)} and {go_type(b)}")


ARITHMETIC = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": modulo}


def binary(op: str, a: Any, b: Any) -> Any:
    """The value of ``a op b`` for an arithmetic or comparison operator."""
    if op in ARITHMETIC:
        return ARITHMETIC[op](a, b)
    if op == "==":
        return equal(a, b)
    if op == "!=":
        return not equal(a, b)
    c = order(a, b)
    if op == "<":
        return c < 0
    if op == ">":
        return c > 0
    if op == "<=":
        return c <= 0
    if op == ">=":
        return c >= 0
    raise ExprError(f"unknown operator: {op}")
