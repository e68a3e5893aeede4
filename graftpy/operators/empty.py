"""(( empty TYPE )) / (( empty VALUE )): an empty hash, array or string, or an emptiness test.

graft reads the argument as a type name when it is one (``hash``/``map``,
``array``/``list``, ``string``), whether written as a literal, as a bare word
that is not a path in the document, or produced by an expression. Any other
value is tested: the result is true when it is null, empty, zero or false.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

_NOT_A_TYPE = object()


def empty_of(type_name: str) -> Any:
    """The empty value named by ``type_name`` (case-insensitive), or ``_NOT_A_TYPE``."""
    name = type_name.lower()
    if name in ("hash", "map"):
        return {}
    if name in ("array", "list"):
        return []
    if name == "string":
        return ""
    return _NOT_A_TYPE


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, (str, list, dict, bytes)):
        return len(value) == 0
    if isinstance(value, (int, float)):
        return value == 0
    return False


class EmptyOperator(Operator):
    name = "empty"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("empty operator requires exactly one argument")
        arg = call.args[0]
        try:
            value = argkinds.value_of(arg, ctx)
        except GraftError:
            if argkinds.is_reference(arg):
                # an unresolvable bare word: its last component may name a type
                path = arg.path
                found = empty_of(path[-1] if path else "")
                if found is not _NOT_A_TYPE:
                    return Response(found)
            raise
        if isinstance(value, str):
            found = empty_of(value)
            return Response(value == "" if found is _NOT_A_TYPE else found)
        return Response(is_empty(value))
