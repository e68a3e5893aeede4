"""What an expression can refer to: the paths of a generated document, by kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from .literals import Lit


@dataclass
class Scope:
    """Paths known to exist (as reference text: ``meta.a``, ``meta.jobs.web.port``).

    ``scalars`` hold literals, ``exprs`` hold expressions whose values are
    scalars, ``maps`` and ``lists`` hold literal-only collections (so that a
    reference to them never waits on an operator inside: DIVERGENCES row 12),
    ``named`` are lists of maps with a ``name`` (path, names). ``env`` are the
    variables the run sets, ``files`` the names of data files in its folder.
    """

    scalars: list[tuple[str, Lit]] = field(default_factory=list)
    maps: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    named: list[tuple[str, list[str]]] = field(default_factory=list)
    exprs: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    yaml_files: list[str] = field(default_factory=list)
    errors: bool = True  # whether references may miss (a run without errors shows values)

    def scalar_paths(self, kinds: tuple[str, ...] | None = None) -> list[str]:
        return [p for p, lit in self.scalars if kinds is None or lit.kind in kinds]

    def lit(self, path: str) -> Lit | None:
        return dict(self.scalars).get(path)

    def missing(self) -> list[str]:
        """References that do not resolve, of each way of not resolving."""
        out = ["nothere", "meta.nothere", "meta.nothere.deeper"]
        out += [f"{p}.sub" for p, _ in self.scalars[:2]]
        out += [f"{p}.9" for p in self.lists[:1]]
        out += [f"{p}.nobody" for p, _ in self.named[:1]]
        return out
