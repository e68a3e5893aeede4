"""(( keys MAP ... )): the sorted keys of one or more maps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class KeysOperator(Operator):
    name = "keys"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        keys: list[str] = []
        for arg in call.args:
            if argkinds.is_literal(arg):
                raise GraftError("keys operator only accepts key reference arguments")
            value = ctx.evaluate(arg)
            if not isinstance(value, dict):
                if argkinds.is_reference(arg):
                    raise GraftError(f"{argkinds.ref_text(arg)} is not a map")
                raise GraftError("argument is not a map")
            keys.extend(k if isinstance(k, str) else sprint(k) for k in value)
        if not call.args:
            raise GraftError("no arguments specified to (( keys ... ))")
        # Go's sort.Strings orders by bytes; for UTF-8 that is code point order
        return Response(sorted(keys))
