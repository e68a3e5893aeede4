"""Go's ``strconv`` number parsing, for the places where graft decides what a
string is by asking ``ParseInt`` / ``ParseFloat``.

* ``parse_float`` is ``strconv.ParseFloat(s, 64)``: decimal or hexadecimal
  (``0x1.8p3``, the ``p`` exponent required) mantissas, underscores only between
  digits (or right after a base prefix), ``inf``/``infinity`` with an optional
  sign and ``nan`` in any case. An overflow is an error (``None``); an underflow
  gives zero.
* ``parse_int`` is ``strconv.ParseInt(s, base, 64)``, and with
  ``unsigned=True`` ``ParseUint``: base 0 reads the ``0x``/``0o``/``0b`` and
  leading-``0`` octal prefixes and allows underscores; other bases do not.
"""

from __future__ import annotations

import math

from graftpy.lazy_regex import LazyPattern

INT64_MIN, INT64_MAX, UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1

_DECIMAL = LazyPattern(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?\Z")
_HEX = LazyPattern(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+\Z")
_SPECIAL = frozenset(("inf", "infinity", "+inf", "+infinity", "-inf", "-infinity", "nan"))
_PREFIXES = {"0x": 16, "0o": 8, "0b": 2}


def underscore_ok(s: str) -> bool:
    """Go's ``underscoreOK``: each ``_`` sits between digits (a base prefix counts)."""
    saw = "^"  # ^ start, 0 digit or prefix, _ underscore, ! anything else
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexadecimal = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i, saw, hexadecimal = 2, "0", s[1] in "xX"
    for c in s[i:]:
        if c.isdigit() and c.isascii() or hexadecimal and c in "abcdefABCDEF":
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def parse_float(s: str) -> float | None:
    """``strconv.ParseFloat(s, 64)``, or None where Go returns an error."""
    if s.lower() in _SPECIAL:
        low = s.lower()
        return math.nan if low == "nan" else -math.inf if low[0] == "-" else math.inf
    hexadecimal = _HEX.match(s) is not None
    if not hexadecimal and _DECIMAL.match(s) is None:
        return None
    if "_" in s:
        if not underscore_ok(s):
            return None
        s = s.replace("_", "")
    try:
        value = float.fromhex(s) if hexadecimal else float(s)
    except (OverflowError, ValueError):
        return None
    return None if math.isinf(value) else value


def parse_int(s: str, base: int = 0, *, unsigned: bool = False) -> int | None:
    """``strconv.ParseInt(s, base, 64)`` (``ParseUint`` when ``unsigned``), or None."""
    sign = ""
    body = s
    if body[:1] in ("+", "-"):
        if unsigned:
            return None
        sign, body = body[0], body[1:]
    if base == 0:
        base = 10
        prefix = body[:2].lower()
        if prefix in _PREFIXES:
            base, body = _PREFIXES[prefix], body[2:]
        elif body[:1] == "0" and len(body) > 1:
            base, body = 8, body[1:]
        if "_" in body:
            if not underscore_ok(s):
                return None
            body = body.replace("_", "")
    if not body or not body.isascii() or not body.isalnum():
        return None
    try:
        value = int(body, base)
    except ValueError:
        return None
    if sign == "-":
        value = -value
    if unsigned:
        return value if value <= UINT64_MAX else None
    return value if INT64_MIN <= value <= INT64_MAX else None
