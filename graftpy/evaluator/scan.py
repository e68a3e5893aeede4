"""Finding every operator call in the document, for all phases in one walk.

The walk names list entries the way graft does (by their name/key/id when they
have one, else by index), and also records the index-only path used to write
results back. Each distinct string is parsed once per process (documents
repeat the same expressions a lot).
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

_parsed: dict[str, Any] = {}  # source string -> Call, None, or the GraftError it raises


def parse_cached(text: str) -> Any:
    """``parse_opcall`` with a cache; raises the same GraftError on a bad expression."""
    try:
        result = _parsed[text]
    except KeyError:
        try:
            result = parse_opcall(text, registry.is_operator)
        except GraftError as exc:
            result = exc
        _parsed[text] = result
    if isinstance(result, GraftError):
        raise result
    return result


def _parse_quiet(text: str) -> Any:
    try:
        return parse_cached(text)
    except GraftError:
        return None


class ScanResult:
    """Calls by phase, in document order, plus the errors met (reported in the eval phase)."""

    def __init__(self) -> None:
        self.calls: dict[Phase, list[OpCall]] = {phase: [] for phase in Phase}
        self.errors: list[GraftError] = []

    def __getitem__(self, phase: Phase) -> list[OpCall]:
        return self.calls[phase]


def scan(tree: Any) -> ScanResult:
    result = ScanResult()
    where: list[str] = []
    index: list[str] = []
    seq = 0

    def check(value: Any) -> None:
        nonlocal seq
        if isinstance(value, str):
            if "((" not in value:
                return
            try:
                call = parse_cached(value)
            except GraftError as exc:
                result.errors.append(PathError(".".join(where), exc.message))
                return
            if call is None:
                return
            try:
                op = registry.get(call.name)
            except GraftError as exc:  # a plugin that does not load
                result.errors.append(PathError(".".join(where), exc.message))
                return
            if op is None:
                result.errors.append(
                    PathError(".".join(where), f"(( {call.name} )) operator not defined")
                )
                return
            seq += 1
            result.calls[op.phase].append(
                OpCall(tuple(where), tuple(index), value, call, op, seq=seq)
            )
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
    return result
