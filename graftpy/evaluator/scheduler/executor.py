"""The parallel executor: plugs into ``engine.Executor`` and runs one phase.

A phase runs in one of three ways:
  * sequentially, as graft does, when parallelism is off or the phase has fewer
    calls than ``min_ops``;
  * inline, in graft's order, while no call of the phase belongs on the pool
    (a CPU-bound document under the adaptive strategy): threads would only cost;
    should the adaptive strategy learn that a kind belongs on the pool after
    all, the rest of the phase is handed to the scheduling loop;
  * on the scheduling loop (``loop.Scheduler``): main thread plus worker pool.
Whatever the way, errors come back in sequential order, which makes them the
sequential run's errors.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graftpy.evaluator.engine import run_in_order
from graftpy.evaluator.scheduler.adaptive import WARMUP
from graftpy.evaluator.scheduler.config import ParallelConfig
from graftpy.evaluator.scheduler.loop import RunOne, Scheduler
from graftpy.evaluator.scheduler.strategies import Lane, Strategy, make_strategy

if TYPE_CHECKING:
    from graftpy.errors import GraftError
    from graftpy.evaluator.opcall import OpCall
    from graftpy.evaluator.plan import Plan


@dataclass
class PhaseStats:
    """What one executed phase looked like: for --debug and the metrics."""

    strategy: str
    workers: int
    operations: int = 0
    generations: int = 0
    planned_parallel: int = 0
    planned_sequential: int = 0
    parallel: int = 0  # calls that ran on a worker thread
    sequential: int = 0  # calls that ran on the main thread
    errors: int = 0
    wall: float = 0.0  # seconds the phase took
    busy: float = 0.0  # sum of the calls' own seconds
    max_in_flight: int = 0
    threads: int = 0
    ran_sequentially: bool = False  # parallelism off, or fewer calls than min_ops
    limits: dict[str, int] = field(default_factory=dict)  # final concurrency per backend
    _calls: tuple[list, list[float], list[bool]] | None = field(default=None, repr=False)
    _by_operator: dict[str, tuple[int, float, int]] | None = field(default=None, repr=False)

    @property
    def speedup(self) -> float:
        """Calls' own time over the phase's wall time; 1.0 when no call ran on the pool."""
        if not self.parallel or self.wall <= 0:
            return 1.0
        return self.busy / self.wall

    @property
    def by_operator(self) -> dict[str, tuple[int, float, int]]:
        """Operator name -> (calls, seconds, calls run on the pool); computed on first use.

        Seconds are measured, except for the inline calls between samples (see
        ``run_inline``), which count at their kind's measured mean.
        """
        if self._by_operator is None:
            by: dict[str, list] = {}  # name -> calls, seconds of timed calls, timed, pooled
            if self._calls is not None:
                for op, wall, pooled in zip(*self._calls, strict=True):
                    row = by.get(op.operator.name)
                    if row is None:
                        row = by[op.operator.name] = [0, 0.0, 0, 0]
                    row[0] += 1
                    if wall == wall:  # not NaN: this call was timed
                        row[1] += wall
                        row[2] += 1
                    row[3] += pooled
            # untimed calls (inline, between samples) count at their kind's mean
            self._by_operator = {
                k: (c, s * c / t if t else 0.0, p) for k, (c, s, t, p) in by.items()
            }
            self._calls = None
        return self._by_operator


def debug_to_stderr(line: str) -> None:
    sys.stderr.write(f"DEBUG> {line}\n")


def format_seconds(s: float) -> str:
    if s >= 1.0:
        return f"{s:.1f}s"
    if s >= 0.001:
        return f"{s * 1000:.0f}ms"
    return f"{s * 1e6:.0f}µs"


class ParallelExecutor:
    """``engine.Executor`` running calls on a worker pool, per ``config``."""

    def __init__(
        self,
        config: ParallelConfig,
        *,
        strategy: Strategy | None = None,
        log: Callable[[str], None] | None = None,
        on_phase: Callable[[PhaseStats], None] | None = None,
    ) -> None:
        self.config = config
        self.strategy = strategy or make_strategy(config.strategy, config.max_workers)
        # debug lines go to ``log`` (default: stderr, graft's ``DEBUG>`` prefix), only with debug on
        self.log = (log or debug_to_stderr) if config.debug else None
        self.on_phase = on_phase
        self.history: list[PhaseStats] = []

    def execute(self, plan: Plan, run_one: RunOne) -> list[GraftError]:
        order = plan.order
        if not order:
            return []
        cfg = self.config
        stats = PhaseStats(
            self.strategy.name, cfg.max_workers, operations=len(order), generations=plan.generations
        )
        start = time.perf_counter()
        if not cfg.enabled or len(order) < cfg.min_ops:
            errors = self._sequential(order, run_one, stats)
        else:
            errors = self._parallel(plan, run_one, stats)
        stats.wall = time.perf_counter() - start
        stats.errors = len(errors)
        self.history.append(stats)
        if self.log is not None and not stats.ran_sequentially:
            if stats.parallel:
                self.log(
                    f"Parallel execution completed in {format_seconds(stats.wall)}"
                    f" ({stats.speedup:.1f}x speedup; {stats.parallel} of {stats.operations}"
                    f" operations on {stats.threads} worker threads)"
                )
            else:  # nothing overlapped: there is no speedup to speak of
                self.log(
                    f"Execution completed in {format_seconds(stats.wall)}: every operation"
                    " ran on the main thread (none was worth a worker), no speedup"
                )
        if self.on_phase is not None:
            self.on_phase(stats)
        return errors

    def _sequential(self, order: list[OpCall], run_one: RunOne, stats: PhaseStats) -> list:
        stats.ran_sequentially = True
        stats.sequential = stats.planned_sequential = len(order)
        if self.log is not None:
            why = (
                "parallelism is off" if not self.config.enabled else "below GRAFT_PARALLEL_MIN_OPS"
            )
            self.log(f"Running {len(order)} operations sequentially ({why})")
        return run_in_order(order, run_one)

    def _parallel(self, plan: Plan, run_one: RunOne, stats: PhaseStats) -> list:
        order = plan.order
        strategy, n = self.strategy, len(order)
        kinds = {op.operator for op in order}
        pooled = {o for o in kinds if strategy.lane(o) is Lane.POOL}
        stats.planned_parallel = sum(1 for op in order if op.operator in pooled) if pooled else 0
        stats.planned_sequential = n - stats.planned_parallel
        if self.log is not None:
            self.log(
                f"Running {n} operations in {plan.generations} generations:"
                f" {stats.planned_parallel} in parallel, {stats.planned_sequential} sequential"
            )
        errs: list[Any] = [None] * n
        walls = [_UNTIMED] * n
        on_pool = [False] * n
        done, inline_time = 0, 0.0
        if not pooled:
            t0 = time.perf_counter()
            done = run_inline(strategy, order, run_one, errs, walls)
            inline_time = time.perf_counter() - t0
        if done < n:
            workers = self.config.workers_for(any(o.io_bound for o in pooled))
            stats.workers = workers
            sched = Scheduler(
                strategy,
                workers,
                plan,
                run_one,
                start=done,
                errs=errs,
                walls=walls,
                on_pool=on_pool,
            )
            stats.threads = sched.run(prestart=stats.planned_parallel)
            stats.max_in_flight = sched.max_in_flight
        stats._calls = (order, walls, on_pool)
        stats.parallel = sum(on_pool)
        stats.sequential = n - stats.parallel
        stats.busy = inline_time + sum(walls[done:])
        stats.limits = {k: lim.limit for k, lim in strategy.limits.items()}
        return [e for e in errs if e is not None]


def run_inline(
    strategy: Strategy, order: list[OpCall], run_one: RunOne, errs: list, walls: list[float]
) -> int:
    """Run calls in graft's order on this thread until one belongs on the pool.

    Returns how many ran. With nothing in flight elsewhere this *is* the
    sequential run (an exception propagates exactly as there). It must stay
    within a few percent of the sequential executor on CPU-bound documents,
    whose calls take ten microseconds or so, hence two loops:
      * while some kind of the phase is still warming up, every call is timed
        and its lane checked;
      * then one call in ``INLINE_SAMPLE_EVERY`` is timed, measured and has its
        lane checked; the others just run. Lanes only change when a measurement
        changes them, and the call after such a change is checked too.
    The first call of a kind learnt to belong on the pool ends the prefix.
    Untimed calls keep ``_UNTIMED`` in ``walls``.
    """
    perf, cpu_time = time.perf_counter, time.thread_time
    known: dict[Any, Any] = {}  # operator -> _POOL, or its KindStats (None: not learning)

    def look(o: Any) -> Any:
        st = known.get(o, _UNKNOWN)
        if st is _UNKNOWN:
            st = known[o] = _POOL if strategy.lane(o) is Lane.POOL else strategy.measure(o)
        return st

    def timed(k: int, op: OpCall, st: Any) -> Any:
        c0 = cpu_time() if st is not None and st.wants_cpu_sample() else None
        t0 = perf()
        err = run_one(op)
        wall = walls[k] = perf() - t0
        if st is not None and st.observe(wall, None if c0 is None else cpu_time() - c0):
            strategy.version += 1
            known.clear()  # lanes changed: look them up again
        return err

    n, k = len(order), 0
    cold = {o for o in {op.operator for op in order} if look(o) is not None}
    while cold and k < n:  # warm-up: every call measured
        op = order[k]
        st = look(op.operator)
        if st is _POOL:
            return k
        err = timed(k, op, st)
        if st is not None and st.count >= WARMUP:
            cold.discard(op.operator)
        if err is not None:
            errs[k] = err
        k += 1
    mask = INLINE_SAMPLE_EVERY - 1
    for i in range(k, n):
        op = order[i]
        if i & mask and known:  # (emptied when a measurement changed a lane: look again)
            err = run_one(op)
        else:
            st = look(op.operator)
            if st is _POOL:
                return i
            err = timed(i, op, st)
        if err is not None:
            errs[i] = err
    return n


_UNKNOWN = object()
_POOL = object()
_UNTIMED = float("nan")
INLINE_SAMPLE_EVERY = 16  # after warm-up, inline calls measured (a power of two)
