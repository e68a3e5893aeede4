"""The plan of one phase: graft's order, and the dependency graph as index lists.

Both executors run a ``Plan``: the sequential one walks ``order``; the parallel
scheduler's inner loop runs once per operator call, so it works on ints and
lists: ``succ[i]`` are the positions that read what position ``i`` writes,
``npred[i]`` how many positions ``i`` waits for. Positions are those of
``order`` (graft's sequential order, a topological order), so "lowest ready
position first" reproduces the sequential run exactly.

Built by ``DataFlow.plan`` in linear time, with the standard library only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graftpy.evaluator.opcall import OpCall


class Plan:
    """A phase's calls in graft's order with their dependencies (plain record, no dataclass)."""

    __slots__ = ("order", "succ", "npred", "generations")

    def __init__(
        self, order: list[OpCall], succ: list[list[int]], npred: list[int], generations: int
    ) -> None:
        self.order = order
        self.succ = succ
        self.npred = npred
        # topological generations = calls on the longest dependency chain
        self.generations = generations

    @property
    def size(self) -> int:
        return len(self.order)

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
