"""graft's ``+ - * / %`` on decoded YAML values, with its type rules and error texts.

* ``+``: a string on the left joins the right side's Go text (``"x" + 1`` is ``x1``,
  ``"x" + nil`` is ``x<nil>``); two booleans give their ``or``; lists join and maps
  merge (null counts as empty); otherwise the operands are numbers, null being
  nothing (``nil + 3`` is ``3``).
* ``*``: a string or a list times a number repeats it (a float count is truncated);
  two booleans give their ``and``; null on either side gives null.
* ``-``: ``x - nil`` is ``x``; ``nil - x`` is ``-x``. ``/`` and ``%``: ``nil / x`` is
  null, ``x / nil`` an error.

Numbers behave as Go's int64 and float64: ``+`` falls back to a float on overflow,
``-`` and ``*`` report it; ``/`` always gives a float; ``%`` needs whole numbers
and keeps the sign of the dividend. An operand that is no number is reported
left first: ``left operand: cannot use string 'x' in arithmetic operation``
(``boolean`` for a boolean) and ``cannot convert []interface {} to numeric value``
for a list or a map. graft checks strings and booleans on both sides before it
looks at null, lists and maps.

Where graft joins the texts of a number, boolean, list or map with another of
these kinds (``2.5 + true`` is ``2.5true`` there), this is an error naming the
operand (README, differences).
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


def _fits(n: int) -> bool:
    return INT64_MIN <= n <= INT64_MAX


def _not_a_number(side: str, v: Any) -> ExprError:
    if isinstance(v, str):
        return ExprError(f"{side} operand: cannot use string '{v}' in arithmetic operation")
    if isinstance(v, bool):
        text = "true" if v else "false"
        return ExprError(f"{side} operand: cannot use boolean '{text}' in arithmetic operation")
    return ExprError(f"{side} operand: cannot convert {go_type(v)} to numeric value")


def _no_text_left(a: Any) -> None:
    """graft's first check: a string or boolean on the left is no number."""
    if isinstance(a, str | bool):
        raise _not_a_number("left", a)


def _numbers(a: Any, b: Any) -> None:
    if not is_number(a):
        raise _not_a_number("left", a)
    if not is_number(b):
        raise _not_a_number("right", b)


def add(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        return a + _text(b)
    if isinstance(a, bool) and isinstance(b, bool):
        return a or b
    if isinstance(a, list) and (isinstance(b, list) or b is None):
        return [*a, *(b or [])]
    if isinstance(a, dict) and (isinstance(b, dict) or b is None):
        return {**a, **(b or {})}
    if a is None:
        if b is None or isinstance(b, list | dict) or is_number(b):
            return b
        raise _not_a_number("right", b)
    if b is None and is_number(a):
        return a
    _numbers(a, b)
    r = a + b
    if isinstance(r, int) and not _fits(r):
        return float(a) + float(b)
    return r


def _text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return sprint(v)


def subtract(a: Any, b: Any) -> Any:
    _no_text_left(a)
    if b is None:
        return a
    if a is None:
        if not is_number(b):
            raise _not_a_number("right", b)
        return -b
    _numbers(a, b)
    r = a - b
    if isinstance(r, int) and not _fits(r):
        raise ExprError(f"integer overflow in subtraction: {a} - {b}")
    return r


def multiply(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        if not is_number(b):
            raise _not_a_number("left", a)
        return _repeat_string(a, b, "cannot multiply string by non-integer or negative value")
    if isinstance(b, str):
        if is_number(a):
            return _repeat_string(b, a, "cannot multiply non-integer or negative value by string")
        if a is None:
            raise _not_a_number("right", b)
        raise _not_a_number("left", a)
    if isinstance(a, bool) or isinstance(b, bool):
        if isinstance(a, bool) and isinstance(b, bool):
            return a and b
        if isinstance(a, bool | list | dict):
            raise _not_a_number("left", a)
        raise _not_a_number("right", b)
    if a is None or b is None:
        return None
    if isinstance(a, list):
        if isinstance(b, int):
            return _repeat_list(a, b)
        raise _not_a_number("left", a)
    if isinstance(b, list):
        if isinstance(a, int):
            return _repeat_list(b, a)
        if isinstance(a, dict):
            raise _not_a_number("left", a)
        raise _not_a_number("right", b)
    _numbers(a, b)
    r = a * b
    if isinstance(r, int) and not _fits(r):
        raise ExprError(f"integer overflow in multiplication: {a} * {b}")
    return r


def _repeat_string(s: str, n: Any, problem: str) -> str:
    count = math.trunc(n) if isinstance(n, float) and math.isfinite(n) else n
    if not isinstance(count, int) or count < 0:
        raise ExprError(problem)
    if count > MAX_REPEAT:
        raise ExprError(f"string repetition count too large: {count}")
    return s * count


def _repeat_list(items: list, n: int) -> list:
    if n < 0:
        raise ExprError(f"cannot repeat list negative times: {n}")
    if items and n > MAX_REPEAT // len(items):
        raise ExprError(
            f"list repetition too large (would result in {len(items) * n} elements, max {MAX_REPEAT})"
        )
    return items * n


def _dividing(a: Any, b: Any, what: str) -> bool:
    """The operands of / and %: False when null on the left makes the result null."""
    _no_text_left(a)
    if a is None:
        if isinstance(b, str | bool):
            raise _not_a_number("right", b)
        return False
    if b is None:
        raise ExprError(f"{what} by null")
    _numbers(a, b)
    return True


def divide(a: Any, b: Any) -> Any:
    if not _dividing(a, b, "division"):
        return None
    if b == 0:
        raise ExprError("division by zero")
    return float(a) / float(b)


def modulo(a: Any, b: Any) -> Any:
    if not _dividing(a, b, "modulo"):
        return None
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


ARITHMETIC = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": modulo}
