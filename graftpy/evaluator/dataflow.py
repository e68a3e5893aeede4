"""The dependency graph of one phase's operator calls, and graft's order to run them.

An edge ``a -> b`` means ``b`` reads what ``a`` writes. A call that reads path
``P`` depends on
  * the call at ``P`` itself, or at the nearest ancestor of ``P`` holding a call
    (reading ``x.y`` where ``x`` is still ``(( grab ... ))``), and
  * every call inside the subtree at ``P`` (DIVERGENCES row 12: a reader of a
    map sees its operators' results, whatever the order).
Edges of the first kind are "direct"; a cycle made only of direct edges is
graft's "cycle detected in operator data-flow graph". A cycle that needs a
containment edge means the data would contain itself, which graft reports as a
self-referencing dataset.

A call reading itself is such a cycle too: reading its own path (or below it)
is a direct one, whatever the operator (``a: (( grab a ))``); reading a map or
list that holds the call is a self-referencing dataset only for operators whose
result holds what they read (``Operator.copies_input``: ``a: {x: (( grab a ))}``);
``keys`` or ``stringify`` of their own container are fine, as in graft.

The graph is kept as plain lists indexed by scan position, built in one pass
over the reads; ``plan()`` orders it in linear time (plus the sort of each
wave). The sequential order is graft's: Kahn waves, each wave sorted by the
dotted path of its calls (or by document order with ``--dataflow-order
insertion``). No graph library is imported here: the hot path of every run
goes through this module. When the sort finds a cycle, ``graftpy.evaluator.graph``
(networkx) classifies and names it; see that module for where networkx is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graftpy.errors import GraftError
from graftpy.evaluator.opcall import OpCall
from graftpy.evaluator.plan import Plan
from graftpy.tree import Path
from graftpy.tree.lookup import NAME_FIELDS, _as_index, find_in_list, map_get
from graftpy.tree.named_entries import NamedEntries

DIRECT = "direct"
CONTAINS = "contains"


class CycleError(GraftError):
    """A cycle of direct references between operator calls."""

    def __init__(self, cycle: list[OpCall]) -> None:
        super().__init__("cycle detected in operator data-flow graph")
        self.cycle = cycle

    def render(self) -> str:
        return f"Merge failed: {self.message}\n"

    def describe(self) -> str:
        """The cycle as paths, each reading the next, for ``--debug``: ``$.a -> $.b -> $.a``."""
        return " -> ".join(f"$.{op.order_key}" for op in [*self.cycle, self.cycle[0]])


class SelfReferenceError(GraftError):
    def __init__(self) -> None:
        super().__init__("Hit max recursion depth. You seem to have a self-referencing dataset")


def to_index_path(tree: Any, path: Path) -> Path:
    """Rewrite named list components as indexes, as far as the path resolves."""
    return locate(tree, path)[0]


def locate(tree: Any, path: Path, find: Any = find_in_list) -> tuple[Path, Path | None, int]:
    """``to_index_path``, plus the index path of a list in which a name was not
    found (else None): an operator may still be about to write that entry's name;
    and how many components lead to a value that exists (the walk stops at a
    scalar, a missing key or entry). ``find``: ``find_in_list`` or its equal
    (``NamedEntries.find``).
    """
    out: list[str] = []
    o = tree
    for k in path:
        if o.__class__ is dict and k in o:  # the common case, inline
            o = o[k]
            out.append(k)
            continue
        if isinstance(o, dict):
            found, o = map_get(o, k)
            out.append(k)
            if not found:
                return (*out, *path[len(out) :]), None, len(out) - 1
        elif isinstance(o, list):
            i = _as_index(k)
            if i is not None and i < len(o):
                o = o[i]
                out.append(str(i))
                continue
            hit = find(o, k) if i is None else None
            if hit is None:
                unnamed = tuple(out) if i is None else None
                reached = len(out)
                out.append(k)
                return (*out, *path[len(out) :]), unnamed, reached
            out.append(str(hit[0]))
            o = hit[1]
        else:
            return (*out, *path[len(out) :]), None, len(out)
    return tuple(out), None, len(out)


def _calls_below(ops: list[OpCall]) -> dict[Path, list[int]]:
    """Every proper prefix of a call's path -> the calls below it (by position).

    Calls come in document order, so a call's path mostly shares its leading
    prefixes with the previous one's: their lists (``chain``) are reused as they
    are rather than looked up by a new slice of the path each time. Any order
    gives the same result; this one gives it fastest."""
    below: dict[Path, list[int]] = {}
    prev: Path = ()
    chain: list[list[int]] = []  # chain[n]: below[prev[:n]]
    for i, op in enumerate(ops):
        p = op.index_path
        depth = len(p)
        shared = 0
        limit = min(depth, len(prev))
        while shared < limit and p[shared] == prev[shared]:
            shared += 1
        del chain[min(shared + 1, depth) :]  # p[:n] == prev[:n] for n <= shared
        for lst in chain:
            lst.append(i)
        for n in range(len(chain), depth):
            key = p[:n]
            lst = below.get(key)
            if lst is None:
                lst = below[key] = [i]
            else:
                lst.append(i)
            chain.append(lst)
        prev = p
    return below


class DataFlow:
    """The graph of a list of calls; ``plan()`` orders it.

    ``succ[w]`` maps each reader of call ``w`` (by position in ``ops``) to
    whether the edge is direct (True) or a containment edge (False); None
    while ``w`` has no reader. Dicts keep insertion order, so the order
    readers are released in is the order their reads were added.
    """

    def __init__(self, tree: Any, ops: list[OpCall]) -> None:
        self.tree = tree
        self.ops = ops
        self.pos: dict[int, int] = {id(op): i for i, op in enumerate(ops)}
        self.by_path: dict[Path, int] = {op.index_path: i for i, op in enumerate(ops)}
        self.below = _calls_below(ops)
        self.succ: list[dict[int, bool] | None] = [None] * len(ops)
        self.self_reads: dict[int, bool] = {}  # call -> it reads itself directly (else: contains)
        # nothing writes the tree while its graph is built: one index per list will do
        self._find = NamedEntries().find

    def add_reads(self, reader: OpCall, paths: Iterable[Path]) -> None:
        r = self.pos[id(reader)]
        operator = reader.operator
        subtree_direct = operator.waits_for_subtree
        for path in paths:
            ipath, unnamed_list, reached = locate(self.tree, path, self._find)
            if unnamed_list is not None:
                # the entry may be named by an operator that has not run yet
                ops = self.ops
                for w in self.below.get(unnamed_list, ()):
                    tail = ops[w].index_path[len(unnamed_list) :]
                    if len(tail) == 2 and tail[1] in NAME_FIELDS:
                        self._edge(w, r, True)
            # the call at the path, or at the scalar the walk stopped at (reading x.y
            # where x is still a call): calls are strings, so no other prefix holds one
            w = self.by_path.get(ipath[:reached]) if reached else None
            if w is not None:
                self._edge(w, r, True)
            for w in self.below.get(ipath, ()):
                if w == r and not subtree_direct:
                    # the call's own container: a problem only if the result holds it
                    if operator.copies_input:
                        self.self_reads.setdefault(r, False)
                    continue
                self._edge(w, r, subtree_direct)

    def _edge(self, w: int, r: int, direct: bool) -> None:
        if w == r:
            if direct:
                self.self_reads[r] = True
            else:
                self.self_reads.setdefault(r, False)
            return
        readers = self.succ[w]
        if readers is None:
            self.succ[w] = {r: direct}
        elif not readers.get(r, False):  # new, or a containment edge that may become direct
            readers[r] = direct

    def edges(self) -> Iterator[tuple[int, int, str]]:
        """Every edge as (writer, reader, kind), self-reads included, by position in ``ops``."""
        for w, readers in enumerate(self.succ):
            if readers:
                for r, direct in readers.items():
                    yield w, r, DIRECT if direct else CONTAINS
        for r, direct in self.self_reads.items():
            yield r, r, DIRECT if direct else CONTAINS

    def restrict_to(self, keep: set[OpCall]) -> None:
        """Keep only ``keep`` and everything they (transitively) depend on."""
        preds: list[list[int]] = [[] for _ in self.ops]
        for w, readers in enumerate(self.succ):
            if readers:
                for r in readers:
                    preds[r].append(w)
        wanted = [False] * len(self.ops)
        stack = [self.pos[id(op)] for op in keep]
        while stack:
            i = stack.pop()
            if not wanted[i]:
                wanted[i] = True
                stack.extend(preds[i])
        new_index = {}
        for i, w in enumerate(wanted):
            if w:
                new_index[i] = len(new_index)
        self.ops = [self.ops[i] for i in new_index]
        self.succ = [
            None
            if not self.succ[i]
            else {new_index[r]: d for r, d in self.succ[i].items() if r in new_index} or None
            for i in new_index
        ]
        self.self_reads = {new_index[r]: d for r, d in self.self_reads.items() if r in new_index}
        self.pos = {id(op): i for i, op in enumerate(self.ops)}
        self.by_path = {op.index_path: i for i, op in enumerate(self.ops)}

    def plan(self, insertion_order: bool = False) -> Plan:
        """graft's order as a ``Plan``; raises CycleError or SelfReferenceError."""
        ops, succ = self.ops, self.succ
        n = len(ops)
        if self.self_reads and any(self.self_reads.values()):
            raise self._cycle_error()
        npred = [0] * n
        for readers in succ:
            if readers:
                for r in readers:
                    npred[r] += 1
        keys = [op.seq for op in ops] if insertion_order else [op.order_key for op in ops]
        by_key = keys.__getitem__
        left = npred.copy()
        wave = [i for i in range(n) if not left[i]]
        order: list[int] = []
        generations = 0
        while wave:
            generations += 1
            if len(wave) > 1:
                wave.sort(key=by_key)
            order.extend(wave)
            nxt = []
            for i in wave:
                readers = succ[i]
                if readers:
                    for r in readers:
                        c = left[r] - 1
                        left[r] = c
                        if not c:
                            nxt.append(r)
            wave = nxt
        if len(order) < n:
            raise self._cycle_error()
        if self.self_reads:
            raise SelfReferenceError()
        position = [0] * n
        for p, i in enumerate(order):
            position[i] = p
        plan_succ: list[list[int]] = []
        for i in order:
            readers = succ[i]
            plan_succ.append([position[r] for r in readers] if readers else [])
        return Plan([ops[i] for i in order], plan_succ, [npred[i] for i in order], generations)

    def _cycle_error(self) -> GraftError:
        from graftpy.evaluator.graph import cycle_error  # networkx: only to name the cycle

        return cycle_error(self)
