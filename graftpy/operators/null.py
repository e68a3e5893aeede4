"""(( null )) / (( null VALUE )): null, or whether a value is null."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class NullOperator(Operator):
    name = "null"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) > 1:
            raise GraftError("null operator takes at most one argument")
        if not call.args:
            return Response(None)
        return Response(argkinds.value_of(call.args[0], ctx) is None)
