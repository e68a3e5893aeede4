"""Finding every operator call of one phase in the document.

The walk names list entries the way graft does (by their name/key/id when they
have one, else by index), and also records the index-only path used to write
results back.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError, PathError
from graftpy.evaluator.opcall import OpCall
from graftpy.expr import parse_opcall
from graftpy.gofmt import sprint
from graftpy.operators import registry
from graftpy.operators.base import Phase
from graftpy.tree import name_of


def _parse(text: str) -> Any:
    return parse_opcall(text, registry.is_operator)


def scan(tree: Any, phase: Phase) -> tuple[list[OpCall], list[GraftError]]:
    """Operator calls of ``phase`` in document order, and the parse errors met."""
    found: list[OpCall] = []
    errors: list[GraftError] = []
    where: list[str] = []
    index: list[str] = []

    def check(value: Any) -> None:
        if isinstance(value, str):
            if "((" not in value:
                return
            try:
                call = _parse(value)
            except GraftError as exc:
                if phase == Phase.EVAL:
                    errors.append(PathError(".".join(where), exc.message))
                return
            if call is None:
                return
            op = registry.get(call.name)
            if op is None:
                if phase == Phase.EVAL:
                    errors.append(
                        PathError(".".join(where), f"(( {call.name} )) operator not defined")
                    )
                return
            if op.phase != phase:
                return
            found.append(OpCall(tuple(where), tuple(index), value, call, op, seq=len(found)))
        elif isinstance(value, dict):
            for k, v in value.items():
                where.append(k if isinstance(k, str) else sprint(k))
                index.append(where[-1])
                check(v)
                where.pop()
                index.pop()
        elif isinstance(value, list):
            for i, v in enumerate(value):
                name = name_of(v)
                # a name that is itself an operator call is not usable as a path
                if not name or ("((" in name and _parse_quiet(name) is not None):
                    name = str(i)
                where.append(name)
                index.append(str(i))
                check(v)
                where.pop()
                index.pop()

    check(tree)
    return found, errors


def _parse_quiet(text: str) -> Any:
    try:
        return _parse(text)
    except GraftError:
        return None
