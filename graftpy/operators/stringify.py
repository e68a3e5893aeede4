"""(( stringify VALUE )): a map or list as YAML text; a scalar as Go's ``%v`` text
(``5``, ``true``, ``1.5``); strings and null pass through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class StringifyOperator(Operator):
    name = "stringify"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("stringify operator requires exactly one argument")
        value = ctx.evaluate(call.args[0])  # a failed reference: "Unable to resolve ..."
        if value is None or isinstance(value, (str, bytes)):  # bytes: a binary Go string
            return Response(value)
        if isinstance(value, (dict, list)):
            from graftpy.yamlio import dump_yaml

            # the YAML text is at least as long as its strings: refuse a bomb before dumping it
            limits.check_string(ctx, "stringify", _least_text_size(value))
            text = dump_yaml(value)
            limits.check_string(ctx, "stringify", len(text))
            return Response(text)
        return Response(sprint(value))


def _least_text_size(value: object) -> int:
    """A lower bound of the length of ``value``'s YAML text (a character per value)."""
    if isinstance(value, str | bytes):
        return len(value) + 1
    if isinstance(value, dict):
        return sum(_least_text_size(k) + _least_text_size(v) for k, v in value.items()) + 1
    if isinstance(value, list):
        return sum(_least_text_size(v) for v in value) + 1
    return 1
