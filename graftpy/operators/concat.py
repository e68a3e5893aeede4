"""(( concat A B ... )): the arguments' string forms joined (Go's %v: numbers as Go
prints them, null as ``<nil>``, a map as ``map[k:v]``); a list adds its entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


def _joined(parts: list[str | bytes]) -> str | bytes:
    """Join strings; binary parts (from base64-decode) join as bytes, as in Go."""
    try:
        return "".join(parts)  # type: ignore[arg-type]
    except TypeError:  # bytes among them
        pass
    raw = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


class ConcatOperator(Operator):
    name = "concat"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) < 2:
            raise GraftError("concat operator requires at least two arguments")
        parts: list[str | bytes] = []
        for arg in call.args:
            value = ctx.evaluate(arg)  # a failed reference: "Unable to resolve ..."
            if isinstance(value, list):  # its entries, each as %v, as graft joins them
                parts.extend(v if isinstance(v, bytes) else sprint(v) for v in value)
            elif value.__class__ is str:
                parts.append(value)
            else:  # Go's %v: nil is "<nil>", a map map[k:v]
                parts.append(value if isinstance(value, bytes) else sprint(value))
        limits.check_string(ctx, "concat", sum(len(p) for p in parts))
        return Response(_joined(parts))
