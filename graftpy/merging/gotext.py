"""Small pieces of Go behaviour the merger's messages and parsing depend on.

graft builds its merge messages with ``fmt`` verbs and Go reflection kinds,
trims with ``strings.TrimSpace`` and parses numbers with ``strconv.Atoi``;
these helpers give the same answers for our plain Python values.
"""

from __future__ import annotations

import re
from typing import Any

from graftpy.gofmt import format_float
from graftpy.lazy_regex import LazyPattern

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UINT64_MAX = 2**64 - 1

# unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space separators.
# Python's str.strip() also strips \x1c-\x1f, which Go keeps.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

_ATOI = LazyPattern(r"[+-]?[0-9]+\Z")


def trim_space(s: str) -> str:
    """``strings.TrimSpace``."""
    return s.strip(_GO_SPACE)


def atoi(s: str) -> int | None:
    """``strconv.Atoi``: an optionally signed decimal that fits an int64, else None."""
    if not _ATOI.match(s):
        return None
    n = int(s)
    return n if INT64_MIN <= n <= INT64_MAX else None


def kind(v: Any) -> str:
    """``reflect.TypeOf(v).Kind().String()`` for a value go-yaml would have produced."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        if INT64_MIN <= v <= INT64_MAX:
            return "int"
        return "uint64" if 0 <= v <= UINT64_MAX else "float64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "slice"
    if isinstance(v, dict):
        return "map"
    return type(v).__name__


def _plain(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return format_float(v)
    return str(v)


def fmt_s(v: Any) -> str:
    """``fmt.Sprintf("%s", v)`` for a scalar: strings as-is, others as ``%!s(type=value)``."""
    if isinstance(v, str):
        return v
    if v is None:
        return "%!s(<nil>)"
    return f"%!s({kind(v)}={_plain(v)})"


def typed_key(v: Any) -> tuple[type, Any]:
    """A dict key that keeps Go's interface equality: 1, 1.0 and True stay distinct."""
    return (type(v), v)


_COLOR = LazyPattern(r"@[kKrRgGyYbBmMpPcCwW*]\{.*?\}", re.DOTALL)
_VERB = LazyPattern(r"%([+\-# 0]*)([0-9]*)(?:\.([0-9]*))?(.?)", re.DOTALL)


def _missing(m: re.Match[str]) -> str:
    verb = m[4]
    if verb == "%" and not (m[1] or m[2] or m[3] is not None):
        return "%"
    if not verb:
        return "%!(NOVERB)"
    return f"%!{verb}(MISSING)"


def reformat(text: str) -> str:
    """``ansi.Sprintf(text)`` with no arguments and colour off.

    graft formats a merge warning once, then uses the result as a format string
    again: colour markup is stripped and ``%`` sequences become Go's
    ``%!v(MISSING)`` texts.
    """
    if "@" in text:
        text = _COLOR.sub(lambda m: m[0][3:-1], text)
    if "%" in text:
        text = _VERB.sub(_missing, text)
    return text
