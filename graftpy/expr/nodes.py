"""AST nodes of the ``(( ... ))`` expression language.

Every node is an immutable record with a ``pos``: the offset in the source
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

from typing import Any

from graftpy.gofmt import sprint


class _Node:
    """Base of the node classes: immutable, equal by fields (``pos`` aside).

    Plain classes with ``__slots__`` rather than frozen dataclasses: building
    nine dataclasses cost ~12 ms of every run's start-up.

    Fields are set through their slots' own setters (``_setters``), which
    ``__setattr__`` does not stop: three times faster than ``object.__setattr__``,
    and a parse of a large document builds tens of thousands of nodes.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()  # compared, hashed and shown; ``pos`` comes after them
    _setters: tuple[Any, ...] = ()  # the slots' setters, for _fields and then pos

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._setters = tuple(getattr(cls, name).__set__ for name in (*cls._fields, "pos"))

    def __init__(self, *values: Any, pos: int = 0) -> None:
        names = self._fields
        if len(values) > len(names) + 1:
            raise TypeError(f"{type(self).__name__} takes at most {len(names) + 1} values")
        setters = self._setters
        for setter, value in zip(setters, values, strict=False):
            setter(self, value)
        for k in range(len(values), len(names)):
            default = self._defaults.get(names[k], _MISSING)
            if default is _MISSING:
                raise TypeError(f"{type(self).__name__} needs a value for {names[k]!r}")
            setters[k](self, default)
        if len(values) <= len(names):
            setters[-1](self, pos)

    _defaults: dict[str, Any] = {}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def _key(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in (*self._fields, "pos"))
        return f"{type(self).__name__}({inner})"


_MISSING = object()


class Literal(_Node):
    __slots__ = ("value", "pos")
    _fields = ("value",)
    value: str | int | float | bool | None
    pos: int

    def __init__(self, value: str | int | float | bool | None, pos: int = 0) -> None:
        set_value, set_pos = self._setters
        set_value(self, value)
        set_pos(self, pos)

    # True == 1 in Python; a literal's type is part of its identity
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Literal)
            and type(self.value) is type(other.value)
            and self.value == other.value
        )

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


class Reference(_Node):
    """A path into the document. A component such as ``$ENV`` is a key spelled
    so: graft does not read environment variables inside references."""

    __slots__ = ("path", "text", "pos")
    _fields = ("path", "text")
    path: tuple[str, ...]
    text: str  # as written, e.g. "meta.first[0]"
    pos: int

    def __init__(self, path: tuple[str, ...], text: str, pos: int = 0) -> None:
        set_path, set_text, set_pos = self._setters
        set_path(self, path)
        set_text(self, text)
        set_pos(self, pos)

    @property
    def dotted(self) -> str:
        """The path as graft prints it in messages (``meta.first.0``)."""
        return ".".join(self.path)


class EnvVar(_Node):
    __slots__ = ("name", "pos")
    _fields = ("name",)
    name: str
    pos: int


class Or(_Node):
    __slots__ = ("left", "right", "pos")
    _fields = ("left", "right")
    left: Node
    right: Node
    pos: int


class Call(_Node):
    """An operator call: ``grab a b`` at the top, ``(grab a b)`` nested, or the
    operator at the root of a bare expression (``+`` for ``(( a + b ))``)."""

    __slots__ = ("name", "args", "text", "target", "pos")
    _fields = ("name", "args", "text", "target")
    _defaults = {"target": None}
    name: str
    args: tuple[Node, ...]
    text: str
    target: str | None  # "production" in (( vault@production ... ))
    pos: int

    def __init__(
        self,
        name: str,
        args: tuple[Node, ...],
        text: str,
        target: str | None = None,
        pos: int = 0,
    ) -> None:
        set_name, set_args, set_text, set_target, set_pos = self._setters
        set_name(self, name)
        set_args(self, args)
        set_text(self, text)
        set_target(self, target)
        set_pos(self, pos)


class BinOp(_Node):
    __slots__ = ("op", "left", "right", "pos")
    _fields = ("op", "left", "right")
    op: str  # + - * / % == != < > <= >= && ||
    left: Node
    right: Node
    pos: int


class UnaryOp(_Node):
    __slots__ = ("op", "operand", "pos")
    _fields = ("op", "operand")
    op: str  # ! or -
    operand: Node
    pos: int


class Ternary(_Node):
    __slots__ = ("cond", "then", "otherwise", "pos")
    _fields = ("cond", "then", "otherwise")
    cond: Node
    then: Node
    otherwise: Node
    pos: int


class Index(_Node):
    """One more path component under ``base``: ``key`` is a ``Literal`` for a
    fixed component written after a dynamic one, or a ``Reference`` (spruce's
    ``m[ref]``) whose scalar value names the component."""

    __slots__ = ("base", "key", "pos")
    _fields = ("base", "key")
    base: Reference | Index
    key: Node
    pos: int


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
