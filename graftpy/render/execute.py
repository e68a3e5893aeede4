"""The execute phase of ``graftpy render``: evaluate each planned target and write it.

A target is evaluated exactly as ``graftpy merge`` evaluates it
(``graftpy.pipeline.evaluate_tree`` on the merged document of the plan phase,
then the same YAML emitter and the same atomic write), with two differences
that cannot change its output: its secret calls go to the run's shared backend
layer, and, when every secret it reads was read ahead and nothing else waits on
I/O, it is evaluated sequentially unless its settings ask for parallel
evaluation (there is nothing left to overlap, and threads would only cost CPU).

Targets run ``jobs`` at a time. A failing target is reported under its name
with the text ``merge`` would print and leaves its old output untouched; the
others go on, unless ``fail_fast``: then targets not yet started are skipped.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, NamedTuple

from graftpy.errors import GraftError
from graftpy.render.backends import BackendLayer
from graftpy.render.plan import TargetPlan

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
PARALLEL_SETTINGS = ("parallel", "strategy", "workers", "min_ops")


class TargetResult(NamedTuple):
    """How one target went (plain data: it may come from another process)."""

    name: str
    status: str  # ok, failed or skipped (not started after a --fail-fast failure)
    seconds: float  # planning and execution
    operations: int
    secrets: int  # distinct secret references it uses (path:key, alternatives included)
    output: str
    error: str | None = None  # what merge would print on stderr
    exit_code: int = 0
    metrics: Any = None  # the target's metrics snapshot, when metrics are on
    warnings: tuple[str, ...] = ()  # what merge would print as warnings, in its order
    backends: Any = None  # its share of the backends' work (graftpy.render.usage.Figures)
    forked: bool = False  # evaluated in a worker process


class Probe:
    """``evaluate_tree``'s hook for one target: counts its operations, feeds its metrics.

    ``session`` is the target's ``graftpy.metrics.session.MetricsSession`` (which
    records into the target's own figures), or None when metrics are off.
    ``usage`` counts the target's share of the shared backends' work (and passes
    it on to the target's metrics).
    """

    def __init__(self, session: Any = None) -> None:
        from graftpy.render.usage import Usage

        self.session = session
        self.operations = 0
        self.usage = Usage(None if session is None else session.metrics.recorder)

    def input_read(self, documents: int, size: int) -> None:
        if self.session is not None:
            self.session.input_read(documents, size)

    def on_phase(self, stats: Any) -> None:
        if self.session is not None:
            self.session.on_phase(stats)

    def run(self, evaluator: Any) -> list:
        try:
            return evaluator.run() if self.session is None else self.session.run(evaluator)
        finally:
            self.operations = sum(report.operations for report in evaluator.reports)


def evaluate(
    plan: TargetPlan, layer: BackendLayer | None, probe: Probe | None = None
) -> TargetResult:
    """Evaluate one planned target and write its output; never raises for bad input."""
    run = plan.target.run
    output = run.output or ""
    started = time.perf_counter()
    probe = probe or Probe()
    if plan.error is not None:
        return _failed(plan, plan.error, plan.seconds, probe)
    options = run.options
    refs: dict[str, list[str]] = {}
    options.extra["vault_refs"] = refs
    found = plan.found
    if layer is not None and (found.reads or found.computed):
        from graftpy.render.usage import charged

        options.extra["backends"] = charged(layer.for_options(options), probe.usage)
    if _nothing_to_wait_for(plan):
        options.parallel = False
    try:
        from graftpy import yamlio
        from graftpy.pipeline import evaluate_tree

        tree = evaluate_tree(plan.merger, options, probe)
        write(output, yamlio.dump_yaml(tree, preserve_order=run.preserve_order) + "\n")
    except (GraftError, OSError, RecursionError, Exception) as exc:  # noqa: BLE001 - isolated
        return _failed(plan, exc, plan.seconds + time.perf_counter() - started, probe)
    finally:
        plan.merger = None  # the document is done with: free it
    aws = sum(1 for read in found.reads if read.kind != "vault")
    return TargetResult(
        plan.name,
        OK,
        plan.seconds + time.perf_counter() - started,
        probe.operations,
        len(refs) + aws,
        output,
        metrics=_figures(probe),
        warnings=tuple(plan.warnings),
        backends=probe.usage.figures(),
    )


def _nothing_to_wait_for(plan: TargetPlan) -> bool:
    """Every secret read ahead, no other I/O, and no parallel setting or variable."""
    if not plan.self_contained or plan.found.waits:
        return False
    values = plan.target.values
    if any(name in values for name in PARALLEL_SETTINGS):
        return False
    from graftpy.pipeline import environment

    return plan.target.run.options.parallel is None and not environment(
        plan.target.run.options
    ).get("GRAFT_PARALLEL")


def write(path: str, text: str) -> None:
    """Replace ``path`` atomically (as ``merge -o``), making its folder if need be."""
    from graftpy.output import emit

    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    emit(text, path)


def _failed(plan: TargetPlan, exc: BaseException, seconds: float, probe: Probe) -> TargetResult:
    text, code = error_text(exc)
    output = plan.target.run.output or ""
    return TargetResult(
        plan.name,
        FAILED,
        seconds,
        0,
        0,
        output,
        text,
        code,
        metrics=_figures(probe),
        warnings=tuple(plan.warnings),
        backends=probe.usage.figures(),
    )


def _figures(probe: Probe) -> Any:
    """The target's metrics snapshot (they travel back from a worker process), or None."""
    return None if probe.session is None else probe.session.metrics.recorder.snapshot()


def error_text(exc: BaseException) -> tuple[str, int]:
    """What ``graftpy merge`` prints for ``exc``, and its exit code; redacted here, in
    the process that met the secrets (a worker process's are unknown to the parent)."""
    from graftpy.taint import redact

    text, code = _error_text(exc)
    return redact(text), code


def _error_text(exc: BaseException) -> tuple[str, int]:
    if isinstance(exc, GraftError):
        return exc.render(), exc.exit_code
    if isinstance(exc, RecursionError):
        return "Hit max recursion depth. You seem to have a self-referencing dataset\n", 2
    if isinstance(exc, OSError):
        where = exc.filename or "the output"
        return f"graftpy: cannot write {where}: {exc.strerror or exc}\n", 1
    return f"graftpy: internal error: {type(exc).__name__}: {exc}\n", 3


def skipped(plan: TargetPlan) -> TargetResult:
    return TargetResult(
        plan.name, SKIPPED, 0.0, 0, 0, plan.target.run.output or "", warnings=tuple(plan.warnings)
    )


def run_all(
    plans: Sequence[TargetPlan],
    work: Callable[[TargetPlan], TargetResult],
    *,
    jobs: int,
    fail_fast: bool = False,
    processes: int | None = 1,
    on_start: Callable[[TargetPlan], None] | None = None,
    on_done: Callable[[TargetResult], None] | None = None,
    paused: Callable[[], Any] | None = None,
) -> list[TargetResult]:
    """``work(plan)`` for every plan; results in the plans' order.

    Self-contained targets go to forked worker processes when ``processes`` allows
    it (None or 0: one per CPU; see ``graftpy.render.workers``); the others run
    ``jobs`` at a time on threads of this process.
    """
    from graftpy.render import workers

    inline = [p for p in plans if not _for_workers(p)]
    forked = [p for p in plans if _for_workers(p)]
    count = workers.process_count(processes, len(forked)) if forked and processes != 1 else 1
    if count <= 1:
        inline, forked = list(plans), []
        stop: Any = threading.Event()
    else:
        import multiprocessing

        stop = multiprocessing.get_context("fork").Event()
    if fail_fast and any(plan.error is not None for plan in plans):
        stop.set()  # a target failed to plan: that is the first failure
    results: dict[str, TargetResult] = {}

    def finished(result: TargetResult) -> None:
        results[result.name] = result
        if on_done is not None:
            on_done(result)

    if forked:  # the first one here: every module and cache it warms is inherited
        finished(one_inline(forked.pop(0), stop, work, fail_fast, on_start))
    # the fork comes first: no thread of ours may be running while it happens
    from_workers = (
        workers.start(forked, work, count, fail_fast=fail_fast, stop=stop, paused=paused)
        if forked
        else iter(())
    )

    def one(plan: TargetPlan) -> TargetResult:
        return one_inline(plan, stop, work, fail_fast, on_start)

    with ThreadPoolExecutor(
        max(1, min(jobs, len(inline) or 1)), thread_name_prefix="graftpy-target"
    ) as pool:
        futures = [pool.submit(one, plan) for plan in inline]
        for result in from_workers:
            finished(result)
        for future in as_completed(futures):
            finished(future.result())
    return [results[plan.name] for plan in plans]


def one_inline(
    plan: TargetPlan,
    stop: Any,
    work: Callable[[TargetPlan], TargetResult],
    fail_fast: bool,
    on_start: Callable[[TargetPlan], None] | None,
) -> TargetResult:
    """``work(plan)`` in this process, unless the run is stopping."""
    if stop.is_set() and plan.error is None:
        return skipped(plan)
    if on_start is not None:
        on_start(plan)
    result = work(plan)
    if fail_fast and result.status == FAILED:
        stop.set()
    return result


def _for_workers(plan: TargetPlan) -> bool:
    """Whether a worker process can evaluate it: nothing left to fetch."""
    return plan.self_contained and not plan.found.waits
