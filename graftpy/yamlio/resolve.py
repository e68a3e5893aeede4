"""Scalar resolution as go-yaml v2 does it when decoding into ``interface{}``.

Two generations of go-yaml v2 matter to graft:

* ``gopkg.in/yaml.v2`` v2.4.0 decodes every input file of ``merge``/``fan``
  (``resolve_plain`` / ``resolve_tagged``);
* the 2016 fork ``geofffranks/yaml`` encodes the output (it decides which
  strings must be quoted: ``is_plain_string``) and, through simpleyaml, decodes
  the input of ``graft json`` (``legacy=True``).

They differ only in which strings count as floats: v2.4.0 reads ``1e3`` and
``1.`` as floats, the fork reads them as strings. Integers go through Go's
``strconv.ParseInt(s, 0, 64)`` in both (graft is built with a modern Go, so
``0o17``, ``0b101`` and ``0x1F`` are integers), then ``ParseUint`` for values
up to 2^64-1. Timestamps stay strings. Unknown or non-specific (``!``) tags
give strings.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from graftpy.lazy_regex import LazyPattern

TAG_PREFIX = "tag:yaml.org,2002:"
STR = TAG_PREFIX + "str"
INT = TAG_PREFIX + "int"
FLOAT = TAG_PREFIX + "float"
BOOL = TAG_PREFIX + "bool"
NULL = TAG_PREFIX + "null"
TIMESTAMP = TAG_PREFIX + "timestamp"
BINARY = TAG_PREFIX + "binary"
MERGE = TAG_PREFIX + "merge"

_RESOLVABLE = frozenset(("", STR, INT, FLOAT, BOOL, NULL, TIMESTAMP))

# First characters that can start anything but a string (go-yaml's resolve table).
_HINTED = frozenset("+-0123456789yYnNtTfFoO~.")

_NULL = object()  # marks "resolved to null" inside this module

_MAP: dict[str, tuple[str, Any]] = {}
for _words, _tag, _value in (
    ("y Y yes Yes YES true True TRUE on On ON", BOOL, True),
    ("n N no No NO false False FALSE off Off OFF", BOOL, False),
    ("~ null Null NULL", NULL, _NULL),
    (".nan .NaN .NAN", FLOAT, math.nan),
    (".inf .Inf .INF +.inf +.Inf +.INF", FLOAT, math.inf),
    ("-.inf -.Inf -.INF", FLOAT, -math.inf),
):
    for _w in _words.split():
        _MAP[_w] = (_tag, _value)
_MAP[""] = (NULL, _NULL)

_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1

# strconv.ParseInt/ParseUint with base 0, after go-yaml removed the underscores.
_GO_INT = LazyPattern(r"([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_BASES = {"x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2}
_FLOAT_V24 = LazyPattern(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_FLOAT_2016 = LazyPattern(r"[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?\Z")
# strconv.ParseFloat of a string starting with "." (underscores only between digits).
_DOT_FLOAT = LazyPattern(r"\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?\Z")
_BASE60 = LazyPattern(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_TIMESTAMP = LazyPattern(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?\Z"
)


class ResolveError(ValueError):
    """A scalar cannot be decoded with its explicit tag (go-yaml's failf text)."""


def _go_int(plain: str) -> int | None:
    """``ParseInt(plain, 0, 64)`` then ``ParseUint(plain, 0, 64)``; None when both fail."""
    if plain.isascii() and plain.isdigit() and (plain[0] != "0" or len(plain) == 1):
        sign, body = "", plain  # plain decimal, the common case: no pattern needed
    else:
        m = _GO_INT.match(plain)
        if m is None:
            return None
        sign, body = m.groups()
    if len(body) > 1 and body[0] == "0":
        base = _BASES.get(body[1], 8)
        digits = body[2:] if base != 8 or body[1] in "oO" else body[1:]
        value = int(digits, base)
    else:
        value = int(body)
    if sign == "-":
        value = -value
    if _INT64_MIN <= value <= _INT64_MAX:
        return value
    if sign == "" and value <= _UINT64_MAX:  # ParseUint takes no sign at all
        return value
    return None


def _go_float(text: str) -> float | None:
    """``strconv.ParseFloat`` of an already validated decimal: None on overflow."""
    value = float(text)
    return None if math.isinf(value) else value


def _resolve(value: str, tag: str, legacy: bool) -> tuple[str, Any]:
    """go-yaml's ``resolve(tag, in)`` for a resolvable ``tag`` ("" = untagged)."""
    if value == "":
        hint = "N"
    elif value[0] in _HINTED:
        hint = value[0]
    else:
        return STR, value
    if tag == STR:
        return STR, value
    hit = _MAP.get(value)
    if hit is not None:
        return hit
    if hint == ".":
        if _DOT_FLOAT.match(value):
            f = _go_float(value.replace("_", ""))
            if f is not None:
                return FLOAT, f
    elif hint in "+-0123456789":
        if (
            not legacy
            and (tag == TIMESTAMP or tag == "")
            and value[4:5] == "-"  # cheap test first: yyyy-...
            and _TIMESTAMP.match(value)
        ):
            return TIMESTAMP, value
        plain = value.replace("_", "") if "_" in value else value
        i = _go_int(plain)
        if i is not None:
            return INT, i
        if (_FLOAT_2016 if legacy else _FLOAT_V24).match(plain):
            f = _go_float(plain)
            if f is not None:
                return FLOAT, f
    return STR, value


def resolve_plain(value: str, legacy: bool = False) -> Any:
    """The Go value of an untagged plain scalar (``None`` for null)."""
    if value and value[0] not in _HINTED:
        return value
    _, out = _resolve(value, "", legacy)
    return None if out is _NULL else out


def resolve_tagged(tag: str, value: str, legacy: bool = False) -> Any:
    """The Go value of a scalar with an explicit tag (long form, or ``!``/``!foo``).

    Raises ``ResolveError`` with go-yaml's message when the value does not fit.
    """
    if tag == BINARY:
        return decode_binary(value)
    if tag not in _RESOLVABLE or (legacy and tag == TIMESTAMP):
        return value  # "!", "!custom", "!!merge", ...: go-yaml keeps the text
    rtag, out = _resolve(value, tag, legacy)
    if tag != rtag and tag != STR:
        if tag == FLOAT and rtag == INT and not legacy:
            return float(out)
        raise ResolveError(f"cannot decode {_short(rtag)} `{value}` as a {_short(tag)}")
    return None if out is _NULL else out


def decode_binary(text: str) -> str | bytes:
    """A ``!!binary`` scalar: Go's base64 (line breaks ignored) to a Go string.

    Bytes that are not UTF-8 stay ``bytes``: the encoder writes them back as ``!!binary``.
    """
    try:
        data = base64.b64decode(
            text.replace("\n", "").replace("\r", "").encode("ascii"), validate=True
        )
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ResolveError("!!binary value contains invalid base64 data") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _short(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


def is_plain_string(s: str) -> bool:
    """Whether the 2016 encoder may write ``s`` unquoted as far as types go.

    False when the text would read back as another type (``"true"``, ``"1"``,
    ``"~"``, ``""``) or is a YAML 1.1 base-60 number (``"1:30"``): the encoder
    then double-quotes it.
    """
    if s and s[0] not in _HINTED:
        return True
    if _resolve(s, "", True)[0] != STR:
        return False
    return not (":" in s and s[0] in "+-0123456789" and _BASE60.match(s))
