"""Evaluating expression nodes, and the paths they read.

The evaluator supplies a ``Scope``: document lookups, environment variables
and nested operator calls. Everything else (literals, references, ``||``
fallbacks, infix operators, ``m[ref]`` lookups) is computed here.

Error texts follow graft: a reference that cannot be found fails with
"Unable to resolve `a.b`: `$.a` could not be found in the datastructure".
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from graftpy.errors import GraftError
from graftpy.expr import values
from graftpy.expr.errors import ExprError
from graftpy.expr.nodes import (
    INFIX_NAMES,
    BinOp,
    Call,
    EnvVar,
    Index,
    Literal,
    Node,
    Or,
    Reference,
    Ternary,
    UnaryOp,
)
from graftpy.lazy_regex import LazyPattern

Path = tuple[str, ...]

# the operator names a bare expression's root turns into (see parser)
EXPRESSION_OPERATORS = frozenset(INFIX_NAMES | {"!", "?:"})


class Scope(Protocol):
    def lookup(self, path: Path) -> Any:
        """The value at ``path``; raises graftpy.tree.NotFoundError etc."""

    def env(self, name: str) -> str | None:
        """The environment variable ``name``, or None when it is not set."""

    def call(self, call: Call) -> Any:
        """Run a nested operator call and return its value."""


def evaluate(node: Node, scope: Scope) -> Any:
    """The value of ``node``; raises a GraftError subclass when it fails."""
    kind = type(node)
    if kind is Literal:
        return node.value
    if kind is Reference:
        return _lookup(node.path, scope)
    if kind is Call:
        return scope.call(node)
    if kind is Or:
        # spruce's fallback: only a failure of the left side moves on
        try:
            return evaluate(node.left, scope)
        except GraftError:
            return evaluate(node.right, scope)
    if kind is EnvVar:
        return _env_value(node.name, scope)
    if kind is BinOp:
        return _binop(node, scope)
    if kind is UnaryOp:
        v = _operand(node.operand, scope)
        return (not values.truthy(v)) if node.op == "!" else values.negate(v)
    if kind is Ternary:
        return _ternary(node, scope)
    if kind is Index:
        return _lookup(_path_of(node, scope), scope)
    raise ExprError(f"unknown expression node {node!r}")


def _binop(node: BinOp, scope: Scope) -> Any:
    if node.op == "&&":
        if not values.truthy(_operand(node.left, scope)):
            return False
        return values.truthy(_operand(node.right, scope))
    if node.op == "||":
        # graft's or-else: a failing or nil left side gives way to the right
        try:
            left = _operand(node.left, scope)
        except GraftError:
            return _or_else(node.right, scope)
        return _or_else(node.right, scope) if left is None else left
    left, right = _operand(node.left, scope), _operand(node.right, scope)
    if node.op in _COMPARISONS:
        names = (_go_type(node.left, left), _go_type(node.right, right))
        return values.binary(node.op, left, right, names)
    return values.binary(node.op, left, right)


_COMPARISONS = frozenset(("==", "!=", "<", ">", "<=", ">="))


def _go_type(node: Node, value: Any) -> str:
    """Go's type of an operand: an integer the expression wrote or computed is int64
    to graft, one read from the document int."""
    kind = type(node)
    if (kind is Literal or kind is BinOp or kind is UnaryOp) and value.__class__ is int:
        return "int64"
    return values.go_type(value)


GENERATED: Path = ("<generated>",)


def _or_else(node: Node, scope: Scope) -> Any:
    """The right side of a bare ``||`` whose left side failed or is null.

    graft reports a reference there that does not resolve as a "Reference Error"
    (its colour markup unrendered, and the cause repeated), and runs an operation
    there as a generated operation of its own, at ``$.<generated>``.
    """
    kind = type(node)
    if kind is Reference:
        try:
            return scope.lookup(node.path)
        except ExprError:
            raise
        except GraftError as e:
            text = e.message
            raise ExprError(f"@*R{{Reference Error}}: {text}\n  caused by: {text}") from None
    if kind is not Call and kind is not BinOp and kind is not UnaryOp and kind is not Ternary:
        return _operand(node, scope)
    here = getattr(scope, "here", None)
    try:
        scope.here = GENERATED  # type: ignore[attr-defined]
        if kind is Call:
            run = getattr(scope, "run_call", scope.call)
            return run(node)
        return evaluate(node, scope)
    except GraftError as e:
        raise _prefixed(e, "$.<generated>: ") from None
    finally:
        scope.here = here  # type: ignore[attr-defined]


def _ternary(node: Ternary, scope: Scope) -> Any:
    try:
        cond = _operand(node.cond, scope)
    except GraftError as e:
        raise _prefixed(e, "failed to evaluate ternary condition: ") from None
    branch, which = (node.then, "true") if values.truthy(cond) else (node.otherwise, "false")
    try:
        return _operand(branch, scope)
    except GraftError as e:
        raise _prefixed(e, f"failed to evaluate {which} branch: ") from None


def _operand(node: Node, scope: Scope) -> Any:
    """An operand of an infix, ``!`` or ``?:`` operator, as graft reads one.

    ``$NAME`` there is the text ``$NAME`` itself: graft expands variables only in
    operator arguments (``(( $PORT + 1 ))`` is ``$PORT1``). An operation nested in
    another is an operator call of its own to graft, so its failure reads
    ``nested operator + failed: $.here: ...`` (a nested ``(grab x)`` says so through
    the scope's ``call``).
    """
    kind = type(node)
    if kind is EnvVar:
        return "$" + node.name
    if kind is BinOp or kind is UnaryOp or kind is Ternary:
        try:
            return evaluate(node, scope)
        except GraftError as e:
            raise nested_failure(e, "?:" if kind is Ternary else node.op, scope) from None
    return evaluate(node, scope)


def nested_failure(error: GraftError, name: str, scope: Any) -> GraftError:
    """``error`` of a nested call of ``name``, as graft words it from outside:
    ``nested operator NAME failed: $.here: <message>`` (the same error object,
    so its kind and secret marks stay)."""
    here = getattr(scope, "here", None)
    where = "$." + ".".join(here) if here else "$"
    return _prefixed(error, f"nested operator {name} failed: {where}: ")


def _prefixed(error: GraftError, prefix: str) -> GraftError:
    error.message = prefix + error.message
    error.args = (error.message,)
    return error


def as_node(call: Call) -> Node:
    """The infix node a bare expression's root call stands for."""
    n, a = call.name, call.args
    if n in INFIX_NAMES and len(a) == 2:
        return BinOp(n, a[0], a[1], call.pos)
    if n in ("!", "-") and len(a) == 1:
        return UnaryOp(n, a[0], call.pos)
    if n == "?:" and len(a) == 3:
        return Ternary(a[0], a[1], a[2], call.pos)
    raise ExprError(
        f"{n} operator requires {'three' if n == '?:' else 'two'} arguments, got {len(a)}"
    )


def evaluate_call(call: Call, scope: Scope) -> Any:
    """Run one of the EXPRESSION_OPERATORS (``(( a + b ))``, ``(( !x ))``...)."""
    return evaluate(as_node(call), scope)


# -- paths ---------------------------------------------------------------------


def _lookup(path: Path, scope: Scope) -> Any:
    try:
        return scope.lookup(path)
    except ExprError:
        raise
    except GraftError as e:
        raise ExprError(f"Unable to resolve `{'.'.join(path)}`: {e.message}") from None


def _path_of(node: Reference | Index, scope: Scope) -> Path:
    if isinstance(node, Reference):
        return node.path
    base = _path_of(node.base, scope)
    key = node.key
    if isinstance(key, Literal):
        return (*base, str(key.value))
    if isinstance(key, EnvVar):  # m[$VAR]: graft's only use of a variable in a path
        return (*base, scope.env(key.name) or f"${key.name}")
    if isinstance(key, Reference):
        where = key.path
        try:
            v = scope.lookup(where)
        except GraftError as e:
            raise ExprError(
                f"unable to resolve bracketed key reference {_quote(key.text)}: {e.message}"
            ) from None
        return (*base, _component(v, key.text))
    return (*base, _component(evaluate(key, scope), str(key)))


def _component(v: Any, text: str) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _format_f(v)
    raise ExprError(
        f"bracketed key reference {_quote(text)} resolved to {values.go_type(v)}; "
        "expected a scalar (string, int, float, or bool)"
    )


def _format_f(f: float) -> str:
    """strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"

    from decimal import Decimal  # rare: a float used as a dynamic key

    text = format(Decimal(repr(f)), "f")
    return text[:-2] if text.endswith(".0") else text


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- environment variables -------------------------------------------------------

_NUMBER = LazyPattern(r"-(?:[0-9]+|[0-9]*\.[0-9]+)")


def _env_value(name: str, scope: Scope) -> Any:
    raw = scope.env(name)
    if not raw:
        raise ExprError(f"environment variable '{name}' is not set")
    return env_value(raw)


def env_value(raw: str) -> Any:
    """graft reads an environment value as YAML only when it looks structured
    (``true``, ``false``, ``null``, or starting with ``{``, ``[`` or ``-``) and
    the result is not a plain string; otherwise it is the string itself."""
    if raw == "true":
        return True
    if raw == "false":
        return False
    if raw == "null":
        return None
    if raw[0] not in "{[-":
        return raw
    if _NUMBER.fullmatch(raw):
        return float(raw) if "." in raw else int(raw)
    return _yaml_value(raw)


def _yaml_value(raw: str) -> Any:
    try:
        from ruamel.yaml import YAML  # only for structured values: rare

        data = YAML(typ="safe", pure=True).load(raw)
    except Exception:  # not YAML after all: keep the text
        return raw
    return raw if isinstance(data, str) else data


# -- dependencies ------------------------------------------------------------------


def references(node: Node) -> list[Path]:
    """The document paths ``node`` may read, in order, without duplicates.

    Alternatives after one that cannot fail (a literal) are skipped, as spruce
    does: in ``a || "x" || b`` the path ``b`` is never read. References inside
    nested calls, infix and ternary operands and ``m[ref]`` keys are included.
    """
    out: list[Path] = []
    _collect(node, out)
    if len(out) < 2:
        return out  # most calls read one path
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def _collect(node: Any, out: list[Path]) -> bool:
    """Add the paths of ``node``; True when ``node`` cannot fail."""
    cls = node.__class__  # no node class has subclasses: compared by identity (fast)
    if cls is Literal:
        return True
    if cls is Reference:
        out.append(node.path)
        return False
    if cls is Or:
        return _collect(node.left, out) or _collect(node.right, out)
    if cls is Call:
        if node.name in EXPRESSION_OPERATORS:
            try:
                return _collect(as_node(node), out)
            except ExprError:
                pass
        for a in node.args:
            _collect(a, out)
    elif cls is BinOp:
        _collect(node.left, out)
        if node.op != "||":
            _collect(node.right, out)
        elif node.left.__class__ is Literal and node.left.value is not None:
            return True
        else:
            return _collect(node.right, out)
    elif cls is Index:
        _collect(node.base, out)
        _collect(node.key, out)
    elif cls is UnaryOp:
        _collect(node.operand, out)
    elif cls is Ternary:
        _collect(node.cond, out)
        _collect(node.then, out)
        _collect(node.otherwise, out)
    return False
