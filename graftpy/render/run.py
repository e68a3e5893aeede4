"""One ``graftpy render`` run: plan every target, read the secrets, evaluate, report.

::

    from graftpy.render.run import RenderJob, plan_all, render
    plans = plan_all(targets)                       # --plan: load, merge, scan only
    outcome = render(RenderJob(targets, jobs=8))    # plan, prefetch, evaluate, write
    outcome.failed                                  # how many targets failed

The secrets a target reads are queued for reading as soon as it is planned, so
the reads (network) overlap the planning of the next targets (CPU); evaluation
starts when every read is done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any, NamedTuple, TextIO

from graftpy.render.backends import BackendLayer
from graftpy.render.execute import FAILED, Probe, TargetResult, evaluate, run_all
from graftpy.render.plan import TargetPlan, plan_target
from graftpy.render.prefetch import Prefetcher
from graftpy.render.targets import Target

DEFAULT_JOBS = 8  # targets at once on threads: enough to overlap what was not read ahead


class RenderJob(NamedTuple):
    targets: Sequence[Target]
    jobs: int = DEFAULT_JOBS
    processes: int | None = None  # worker processes (None or 0: one per CPU; 1: none)
    fail_fast: bool = False
    metrics: Any = None  # graftpy.render.metrics.RenderMetrics, or None (off)
    progress: Any = None  # graftpy.render.live.RenderProgress, or None (off)
    log: Any = None  # called with a line of --debug timings, or None


class Outcome(NamedTuple):
    results: list[TargetResult]
    seconds: float  # wall time of the whole run, planning included
    backends: dict[str, Any]  # backend name -> StatsSnapshot

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == FAILED)


def plan_all(targets: Sequence[Target]) -> list[TargetPlan]:
    """``plan_target`` for each target, in order (``--plan``: no store contacted)."""
    return [plan_target(target) for target in targets]


def render(job: RenderJob, started: float | None = None) -> Outcome:
    """Plan every target, read every planned secret, then evaluate and write them."""
    started = time.perf_counter() if started is None else started
    metrics, progress = job.metrics, job.progress
    layer = BackendLayer((metrics.recorder,) if metrics is not None else ())
    prefetcher = Prefetcher(
        layer,
        on_queued=None if progress is None else progress.secrets_queued,
        on_read=None if progress is None else progress.secret_read,
    )
    if progress is not None:
        progress.layer = layer
        progress.begin("planned", len(job.targets))
    _warm_up()
    probes: dict[str, Probe] = {}  # each target's: its metrics and its backend usage

    def probe_of(name: str) -> Probe:
        if name not in probes:
            probes[name] = metrics.probe(name) if metrics is not None else Probe()
        return probes[name]

    try:
        plans = []
        for target in job.targets:
            probe = probe_of(target.name)
            plans.append(plan_target(target, probe))
            prefetcher.add(plans[-1], probe.usage)
            if progress is not None:
                progress.one_finished(plans[-1].error is not None)
        planned = time.perf_counter()
        prefetcher.wait()
        fetched = time.perf_counter()
        if progress is not None:
            progress.begin("done", len(plans))

        def work(plan: TargetPlan) -> TargetResult:
            return evaluate(plan, layer, probe_of(plan.name))

        def done(result: TargetResult) -> None:
            if metrics is not None:
                metrics.finished(result)
            if progress is not None:
                progress.one_finished(result.status == FAILED)

        results = run_all(
            plans,
            work,
            jobs=job.jobs,
            processes=job.processes,
            fail_fast=job.fail_fast,
            on_start=None if progress is None else progress.one_started,
            on_done=done,
            paused=None if progress is None else progress.paused,
        )
        ended = time.perf_counter()
        if job.log is not None:
            job.log(
                f"render: planned {len(plans)} targets in {planned - started:.3f}s, read "
                f"{prefetcher.queued} secrets {fetched - planned:.3f}s later, evaluated in "
                f"{ended - fetched:.3f}s"
            )
        totals = layer.stats()
        results = [_with_usage(r, probes[r.name], totals, metrics) for r in results]
        return Outcome(results, ended - started, totals)
    finally:
        prefetcher.wait()
        layer.close()


def _with_usage(result: TargetResult, probe: Probe, totals: dict, metrics: Any) -> TargetResult:
    """``result`` with its share of the backends' work; a worker's share (what it did
    beyond the reads done here ahead for it) joins the run's ``totals`` and metrics."""
    from graftpy.render import usage

    here = probe.usage.figures()
    if result.backends is None:  # skipped, or lost with its worker: what was done here
        return result._replace(backends=here)
    if result.forked:
        theirs = usage.difference(result.backends, here)
        usage.add_to(totals, theirs)
        if metrics is not None:
            for event in usage.events(theirs):
                metrics.recorder.backend_event(event)
    return result


def _warm_up() -> None:
    """Import what every target needs once, up front: imports take the import lock, and
    the first target would otherwise be charged (and the others wait) for them."""
    import graftpy.evaluator  # noqa: F401
    import graftpy.merging  # noqa: F401
    import graftpy.postprocess  # noqa: F401
    from graftpy.operators import registry
    from graftpy.yamlio import loader  # noqa: F401

    registry.builtin_operators()


def print_plan(plans: Sequence[TargetPlan], out: TextIO = sys.stdout) -> None:
    """``--plan``: the plan as YAML."""
    from graftpy import yamlio
    from graftpy.render.plan import document
    from graftpy.taint import redact_data

    out.write(yamlio.dump_yaml(redact_data(document(plans)), preserve_order=True))
