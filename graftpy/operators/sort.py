"""(( sort [by KEY] )) left where no list was merged: kept as written.

The merge sorts the list a ``(( sort ))`` marker is merged onto (see
``graftpy.merging``). A marker with no list under it stays in the output
verbatim, as graft leaves it: this merge-phase operator only exists so that
the marker is a known operator, and it rewrites the value it finds unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.errors import GraftError
from graftpy.operators.base import Operator, Phase, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


class SortOperator(Operator):
    name = "sort"
    phase: ClassVar[Phase] = Phase.MERGE

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        return []  # ``by KEY`` names a field of the entries, not a document path

    def run(self, call: Call, ctx: EvalContext) -> Response:
        try:
            found = ctx.lookup(ctx.here)
        except GraftError:
            found = None
        # the named path may lead to another entry of the same name: check it
        if isinstance(found, str) and found.strip() == call.text:
            return Response(found)
        return Response(call.text)
