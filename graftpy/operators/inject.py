"""(( inject MAP ... )): merge maps into the map holding the call (merge phase).

The call's own key disappears; keys already present at the call site win
(the evaluator merges them over the injected value). Several arguments are
merged together first, left to right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Phase, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


class InjectOperator(Operator):
    name = "inject"
    phase = Phase.MERGE
    parallel_safe = False  # reshapes the map around it
    waits_for_subtree = True  # graft orders inject after the operators it copies

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        # every operator inside an injected map is a direct dependency (graft's rule)
        inside = [
            p
            for arg in call.args
            if argkinds.is_reference(arg)
            for p in argkinds.calls_under(ctx.tree, arg.path)
        ]
        return [*auto, *inside]

    def run(self, call: Call, ctx: EvalContext) -> Response:
        maps: list[dict] = []
        for arg in call.args:
            value = argkinds.looked_up(arg, ctx)
            if argkinds.is_reference(arg):
                if not isinstance(value, dict):
                    raise GraftError(f"{argkinds.ref_text(arg)} is not a map")
            elif value is None:
                raise GraftError("inject operator argument cannot be nil")
            elif not isinstance(value, dict):
                raise GraftError("inject operator argument must resolve to a map")
            maps.append(value)
        if not maps:
            raise GraftError("no arguments specified to (( inject ... ))")
        if len(maps) == 1:
            return Response(maps[0], inject=True)
        from graftpy.merging import merge_values

        merged: Any = {}
        for m in maps:
            merged = merge_values(merged, m, ctx.here, warnings=ctx.state.extra.get("warnings"))
        return Response(merged, inject=True)
