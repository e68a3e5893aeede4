"""(( cartesian-product A B ... )): every concatenation of one string from each argument.

Lists contribute each entry, scalars themselves; all as Go's %v strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class CartesianProductOperator(Operator):
    name = "cartesian-product"
    aliases: ClassVar[tuple[str, ...]] = ("cartesian-product",)
    waits_for_subtree = True  # graft orders it after the operators inside the lists it reads

    def run(self, call: Call, ctx: EvalContext) -> Response:
        factors: list[list[str]] = []
        for arg in call.args:
            value = argkinds.value_of(arg, ctx)
            if value is None:
                raise GraftError("cartesian-product operator argument cannot be nil")
            if isinstance(value, dict):
                raise GraftError("cartesian-product operator only accepts arrays and string values")
            if isinstance(value, list):
                if any(isinstance(v, (list, dict)) for v in value):
                    raise GraftError(
                        "cartesian-product operator can only operate on lists of scalar values"
                    )
                factors.append([sprint(v) for v in value])
            else:
                factors.append([sprint(value)])
        if not factors:
            raise GraftError("no arguments specified to (( cartesian-product ... ))")
        count = 1
        for factor in factors:
            count *= len(factor)
        limits.check_items(ctx, "cartesian-product", count)
        product = factors[0]
        for factor in factors[1:]:
            product = [a + b for a in product for b in factor]
        return Response(product)
