"""(( negate VALUE )): the logical not of a value's truthiness (graft's rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


def is_falsy(value: Any) -> bool:
    """graft's falsy values: false, null, "", 0, 0.0, empty lists and maps."""
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, (str, bytes, list, dict)):
        return len(value) == 0
    if isinstance(value, (int, float)):
        return value == 0
    return False  # anything else is a non-nil value: truthy


class NegateOperator(Operator):
    name = "negate"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("negate operator requires exactly one argument")
        return Response(is_falsy(argkinds.value_of(call.args[0], ctx)))
