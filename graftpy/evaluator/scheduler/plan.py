"""The dependency graph of one phase as plain lists indexed by sequential position.

The scheduler's inner loop runs once per operator call, so it works on ints and
lists rather than on networkx nodes: ``succ[i]`` are the positions that read
what position ``i`` writes, ``npred[i]`` how many positions ``i`` waits for.
Positions are those of ``order`` (graft's sequential order, a topological order),
so "lowest ready position first" reproduces the sequential run exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graftpy.evaluator.dataflow import DataFlow
    from graftpy.evaluator.opcall import OpCall


@dataclass
class IndexPlan:
    succ: list[list[int]]
    npred: list[int]
    generations: int  # topological generations = calls on the longest dependency chain

    @property
    def size(self) -> int:
        return len(self.npred)

    def priorities(self, weight: list[int]) -> list[int]:
        """Dispatch keys, lowest first: longest remaining weighted path, then position.

        ``weight[i]`` is what call ``i`` costs on the critical path. Calls heading a
        long chain of slow calls go first, so the chain is never stuck behind
        independent work (list scheduling by "bottom level"); among equals,
        graft's order. A key encodes both in one int (cheap heap comparisons).
        """
        n = self.size
        level = [0] * n
        succ = self.succ
        for i in range(n - 1, -1, -1):
            best = 0
            for j in succ[i]:
                if level[j] > best:
                    best = level[j]
            level[i] = best + weight[i]
        top = max(level, default=0)
        return [(top - level[i]) * n + i for i in range(n)]


def build_plan(flow: DataFlow, order: list[OpCall]) -> IndexPlan:
    """Index the graph of ``flow`` by position in ``order``; checks ``order`` is topological."""
    pos = {op: i for i, op in enumerate(order)}
    n = len(order)
    succ: list[list[int]] = [[] for _ in range(n)]
    npred = [0] * n
    adj = flow.graph.adj
    for op, i in pos.items():
        nbrs = adj[op]
        if not nbrs:
            continue
        out = succ[i]
        for other in nbrs:
            j = pos.get(other)
            if j is None:
                continue  # not part of this run (cherry-picked away)
            if j <= i:
                raise ValueError("operator order is not topological")
            out.append(j)
            npred[j] += 1
    level = [0] * n
    top = 0
    for i in range(n):
        li = level[i] + 1
        top = max(top, li)
        for j in succ[i]:
            if level[j] < li:
                level[j] = li
    return IndexPlan(succ, npred, top)
