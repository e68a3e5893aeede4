"""(( param MESSAGE )): a value the user must provide; left unmerged, it is an error.

Runs in its own phase: when any param is left, graft reports only those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Phase, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class ParamOperator(Operator):
    name = "param"
    phase = Phase.PARAM

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("param operator only expects one argument")  # graft's words
        raise GraftError(sprint(argkinds.looked_up(call.args[0], ctx)))
