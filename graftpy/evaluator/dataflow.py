"""The dependency graph of one phase's operator calls, and the order to run them.

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

The sequential order is graft's: Kahn waves, each wave sorted by the dotted
path of its calls (or by document order with ``--dataflow-order insertion``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.evaluator.opcall import OpCall
from graftpy.tree import Path
from graftpy.tree.lookup import NAME_FIELDS, _as_index, find_in_list, map_get

if TYPE_CHECKING:
    import networkx as nx


def _nx():  # noqa: ANN202 - networkx is imported only by runs that have operators
    import networkx

    return networkx


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
        return " -> ".join(f"$.{op.order_key}" for op in [*self.cycle, self.cycle[0]])


class SelfReferenceError(GraftError):
    def __init__(self) -> None:
        super().__init__("Hit max recursion depth. You seem to have a self-referencing dataset")


def to_index_path(tree: Any, path: Path) -> Path:
    """Rewrite named list components as indexes, as far as the path resolves."""
    return locate(tree, path)[0]


def locate(tree: Any, path: Path) -> tuple[Path, Path | None]:
    """``to_index_path``, plus the index path of a list in which a name was not
    found (else None): an operator may still be about to write that entry's name.
    """
    out: list[str] = []
    o = tree
    for k in path:
        if isinstance(o, dict):
            found, o = map_get(o, k)
            out.append(k)
            if not found:
                return (*out, *path[len(out) :]), None
        elif isinstance(o, list):
            i = _as_index(k)
            if i is not None and i < len(o):
                o = o[i]
                out.append(str(i))
                continue
            hit = find_in_list(o, k) if i is None else None
            if hit is None:
                unnamed = tuple(out) if i is None else None
                out.append(k)
                return (*out, *path[len(out) :]), unnamed
            out.append(str(hit[0]))
            o = hit[1]
        else:
            return (*out, *path[len(out) :]), None
    return tuple(out), None


class DataFlow:
    """Builds the graph for a list of calls and answers ordering questions."""

    def __init__(self, tree: Any, ops: list[OpCall]) -> None:
        self.tree = tree
        self.ops = ops
        self.by_path: dict[Path, OpCall] = {op.index_path: op for op in ops}
        # every proper prefix of a call's path -> the calls below it
        self.below: dict[Path, list[OpCall]] = defaultdict(list)
        for op in ops:
            p = op.index_path
            for n in range(len(p)):
                self.below[p[:n]].append(op)
        self.graph: nx.DiGraph = _nx().DiGraph()
        self.graph.add_nodes_from(ops)

    def add_reads(self, reader: OpCall, paths: Iterable[Path]) -> None:
        for path in paths:
            ipath, unnamed_list = locate(self.tree, path)
            if unnamed_list is not None:
                # the entry may be named by an operator that has not run yet
                for writer in self.below.get(unnamed_list, ()):
                    tail = writer.index_path[len(unnamed_list) :]
                    if len(tail) == 2 and tail[1] in NAME_FIELDS:
                        self._edge(writer, reader, DIRECT)
            for n in range(len(ipath), 0, -1):
                writer = self.by_path.get(ipath[:n])
                if writer is not None:
                    self._edge(writer, reader, DIRECT)
                    break
            kind = DIRECT if reader.operator.waits_for_subtree else CONTAINS
            for writer in self.below.get(ipath, ()):
                self._edge(writer, reader, kind)

    def _edge(self, writer: OpCall, reader: OpCall, kind: str) -> None:
        if writer is reader:
            return
        existing = self.graph.get_edge_data(writer, reader)
        if existing is None or existing["kind"] == CONTAINS:
            self.graph.add_edge(writer, reader, kind=kind)

    def restrict_to(self, keep: set[OpCall]) -> None:
        """Keep only ``keep`` and everything they (transitively) depend on."""
        wanted: set[OpCall] = set()
        for op in keep:
            wanted.add(op)
            wanted |= _nx().ancestors(self.graph, op)
        self.graph.remove_nodes_from([op for op in self.ops if op not in wanted])
        self.ops = [op for op in self.ops if op in wanted]

    def check_cycles(self) -> None:
        if _nx().is_directed_acyclic_graph(self.graph):
            return
        direct = _nx().DiGraph()
        direct.add_nodes_from(self.graph.nodes)
        direct.add_edges_from(
            (a, b) for a, b, kind in self.graph.edges(data="kind") if kind == DIRECT
        )
        try:
            cycle = _nx().find_cycle(direct)
        except _nx().NetworkXNoCycle:
            raise SelfReferenceError() from None
        raise CycleError([a for a, _ in cycle])

    def waves(self, insertion_order: bool = False) -> list[list[OpCall]]:
        """Topological generations, each in graft's order."""
        key = (lambda op: op.seq) if insertion_order else (lambda op: op.order_key)
        return [sorted(gen, key=key) for gen in _nx().topological_generations(self.graph)]

    def order(self, insertion_order: bool = False) -> list[OpCall]:
        return [op for wave in self.waves(insertion_order) for op in wave]
