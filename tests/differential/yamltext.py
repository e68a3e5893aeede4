"""YAML source text built node by node, so that every literal form is written as chosen.

The generators build trees of ``Scalar`` (a token exactly as it appears in the
file: ``yes``, ``'it''s'``, ``"a\\tb"``, ``0x1F``), ``Block`` (``|``/``>``
block scalars), ``Map`` and ``Seq`` (block or flow style), and ``render`` turns
a tree into the text of a file. ``quote`` writes a Python string as a YAML
scalar in a chosen style, falling back to a style that can hold it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Node = "Scalar | Block | Map | Seq | Alias"


@dataclass(frozen=True)
class Scalar:
    text: str  # the token as written, quotes included
    anchor: str = ""


@dataclass(frozen=True)
class Block:
    header: str  # "|", "|-", ">", ">-", "|+", ">+"
    lines: tuple[str, ...]
    anchor: str = ""


@dataclass(frozen=True)
class Alias:
    name: str  # *name


@dataclass(frozen=True)
class Map:
    items: tuple[tuple[str, object], ...]  # (key token, node)
    flow: bool = False
    anchor: str = ""


@dataclass(frozen=True)
class Seq:
    items: tuple[object, ...]
    flow: bool = False
    anchor: str = ""


_PLAIN_SAFE = re.compile(r"[A-Za-z0-9_(][^\n\t#]*")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# plain words that YAML 1.1 (go-yaml v2) reads as booleans or null
_RESOLVING_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nil"}


def plain_ok(s: str, flow: bool = False) -> bool:
    """Whether ``s`` reads back as the same string when written plain (conservatively)."""
    if not s or s != s.strip() or s[0] in _INDICATORS or not _PLAIN_SAFE.fullmatch(s):
        return False
    if s.lower() in _RESOLVING_WORDS or s[0].isdigit():
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    return not (flow and any(c in s for c in ",[]{}"))


def _printable(ch: str) -> bool:
    """YAML's c-printable, less the line breaks that other styles fold."""
    o = ord(ch)
    return (
        o == 0x9
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        or o >= 0x10000
    ) and ch not in "\u2028\u2029\ufeff"


def double_quoted(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not _printable(ch):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def single_quoted(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def quote(s: str, style: str = "plain", flow: bool = False) -> str:
    """``s`` as a YAML scalar token: ``plain`` if that reads back as ``s``, else quoted.

    The caller makes sure a plain token does not resolve to another type
    (``true``, ``12``): only expression strings and words are asked for plain.
    """
    printable = all(_printable(c) for c in s)
    if style == "plain" and printable and plain_ok(s, flow):
        return s
    if style in ("plain", "single") and printable and "\t" not in s:
        return single_quoted(s)
    return double_quoted(s)


def render(node: object) -> str:
    """The text of a YAML file whose root is ``node`` (always ending with a newline)."""
    if isinstance(node, (Map, Seq)) and not node.flow and node.items:
        return "\n".join(_block(node, 0)) + "\n"
    return _inline(node) + "\n"


def _anchor(node: object) -> str:
    name = getattr(node, "anchor", "")
    return f"&{name} " if name else ""


def _inline(node: object) -> str:
    """A node on one line: scalars, aliases, flow or empty collections."""
    if isinstance(node, Scalar):
        return _anchor(node) + node.text
    if isinstance(node, Alias):
        return f"*{node.name}"
    if isinstance(node, Map):
        inner = ", ".join(f"{k}: {_inline(v)}" for k, v in node.items)
        return _anchor(node) + "{" + inner + "}"
    if isinstance(node, Seq):
        return _anchor(node) + "[" + ", ".join(_inline(v) for v in node.items) + "]"
    raise TypeError(f"{node!r} has no one-line form")


def _is_block(node: object) -> bool:
    return isinstance(node, (Map, Seq)) and not node.flow and bool(node.items)


def _block(node: Map | Seq, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(node, Map):
        for key, value in node.items:
            lines.extend(_entry(f"{pad}{key}:", value, indent))
        return lines
    for value in node.items:
        if _is_block(value) and isinstance(value, Map) and not value.anchor:
            inner = _block(value, indent + 2)  # "- k: v" with the rest aligned under k
            lines.append(f"{pad}- " + inner[0][indent + 2 :])
            lines.extend(inner[1:])
        else:
            lines.extend(_entry(f"{pad}-", value, indent))
    return lines


def _entry(lead: str, value: object, indent: int) -> list[str]:
    """``lead`` (``key:`` or ``-``) followed by ``value``, nested under ``indent``."""
    if isinstance(value, Block):
        body = [(" " * (indent + 2) + line) if line else "" for line in value.lines]
        return [f"{lead} {_anchor(value)}{value.header}", *body]
    if _is_block(value):
        anchor = _anchor(value).strip()
        return [f"{lead} {anchor}" if anchor else lead, *_block(value, indent + 2)]
    text = _inline(value)
    return [f"{lead} {text}" if text else lead]
