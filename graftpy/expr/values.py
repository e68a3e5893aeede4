"""Value semantics of graft's infix operators: truthiness, comparison, and the
dispatch to the arithmetic ones (``arithmetic``), with graft's type rules and
error texts.

* ``==``/``!=``: numbers compare by value (``3 == 3.0``), everything else must
  have the same type and be deeply equal. graft refuses to compare an integer
  with a list (``equal operation not supported for types int and []interface {}``).
* ``<``, ``>``, ``<=``, ``>=``: numbers by value, strings by bytes, booleans
  (``false < true``); null is below numbers, lists and maps. Any other pair is an
  error: ``less operation not supported for types int and string`` (``greater``
  for ``>``; types as Go's ``%T``). graft computes ``<=`` as "not greater" for some pairs and as
  "less or equal" for others, so its errors name ``greater``, ``less`` or
  ``lessOrEqual``; ours follow its choice (``_or_equal_name``).
"""

from __future__ import annotations

from typing import Any

from graftpy.expr.arithmetic import ARITHMETIC, INT64_MAX, INT64_MIN, MAX_REPEAT, negate
from graftpy.expr.arithmetic import is_number as is_number
from graftpy.expr.errors import ExprError
from graftpy.gofmt import go_type

__all__ = ["INT64_MAX", "INT64_MIN", "MAX_REPEAT", "binary", "go_type", "negate", "truthy"]


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


def kind(v: Any) -> str:
    """A short name of a value's type, for the rules below."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str | bytes):
        return "string"
    if isinstance(v, list):
        return "list"
    return "map"


Names = tuple[str, str] | None  # Go type names of the operands, where not go_type's


def _types(a: Any, b: Any, names: Names) -> str:
    return f"{names[0]} and {names[1]}" if names else f"{go_type(a)} and {go_type(b)}"


def equal(a: Any, b: Any, names: Names = None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a) == float(b)
        return a == b
    if {kind(a), kind(b)} == {"int", "list"}:
        raise ExprError(f"equal operation not supported for types {_types(a, b, names)}")
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


def compare(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 where graft can order the two values, else None."""
    ka, kb = kind(a), kind(b)
    if ka == "<nil>" or kb == "<nil>":
        others = {ka, kb} - {"<nil>"}
        if others & {"string", "bool"}:
            return None
        return (a is not None) - (b is not None)
    if is_number(a) and is_number(b):
        x, y = (float(a), float(b)) if isinstance(a, float) or isinstance(b, float) else (a, b)
        return (x > y) - (x < y)
    if ka == kb and ka in ("string", "bool"):
        return (a > b) - (a < b)
    return None


# Pairs of types graft's typed comparison handles (so its "<=" error says "less"): a
# float, boolean, list or map with another of these, or an integer with a map.
_TYPED = frozenset(("float64", "bool", "list", "map"))


def _or_equal_name(a: Any, b: Any, op: str) -> str:
    """The operation graft's error names for ``a <= b`` (``a >= b``)."""
    less, greater = ("less", "greater") if op == "<=" else ("greater", "less")
    pair = (kind(a), kind(b))
    if "string" in pair or set(pair) in ({"int", "bool"}, {"<nil>", "bool"}):
        return greater  # "not greater than"
    if pair[0] != pair[1] and (set(pair) <= _TYPED or set(pair) == {"int", "map"}):
        return less  # "less than, or equal"
    return "lessOrEqual" if op == "<=" else "greaterOrEqual"


def order(op: str, a: Any, b: Any, names: Names = None) -> bool:
    c = compare(a, b)
    if c is None:
        name = {"<": "less", ">": "greater"}.get(op) or _or_equal_name(a, b, op)
        raise ExprError(f"{name} operation not supported for types {_types(a, b, names)}")
    if op == "<":
        return c < 0
    if op == ">":
        return c > 0
    if op == "<=":
        return c <= 0
    return c >= 0


def binary(op: str, a: Any, b: Any, names: Names = None) -> Any:
    """The value of ``a op b`` for an arithmetic or comparison operator; ``names``
    gives the operands' Go types for the comparisons' errors (an integer the
    expression wrote or computed is graft's ``int64``, the document's ``int``)."""
    fn = ARITHMETIC.get(op)
    if fn is not None:
        return fn(a, b)
    if op == "==":
        return equal(a, b, names)
    if op == "!=":
        return not equal(a, b, names)
    if op in ("<", ">", "<=", ">="):
        return order(op, a, b, names)
    raise ExprError(f"unknown operator: {op}")
