"""Provenance of go-patch operations: which place each one replaced or removed.

``plan(operation, doc, tracer, line, value_line)`` looks at the document before
the operation applies and returns what to do to the traces once it has applied
(a ``replace`` writes a fresh trace of its value, set by the go-patch file at
the operation's line; a ``remove`` drops the trace and notes it on the parent).
It follows the operation's path the way ``graftpy.gopatch.ops`` does; the plan
only reads, so an operation that then fails leaves the traces as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from graftpy.gopatch import ops
from graftpy.gopatch.pointer import AfterLast, Index, Key, Matching
from graftpy.provenance.trace import OVERRIDE, REMOVED, Trace

Commit = Callable[[], None]


def plan(operation: Any, doc: Any, tracer: Any, line: int | None, value_line: int | None) -> Commit:
    """What ``operation`` will do to the traces under ``tracer.root`` (see the module text)."""
    op = operation.op if isinstance(operation, ops.Described) else operation
    try:
        if isinstance(op, ops.Replace):
            return _replace(op, doc, tracer, line, value_line)
        if isinstance(op, ops.Remove):
            return _remove(op, doc, tracer, line)
    except (ops.OpError, LookupError, TypeError, ValueError):
        pass  # the operation itself fails and reports it
    return lambda: None


def _replace(op: Any, doc: Any, tracer: Any, line: int | None, value_line: int | None) -> Commit:
    rule = f"go-patch replace {op.path}"
    tokens = op.path.tokens
    steps: list[Commit] = []

    def fresh(at: Trace | None = None) -> Trace:
        t = tracer.build(op.value, value_line or line, rule)
        if at is not None and (at.events or at.kids):
            t.events[-1].action = OVERRIDE
            t.events[:0] = at.events
        return t

    root = tracer.root
    if not tokens:
        return lambda: _adopt(root, fresh(root))
    obj, t = doc, root
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        here = op.path.prefix(i + 1)
        if isinstance(token, Key):
            if last:
                steps.append(partial(_replace_key, t, token.key, fresh))
                break
            if token.key in obj:
                obj, t = obj[token.key], _kid(t, token.key) or Trace()
                continue
            created: Any = [] if isinstance(tokens[i + 1], (AfterLast, Matching)) else {}
            made = _made(tracer, created, line, rule)
            steps.append(partial(_put, t, token.key, made))
            obj, t = created, made
            continue
        if isinstance(token, Index):
            if last:
                number, insert = ops._insertion(token.index, token.modifiers, obj, here)
                steps.append(partial(_place, t, number, insert, fresh))
                break
            idx = ops.concrete_index(token.index, token.modifiers, obj, here)
            obj, t = obj[idx], _item(t, idx)
            continue
        if isinstance(token, AfterLast):
            steps.append(partial(_place, t, len(obj), True, fresh))
            break
        idxs = ops._matches(obj, token)
        if token.optional and not idxs:
            if last:
                steps.append(partial(_place, t, len(obj), True, fresh))
                break
            entry = {token.key: token.value}
            made = _made(tracer, entry, line, rule)
            steps.append(partial(_insert, t, len(obj), made))
            obj, t = entry, made
            continue
        if last:
            number, insert = ops._insertion(idxs[0], token.modifiers, obj, here)
            steps.append(partial(_place, t, number, insert, fresh))
            break
        idx = ops.concrete_index(idxs[0], token.modifiers, obj, here)
        obj, t = obj[idx], _item(t, idx)
    return lambda: _run(steps)


def _run(steps: list[Commit]) -> None:
    for step in steps:
        step()


def _remove(op: Any, doc: Any, tracer: Any, line: int | None) -> Commit:
    tokens = op.path.tokens
    obj, t = doc, tracer.root
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        here = op.path.prefix(i + 1)
        if isinstance(token, Key):
            if token.key not in obj:
                return lambda: None
            if last:
                key = token.key
                return lambda: _drop(tracer, t, key, line, f"go-patch remove {op.path}")
            obj, t = obj[token.key], _kid(t, token.key) or Trace()
            continue
        if isinstance(token, Index):
            idx = ops.concrete_index(token.index, token.modifiers, obj, here)
        else:
            idxs = ops._matches(obj, token)
            if not idxs:
                return lambda: None
            idx = ops.concrete_index(idxs[0], token.modifiers, obj, here)
        if last:
            return lambda: _drop(tracer, t, idx, line, f"go-patch remove {op.path}")
        obj, t = obj[idx], _item(t, idx)
    return lambda: None


def _made(tracer: Any, value: Any, line: int | None, rule: str) -> Trace:
    """The trace of a container go-patch creates on the way to its target."""
    return tracer.build(value, line, rule)


def _kid(t: Trace, key: str) -> Trace | None:
    return t.kids.get(key) if isinstance(t.kids, dict) else None


def _item(t: Trace, idx: int) -> Trace:
    kids = t.kids
    return kids[idx] if isinstance(kids, list) and 0 <= idx < len(kids) else Trace()


def _replace_key(parent: Trace, key: str, fresh: Callable[[Trace | None], Trace]) -> None:
    _put(parent, key, fresh(_kid(parent, key)))


def _put(parent: Trace, key: str, node: Trace) -> None:
    parent.map_kids()[key] = node


def _insert(parent: Trace, n: int, node: Trace) -> None:
    kids = parent.kids if isinstance(parent.kids, list) else []
    kids.insert(n, node)
    parent.kids = kids


def _place(parent: Trace, n: int, insert: bool, fresh: Callable[[Trace | None], Trace]) -> None:
    kids = parent.kids if isinstance(parent.kids, list) else []
    parent.kids = kids
    if insert or n >= len(kids):
        kids.insert(n, fresh(None))
    else:
        kids[n] = fresh(kids[n])


def _adopt(root: Trace, new: Trace) -> None:
    root.events, root.kids = new.events, new.kids


def _drop(tracer: Any, parent: Trace, key: Any, line: int | None, rule: str) -> None:
    kids = parent.kids
    if isinstance(kids, dict):
        kids.pop(key, None)
    elif isinstance(kids, list) and 0 <= key < len(kids):
        del kids[key]
    tracer.event(parent, REMOVED, line, None, rule=rule, detail=str(key))
