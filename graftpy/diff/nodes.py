"""YAML node trees as graft's diff sees them (go-yaml v3 ``Node`` semantics).

graft's ``diff`` compares the raw node trees of its two inputs, not the decoded
data: a scalar keeps the exact text it was written with (``1.0`` and ``1.00``
differ) and a tag resolved by YAML 1.2 rules (``yes`` is a string, ``0o17`` an
int). So the diff has its own small loader instead of ``graftpy.yamlio``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DOCUMENT = "document"
MAPPING = "mapping"
SEQUENCE = "sequence"
SCALAR = "scalar"
ALIAS = "alias"

STR = "!!str"
NULL = "!!null"
BOOL = "!!bool"
INT = "!!int"
FLOAT = "!!float"
TIMESTAMP = "!!timestamp"
MAP = "!!map"
SEQ = "!!seq"
MERGE = "!!merge"

_LONG_PREFIX = "tag:yaml.org,2002:"


@dataclass(eq=False)
class Node:
    """One YAML node: ``kind`` is one of the constants above.

    Mappings keep their keys and values interleaved in ``content`` (key, value,
    key, value, ...), as go-yaml does; an alias points at its ``target``.
    """

    kind: str
    tag: str = ""
    value: str = ""
    content: list[Node] = field(default_factory=list)
    anchor: str = ""
    target: Node | None = None
    line: int = 0  # 1-based line where the node starts (0: unknown)


def scalar(value: str, tag: str = STR) -> Node:
    return Node(SCALAR, tag, value)


def follow(node: Node | None) -> Node | None:
    """The node an alias stands for (aliases of aliases included)."""
    while node is not None and node.kind == ALIAS and node.target is not None:
        node = node.target
    return node


def short_tag(tag: str) -> str:
    if tag.startswith(_LONG_PREFIX):
        return "!!" + tag[len(_LONG_PREFIX) :]
    return tag


_RESOLVE_MAP = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), BOOL),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), NULL),
    **dict.fromkeys((".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"), FLOAT),
    **dict.fromkeys(("+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"), FLOAT),
    "<<": MERGE,
}
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"^([-+]?)(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:([Tt])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
    r"|( )([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?)?$"
)
_INT64 = 1 << 63


def resolve_plain(value: str) -> str:
    """The tag go-yaml v3 gives an untagged plain scalar."""
    if value in _RESOLVE_MAP:
        return _RESOLVE_MAP[value]
    first = value[:1]
    if first == ".":
        return FLOAT if _FLOAT.match(value) else STR
    if not (first.isdigit() or first in ("+", "-")):
        return STR
    if _is_timestamp(value):
        return TIMESTAMP
    plain = value.replace("_", "")
    if _is_go_int(plain):
        return INT
    return FLOAT if _FLOAT.match(plain) else STR


def _is_go_int(plain: str) -> bool:
    """strconv.ParseInt(s, 0, 64), then ParseUint, as go-yaml tries them."""
    m = _GO_INT.match(plain)
    if not m:
        return False
    sign, digits = m.groups()
    prefix = digits[:2].lower()
    if prefix in ("0b", "0o", "0x"):
        number = int(digits[2:], {"0b": 2, "0o": 8, "0x": 16}[prefix])
    elif len(digits) > 1 and digits[0] == "0":
        number = int(digits, 8)
    else:
        number = int(digits)
    if sign == "-":
        return number <= _INT64
    return number < _INT64 or (not sign and number < 2 * _INT64)


def _is_timestamp(value: str) -> bool:
    import datetime

    m = _TIMESTAMP.match(value)
    if not m:
        return False
    year, month, day = (int(x) for x in m.group(1, 2, 3))
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    clock = m.group(5, 6, 7) if m.group(4) else m.group(9, 10, 11)
    if clock[0] is None:
        return True
    hour, minute, second = (int(x) for x in clock)
    return hour < 24 and minute < 60 and second < 60
