"""The parallel executor: runs one phase's calls over the dependency graph.

The main thread owns all scheduling state; workers only run calls and post
``(position, error, exception, seconds, cpu, throttled)`` to a queue. A call is
dispatched as soon as its own predecessors are done (no barrier between
generations). Among the calls ready at once, the lowest position in graft's
sequential order goes first, on the main thread as on the pool.

Same errors as the sequential run: they are returned in sequential order. An
unexpected exception (a bug, RecursionError) is raised as the sequential run
would raise it: the scheduler stops starting calls that come after it, lets
every call before it finish, and raises the first one in sequential order.
"""

from __future__ import annotations

import heapq
import queue
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graftpy.evaluator.scheduler import signals
from graftpy.evaluator.scheduler.config import ParallelConfig
from graftpy.evaluator.scheduler.plan import build_plan
from graftpy.evaluator.scheduler.pool import WorkerPool
from graftpy.evaluator.scheduler.strategies import Lane, Strategy, backend, exclusive, make_strategy

if TYPE_CHECKING:
    from graftpy.errors import GraftError
    from graftpy.evaluator.dataflow import DataFlow
    from graftpy.evaluator.opcall import OpCall

RunOne = Callable[["OpCall"], "GraftError | None"]


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
    by_operator: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)  # final concurrency per backend

    @property
    def speedup(self) -> float:
        return self.busy / self.wall if self.wall > 0 else 1.0


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
        self.log = log if log is not None else (debug_to_stderr if config.debug else None)
        self.on_phase = on_phase
        self.history: list[PhaseStats] = []

    def execute(self, flow: DataFlow, order: list[OpCall], run_one: RunOne) -> list[GraftError]:
        if not order:
            return []
        cfg = self.config
        stats = PhaseStats(self.strategy.name, cfg.max_workers, operations=len(order))
        start = time.perf_counter()
        if not cfg.enabled or len(order) < cfg.min_ops:
            errors = self._sequential(order, run_one, stats)
        else:
            errors = _Run(self, flow, order, run_one, stats).go()
        stats.wall = time.perf_counter() - start
        stats.errors = len(errors)
        self.history.append(stats)
        if self.log is not None and not stats.ran_sequentially:
            self.log(
                f"Parallel execution completed in {format_seconds(stats.wall)}"
                f" ({stats.speedup:.1f}x speedup)"
            )
        if self.on_phase is not None:
            self.on_phase(stats)
        return errors

    def _sequential(self, order: list[OpCall], run_one: RunOne, stats: PhaseStats) -> list:
        stats.ran_sequentially = True
        stats.sequential = stats.planned_sequential = len(order)
        if self.log is not None:
            why = "parallelism is off" if not self.config.enabled else "below GRAFT_PARALLEL_MIN_OPS"
            self.log(f"Running {len(order)} operations sequentially ({why})")
        errors = []
        for op in order:
            err = run_one(op)
            if err is not None:
                errors.append(err)
        return errors


class _Run:
    """One phase's scheduling state; ``go`` runs it. Everything here is main-thread only."""

    def __init__(
        self,
        ex: ParallelExecutor,
        flow: DataFlow,
        order: list[OpCall],
        run_one: RunOne,
        stats: PhaseStats,
    ) -> None:
        self.ex = ex
        self.order = order
        self.run_one = run_one
        self.stats = stats
        self.strategy = ex.strategy
        self.plan = build_plan(flow, order)
        n = len(order)
        self.operators = [op.operator for op in order]
        self.errs: list[Any] = [None] * n
        self.wall = [0.0] * n
        self.on_pool = [False] * n
        self.done = 0
        # sequential lanes: per operator class, positions in order; a call runs at the head
        self.lanes: dict[type, deque[int]] = {}
        self.excl = [False] * n
        self.waiting = [False] * n  # a SERIAL call that is ready but not at its lane's head
        for i, o in enumerate(self.operators):
            if self.strategy.lane(o) is Lane.SERIAL:
                self.lanes.setdefault(type(o), deque()).append(i)
                self.excl[i] = exclusive(o)
        self.main: list[int] = []  # heap of positions runnable on the main thread
        self.heaps: dict[str, list[int]] = {}  # backend -> heap of positions ready for the pool
        self.keys: dict[Any, str] = {}  # operator -> backend
        self.pending = 0  # positions in self.heaps
        self.in_flight = 0
        self.fatal_at = n  # position of the first call that raised (not a GraftError)
        self.fatal: BaseException | None = None
        self.results: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self.pool = WorkerPool(ex.config.max_workers)
        self.learns = self.strategy.learns  # lanes may change while the phase runs

    # -- bookkeeping -------------------------------------------------------------------

    def ready(self, i: int) -> None:
        o = self.operators[i]
        lane = self.strategy.lane(o)
        if lane is Lane.POOL:
            key = self.keys.get(o)
            if key is None:
                key = self.keys[o] = backend(o)
            heap = self.heaps.get(key)
            if heap is None:
                heap = self.heaps[key] = []
            heapq.heappush(heap, i)
            self.pending += 1
        elif lane is Lane.MAIN:
            heapq.heappush(self.main, i)
        elif self.lanes[type(o)][0] == i:
            heapq.heappush(self.main, i)
        else:
            self.waiting[i] = True

    def complete(self, i: int, err: Any) -> None:
        self.errs[i] = err
        self.done += 1
        npred = self.plan.npred
        for j in self.plan.succ[i]:
            left = npred[j] - 1
            npred[j] = left
            if left == 0:
                self.ready(j)
        lane = self.lanes.get(type(self.operators[i]))
        if lane is not None and lane[0] == i:
            lane.popleft()
            if lane and self.waiting[lane[0]]:
                self.waiting[lane[0]] = False
                heapq.heappush(self.main, lane[0])

    def raised(self, i: int, exc: BaseException) -> None:
        if i < self.fatal_at:
            self.fatal_at = i
            self.fatal = exc

    # -- the pool ----------------------------------------------------------------------

    def dispatch(self) -> None:
        workers = self.pool.size
        strategy = self.strategy
        while self.pending and self.in_flight < workers:
            best, best_i = None, len(self.order)
            for key, heap in self.heaps.items():
                if heap:
                    lim = strategy.limit(key)
                    if not lim.has_room():
                        lim.blocked()
                    elif heap[0] < best_i:
                        best, best_i = key, heap[0]
            if best is None:
                return
            heapq.heappop(self.heaps[best])
            self.pending -= 1
            if best_i > self.fatal_at:
                continue
            if strategy.learns and strategy.lane(self.operators[best_i]) is Lane.MAIN:
                heapq.heappush(self.main, best_i)  # measured cheap since it became ready
                continue
            strategy.limit(best).started(time.perf_counter())
            self.in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.in_flight)
            want_cpu = strategy.learns and strategy.wants_cpu_sample(self.operators[best_i])
            self.pool.submit(self._work, best_i, want_cpu)

    def _work(self, i: int, want_cpu: bool) -> None:
        """Runs on a worker thread: only the call itself and the report."""
        signals.reset()
        c0 = time.thread_time() if want_cpu else 0.0
        t0 = time.perf_counter()
        err = exc = None
        try:
            err = self.run_one(self.order[i])
        except BaseException as e:  # noqa: BLE001 - handed to the main thread
            exc = e
        wall = time.perf_counter() - t0
        cpu = time.thread_time() - c0 if want_cpu else None
        throttled = signals.take(err.message if err is not None else None)
        self.results.put((i, err, exc, wall, cpu, throttled))

    def finish(self, rec: tuple) -> None:
        i, err, exc, wall, cpu, throttled = rec
        self.in_flight -= 1
        o = self.operators[i]
        self.strategy.limit(self.keys[o]).finished(time.perf_counter(), throttled)
        self.strategy.observe(o, wall, cpu)
        self.wall[i] = wall
        self.on_pool[i] = True
        if exc is not None:
            self.raised(i, exc)
        else:
            self.complete(i, err)

    # -- the main thread ---------------------------------------------------------------

    def inline(self, i: int) -> None:
        o = self.operators[i]
        strategy = self.strategy
        want_cpu = strategy.learns and strategy.wants_cpu_sample(o)
        if strategy.learns:
            signals.reset()
        c0 = time.thread_time() if want_cpu else 0.0
        t0 = time.perf_counter()
        try:
            err = self.run_one(self.order[i])
        except Exception as exc:  # a bug of an operator: raised after the calls before it
            self.raised(i, exc)
            return
        wall = self.wall[i] = time.perf_counter() - t0
        if strategy.learns:
            strategy.observe(o, wall, time.thread_time() - c0 if want_cpu else None)
            signals.take()
        self.complete(i, err)

    def go(self) -> list:
        stats, plan = self.stats, self.plan
        stats.generations = plan.generations
        lane_of = self.strategy.lane
        stats.planned_parallel = sum(1 for o in self.operators if lane_of(o) is Lane.POOL)
        stats.planned_sequential = plan.size - stats.planned_parallel
        log = self.ex.log
        if log is not None:
            log(
                f"Running {plan.size} operations in {plan.generations} generations:"
                f" {stats.planned_parallel} in parallel, {stats.planned_sequential} sequential"
            )
        for i, left in enumerate(plan.npred):
            if left == 0:
                self.ready(i)
        self.pool.prestart(stats.planned_parallel)
        try:
            self._loop()
        finally:
            stats.threads = self.pool.threads
            self.pool.close(wait=self.in_flight == 0)
        if self.fatal is not None:
            raise self.fatal
        if self.done != plan.size:  # pragma: no cover - would be a scheduler bug
            raise RuntimeError(f"scheduler stalled after {self.done} of {plan.size} operations")
        self._tally()
        return [e for e in self.errs if e is not None]

    def _loop(self) -> None:
        main, results = self.main, self.results
        while True:
            if self.in_flight and not results.empty():
                while not results.empty():
                    self.finish(results.get())
            while main and main[0] > self.fatal_at:
                heapq.heappop(main)
            if main and self.excl[main[0]]:  # it reshapes containers: it runs alone
                if self.in_flight:
                    self.finish(results.get())
                else:
                    self.inline(heapq.heappop(main))
                continue
            if self.pending:
                self.dispatch()
            if main:
                i = heapq.heappop(main)
                if self.learns and self.strategy.lane(self.operators[i]) is Lane.POOL:
                    self.ready(i)  # measured slow since it became ready: to the pool
                    continue
                self.inline(i)
            elif self.in_flight:
                self.finish(results.get())
            else:
                return

    def _tally(self) -> None:
        stats = self.stats
        by: dict[str, list] = {}
        for i, o in enumerate(self.operators):
            row = by.get(o.name)
            if row is None:
                row = by[o.name] = [0, 0.0, 0]
            row[0] += 1
            row[1] += self.wall[i]
            row[2] += self.on_pool[i]
        stats.by_operator = {k: (c, s, p) for k, (c, s, p) in by.items()}
        stats.parallel = sum(self.on_pool)
        stats.sequential = stats.operations - stats.parallel
        stats.busy = sum(self.wall)
        stats.limits = {k: lim.limit for k, lim in self.strategy.limits.items()}
