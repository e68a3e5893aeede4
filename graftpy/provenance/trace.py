"""The provenance side structure: a ``Trace`` per place in the document.

A ``Trace`` mirrors one node of the merged document: ``kids`` is a dict (map
keys, as the paths print them) or a list (list entries, by position) of the
traces below it, or None for a scalar. ``events`` says, in merge order, which
file and line set or overrode the node, and under which array-merge rule its
list entry got there. ``op`` is the record of the operator that computed the
node, when one did (``graftpy.provenance.evaluation``).
"""

from __future__ import annotations

from typing import Any

from graftpy.gofmt import sprint

# what happened at a node
SET = "set"  # the first value here
OVERRIDE = "override"  # a later value replaced an earlier one
MERGED = "merged"  # a list entry merged with an earlier entry (by name, or inline)
MARKED = "marked"  # (( prune )) or (( sort )) met data here and left it for post-processing
DELETED = "deleted"  # a list entry was deleted here (on the list's trace)
REMOVED = "removed"  # a go-patch remove took a key or entry away (on the parent's trace)
INJECTED = "injected"  # (( inject )) brought this key in

COMMAND_LINE = "command line"  # the file name of --set events


class Kind:
    """Stands for a map or a list as an event's value (the entries have events of their own)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


A_MAP = Kind("a map")
A_LIST = Kind("a list")


def shape_of(value: Any) -> Any:
    """What an event records as the value: scalars themselves, containers by kind."""
    if isinstance(value, dict):
        return A_MAP
    if isinstance(value, list):
        return A_LIST
    return value


class Event:
    """One step in a node's history: ``action`` by ``file``:``line`` (line None: unknown).

    ``value`` is what was written (``A_MAP``/``A_LIST`` for containers); ``rule`` the
    array-merge rule that placed the enclosing list entry (``merged by name 'web'``,
    ``appended``, ...), or a go-patch or ``--set`` description; ``detail`` anything else
    (the entry a delete took away, the marker's text).
    """

    __slots__ = ("action", "file", "line", "value", "rule", "detail")

    def __init__(
        self,
        action: str,
        file: str | None,
        line: int | None,
        value: Any = None,
        rule: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.action = action
        self.file = file
        self.line = line
        self.value = value
        self.rule = rule
        self.detail = detail

    @property
    def where(self) -> str:
        """``file:line``, or the file alone when the line is unknown."""
        if self.file is None:
            return "?"
        return f"{self.file}:{self.line}" if self.line else self.file

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Event({self.action} {self.where} {self.value!r} {self.rule or ''})"


class Trace:
    """The provenance of one node of the document (see the module text)."""

    __slots__ = ("events", "kids", "op")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.kids: dict[str, Trace] | list[Trace] | None = None
        self.op: Any = None  # graftpy.provenance.evaluation.OpRecord

    def map_kids(self) -> dict[str, Trace]:
        """The children as a map's (replacing any other shape)."""
        if self.kids.__class__ is not dict:
            self.kids = {}
        return self.kids  # type: ignore[return-value]

    def list_kids(self, length: int) -> list[Trace]:
        """The children as a list's of ``length`` entries (fresh ones if the shape differs)."""
        kids = self.kids
        if kids.__class__ is not list or len(kids) != length:  # type: ignore[arg-type]
            kids = [Trace() for _ in range(length)]
            self.kids = kids
        return kids  # type: ignore[return-value]

    def child(self, key: str) -> Trace:
        kids = self.map_kids()
        node = kids.get(key)
        if node is None:
            node = kids[key] = Trace()
        return node

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Trace({self.events!r}, kids={type(self.kids).__name__})"


def key_text(key: Any) -> str:
    """A map key as paths print it."""
    return key if key.__class__ is str else sprint(key)


def trace_at(root: Trace, index_path: tuple[str, ...]) -> Trace | None:
    """The trace at ``index_path`` (list entries by index), or None when it has none."""
    node: Trace | None = root
    for part in index_path:
        kids = node.kids if node is not None else None
        if kids.__class__ is dict:
            node = kids.get(part)  # type: ignore[union-attr]
        elif kids.__class__ is list and part.isdigit() and int(part) < len(kids):  # type: ignore[arg-type]
            node = kids[int(part)]  # type: ignore[index]
        else:
            return None
    return node


def nearest(root: Trace, index_path: tuple[str, ...]) -> tuple[Trace, tuple[str, ...]]:
    """The deepest trace along ``index_path``, and the part of the path below it."""
    node = root
    for depth, part in enumerate(index_path):
        kids = node.kids
        if kids.__class__ is dict:
            nxt = kids.get(part)  # type: ignore[union-attr]
        elif kids.__class__ is list and part.isdigit() and int(part) < len(kids):  # type: ignore[arg-type]
            nxt = kids[int(part)]  # type: ignore[index]
        else:
            nxt = None
        if nxt is None:
            return node, index_path[depth:]
        node = nxt
    return node, ()


def copy_trace(node: Trace) -> Trace:
    """A deep copy (events are shared: they never change once recorded)."""
    out = Trace()
    out.events = list(node.events)
    out.op = node.op
    kids = node.kids
    if kids.__class__ is dict:
        out.kids = {k: copy_trace(v) for k, v in kids.items()}  # type: ignore[union-attr]
    elif kids.__class__ is list:
        out.kids = [copy_trace(v) for v in kids]  # type: ignore[union-attr]
    return out
