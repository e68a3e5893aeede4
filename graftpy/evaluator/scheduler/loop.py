"""The scheduling loop: one phase's calls over the main thread and a worker pool.

The main thread owns all scheduling state; workers only run calls and post
``(position, error, exception, seconds, cpu, throttled)`` to a queue. A call is
dispatched as soon as its own predecessors are done (no barrier between
generations). Among the calls ready at once, the lowest position in graft's
sequential order goes first, on the main thread as on the pool.

An unexpected exception (a bug, RecursionError) is raised as the sequential run
would raise it: the loop stops starting calls that come after it, lets every
call before it finish, and raises the first one in sequential order.
"""

from __future__ import annotations

import heapq
import queue
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graftpy.evaluator.scheduler import signals
from graftpy.evaluator.scheduler.pool import WorkerPool
from graftpy.evaluator.scheduler.strategies import Lane, Strategy, backend, exclusive

if TYPE_CHECKING:
    from graftpy.errors import GraftError
    from graftpy.evaluator.opcall import OpCall
    from graftpy.evaluator.plan import Plan

RunOne = Callable[["OpCall"], "GraftError | None"]

IO_WEIGHT = 1000  # an I/O call on a chain costs about this many quick calls


class Scheduler:
    """Runs positions ``start..`` of ``order`` (those before are done) per ``strategy``.

    ``errs``, ``walls`` and ``on_pool`` are filled in by position.
    """

    def __init__(
        self,
        strategy: Strategy,
        workers: int,
        plan: Plan,
        run_one: RunOne,
        *,
        start: int,
        errs: list[Any],
        walls: list[float],
        on_pool: list[bool],
    ) -> None:
        self.strategy = strategy
        self.learns = strategy.learns  # lanes may change while the phase runs
        self.succ = plan.succ
        self.order = order = plan.order
        self.run_one = run_one
        self.errs, self.walls, self.on_pool = errs, walls, on_pool
        n = len(order)
        self.operators = [op.operator for op in order]
        self.done = start
        self.npred = npred = plan.npred.copy()  # counts down as calls finish
        for i in range(start):  # what ran before the hand-over satisfied these
            for j in plan.succ[i]:
                npred[j] -= 1
        # sequential lanes: per operator class, positions in order; a call runs at the head
        self.lanes: dict[type, deque[int]] = {}
        self.excl = [False] * n
        self.waiting = [False] * n  # a SERIAL call that is ready but not at its lane's head
        for i in range(start, n):
            o = self.operators[i]
            if strategy.lane(o) is Lane.SERIAL:
                self.lanes.setdefault(type(o), deque()).append(i)
                self.excl[i] = exclusive(o)
        self.main: list[int] = []  # heap of positions runnable on the main thread
        # backend -> heap of dispatch keys (position = key % n) of calls ready for the pool
        self.heaps: dict[str, list[int]] = {}
        self.n = n
        self.key = plan.priorities([IO_WEIGHT if o.io_bound else 1 for o in self.operators])
        self.keys: dict[Any, str] = {}  # operator -> backend
        self.pending = 0  # positions in self.heaps
        self.in_flight = 0
        self.max_in_flight = 0
        self.fatal_at = n  # position of the first call that raised (not a GraftError)
        self.fatal: BaseException | None = None
        self.results: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self.pool = WorkerPool(workers)
        for i in range(start, n):
            if npred[i] == 0:
                self.ready(i)

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
            heapq.heappush(heap, self.key[i])
            self.pending += 1
        elif lane is Lane.MAIN or self.lanes[type(o)][0] == i:
            heapq.heappush(self.main, i)
        else:
            self.waiting[i] = True

    def complete(self, i: int, err: Any) -> None:
        self.errs[i] = err
        self.done += 1
        npred = self.npred
        for j in self.succ[i]:
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
            best, best_key = None, -1
            for key, heap in self.heaps.items():
                if heap:
                    lim = strategy.limit(key)
                    if not lim.has_room():
                        lim.blocked()
                    elif best is None or heap[0] < best_key:
                        best, best_key = key, heap[0]
            if best is None:
                return
            heapq.heappop(self.heaps[best])
            self.pending -= 1
            best_i = best_key % self.n
            if best_i > self.fatal_at:
                continue
            if self.learns and strategy.lane(self.operators[best_i]) is Lane.MAIN:
                heapq.heappush(self.main, best_i)  # measured cheap since it became ready
                continue
            strategy.limit(best).started(time.perf_counter())
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            want_cpu = self.learns and strategy.wants_cpu_sample(self.operators[best_i])
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
        self.walls[i] = wall
        self.on_pool[i] = True
        if exc is not None:
            self.raised(i, exc)
        else:
            self.complete(i, err)

    # -- the main thread ---------------------------------------------------------------

    def inline(self, i: int) -> None:
        o = self.operators[i]
        strategy = self.strategy
        want_cpu = self.learns and strategy.wants_cpu_sample(o)
        c0 = time.thread_time() if want_cpu else 0.0
        t0 = time.perf_counter()
        try:
            err = self.run_one(self.order[i])
        except Exception as exc:  # a bug of an operator: raised after the calls before it
            self.raised(i, exc)
            return
        wall = self.walls[i] = time.perf_counter() - t0
        if self.learns:
            strategy.observe(o, wall, time.thread_time() - c0 if want_cpu else None)
        self.complete(i, err)

    def run(self, prestart: int) -> int:
        """Run everything left; returns how many threads the pool used."""
        self.pool.prestart(prestart)
        try:
            self._loop()
        finally:
            threads = self.pool.threads
            self.pool.close(wait=self.in_flight == 0)
        if self.fatal is not None:
            raise self.fatal
        if self.done != len(self.order):  # pragma: no cover - would be a scheduler bug
            raise RuntimeError(f"scheduler stalled after {self.done} of {len(self.order)} calls")
        return threads

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
