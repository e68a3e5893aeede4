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
        if not call.args:
            raise GraftError("no arguments specified to (( keys ... ))")
        keys: set[str] = set()
        for i, arg in enumerate(call.args):
            value = ctx.evaluate(arg)
            if value is None:  # null (a literal nil too) has no keys
                continue
            if not isinstance(value, dict):
                if argkinds.is_reference(arg):
                    raise GraftError(f"{argkinds.ref_text(arg)} is not a map")
                raise GraftError(
                    f"keys operator only works on maps, argument {i} is "
                    f"{argkinds.go_type_of(arg, value, ctx)}"
                )
            keys.update(k if isinstance(k, str) else sprint(k) for k in value)
        # each key once; Go's sort.Strings orders by bytes: for UTF-8, code point order
        return Response(sorted(keys))
