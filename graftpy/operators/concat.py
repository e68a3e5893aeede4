"""(( concat A B ... )): the arguments' string forms joined (numbers as Go's %v)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class ConcatOperator(Operator):
    name = "concat"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) < 2:
            raise GraftError("concat operator requires at least two arguments")
        parts: list[str] = []
        for arg in call.args:
            value = ctx.evaluate(arg)  # a failed reference: "Unable to resolve ..."
            if isinstance(value, (dict, list)):
                raise GraftError(f"tried to concat {sprint(value)}, which is not a string scalar")
            # graft's AsString: nil is the empty string, everything else %v
            parts.append("" if value is None else sprint(value))
        return Response("".join(parts))
