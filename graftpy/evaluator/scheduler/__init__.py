"""The parallel scheduler: runs a phase's operator calls on a worker pool.

``make_executor(env, ...)`` returns a ``ParallelExecutor`` (an ``engine.Executor``)
unless parallelism is off (``--no-parallel`` / ``GRAFT_PARALLEL=false``), in
which case it returns None and the evaluator keeps its sequential executor.
Whatever the strategy and worker count, the document and the errors are
exactly those of the sequential run.

Locking rule (the shared tree, ``evaluator.document.Document``):
  1. Readers take no lock. A call starts only when every call that writes at,
     above or inside a path it reads has finished (the dependency edges), so
     nothing it reads changes while it runs.
  2. A result is written under ``Document.lock``, at the call's own position:
     an existing map key or list index. Containers never change size under a
     concurrent reader, so two writers into one parent container and a reader of
     a sibling key are safe (item assignment is atomic under the GIL).
  3. Values are deep-copied when written (copy-on-write): a reader holding a
     subtree never sees it change, and no two places share a value.
  4. A call that changes a container's set of keys (``inject``, any merge-phase
     operator) runs alone: the pool is drained first and nothing starts until it
     is done.
  5. Calls with run-wide side effects (``parallel_safe = False``: static_ips,
     inject, prune, ...) run on the main thread, in sequential order relative to
     the other calls of the same operator, so they mutate ``RunState`` one at a
     time and in graft's order. Parallel-safe operators that keep per-run state
     (caches in ``RunState.extra``) must guard it themselves.
Rules 1 and 3 are the evaluator's; 2 holds for ``Document.write``; 4 and 5 are
enforced here.

Modules: ``config`` (flags and GRAFT_PARALLEL* variables), ``strategies`` (which
thread runs what), ``adaptive`` (cost measurements, per-backend AIMD limits),
``pool`` (worker threads), ``loop`` (the scheduling loop), ``executor`` (a
phase: sequentially, inline, or on the loop), ``signals`` (backends report
throttling). The names below are imported on first use, so that reading the
settings (``config``) does not load the scheduler itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from graftpy.evaluator.scheduler.config import STRATEGIES, ParallelConfig, config_from_env

if TYPE_CHECKING:
    from graftpy.evaluator.scheduler.executor import ParallelExecutor, PhaseStats

__all__ = [
    "STRATEGIES",
    "ParallelConfig",
    "ParallelExecutor",
    "PhaseStats",
    "config_from_env",
    "make_executor",
    "report_throttled",
]


def __getattr__(name: str) -> Any:
    if name in ("ParallelExecutor", "PhaseStats"):
        from graftpy.evaluator.scheduler import executor

        return getattr(executor, name)
    if name == "report_throttled":
        from graftpy.evaluator.scheduler.signals import report_throttled

        return report_throttled
    raise AttributeError(name)


def make_executor(
    env: Mapping[str, str],
    *,
    parallel: bool | None = None,
    strategy: str | None = None,
    workers: int | None = None,
    min_ops: int | None = None,
    debug: bool = False,
    log: Callable[[str], None] | None = None,
    on_phase: Callable[[PhaseStats], None] | None = None,
    config: ParallelConfig | None = None,
) -> ParallelExecutor | None:
    """The executor for these settings (flags override ``env``), or None when parallelism is off.

    ``log`` receives the ``--debug`` lines (plan and outcome of each phase), and only
    when ``debug`` is true; ``on_phase`` receives every phase's ``PhaseStats``.
    ``config``: settings already read (the other settings are then not looked at).
    """
    if config is None:
        config = config_from_env(
            env, parallel=parallel, strategy=strategy, workers=workers, min_ops=min_ops, debug=debug
        )
    if not config.enabled:
        return None
    from graftpy.evaluator.scheduler.executor import ParallelExecutor

    return ParallelExecutor(config, log=log, on_phase=on_phase)
