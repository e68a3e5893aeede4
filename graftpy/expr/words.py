"""Reading one word of an expression: literal keywords, numbers, environment
variables and references (with spruce's ``m[ref]`` dynamic keys)."""

from __future__ import annotations

from graftpy.expr.errors import ExprSyntaxError
from graftpy.expr.nodes import EnvVar, Index, Literal, Node, Reference
from graftpy.goparse import parse_float, parse_int

NIL_WORDS = frozenset({"nil", "null", "~", "Nil", "Null", "NIL", "NULL"})
TRUE_WORDS = frozenset({"true", "True", "TRUE"})
FALSE_WORDS = frozenset({"false", "False", "FALSE"})
KEYWORDS = NIL_WORDS | TRUE_WORDS | FALSE_WORDS
# keywords in operator arguments only; an operand of an infix, ! or ?: operator
# spelled so is a reference to graft (only nil, ~, true and false are keywords there)
ARGUMENT_KEYWORDS = KEYWORDS - {"nil", "~", "true", "false"}
NUMBER_START = frozenset("0123456789+-.")


def word_node(v: str, pos: int, src: str) -> Node:
    """The node an unquoted word stands for (spruce's rules, in its order)."""
    if v in KEYWORDS:
        return Literal(None if v in NIL_WORDS else v in TRUE_WORDS, pos)
    c = v[0]
    if c in NUMBER_START:
        number = _number(v)
        if number is not None:
            return Literal(number, pos)
    elif c in "iInN" and v.lower() in ("inf", "infinity", "nan"):
        return Literal(parse_float(v), pos)
    elif c == "$":
        # graft reads every word starting with ``$`` as an environment variable, ``$``
        # and ``$.a`` included (names '' and '.a', never set): not the document's root
        return EnvVar(v[1:], pos)
    if "[" not in v and "]" not in v:
        parts = v.split(".")
        if "" in parts:  # "a..b", ".a": empty components are dropped
            parts = [p for p in parts if p]
        return Reference(tuple(parts), v, pos)
    return path_node(v, pos, src)


def _number(v: str) -> int | float | None:
    """graft's number words: ``strconv.ParseInt(v, 10, 64)``, else ``ParseFloat``
    (``1e3``, ``5.``, ``.5``, ``1_000``, ``0x1p3``, ``+inf``; ``0x1F`` and ``1e400`` are
    no numbers)."""
    if v.isdigit() and v.isascii() and len(v) < 19:
        return int(v)  # the common case
    n = parse_int(v, 10)
    return n if n is not None else parse_float(v)


def path_node(text: str, pos: int, src: str) -> Reference | Index:
    """A reference word: ``a.b[0].c`` is one ``Reference``; a bracketed part
    that is not an index is a dynamic key, which makes the word a chain of
    ``Index`` nodes: ``m[ref]`` (spruce's) reads the key from ``ref``, ``m[$VAR]``
    (graft's) from the environment variable, its own text when that is unset."""
    parts = _split_path(text, pos, src)
    first_dynamic = next((k for k, (_, dyn, _) in enumerate(parts) if dyn), None)
    if first_dynamic is None:
        return Reference(tuple(p for p, _, _ in parts), text, pos)
    cut = parts[first_dynamic][2]
    node: Reference | Index = Reference(
        tuple(p for p, _, _ in parts[:first_dynamic]), text[:cut], pos
    )
    for part, dynamic, at in parts[first_dynamic:]:
        if dynamic and part[:1] == "$":
            key: Node = EnvVar(part[1:], pos + at + 1)
        elif dynamic:
            key_pos = pos + at + 1
            key = Reference(tuple(p for p, _, _ in _split_path(part, key_pos, src)), part, key_pos)
        else:
            key = Literal(part, pos + at)
        node = Index(node, key, pos)
    return node


def _split_path(text: str, pos: int, src: str) -> list[tuple[str, bool, int]]:
    """goutils' ParseCursor, also telling which components were written in
    brackets as dynamic keys, and where each component starts."""
    parts: list[tuple[str, bool, int]] = []
    buf: list[str] = []
    start = 0
    bracketed = False

    def push(in_brackets: bool) -> None:
        if not buf:
            return
        s = "".join(buf)
        buf.clear()
        if not parts and s == "$":
            return
        dynamic = in_brackets and not (s.isdigit() and s.isascii())
        parts.append((s, dynamic, start))

    for k, c in enumerate(text):
        if c == "." and not bracketed:
            push(False)
            start = k + 1
        elif c == "[":
            if bracketed:
                raise ExprSyntaxError("unexpected '['", pos + k, src)
            push(False)
            bracketed, start = True, k
        elif c == "]":
            if not bracketed:
                raise ExprSyntaxError("unexpected ']'", pos + k, src)
            push(True)
            bracketed, start = False, k + 1
        else:
            if not buf and not bracketed:
                start = k
            buf.append(c)
    push(False)
    return parts
