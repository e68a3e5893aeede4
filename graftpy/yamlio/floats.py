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

from graftpy.gofmt import layout_float, shortest_digits

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
    return layout_float(f32 < 0, digits, exp, exp < -4 or exp >= 6, 2)


def json_float(f: float) -> str:
    """``encoding/json``'s text for a finite float64."""
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    a = abs(f)
    digits, exp = shortest_digits(a)
    return layout_float(f < 0, digits, exp, a < 1e-6 or a >= 1e21, 1)
