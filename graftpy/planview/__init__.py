"""``graftpy plan``: the dependency graph of a merged document's operators, analysed.

The document is the one ``graftpy merge`` would evaluate: the same files, flags,
``graftpy.yml`` and environment (``pipeline.load_sources`` and ``merge_sources``).
Each phase's calls are found and their graph built exactly as a run builds them
(``Evaluator.flow``, then ``DataFlow.plan`` for graft's order and its cycle
checks), and analysed with networkx (``evaluator.graph.summarize``): the
generations, the critical path and the speedup bound it implies.

Nothing is evaluated but the merge phase: its ``(( inject ))`` and ``(( sort ))``
calls run, as in a merge, because the later phases plan the document they
reshape. They copy and mark parts of the document, and read no file, URL or
secret store.

This package may import networkx (``graftpy.evaluator.graph`` says which modules
may, and why). The output formats are in ``graftpy.planview.formats``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError, MultiError

if TYPE_CHECKING:
    import networkx as nx

    from graftpy.evaluator.graph import PlanSummary
    from graftpy.pipeline import MergeOptions


class PlanCycleError(GraftError):
    """merge's cycle error, and the cycle itself: each call reads the next."""

    def __init__(self, phase: str, cycle: str) -> None:
        super().__init__("cycle detected in operator data-flow graph")
        self.phase = phase
        self.cycle = cycle

    def render(self) -> str:
        return (
            f"Merge failed: {self.message}\n"
            f"  in the {self.phase} phase, each reading the next: {self.cycle}\n"
        )


class PhaseGraph:
    """One phase's dependency graph and what it allows.

    ``graph``: a networkx ``DiGraph`` whose nodes are the calls' paths (``$.a.b``)
    with attributes ``operator``, ``expression`` (as written in the document),
    ``generation`` (1 for the calls that read no other) and ``critical`` (on the
    critical path); an edge ``a -> b`` (attribute ``kind``: ``direct``, or
    ``contains`` when ``b`` reads a map or list holding ``a``) means ``b`` reads
    what ``a`` writes. ``summary``: generations and critical path as node names.
    """

    def __init__(
        self, phase: str, graph: nx.DiGraph, summary: PlanSummary, names: list[str]
    ) -> None:
        self.phase = phase
        self.graph = graph
        self.operations = summary.operations
        self.dependencies = summary.edges
        self.generations: list[list[str]] = [[names[i] for i in g] for g in summary.generations]
        self.critical_path: list[str] = [names[i] for i in summary.critical_path]
        self.widest = summary.widest
        self.speedup_bound = summary.speedup_bound


class DocumentPlan:
    """The phases with operator calls, in the order a run takes them (merge, param, eval)."""

    def __init__(self, phases: list[PhaseGraph]) -> None:
        self.phases = phases

    @property
    def operations(self) -> int:
        return sum(p.operations for p in self.phases)

    @property
    def critical_path(self) -> int:
        """Calls on the critical paths of all phases: they run one phase after the other."""
        return sum(len(p.critical_path) for p in self.phases)

    @property
    def speedup_bound(self) -> float:
        return self.operations / self.critical_path if self.critical_path else 1.0


def plan_files(files: Sequence[str], options: MergeOptions) -> DocumentPlan:
    """Load and merge ``files`` as ``graftpy merge`` does, and plan the result.

    Raises what a merge raises for bad files and documents (with ``--show-origin``,
    located), and ``PlanCycleError`` for a cycle.
    """
    from graftpy.pipeline import load_sources, merge_sources

    sources: list[Any] = []
    try:
        sources = load_sources(files, options)
        merger = merge_sources(sources, options)
        if options.skip_eval:
            return DocumentPlan([])  # a merge with --skip-eval runs no operator
        return plan_tree(merger.tree, options)
    except GraftError as exc:
        if options.show_origin and sources:
            from graftpy.provenance.origins import locate_errors

            locate_errors(exc, sources, options)
        raise


def plan_tree(tree: dict, options: MergeOptions) -> DocumentPlan:
    """The plan of a merged document (``tree`` is reshaped by its merge phase, if any)."""
    from graftpy.evaluator import Evaluator
    from graftpy.evaluator.rescan import rescan
    from graftpy.evaluator.scan import scan
    from graftpy.operators.base import Phase
    from graftpy.pipeline import environment, evaluation_options, evaluation_settings

    eval_options = evaluation_options(options)
    eval_options.log = None  # plan prints the plan itself
    evaluator = Evaluator(tree, evaluation_settings(options, environment(options)), eval_options)
    found = scan(evaluator.document.root)
    phases = []
    if found[Phase.MERGE]:
        phases.append(_phase_graph(evaluator, Phase.MERGE, found[Phase.MERGE]))
        errors = evaluator.run_phase(Phase.MERGE, found[Phase.MERGE])
        if errors:
            raise MultiError(errors)
        # what inject made is what the rest reads
        found = rescan(evaluator.document.root, found)
    for phase in (Phase.PARAM, Phase.EVAL):
        if found[phase]:
            phases.append(_phase_graph(evaluator, phase, found[phase]))
    if found.errors:  # expressions that do not parse, unknown operators: as merge reports them
        raise MultiError(found.errors)
    return DocumentPlan([p for p in phases if p.operations])


def _phase_graph(evaluator: Any, phase: Any, ops: list[Any]) -> PhaseGraph:
    from graftpy.evaluator import graph
    from graftpy.evaluator.dataflow import CycleError

    name = phase.name.lower()
    flow = evaluator.flow(phase, ops)
    try:
        plan = flow.plan(evaluator.options.insertion_order)
    except CycleError as exc:
        raise PlanCycleError(name, exc.describe()) from None
    summary = graph.summarize(flow, plan)
    names = _node_names(flow.ops)
    return PhaseGraph(name, _labelled(flow, summary, name, names), summary, names)


def _node_names(ops: list[Any]) -> list[str]:
    """``$.a.b`` for each call; a path spelled twice (a key ``b.c`` beside a map ``b``
    holding ``c``) gets `` (2)`` and so on, so that every call stays a node of its own."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for op in ops:
        name = f"$.{op.order_key}"
        count = seen[name] = seen.get(name, 0) + 1
        names.append(name if count == 1 else f"{name} ({count})")
    return names


def _labelled(flow: Any, summary: PlanSummary, phase: str, names: list[str]) -> nx.DiGraph:
    """The graph with paths for nodes, in graft's order, and its figures as graph attributes."""
    import networkx as nx

    from graftpy.evaluator import graph

    critical = set(summary.critical_path)
    g = nx.DiGraph(
        phase=phase,
        operations=summary.operations,
        dependencies=summary.edges,
        generations=len(summary.generations),
        widest_generation=summary.widest,
        critical_path=[names[i] for i in summary.critical_path],
        speedup_bound=summary.speedup_bound,
    )
    for k, wave in enumerate(summary.generations, start=1):
        for i in wave:
            op = flow.ops[i]
            g.add_node(
                names[i],
                operator=op.operator.name,
                expression=op.src,
                generation=k,
                critical=i in critical,
            )
    edges = graph.to_networkx(flow).edges(data="kind")
    g.add_edges_from((names[w], names[r], {"kind": kind}) for w, r, kind in edges)
    return g
