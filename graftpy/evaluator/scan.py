"""Finding every operator call in the document, for all phases in one walk.

The walk names list entries the way graft does (by their name/key/id when they
have one, else by index), and also records the index-only path used to write
results back. Each distinct string is parsed once per process (documents
repeat the same expressions a lot).
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError, PathError
from graftpy.evaluator.document import real_key
from graftpy.evaluator.opcall import OpCall
from graftpy.expr import parse_opcall
from graftpy.gofmt import sprint
from graftpy.operators import registry
from graftpy.operators.base import Phase
from graftpy.tree import Path, name_of

_parsed: dict[str, Any] = {}  # source string -> Call, None, or the GraftError it raises
_UNSEEN = object()


def parse_cached(text: str) -> Any:
    """``parse_opcall`` with a cache; raises the same GraftError on a bad expression."""
    result = _parsed.get(text, _UNSEEN)  # not try/except: most strings are new
    if result is _UNSEEN:
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


def entry_name(entry: Any, i: int) -> str:
    """A list entry's component in named paths: its name/key/id, else its index
    (also when the name is itself an operator call, which no path can use)."""
    name = name_of(entry)
    if not name or ("((" in name and _parse_quiet(name) is not None):
        return str(i)
    return name


def subtree_at(tree: Any, index_path: Path) -> tuple[Path, Any]:
    """The named form of ``index_path`` (which must exist in ``tree``), as the walk
    names it, and the value there."""
    out: list[str] = []
    o = tree
    for k in index_path:
        if isinstance(o, list):
            o = o[int(k)]
            out.append(entry_name(o, int(k)))
        else:
            out.append(k)
            o = o[real_key(o, k)]
    return tuple(out), o


class ScanResult:
    """Calls by phase, in document order, plus the errors met (reported in the eval phase)."""

    def __init__(self) -> None:
        self.calls: dict[Phase, list[OpCall]] = {phase: [] for phase in Phase}
        self.errors: list[GraftError] = []

    def __getitem__(self, phase: Phase) -> list[OpCall]:
        return self.calls[phase]


def scan(tree: Any, where_from: Path = (), index_from: Path = ()) -> ScanResult:
    """Every call in ``tree``, in document order, numbered from 1 (``OpCall.seq``).

    ``where_from`` / ``index_from``: the named and index paths of ``tree`` when it
    is a subtree of the document (``evaluator.rescan``)."""
    result = ScanResult()
    where: list[str] = list(where_from)
    index: list[str] = list(index_from)
    seq = 0

    def found(value: str) -> None:
        nonlocal seq
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
            result.errors.append(PathError(".".join(where), f"(( {call.name} )) operator not defined"))
            return
        seq += 1
        result.calls[op.phase].append(OpCall(tuple(where), tuple(index), value, call, op, seq=seq))

    # Containers are walked here, strings looked at in place: most values are
    # scalars without "((", and a call per value would be most of the walk's time.
    def check(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, str):
                    if "((" not in v:
                        continue
                elif not isinstance(v, dict | list):
                    continue
                key = k if isinstance(k, str) else sprint(k)
                where.append(key)
                index.append(key)
                if isinstance(v, str):
                    found(v)
                else:
                    check(v)
                where.pop()
                index.pop()
        else:
            for i, v in enumerate(value):
                if isinstance(v, str):
                    if "((" not in v:
                        continue
                    name = str(i)
                elif isinstance(v, dict | list):
                    name = entry_name(v, i)
                else:
                    continue
                where.append(name)
                index.append(str(i))
                if isinstance(v, str):
                    found(v)
                else:
                    check(v)
                where.pop()
                index.pop()

    if isinstance(tree, str):
        if "((" in tree:
            found(tree)
    elif isinstance(tree, dict | list):
        check(tree)
    return result
