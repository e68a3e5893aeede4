"""Provenance of a merge: who set each place of the document, and by which rule.

``MergeTracer`` is handed to ``MergeCore`` (through ``Merger(tracer=...)``); the
merge then calls it with the trace of each node it writes (see
``graftpy.merging.core``), and the tracer records ``Event``s there
(``graftpy.provenance.trace``): ``set`` or ``override`` with the file and line
of the value, ``merged`` for a list entry that met an earlier one, ``deleted``
on a list, ``marked`` for a ``(( prune ))``/``(( sort ))`` that met data. The
array-merge rule that placed the innermost list entry (``merged by name 'web'``,
``appended (new name 'db')``, ``prepended by (( prepend ))``...) goes with each
event recorded inside that entry.

Lines come from ``graftpy.yamlio.positions.Lines`` of the document being merged;
where the table has none (alias copies, maps given as data), the line of the
nearest enclosing entry stands in.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError
from graftpy.merging.listops import ListOp, Modification
from graftpy.provenance.trace import (
    DELETED,
    MARKED,
    MERGED,
    OVERRIDE,
    SET,
    Event,
    Trace,
    key_text,
    shape_of,
)
from graftpy.tree import name_of

_CURRENT = object()  # "the rule of the entry being merged"


class MergeTracer:
    """Records the events of a merge into the trace rooted at ``root``."""

    def __init__(self, root: Trace | None = None) -> None:
        self.root = root if root is not None else Trace()
        self.root.map_kids()  # the document is a map, even an empty one
        self.file: str | None = None
        self.lines: Any = None  # graftpy.yamlio.positions.Lines of the current document
        self.rule: str | None = None  # the rule of the innermost list entry being merged
        self._node_lines: dict[str, int | None] = {}  # graft node path -> line, for errors

    def begin(self, file: str | None, lines: Any) -> None:
        """The next events come from ``file`` (``lines``: its line table, or None)."""
        self.file = file
        self.lines = lines
        self._node_lines = {}

    @staticmethod
    def new_trace() -> Trace:
        return Trace()

    # -- where the overlay's values are ---------------------------------------

    def map_lines(self, new: dict) -> dict | None:
        """``{key: line}`` of the overlay map ``new``, if its lines are known."""
        table = self.lines.table(new) if self.lines is not None else None
        return table if table.__class__ is dict else None

    @staticmethod
    def entry(t: Trace, key: Any, table: dict | None, line: int | None) -> tuple[Trace, int | None]:
        """The trace of map entry ``key`` below ``t``, and its line (``table``: the map's)."""
        if table is not None:
            line = table.get(key) or line
        kids = t.kids
        if kids.__class__ is not dict:
            kids = t.kids = {}
        name = key if key.__class__ is str else key_text(key)
        child = kids.get(name)  # type: ignore[union-attr]
        if child is None:
            child = kids[name] = Trace()  # type: ignore[index]
        return child, line

    def item_lines(self, new: list, line: int | None, node: str) -> list[int | None]:
        """The line of each entry of the overlay list ``new``."""
        self._node_lines[node] = line
        table = self.lines.table(new) if self.lines is not None else None
        if table.__class__ is list and len(table) == len(new):  # type: ignore[arg-type]
            return [found or line for found in table]  # type: ignore[union-attr]
        return [line] * len(new)

    def note(self, node: str, line: int | None) -> None:
        """``node``'s errors are about ``line``."""
        self._node_lines[node] = line

    @staticmethod
    def list_kids(t: Trace, orig: list) -> list[Trace]:
        """A working copy of the traces of ``orig``'s entries."""
        return list(t.list_kids(len(orig)))

    # -- what happened ----------------------------------------------------------

    def event(
        self,
        t: Trace,
        action: str,
        line: int | None,
        value: Any,
        rule: Any = _CURRENT,
        detail: str | None = None,
    ) -> None:
        """Record ``action`` at ``t`` (``rule``: the current entry's unless given)."""
        if rule is _CURRENT:
            rule = self.rule
        t.events.append(Event(action, self.file, line, value, rule, detail))

    def written(self, t: Trace, line: int | None, orig: Any, new: Any) -> None:
        """``new`` (a scalar, or a container replacing a non-container) is written at ``t``."""
        action = OVERRIDE if t.events or orig is not None else SET
        cls = new.__class__
        if cls is dict or cls is list:
            t.events.append(Event(action, self.file, line, shape_of(new), self.rule, None))
            t.kids = self._kids(new, line, self.rule)
        else:
            t.events.append(Event(action, self.file, line, new, self.rule, None))
            t.kids = None

    def fresh(self, t: Trace, line: int | None, container: Any) -> None:
        """A new map or list starts at ``t`` (nothing, or null, was there)."""
        self.event(t, OVERRIDE if t.events else SET, line, shape_of(container))
        t.kids = {} if isinstance(container, dict) else []

    def marked(self, t: Trace, line: int | None, marker: Any) -> None:
        """A ``(( prune ))`` or ``(( sort ))`` met data at ``t``: kept for post-processing."""
        self.event(t, MARKED, line, None, detail=marker if isinstance(marker, str) else None)

    def merge_entry(
        self,
        core: Any,
        orig: Any,
        new: Any,
        node: str,
        child: Trace,
        line: int | None,
        rule: str | None,
    ) -> Any:
        """``core.merge_obj`` of one list entry, with ``rule`` for the events inside it
        (None: a new list's entry, no rule to tell)."""
        outer = self.rule
        self.rule = rule
        try:
            if isinstance(orig, dict) and isinstance(new, dict):
                self.event(child, MERGED, line, None)
            return core.merge_obj(orig, new, node, child, line)
        finally:
            self.rule = outer

    def built(self, items: list, lines: list[int | None] | None, rule: str) -> list[Trace]:
        """Traces of entries taken from the overlay as they are (appended, inserted...)."""
        if lines is None:
            lines = [None] * len(items)
        return [self.build(item, line, rule) for item, line in zip(items, lines, strict=True)]

    def modified(
        self, t: Trace, kids: list[Trace], idx: int, mod: Modification, before: list
    ) -> None:
        """An insert or delete at ``idx`` of the list traced by ``t`` (entries ``kids``)."""
        if mod.op == ListOp.DELETE:
            del kids[idx]
            self.event(t, DELETED, mod.line, None, detail=_deleted(before[idx], mod, idx))
            return
        kids[idx:idx] = self.built(mod.items, mod.lines, _inserted(mod))

    def build(self, value: Any, line: int | None, rule: str | None) -> Trace:
        """A trace of ``value`` as taken from the current document: every node set here."""
        t = Trace()
        t.events.append(Event(SET, self.file, line, shape_of(value), rule))
        t.kids = self._kids(value, line, rule)
        return t

    def _kids(self, value: Any, line: int | None, rule: str | None) -> Any:
        lines = self.lines
        if isinstance(value, dict):
            return {
                key_text(k): self.build(v, (lines and lines.line(value, k)) or line, rule)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [
                self.build(v, (lines and lines.line(value, i)) or line, rule)
                for i, v in enumerate(value)
            ]
        return None

    # -- errors -------------------------------------------------------------------

    def locate(self, errors: list[GraftError]) -> None:
        """Give the errors the current document met its file and the line of their node."""
        for err in errors:
            if err.file is not None:
                continue
            err.file = self.file
            node = "$." + err.path if err.path else None
            while node:
                if node in self._node_lines:
                    err.line = self._node_lines[node]
                    break
                node = node.rpartition(".")[0]


def _inserted(mod: Modification) -> str:
    """How an array operator placed its entries, in words."""
    if not mod.key and not mod.name:
        if mod.index == -1:
            return "appended by (( append ))"
        if mod.index == 0 and not mod.relative:
            return "prepended by (( prepend ))"
        return f"inserted {mod.relative} index {mod.index}"
    return f"inserted {mod.relative} {mod.key} '{mod.name}'"


def _deleted(entry: Any, mod: Modification, idx: int) -> str:
    """Which entry a delete took away, in words."""
    if mod.key:
        return f"{mod.key} '{mod.name}'"
    if mod.name:
        return f"'{mod.name}'"
    name = name_of(entry)
    return f"index {idx}" + (f" ('{name}')" if name else "")
