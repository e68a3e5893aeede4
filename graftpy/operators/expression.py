"""Bare expressions: ``(( a + b ))``, ``(( x == "y" ))``, ``(( c ? a : b ))``, ``(( ! x ))``.

graft treats the operator at the root of a bare expression as the call itself,
so each infix/prefix symbol is registered as an operator whose run evaluates
the whole expression with the expression layer's type rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class ExpressionOperator(Operator):
    def __init__(self, symbol: str) -> None:
        self.name = symbol  # type: ignore[misc] - one instance per symbol
        # ``a || b`` and ``c ? a : b`` yield one of their operands as it is
        self.copies_input = symbol in ("||", "?:")  # type: ignore[misc]

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.expr import evaluate_call

        return Response(evaluate_call(call, ctx))


def expression_operators() -> dict[str, Operator]:
    from graftpy.expr.evaluate import EXPRESSION_OPERATORS

    return {symbol: ExpressionOperator(symbol) for symbol in EXPRESSION_OPERATORS}
