"""Go's float formatting, as graft's two encoders use it.

* YAML output (the 2016 go-yaml fork): ``strconv.FormatFloat(f, 'g', -1, 32)``:
  the value is rounded to float32 first (``3.3333333``, ``7.776e+06``), then
  ``.inf``/``-.inf``/``.nan`` replace Go's ``+Inf``/``-Inf``/``NaN``.
* JSON output (``encoding/json``): shortest float64 digits, plain notation
  between 1e-6 and 1e21, else ``1e+21`` / ``1e-7`` style.
"""

from __future__ import annotations

import math
import struct

_F32 = struct.Struct("<f")


def _to_float32(f: float) -> float:
    """Go's ``float32(f)``: round to nearest, overflow to infinity."""
    try:
        return _F32.unpack(_F32.pack(f))[0]
    except OverflowError:
        return math.copysign(math.inf, f)


def _digits_exp(text: str) -> tuple[str, int]:
    """Significant digits and decimal exponent of the first digit, from ``%e`` text."""
    mantissa, _, exp = text.partition("e")
    digits = mantissa.replace(".", "").lstrip("-").rstrip("0") or "0"
    return digits, int(exp)


def _shortest32(f: float) -> tuple[str, int]:
    """Shortest digits that read back (as float32) to the float32 value ``f``."""
    for precision in range(1, 10):
        text = f"{f:.{precision - 1}e}"
        try:
            if _F32.unpack(_F32.pack(float(text)))[0] == f:
                return _digits_exp(text)
        except OverflowError:
            continue
    return _digits_exp(f"{f:.8e}")


def _layout(negative: bool, digits: str, exp: int, exponent_form: bool, exp_width: int) -> str:
    """Digits laid out as Go does: ``d.ddde+XX`` or plain ``ddd.ddd``."""
    sign = "-" if negative else ""
    if exponent_form:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{exp_width}d}"
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return f"{sign}{digits[: exp + 1]}.{digits[exp + 1 :]}"


def yaml_float(f: float) -> str:
    """The text go-yaml (graft's encoder) writes for a float."""
    if math.isnan(f):
        return ".nan"
    f32 = _to_float32(f)
    if math.isinf(f32):
        return ".inf" if f32 > 0 else "-.inf"
    if f32 == 0:
        return "-0" if math.copysign(1.0, f32) < 0 else "0"
    digits, exp = _shortest32(abs(f32))
    # %g with shortest precision: exponent form below 1e-4 and from 1e+6
    return _layout(f32 < 0, digits, exp, exp < -4 or exp >= 6, 2)


def json_float(f: float) -> str:
    """``encoding/json``'s text for a finite float64."""
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    a = abs(f)
    digits, exp = _digits_exp(_repr_e(a))
    return _layout(f < 0, digits, exp, a < 1e-6 or a >= 1e21, 1)


def _repr_e(f: float) -> str:
    """Shortest round-trip digits of a positive float64 (Python's repr) as ``d.ddde±X``."""
    r = repr(f)
    if "e" in r:
        return r
    int_part, _, frac = r.partition(".")
    if int_part != "0":
        digits = (int_part + frac).rstrip("0") or "0"
        return f"{digits[0]}.{digits[1:] or '0'}e{len(int_part) - 1}"
    stripped = frac.lstrip("0")
    return f"{stripped[0]}.{stripped[1:] or '0'}e{-(len(frac) - len(stripped)) - 1}"
