"""(( grab REF ... )): the value at a path; several arguments give one flat list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response
from graftpy.tree import parse_path

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


def grab_value(arg: Any, ctx: EvalContext) -> Any:
    """One argument's value, by graft's rules for grab.

    A reference that fails is reported as ``Unable to resolve `ref`: why`` (by
    the expression evaluator). A nested call that yields a string is taken as a path and grabbed in turn,
    as graft does (``(( grab (concat "meta." $KEY) ))``).
    """
    value = ctx.evaluate(arg)
    if isinstance(value, str) and argkinds.is_call(arg):
        try:
            path = parse_path(value)
        except GraftError:
            return value  # not a path: the string itself
        try:
            return ctx.lookup(path)  # through the context: explain records what grab read, taint follows
        except GraftError as exc:
            raise GraftError(f"Unable to resolve `{value}`: {exc.message}") from None
    return value


class GrabOperator(Operator):
    name = "grab"
    copies_input = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) == 1:  # the common case, without a list
            return Response(grab_value(call.args[0], ctx))
        values = [grab_value(arg, ctx) for arg in call.args]
        if not values:
            raise GraftError("no arguments specified to (( grab ... ))")
        if len(values) == 1:
            return Response(values[0])
        limits.check_items(
            ctx, "grab", sum(len(v) if isinstance(v, list) else 1 for v in values)
        )
        flat: list[Any] = []
        for v in values:
            if isinstance(v, list):
                flat.extend(v)
            else:
                flat.append(v)
        return Response(flat)
