"""``graftpy plan``'s formats: text for people, JSON and DOT for tools.

JSON is networkx's node-link form (``node_link_data``), one graph per phase; DOT
is networkx's DOT writer (``nx_pydot``, which needs pydot: imported for
``--format dot`` only), one ``digraph`` per phase, named after it, which
Graphviz draws one generation per row (``dot -Tsvg plan.dot > plan.svg``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graftpy.planview import DocumentPlan, PhaseGraph

FORMATS = ("text", "json", "dot")
NOTHING = "no operator calls: nothing to plan\n"


def render(plan: DocumentPlan, fmt: str) -> str:
    """``plan`` in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        return to_json(plan)
    if fmt == "dot":
        return to_dot(plan)
    return to_text(plan)


# -- text ------------------------------------------------------------------------------


def to_text(plan: DocumentPlan) -> str:
    if not plan.phases:
        return NOTHING
    out: list[str] = []
    for phase in plan.phases:
        out += _phase_text(phase)
    if len(plan.phases) > 1:  # the phases run one after the other: their chains add up
        out.append(
            f"all phases: {_count(plan.operations, 'operation')}, critical path"
            f" {_calls(plan.critical_path)}, speedup bound {plan.speedup_bound:.1f}x"
        )
    return "\n".join(out) + "\n"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def _calls(n: int) -> str:
    return _count(n, "call")


def _phase_text(phase: PhaseGraph) -> list[str]:
    g = phase.graph
    position = {name: k for k, name in enumerate(g.nodes)}
    width = min(max(len(name) for name in g.nodes), 40)
    path = phase.critical_path
    lines = [
        f"{phase.phase} phase: {_count(phase.operations, 'operation')},"
        f" {_count(phase.dependencies, 'dependency', 'dependencies')},"
        f" {_count(len(phase.generations), 'generation')} (widest {phase.widest})",
        f"critical path ({_calls(len(path))}): {' -> '.join(path)}",
        f"speedup bound: {phase.speedup_bound:.1f}x ({_count(phase.operations, 'operation')}"
        f" over {len(path)} on the critical path)",
        "",
    ]
    for k, wave in enumerate(phase.generations, start=1):
        lines.append(f"generation {k} ({_calls(len(wave))}):")
        for name in wave:
            mark = "*" if g.nodes[name]["critical"] else " "
            text = f"  {mark} {name.ljust(width)}  {_one_line(g.nodes[name]['expression'])}"
            reads = sorted(g.predecessors(name), key=position.__getitem__)
            if reads:
                text += f"  reads {', '.join(reads)}"
            lines.append(text)
    lines.append("")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- JSON ------------------------------------------------------------------------------


def to_json(plan: DocumentPlan) -> str:
    """``{"phases": [node_link_data, ...], ...}``: each phase's graph, with its figures
    as graph attributes; the whole run's figures beside them."""
    import networkx as nx

    document = {
        "phases": [nx.node_link_data(p.graph, edges="edges") for p in plan.phases],
        "operations": plan.operations,
        "critical_path": plan.critical_path,
        "speedup_bound": plan.speedup_bound,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- DOT -------------------------------------------------------------------------------


def to_dot(plan: DocumentPlan) -> str:
    """One ``digraph`` per phase; the critical path in bold."""
    from graftpy import extras

    extras.require("pydot", "graftpy plan --format dot")
    from networkx.drawing.nx_pydot import to_pydot

    if not plan.phases:
        return "digraph plan {\n}\n"
    return "".join(to_pydot(_for_dot(p)).to_string() for p in plan.phases)


def _quoted(text: str) -> str:
    """A DOT double-quoted string (quoted here: networkx would read ``a:b`` as a port)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _for_dot(phase: PhaseGraph) -> Any:
    import networkx as nx

    g = phase.graph
    dot = nx.DiGraph(name=phase.phase)
    figures = (
        f"{phase.phase} phase: {phase.operations} operations, {len(phase.generations)}"
        f" generations, critical path {len(phase.critical_path)}, speedup bound"
        f" {phase.speedup_bound:.1f}x"
    )
    dot.graph["graph"] = {"label": _quoted(figures), "labelloc": "t"}
    dot.graph["node"] = {"shape": "box"}
    for name, data in g.nodes(data=True):
        attrs = {
            "label": _quoted(f"{name}\n{_one_line(data['expression'])}"),
            "operator": _quoted(data["operator"]),
            "generation": data["generation"],
        }
        if data["critical"]:
            attrs["style"] = "bold"
        dot.add_node(_quoted(name), **attrs)
    critical = set(zip(phase.critical_path, phase.critical_path[1:], strict=False))
    for a, b, kind in g.edges(data="kind"):
        style = [s for s, on in (("bold", (a, b) in critical), ("dashed", kind != "direct")) if on]
        attrs = {"kind": kind, **({"style": _quoted(",".join(style))} if style else {})}
        dot.add_edge(_quoted(a), _quoted(b), **attrs)
    return dot
