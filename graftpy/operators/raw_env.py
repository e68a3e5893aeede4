"""(( raw_env $NAME )): an environment variable's value as a string, uncoerced (spruce).

In spruce ``(( grab $PORT ))`` reads ``PORT=8080`` as YAML and gives the number
8080 (graft, and so graftpy, give the string); ``(( raw_env $PORT ))`` gives the
string ``"8080"`` in both. A set but empty variable is
the empty string; an unset one is an error. ``||`` fallbacks are tried in turn:
another ``$VAR`` stays raw, a literal or a reference is used as it is. spruce's
rules and error texts (``op_raw_env.go``); graft has no such operator and
leaves the expression in its output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.expr.nodes import EnvVar, Literal, Or, Reference
from graftpy.operators.base import Operator, Response
from graftpy.tree import parse_path

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


def _is_variable(node: Any) -> bool:
    """``$NAME``; ``$.a.b`` is a reference to ``a.b``, as spruce reads it."""
    return isinstance(node, EnvVar) and not node.name.startswith(".")


def _lookup(ctx: EvalContext, path: Any, written: str) -> Any:
    try:
        return ctx.lookup(path)
    except GraftError as exc:
        raise GraftError(f"unable to resolve `{written}`: {exc.message}") from None


def raw_value(node: Any, ctx: EvalContext) -> Any:
    if isinstance(node, EnvVar) and not _is_variable(node):
        return _lookup(ctx, parse_path(node.name[1:]), node.name[1:])
    if isinstance(node, EnvVar):
        value = ctx.env(node.name)
        if value is None:
            raise GraftError(f"environment variable ${node.name} is not set")
        return value
    if isinstance(node, Or):
        try:
            return raw_value(node.left, ctx)
        except GraftError:
            return raw_value(node.right, ctx)
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Reference):
        return _lookup(ctx, node.path, node.dotted)
    raise GraftError("raw_env operator received unexpected expression type")


def _fallback_paths(node: Any) -> list[Any]:
    """The ``$.a.b`` references among the fallbacks (read as variables by the scan)."""
    if isinstance(node, Or):
        return _fallback_paths(node.left) + _fallback_paths(node.right)
    if isinstance(node, EnvVar) and not _is_variable(node):
        try:
            return [parse_path(node.name[1:])]
        except GraftError:
            return []
    return []


class RawEnvOperator(Operator):
    name = "raw_env"

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        extra = [p for arg in call.args for p in _fallback_paths(arg) if p not in auto]
        return [*auto, *extra]

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("raw_env operator requires exactly one argument")
        leftmost = call.args[0]
        while isinstance(leftmost, Or):
            leftmost = leftmost.left
        if not _is_variable(leftmost):
            raise GraftError("raw_env operator only accepts environment variable arguments")
        return Response(raw_value(call.args[0], ctx))
