"""Go's ``%v`` formatting of plain values.

graft builds many strings (concat, join, keys, error messages) with Go's
``fmt.Sprintf("%v", x)``. These helpers reproduce that text for the Python
values our loader produces, so output matches byte for byte.
"""

from __future__ import annotations

import math
from typing import Any


def shortest_digits(f: float) -> tuple[str, int]:
    """Shortest round-tripping significant digits of ``abs(f)`` and its decimal exponent."""
    mantissa, _, exp_text = repr(abs(f)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    # exponent of the first significant digit
    if int_part.strip("0"):
        exp = len(int_part.lstrip("0")) - 1
    else:
        exp = -(len(frac_part) - len(frac_part.lstrip("0"))) - 1
    exp += int(exp_text or 0)
    return digits.rstrip("0") or "0", exp


def layout_float(negative: bool, digits: str, exp: int, exponent_form: bool, exp_width: int) -> str:
    """Significant ``digits`` (first one at 10**``exp``) laid out as Go does:
    ``d.ddde+XX`` (the exponent at least ``exp_width`` digits) or plain ``ddd.ddd``."""
    sign = "-" if negative else ""
    if exponent_form:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{exp_width}d}"
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return f"{sign}{digits[: exp + 1]}.{digits[exp + 1 :]}"


def format_float(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``, which is also Go's ``%v``: the exponent
    form below 1e-4 and from 1e+06 (``1e+06``, ``1.23456789e+08``, ``100000``)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0.0:  # (a float key is unequal to the int 0: typedkeys)
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    digits, exp = shortest_digits(f)
    return layout_float(f < 0, digits, exp, exp < -4 or exp >= 6, 2)


def go_type(v: Any) -> str:
    """Go's ``%T`` for our data, as graft's messages print it."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, (str, bytes)):  # go-yaml decodes !!binary into a Go string too
        return "string"
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, dict):
        return "map[interface {}]interface {}"
    return type(v).__name__


def sprint(v: Any) -> str:
    """Go's ``fmt.Sprintf("%v", v)`` for scalars; containers in Go's map/slice form."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return format_float(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "[" + " ".join(sprint(x) for x in v) + "]"
    if isinstance(v, dict):
        items = sorted(((sprint(k), sprint(x)) for k, x in v.items()))
        return "map[" + " ".join(f"{k}:{x}" for k, x in items) + "]"
    return str(v)
