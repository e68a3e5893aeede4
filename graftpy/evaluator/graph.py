"""The dependency graph as a networkx graph: where it is analysed or shown.

Which modules may import networkx, and why. networkx is graftpy's model of a
phase's dependency graph wherever that graph is *analysed or shown*: this
module, and the modules that present its results (``graftpy.planview``
for ``graftpy plan``, and ``graftpy.metrics``, which is imported only when
metrics are on). Nothing on the path of a plain run imports it: its
import alone costs more than a whole merge of a few hundred operators, so
``evaluator.dataflow`` orders the calls with plain lists (``evaluator.plan``)
and comes here only when
  * the sort met a cycle: networkx tells a cycle of direct references
    (graft's "cycle detected") from one that needs a containment edge (a
    self-referencing dataset), and names it;
  * ``--debug`` / ``--trace`` is on: the plan's generations, critical path
    and speedup bound are printed for each phase;
  * metrics are on: they describe each phase's graph (size, generations,
    widest generation, critical path, speedup bound);
  * ``graftpy plan`` describes a document's graph, or exports it (networkx's
    JSON and DOT writers; DOT through pydot, imported for that format only).
Import networkx inside functions of these modules only (never at module level
of anything the merge path imports), and check with
``tests/test_import_rule.py``, which merges documents and lists what got imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError

if TYPE_CHECKING:
    import networkx as nx

    from graftpy.evaluator.dataflow import DataFlow
    from graftpy.evaluator.plan import Plan


def to_networkx(flow: DataFlow) -> nx.DiGraph:
    """Nodes: positions in ``flow.ops`` (attribute ``op``: the OpCall); edges: ``kind``."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from((i, {"op": op}) for i, op in enumerate(flow.ops))
    g.add_edges_from((w, r, {"kind": kind}) for w, r, kind in flow.edges())
    return g


def cycle_error(flow: DataFlow) -> GraftError:
    """The error for a graph the flat sort could not order (it has a cycle)."""
    import networkx as nx

    from graftpy.evaluator.dataflow import DIRECT, CycleError, SelfReferenceError

    g = to_networkx(flow)
    direct = nx.DiGraph()
    direct.add_nodes_from(g.nodes)
    direct.add_edges_from((a, b) for a, b, kind in g.edges(data="kind") if kind == DIRECT)
    try:
        cycle = nx.find_cycle(direct)
    except nx.NetworkXNoCycle:
        return SelfReferenceError()
    # edges run from what is written to its reader: walk them backwards, so that each
    # call in the list reads the next one, starting from the first in graft's order
    ring = [flow.ops[w] for w, _ in reversed(cycle)]
    first = min(range(len(ring)), key=lambda k: ring[k].order_key)
    return CycleError(ring[first:] + ring[:first])


class PlanSummary:
    """What a phase's graph allows: for ``--debug`` and ``graftpy plan``."""

    def __init__(
        self,
        operations: int,
        edges: int,
        generations: list[list[int]],
        critical_path: list[int],
    ) -> None:
        self.operations = operations
        self.edges = edges
        self.generations = generations  # positions in ``flow.ops``, each wave in graft's order
        self.critical_path = critical_path  # positions, first to last

    @property
    def widest(self) -> int:
        return max((len(g) for g in self.generations), default=0)

    @property
    def speedup_bound(self) -> float:
        """Calls over calls on the critical path: the most any number of workers gains
        when every call costs the same (Amdahl's bound for this graph)."""
        return self.operations / len(self.critical_path) if self.critical_path else 1.0


def summarize(flow: DataFlow, plan: Plan | None = None) -> PlanSummary:
    """Generations (graft's waves), the longest dependency chain and the bound it implies."""
    import networkx as nx

    g = to_networkx(flow)
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    if plan is not None:
        rank = {id(op): k for k, op in enumerate(plan.order)}
        key = lambda i: rank.get(id(flow.ops[i]), 0)  # noqa: E731
    else:
        key = lambda i: flow.ops[i].order_key  # noqa: E731
    generations = [sorted(gen, key=key) for gen in nx.topological_generations(g)]
    critical = nx.dag_longest_path(g, topo_order=[i for gen in generations for i in gen])
    return PlanSummary(len(flow.ops), g.number_of_edges(), generations, critical)


def debug_line(phase: str, summary: PlanSummary, ops: list[Any]) -> str:
    """One ``--debug`` line about a phase's plan."""
    path = summary.critical_path
    chain = " -> ".join(f"$.{ops[i].order_key}" for i in path[:4])
    if len(path) > 4:
        chain += f" -> ... ({len(path)} calls)"
    return (
        f"Plan of the {phase} phase: {summary.operations} operations, {summary.edges}"
        f" dependencies, {len(summary.generations)} generations (widest {summary.widest});"
        f" critical path {chain or 'empty'}; speedup bound {summary.speedup_bound:.1f}x"
    )
