"""Scalars as graft's encoder hands them to the emitter: text, requested style, tag.

A string that would read back as another type (``"true"``, ``"1"``, ``""``) or
a base-60 number asks for double quotes; one holding ``\\n`` asks for a
literal block; any other string asks for plain. Numbers, booleans and null are
plain (floats with float32 precision, see ``floats``). ``bytes`` that are not
UTF-8 (Go strings of raw bytes) become ``!!binary`` base64.
"""

from __future__ import annotations

import base64
from typing import Any

from graftpy.yamlio.floats import yaml_float
from graftpy.yamlio.resolve import is_plain_string
from graftpy.yamlio.scalar_style import boring

BEST_WIDTH = 80
PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"
BINARY_TAG = "!!binary"


def scalar_text(value: Any) -> tuple[str, str, str]:
    """The text of a scalar, the style the encoder asks for, and its tag ("" or !!binary)."""
    t = value.__class__
    if t is str:
        if not is_plain_string(value):
            return value, DOUBLE, ""
        return value, LITERAL if "\n" in value else PLAIN, ""
    if value is None:
        return "null", PLAIN, ""
    if t is bool:
        return ("true" if value else "false"), PLAIN, ""
    if t is int:
        return str(value), PLAIN, ""
    if t is float:
        return yaml_float(value), PLAIN, ""
    if t is bytes:  # a Go string that is not UTF-8 is written as base64
        try:
            return scalar_text(value.decode("utf-8"))
        except UnicodeDecodeError:
            text = _base64_lines(value)
            return text, LITERAL if "\n" in text else PLAIN, BINARY_TAG
    for plain_type in (str, bool, int, float):  # subclasses of the plain types
        if isinstance(value, plain_type):
            return scalar_text(plain_type(value))
    raise TypeError(f"cannot marshal type: {t.__name__}")


_plain_cache: dict[str, bool] = {}


def plain_as_is(s: str) -> bool:
    """Whether ``s`` is written plain, exactly as it is (cached)."""
    hit = _plain_cache.get(s)
    if hit is None:
        hit = boring(s) and is_plain_string(s)
        if len(_plain_cache) < 100_000:
            _plain_cache[s] = hit
    return hit


def short_plain(value: Any, column: int) -> str | None:
    """The text of a scalar written plain without any fold after ``column``, else None."""
    t = value.__class__
    if t is str:
        if plain_as_is(value) and (column + len(value) < BEST_WIDTH or " " not in value):
            return value
        return None
    if t is int:
        return str(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is float:
        return yaml_float(value)
    return None


def _base64_lines(data: bytes) -> str:
    """go-yaml's ``encodeBase64``: 70-column lines, each ending in a newline if several."""
    encoded = base64.b64encode(data).decode("ascii")
    if len(encoded) // 70 + 1 == 1:
        return encoded
    return "".join(encoded[i : i + 70] + "\n" for i in range(0, len(encoded), 70))
