"""Scalar resolution as graft's YAML libraries do it when decoding into ``interface{}``.

Three decoders matter to graft, each a ``schema`` here:

* ``GRAFT``: the input files of ``merge``/``fan`` (go-yaml v3 rules). Only
  ``true``/``false`` (in three casings) are booleans as such; then every string
  *value* (not key) spelled ``yes``/``no``/``on``/``off`` (in three casings),
  however it was quoted or tagged, becomes a boolean (``value_bool``; the loader
  applies it). ``y`` and ``n`` stay strings. Dates stay as written
  (DIVERGENCES row 18).
* ``LEGACY``: the 2016 fork ``geofffranks/yaml``, which decodes everything
  else graft reads: ``(( load ))`` and go-patch files, the input of ``graft
  json``, AWS secrets' keys and NATS values. YAML 1.1 booleans (``y``, ``yes``,
  ``on``, ...) in keys and values alike, no timestamps, and a number is whatever
  Go's ``ParseFloat`` accepts (``+inf``, ``0x1p3`` too).

Integers go through Go's ``strconv.ParseInt(s, 0, 64)`` after the underscores
are removed (graft is built with a modern Go, so ``0o17``, ``0b101`` and
``0x1F`` are integers), then ``ParseUint`` for values up to 2^64-1. Unknown or
non-specific (``!``) tags give strings.

The same fork also encodes graft's output; ``is_plain_string`` is its rule for
which strings it must quote.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from graftpy.goparse import UINT64_MAX, parse_float, parse_int
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

GRAFT, LEGACY = "graft", "legacy"

_NULL = object()  # marks "resolved to null" inside this module


def _table(*groups: tuple[str, str, Any]) -> dict[str, tuple[str, Any]]:
    table = {w: (tag, value) for words, tag, value in groups for w in words.split()}
    table[""] = (NULL, _NULL)
    return table


_COMMON = (
    ("~ null Null NULL", NULL, _NULL),
    (".nan .NaN .NAN", FLOAT, math.nan),
    (".inf .Inf .INF +.inf +.Inf +.INF", FLOAT, math.inf),
    ("-.inf -.Inf -.INF", FLOAT, -math.inf),
)
# go-yaml v3: YAML 1.2 booleans only
_MAP_12 = _table(("true True TRUE", BOOL, True), ("false False FALSE", BOOL, False), *_COMMON)
# the 2016 fork: YAML 1.1 booleans
_MAP_11 = _table(
    ("y Y yes Yes YES true True TRUE on On ON", BOOL, True),
    ("n N no No NO false False FALSE off Off OFF", BOOL, False),
    *_COMMON,
)
_MAPS = {GRAFT: _MAP_12, LEGACY: _MAP_11}

# The string values graft turns into booleans after decoding (keys stay strings).
VALUE_BOOLS = {
    **dict.fromkeys(("yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "off", "Off", "OFF"), False),
}

_FLOAT_V24 = LazyPattern(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
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
        value = int(plain)  # plain decimal, the common case
        return value if value <= UINT64_MAX else None
    value = parse_int(plain)
    return value if value is not None else parse_int(plain, unsigned=True)


def _resolve(value: str, tag: str, schema: str) -> tuple[str, Any]:
    """go-yaml's ``resolve(tag, in)`` for a resolvable ``tag`` ("" = untagged)."""
    if value == "":
        hint = "N"
    elif value[0] in _HINTED:
        hint = value[0]
    else:
        return STR, value
    if tag == STR:
        return STR, value
    hit = _MAPS[schema].get(value)
    if hit is not None:
        return hit
    if hint == ".":
        f = parse_float(value)
        if f is not None:
            return FLOAT, f
    elif hint in "+-0123456789":
        if (
            schema != LEGACY
            and (tag == TIMESTAMP or tag == "")
            and value[4:5] == "-"  # cheap test first: yyyy-...
            and _TIMESTAMP.match(value)
        ):
            return TIMESTAMP, value
        plain = value.replace("_", "") if "_" in value else value
        i = _go_int(plain)
        if i is not None:
            return INT, i
        if schema == LEGACY or _FLOAT_V24.match(plain):  # the fork asks ParseFloat alone
            f = parse_float(plain)
            if f is not None:
                return FLOAT, f
    return STR, value


def resolve_plain(value: str, schema: str = GRAFT) -> Any:
    """The Go value of an untagged plain scalar (``None`` for null)."""
    if value and value[0] not in _HINTED:
        return value
    _, out = _resolve(value, "", schema)
    return None if out is _NULL else out


def resolve_tagged(tag: str, value: str, schema: str = GRAFT) -> Any:
    """The Go value of a scalar with an explicit tag (long form, or ``!``/``!foo``).

    Raises ``ResolveError`` with go-yaml's message when the value does not fit.
    """
    if tag == BINARY:
        return decode_binary(value)
    if tag not in _RESOLVABLE or (schema == LEGACY and tag == TIMESTAMP):
        return value  # "!", "!custom", "!!merge", ...: go-yaml keeps the text
    rtag, out = _resolve(value, tag, schema)
    if tag != rtag and tag != STR:
        if tag == FLOAT and rtag == INT and schema != LEGACY:
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
    """Whether graft's encoder (the 2016 fork) may write the string ``s`` unquoted.

    It double-quotes what it would itself read back as another type (``LEGACY``):
    null (``""``, ``~``), a YAML 1.1 boolean (``y``, ``on``, ``True``), a number
    Go's ``ParseInt``/``ParseUint``/``ParseFloat`` accepts once the underscores are
    removed (``1e3``, ``1.``, ``0x1F``, ``0x1p3``, ``+inf``, ``1_000``; an overflow such
    as ``1e309`` is no number; after a leading ``.`` they stay: ``._5`` is plain),
    and a YAML 1.1 base-60 number (``1:30``).
    """
    if s and s[0] not in _HINTED:
        return True
    if _resolve(s, "", LEGACY)[0] != STR:
        return False
    return not (":" in s and s[0] in "+-0123456789" and _BASE60.match(s))
