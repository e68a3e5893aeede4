"""The plan phase of ``graftpy render``: load, merge and scan every target.

``plan_target`` does for one target what ``graftpy merge`` does before it
evaluates (``graftpy.pipeline.merge_files``), then lists the secrets the merged
document reads (``graftpy.render.secrets``). A target whose files cannot be read
or merged carries its error and is reported as failed; the others go on.

``document(plans)`` is what ``--plan`` prints: the targets, their files and
outputs, the secrets each reads (``path:key``, never a value), the calls whose
paths need evaluation, and the union per backend, which the execute phase reads
before any target is evaluated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from graftpy.errors import GraftError
from graftpy.render.secrets import Found, SecretRead
from graftpy.render.targets import Target


class TargetPlan:
    """One planned target: its merged document (ready to evaluate) or its error."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.merger: Any = None  # graftpy.merging.Merger, None after a failure
        self.error: BaseException | None = None
        self.found = Found({}, [], 0)
        self.seconds = 0.0
        # its warnings (duplicate keys, merge fallbacks), planning's then evaluation's:
        # printed under its name, not as they happen
        self.warnings: list[str] = []

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def self_contained(self) -> bool:
        """Whether every secret it reads is known before evaluation (nothing computed)."""
        return self.error is None and not self.found.computed

    def refs(self) -> list[str]:
        """Its secret references, sorted: ``vault: secret/db:password``."""
        return sorted(
            f"{read.backend}: {ref}" for read, refs in self.found.reads.items() for ref in refs
        )


def plan_target(target: Target, probe: Any = None) -> TargetPlan:
    """Load and merge ``target``'s files and find its secret reads (no store contacted).

    ``probe``: the target's ``graftpy.render.execute.Probe`` (counts the input for
    its metrics), or None."""
    from graftpy.pipeline import merge_files
    from graftpy.render.secrets import find_reads

    plan = TargetPlan(target)
    target.run.options.extra["warnings"] = plan.warnings  # graftpy.pipeline.warn
    started = time.perf_counter()
    try:
        plan.merger = merge_files(target.run.files, target.run.options, probe)
        if not target.run.options.skip_eval:
            plan.found = find_reads(plan.merger.tree)
    except GraftError as exc:
        plan.error, plan.merger = exc, None
    plan.seconds = time.perf_counter() - started
    return plan


def union(plans: Sequence[TargetPlan]) -> dict[SecretRead, set[str]]:
    """Every read of every planned target, with the references using it."""
    reads: dict[SecretRead, set[str]] = {}
    for plan in plans:
        for read, refs in plan.found.reads.items():
            reads.setdefault(read, set()).update(refs)
    return reads


def document(plans: Sequence[TargetPlan]) -> dict[str, Any]:
    """The plan as a document (``--plan`` prints it as YAML, ``--report`` as JSON)."""
    targets: dict[str, Any] = {}
    for plan in plans:
        run = plan.target.run
        entry: dict[str, Any] = {"files": list(run.files), "output": run.output}
        if plan.warnings:
            entry["warnings"] = list(plan.warnings)
        if plan.error is not None:
            entry["error"] = _error_text(plan.error)
        else:
            entry["operations"] = plan.found.operations
            entry["secrets"] = plan.refs()
            if plan.found.computed:
                entry["computed"] = [f"{where}: {src}" for where, src in plan.found.computed]
        targets[plan.name] = entry
    secrets: dict[str, Any] = {}
    for read, refs in sorted(union(plans).items(), key=lambda item: item[0].label):
        if read.kind == "vault":  # path -> its keys
            keys = {ref.rpartition(":")[2] for ref in refs}
            secrets.setdefault(read.backend, {})[read.label] = sorted(keys)
        else:
            secrets.setdefault(read.backend, []).append(read.label)
    secrets = dict(sorted(secrets.items()))
    computed = sum(len(plan.found.computed) for plan in plans)
    return {
        "targets": targets,
        "secrets": secrets,
        "summary": {
            "targets": len(plans),
            "failed": sum(1 for plan in plans if plan.error is not None),
            "reads": {backend: len(paths) for backend, paths in secrets.items()},
            "computed": computed,
        },
    }


def _error_text(exc: BaseException) -> str:
    return exc.render().rstrip("\n") if isinstance(exc, GraftError) else str(exc)
