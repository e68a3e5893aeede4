"""What each evaluated operator read, recorded through its evaluation context.

With explain on, the evaluator (``Evaluator.recorder``) gives every operator a
``RecordingContext``: an ``EvalContext`` that also notes each path it looks up
(found or not: a ``||`` default is taken when a lookup fails) and each secret
operator it calls, nested ones included. When the operator is done, the
recorder files an ``OpRecord`` on the trace of its place: its expression, the
file and line it was written at, what it read, its error if it failed. An
``(( inject ))`` gives each key it brought in the history of the entry it copied,
then an ``injected`` event. Operators that read the tree without going through
their context (none of graft's, since grab and calc go through it) show no reads.
"""

from __future__ import annotations

import threading
from typing import Any

from graftpy.errors import GraftError
from graftpy.evaluator.context import EvalContext
from graftpy.provenance.trace import (
    INJECTED,
    OVERRIDE,
    SET,
    Event,
    Trace,
    copy_trace,
    key_text,
    shape_of,
    trace_at,
)
from graftpy.tree import dollar


class OpRecord:
    """One evaluated operator call."""

    __slots__ = (
        "where",
        "src",
        "operator",
        "reads",
        "secrets",
        "error",
        "file",
        "line",
        "follows",
    )

    def __init__(self, where: tuple[str, ...], src: str, operator: str) -> None:
        self.where = where  # its path, list entries by name (as in messages)
        self.src = src  # the expression as written
        self.operator = operator
        self.reads: list[tuple[tuple[str, ...], bool]] = []  # (path, found), in order
        self.secrets: list[str] = []  # "vault secret/x:key" of each secret it called
        self.error: str | None = None
        self.file: str | None = None
        self.line: int | None = None
        # its value is its one read's value (a grab): what lies below the value
        # lies below the read
        self.follows = False


class RecordingContext(EvalContext):
    """An ``EvalContext`` that records the lookups and secret calls of one operator."""

    def __init__(self, document: Any, here: Any, settings: Any, state: Any) -> None:
        super().__init__(document, here, settings, state)
        self.reads: list[tuple[tuple[str, ...], bool]] = []
        self.secrets: list[str] = []

    def lookup(self, path: tuple[str, ...]) -> Any:
        try:
            value = super().lookup(path)
        except GraftError:
            self.reads.append((tuple(path), False))
            raise
        self.reads.append((tuple(path), True))
        return value

    def call(self, call: Any) -> Any:
        if yields_secrets(call.name):
            self.secrets.append(secret_label(call, self))
        return super().call(call)


class EvalRecorder:
    """Files an ``OpRecord`` on the trace (rooted at ``root``) for every operator run."""

    def __init__(self, root: Trace) -> None:
        self.root = root
        self.records: list[OpRecord] = []
        self.evaluator: Any = None
        self.before_postprocess: dict | None = None  # the evaluated tree, unpruned
        self.sorted_paths: list[tuple[str, ...]] = []
        self.prune_paths: list[tuple[str, ...]] = []  # everything post-processing pruned
        self._lock = threading.Lock()

    # -- the evaluator's hooks ------------------------------------------------------

    def attach(self, evaluator: Any) -> None:
        self.evaluator = evaluator
        evaluator.recorder = self

    def context(self, document: Any, op: Any, settings: Any, state: Any) -> RecordingContext:
        return RecordingContext(document, op.where, settings, state)

    def finished(self, op: Any, ctx: RecordingContext, response: Any) -> None:
        node = trace_at(self.root, op.index_path)
        record = self._record(op, ctx, node)
        with self._lock:
            self.records.append(record)
            if response.inject:
                self._injected(op, record, response.value)
                return
            if node is not None:
                node.op = record
                node.kids = None  # below this place is now the operator's value

    def failed(self, op: Any, ctx: RecordingContext, error: GraftError) -> None:
        from graftpy.taint import redact

        node = trace_at(self.root, op.index_path)
        record = self._record(op, ctx, node)
        record.error = redact(error.message)  # the raw message: it may quote a secret
        with self._lock:
            self.records.append(record)
            if node is not None:
                node.op = record

    def located(self, op: Any) -> tuple[str | None, int | None]:
        """The file and line the call at ``op`` was written at (None when unknown)."""
        return _written_at(trace_at(self.root, op.index_path))

    def evaluated(self, tree: dict, prune_paths: Any) -> dict:
        """Keep the evaluated tree as it is; post-processing gets a shallow copy (pruning
        copies what it changes, so the kept tree still has what was pruned)."""
        self.before_postprocess = tree
        self.prune_paths = [tuple(p) for p in prune_paths]
        return dict(tree)

    def sorted(self, path: tuple[str, ...], order: list[int]) -> None:
        """A ``(( sort ))`` reordered the list at ``path``: its traces follow."""
        from graftpy.evaluator.dataflow import to_index_path

        tree = self.before_postprocess if self.before_postprocess is not None else {}
        node = trace_at(self.root, to_index_path(tree, tuple(path)))
        if node is not None and isinstance(node.kids, list) and len(node.kids) == len(order):
            node.kids = [node.kids[i] for i in order]
        self.sorted_paths.append(tuple(path))

    # -- records --------------------------------------------------------------------

    def _record(self, op: Any, ctx: RecordingContext, node: Trace | None) -> OpRecord:
        """The record of ``op`` (``node``: the trace of its place, or None)."""
        operator = op.operator
        record = OpRecord(op.where, op.src, operator.name)
        record.reads = ctx.reads
        record.secrets = ctx.secrets  # the context is the operator's alone
        if operator.yields_secrets:
            record.secrets.insert(0, secret_label(op.call, _Quiet(ctx)))
        if operator.name == "grab" and len(op.call.args) == 1:
            record.follows = sum(ok for _, ok in ctx.reads) == 1
        record.file, record.line = _written_at(node)
        return record

    def _injected(self, op: Any, record: OpRecord, value: dict) -> None:
        """``(( inject ))`` replaced its key by the entries of ``value``: each new key gets
        the history of the entry it copies, then an ``injected`` event."""
        from graftpy.evaluator.dataflow import to_index_path

        parent = trace_at(self.root, op.index_path[:-1])
        if parent is None or not isinstance(parent.kids, dict):
            return
        parent.kids.pop(op.index_path[-1], None)
        tree = self.evaluator.document.root
        maps = [path for path, found in record.reads if found]
        for key in value:
            name = key_text(key)
            if name in parent.kids:
                continue  # the call site's own key won (merged over the injected value)
            source = next((p for p in reversed(maps) if _has_key(tree, p, key)), None)
            copied = None
            if source is not None:
                copied = trace_at(self.root, to_index_path(tree, (*source, name)))
            node = copy_trace(copied) if copied is not None else Trace()
            node.op = None  # the entry is a copy; an operator in it runs where it is now
            detail = f"from {dollar((*source, name))}" if source is not None else None
            node.events.append(
                Event(INJECTED, record.file, record.line, shape_of(value[key]), record.src, detail)
            )
            parent.kids[name] = node


def _written_at(node: Trace | None) -> tuple[str | None, int | None]:
    """The file and line of the last value set at ``node`` (None when unknown)."""
    for event in reversed(node.events if node is not None else ()):
        if event.action in (SET, OVERRIDE):
            return event.file, event.line
    return None, None


def yields_secrets(name: str) -> bool:
    """Whether the operator called ``name`` makes secrets (``Operator.yields_secrets``):
    explain never shows their values."""
    from graftpy.operators import registry

    op = registry.get(name)
    return op is not None and op.yields_secrets


def _has_key(tree: Any, path: tuple[str, ...], key: Any) -> bool:
    from graftpy.tree import resolve

    try:
        value = resolve(tree, path)
    except GraftError:
        return False
    return isinstance(value, dict) and key in value


class _Quiet:
    """The operator's context without recording: the label's lookups are not its reads."""

    def __init__(self, ctx: RecordingContext) -> None:
        self._ctx = ctx

    def lookup(self, path: tuple[str, ...]) -> Any:
        return EvalContext.lookup(self._ctx, path)


def secret_label(call: Any, ctx: Any) -> str:
    """``vault secret/x:key``: which secret a call reads, never its value.

    Literal and reference arguments give their text or value (the path itself is
    no secret); anything else is shown as written.
    """
    from graftpy.backends.argnodes import split_or
    from graftpy.expr.nodes import Literal, Reference, render
    from graftpy.gofmt import sprint

    parts = []
    # nats: the second argument is the server (a URL or settings), not the secret's name
    args = call.args[:1] if call.name == "nats" else call.args
    for arg in args:
        node, _default = split_or(arg)
        if isinstance(node, Literal):
            parts.append(sprint(node.value))
        elif isinstance(node, Reference):
            try:
                value = ctx.lookup(node.path)
            except GraftError:
                value = None
            parts.append(
                sprint(value)
                if value is not None and not isinstance(value, (dict, list))
                else node.dotted
            )
        else:
            parts.append(render(node))
    name = f"{call.name}@{call.target}" if getattr(call, "target", None) else call.name
    paths = [p for p in parts if ":" in p] if call.name in ("vault", "vault-try") else []
    if len(paths) > 1 or call.name == "vault-try":
        return f"{name} {' | '.join(paths or parts)}"
    return f"{name} {''.join(parts)}"
