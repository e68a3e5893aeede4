"""(( defer EXPR ... )): the expression itself, unevaluated, as ``(( EXPR ... ))``.

Used to emit graft/spruce templates from a template. The arguments are printed
back as graft prints expressions: strings in double quotes, ``nil``, numbers
and references as written, nested calls without their parentheses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


class DeferOperator(Operator):
    name = "defer"

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        return []  # nothing is read: (( defer grab x )) must not wait for, or cycle with, x

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if not call.args:
            raise GraftError("Defer has no arguments - what are you deferring?")
        inner = " ".join(argkinds.expr_text(arg) for arg in call.args)
        return Response(f"(( {inner} ))")
