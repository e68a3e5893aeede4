"""AST nodes of the ``(( ... ))`` expression language.

Every node is an immutable dataclass with a ``pos``: the offset in the source
string where it starts. ``pos`` does not take part in equality, so trees parsed
from differently spaced sources compare equal.

Two kinds of ``||`` exist, as in graft:

* ``Or`` is the fallback between operator arguments (``(( grab a || "x" ))``):
  the right side is used only when the left side fails (missing reference,
  unset environment variable, failing nested call). A left side that resolves
  to ``nil`` is kept.
* ``BinOp("||", ...)`` is graft's "or-else" used inside bare expressions and
  parentheses (``(( a || b ))``): the right side is also used when the left
  side is ``nil``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graftpy.gofmt import sprint


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | int | float | bool | None
    pos: int = field(default=0, compare=False)

    # True == 1 in Python; a literal's type is part of its identity
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Literal)
            and type(self.value) is type(other.value)
            and self.value == other.value
        )

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@dataclass(frozen=True, slots=True)
class Reference:
    """A path into the document. Components starting with ``$`` name
    environment variables and are replaced by their value when resolved."""

    path: tuple[str, ...]
    text: str  # as written, e.g. "meta.first[0]"
    pos: int = field(default=0, compare=False)

    @property
    def dotted(self) -> str:
        """The path as graft prints it in messages (``meta.first.0``)."""
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """An operator call: ``grab a b`` at the top, ``(grab a b)`` nested, or the
    operator at the root of a bare expression (``+`` for ``(( a + b ))``)."""

    name: str
    args: tuple[Node, ...]
    text: str
    target: str | None = None  # "production" in (( vault@production ... ))
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # + - * / % == != < > <= >= && ||
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class UnaryOp:
    op: str  # ! or -
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Ternary:
    cond: Node
    then: Node
    otherwise: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Index:
    """One more path component under ``base``: ``key`` is a ``Literal`` for a
    fixed component written after a dynamic one, or a ``Reference`` (spruce's
    ``m[ref]``) whose scalar value names the component."""

    base: Reference | Index
    key: Node
    pos: int = field(default=0, compare=False)


Node = Literal | Reference | EnvVar | Or | Call | BinOp | UnaryOp | Ternary | Index

INFIX_NAMES = frozenset({"+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"})


def render(node: Any) -> str:
    """The text graft prints for an argument when it writes an expression back
    out (``defer``, an unknown operator kept as is): strings in plain double
    quotes, ``nil``, references as dotted paths, nested calls without parens."""
    if isinstance(node, Literal):
        if node.value is None:
            return "nil"
        if isinstance(node.value, str):
            return f'"{node.value}"'
        return sprint(node.value)
    if isinstance(node, Reference):
        return node.dotted
    if isinstance(node, EnvVar):
        return f"${node.name}"
    if isinstance(node, Or):
        return f"{render(node.left)} || {render(node.right)}"
    if isinstance(node, Call):
        if node.name in INFIX_NAMES and len(node.args) == 2:
            return f"{_operand(node.args[0])} {node.name} {_operand(node.args[1])}"
        if node.name == "?:" and len(node.args) == 3:
            c, t, o = (_operand(a) for a in node.args)
            return f"{c} ? {t} : {o}"
        name = f"{node.name}@{node.target}" if node.target else node.name
        if node.name in ("!", "-") and len(node.args) == 1:
            return f"{node.name}{_operand(node.args[0])}"
        return " ".join([name, *(render(a) for a in node.args)])
    if isinstance(node, BinOp):
        return f"{_operand(node.left)} {node.op} {_operand(node.right)}"
    if isinstance(node, UnaryOp):
        return f"{node.op}{_operand(node.operand)}"
    if isinstance(node, Ternary):
        return f"{_operand(node.cond)} ? {_operand(node.then)} : {_operand(node.otherwise)}"
    if isinstance(node, Index):
        if isinstance(node.key, Literal):
            return f"{render(node.base)}.{node.key.value}"
        inner = node.key.text if isinstance(node.key, Reference) else render(node.key)
        return f"{render(node.base)}[{inner}]"
    return str(node)


def _operand(node: Any) -> str:
    """An infix operand, in parentheses when it is itself an operation."""
    text = render(node)
    return f"({text})" if isinstance(node, BinOp | Ternary | Or) else text
