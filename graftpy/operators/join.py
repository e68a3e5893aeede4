"""(( join SEP LIST-OR-SCALAR ... )): entries as strings, joined by a literal separator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class JoinOperator(Operator):
    name = "join"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if not call.args:
            raise GraftError("no arguments specified to (( join ... ))")
        if len(call.args) == 1:
            raise GraftError("too few arguments supplied to (( join ... ))")
        sep_node, *rest = call.args
        if not argkinds.is_literal(sep_node):
            raise GraftError("join operator only accepts literal argument for the separator")
        separator = sprint(argkinds.literal_value(sep_node))
        items: list[str] = []
        for arg in rest:
            value = argkinds.resolved_again(arg, ctx)
            if value is None:
                continue
            if isinstance(value, list):
                for idx, entry in enumerate(value):
                    if isinstance(entry, (list, dict)):
                        raise GraftError(
                            f"entry #{idx} in list is not compatible for (( join ... ))"
                        )
                    items.append(sprint(entry))
            elif isinstance(value, dict):
                # key:value pairs, sorted by key (graft's form for maps)
                pairs = sorted((sprint(k), v) for k, v in value.items())
                items.extend(f"{k}:{sprint(v)}" for k, v in pairs)
            else:
                items.append(sprint(value))
        total = sum(len(i) for i in items) + len(separator) * max(0, len(items) - 1)
        limits.check_string(ctx, "join", total)
        return Response(separator.join(items))
