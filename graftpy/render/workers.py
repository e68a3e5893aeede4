"""Evaluating targets in forked worker processes, to use every core.

One Python process evaluates on one core (the GIL). After the plan phase and
the prefetch, a *self-contained* target has everything it needs in memory: its
merged document, and every secret it reads in the backend caches. Worker
processes forked at that moment inherit both (copy-on-write) and evaluate a
share of those targets each, writing each output themselves; only the result
record comes back. Targets that may still wait on the network (secret paths that
need evaluation, ``load``) stay in the main process, whose backends own the
connections: a forked copy of a connection must never be used by two processes.

Linux only (``fork``); elsewhere, with ``--processes 1``, or for a few targets,
everything runs on threads of the one process. The output is the same either way.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from graftpy.render.execute import FAILED, TargetResult, skipped
from graftpy.render.plan import TargetPlan

MIN_PER_PROCESS = 4  # a worker is worth forking for this many targets or more

# what the workers inherit: (plans, work, stop event), set just before forking
_inherited: tuple[Sequence[TargetPlan], Callable[[TargetPlan], TargetResult], Any] | None = None


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def process_count(requested: int | None, eligible: int) -> int:
    """Worker processes for ``eligible`` self-contained targets (``requested``: the
    ``--processes`` setting; None or 0: one per CPU). 1 means none: threads only."""
    if not sys.platform.startswith("linux"):
        return 1
    wanted = requested or cpus()
    return max(1, min(wanted, eligible // MIN_PER_PROCESS))


def start(
    plans: Sequence[TargetPlan],
    work: Callable[[TargetPlan], TargetResult],
    count: int,
    *,
    fail_fast: bool,
    stop: Any,
    paused: Callable[[], AbstractContextManager[None]] | None = None,
) -> Iterator[TargetResult]:
    """Fork ``count`` workers now; the iterator returned yields each plan's result as
    it arrives.

    ``stop`` is a ``multiprocessing`` event made before the fork (the workers skip
    what they have not started once it is set); ``paused`` holds other writers to
    stderr back while forking (a lock held at that moment would stay held in the
    copy). A worker that dies fails the targets it had, and the run goes on.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _inherited
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    _inherited = (plans, work, stop)
    gc.collect()
    gc.freeze()  # what the workers inherit stays shared: their GC does not touch it
    try:
        with (paused or nullcontext)():
            first = pool.submit(_work, 0)  # with fork, the workers start at the first submit
    finally:
        gc.unfreeze()
    futures = {first: plans[0]}
    futures.update({pool.submit(_work, i): plans[i] for i in range(1, len(plans))})
    return _results(pool, futures, fail_fast, stop)


def _results(
    pool: Any, futures: dict[Any, TargetPlan], fail_fast: bool, stop: Any
) -> Iterator[TargetResult]:
    from concurrent.futures import as_completed

    global _inherited
    try:
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died (BrokenProcessPool)
                result = _lost(futures[future], exc)
            if fail_fast and result.status == FAILED:
                stop.set()
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _inherited = None


def _lost(plan: TargetPlan, exc: BaseException) -> TargetResult:
    message = f"graftpy: internal error: the worker process evaluating it stopped ({exc})\n"
    output = plan.target.run.output or ""
    return TargetResult(
        plan.name, FAILED, 0.0, 0, 0, output, message, 3, warnings=tuple(plan.warnings)
    )


def _work(index: int) -> TargetResult:
    """In a worker: evaluate and write one inherited plan."""
    assert _inherited is not None, "workers are forked with their plans"
    plans, work, stop = _inherited
    plan = plans[index]
    if stop.is_set():
        return skipped(plan)
    return work(plan)._replace(forked=True)
