"""(( prune )): remove this key from the output once evaluation is over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class PruneOperator(Operator):
    name = "prune"
    parallel_safe = False  # appends to the run-wide prune list

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if ctx.here not in ctx.state.prune_paths:
            ctx.state.prune_paths.append(ctx.here)
        # graft writes null here; the key disappears when pruning runs
        return Response(None)
