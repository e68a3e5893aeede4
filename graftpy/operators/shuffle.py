"""(( shuffle LIST-OR-SCALAR ... )): the arguments' entries, flattened, in random order.

graft seeds from the clock, so its output differs from run to run; we draw
from the OS's randomness, one generator per call (safe on worker threads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class ShuffleOperator(Operator):
    name = "shuffle"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        items: list[Any] = []
        for arg in call.args:
            value = argkinds.value_of(arg, ctx)
            if value is None:
                raise GraftError("shuffle operator argument cannot be nil")
            if isinstance(value, dict):
                raise GraftError("shuffle only accepts arrays and scalar values")
            if isinstance(value, list):
                items.extend(value)
            else:
                items.append(value)
        import random  # only when a shuffle runs

        random.SystemRandom().shuffle(items)
        return Response(items)
