"""(( stringify VALUE )): the YAML text of a value (strings and null pass through)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class StringifyOperator(Operator):
    name = "stringify"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("stringify operator requires exactly one reference argument")
        value = argkinds.value_of(call.args[0], ctx)
        if value is None or isinstance(value, (str, bytes)):  # bytes: a binary Go string
            return Response(value)
        from graftpy.yamlio import dump_yaml

        return Response(dump_yaml(value))
