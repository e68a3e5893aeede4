"""The figures themselves: plain counters kept by the evaluator's hooks.

Nothing here imports ``prometheus_client``: recording one operator call is a few
additions under one lock, and the Prometheus families (``collector``) and the
JSON view (``jsonview``) are built from a ``Snapshot`` only when someone asks.
Going through ``prometheus_client``'s metric objects on every call would cost
label look-ups and several locks per call; the budget is about a microsecond.

One ``Recorder`` lives as long as its ``Metrics`` (normally the process), so its
counters only grow, as Prometheus expects. Each evaluation gets its own
``EvaluationObserver`` (the engine's hook), which adds to the recorder and keeps
the figures of that evaluation: wall time, speedup, parallel ratio, peak
concurrency.
"""

from __future__ import annotations

import copy
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

# Upper bounds (seconds) of the histogram buckets; +Inf is implied. Operator calls
# range from ~10 µs (a grab) to seconds (a slow load or Vault read).
OPERATION_BUCKETS = (
    1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 0.001, 0.0025, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip
BACKEND_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip
EVALUATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

OUTCOMES = ("ok", "error", "cached")
OK, ERROR, CACHED = 0, 1, 2


class OpRow:
    """Totals of one operator: calls per outcome, a duration histogram and its sum."""

    __slots__ = ("buckets", "counts", "max", "sum")

    def __init__(self) -> None:
        self.counts = [0, 0, 0]  # indexed by OK, ERROR, CACHED
        self.buckets = [0] * (len(OPERATION_BUCKETS) + 1)  # per bucket, not cumulative
        self.sum = 0.0
        self.max = 0.0

    def copy(self) -> OpRow:
        row = OpRow()
        row.counts, row.buckets = list(self.counts), list(self.buckets)
        row.sum, row.max = self.sum, self.max
        return row


@dataclass
class BackendRow:
    """Totals of one backend (``vault``, ``awsparam@prod``, ...), from its events."""

    requests: dict[str, int] = field(default_factory=dict)  # by outcome
    buckets: list[int] = field(default_factory=lambda: [0] * (len(BACKEND_BUCKETS) + 1))
    latency_sum: float = 0.0
    retries: int = 0
    throttled: int = 0
    give_ups: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    shared: int = 0
    limit: int = 0


@dataclass
class EvaluationFigures:
    """One evaluation (while it runs: so far)."""

    running: bool = True
    succeeded: bool | None = None
    wall: float = 0.0  # seconds from start to end (to now while running)
    executing: float = 0.0  # seconds the executors spent running phases
    busy: float = 0.0  # sum of the calls' own seconds
    operations: int = 0
    errors: int = 0
    pooled: int = 0  # calls that ran on another thread than the evaluating one
    in_flight: int = 0
    peak: int = 0
    strategy: str = "sequential"
    workers: int = 1
    phases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def speedup(self) -> float:
        """Sum of operator time over the time the executors took (1.0: nothing overlapped)."""
        return self.busy / self.executing if self.executing > 0 else 0.0

    @property
    def parallel_ratio(self) -> float:
        """Share of the calls that ran on worker threads."""
        return self.pooled / self.operations if self.operations else 0.0

    @property
    def failure_rate(self) -> float:
        return self.errors / self.operations if self.operations else 0.0


@dataclass
class Snapshot:
    """A consistent copy of everything, taken under the recorder's lock."""

    ops: dict[str, OpRow]
    backends: dict[str, BackendRow]
    in_flight: int
    running: int
    evaluations: tuple[int, int]  # succeeded, failed
    evaluation_buckets: list[int]
    evaluation_sum: float
    documents: int
    bytes: int
    last: EvaluationFigures | None  # the running evaluation, else the last one
    uptime: float


class Recorder:
    """Process-lifetime totals; thread-safe (one lock, held for a few additions)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ops: dict[str, OpRow] = {}
        self._backends: dict[str, BackendRow] = {}
        self._in_flight = 0
        self._evaluations = [0, 0]
        self._eval_buckets = [0] * (len(EVALUATION_BUCKETS) + 1)
        self._eval_sum = 0.0
        self._documents = 0
        self._bytes = 0
        self._running: list[EvaluationObserver] = []
        self._last: EvaluationFigures | None = None
        # thread -> True (answered from a backend cache so far) / False (made a request):
        # tells whether the operator call running on that thread was a cached one
        self._cache_marks: dict[int, bool] = {}
        self._started = time.monotonic()

    # -- recording -----------------------------------------------------------------
    def evaluation(self) -> EvaluationObserver:
        """Start recording one evaluation; call ``finish`` on the result at its end."""
        observer = EvaluationObserver(self)
        with self._lock:
            self._running.append(observer)
        return observer

    def input_read(self, documents: int, size: int) -> None:
        """A source file was read: ``documents`` documents in ``size`` bytes."""
        with self._lock:
            self._documents += documents
            self._bytes += size

    def backend_created(self, backend: Any) -> None:
        """A backend exists: its series start at zero (so rates have a base)."""
        with self._lock:
            self._backends.setdefault(backend.name, BackendRow())

    def backend_event(self, event: Any) -> None:
        """``graftpy.backends.stats.BackendListener``: count one ``BackendEvent``."""
        kind = event.kind
        ident = threading.get_ident()
        if kind == "request":
            self._cache_marks[ident] = False
        elif kind in ("cache_hit", "shared"):
            self._cache_marks.setdefault(ident, True)
        with self._lock:
            row = self._backends.get(event.backend)
            if row is None:
                row = self._backends[event.backend] = BackendRow()
            if kind == "request":
                row.requests[event.outcome] = row.requests.get(event.outcome, 0) + 1
                row.buckets[bisect_left(BACKEND_BUCKETS, event.latency)] += 1
                row.latency_sum += event.latency
                if event.throttled:
                    row.throttled += 1
            elif kind == "retry":
                row.retries += 1
            elif kind == "give_up":
                row.give_ups += 1
            elif kind == "cache_hit":
                row.cache_hits += 1
            elif kind == "cache_miss":
                row.cache_misses += 1
            elif kind == "shared":
                row.shared += 1
            if event.limit:
                row.limit = event.limit

    def _finished(self, observer: EvaluationObserver) -> None:
        figures = observer.figures
        with self._lock:
            if observer in self._running:
                self._running.remove(observer)
            self._evaluations[0 if figures.succeeded else 1] += 1
            self._eval_buckets[bisect_left(EVALUATION_BUCKETS, figures.wall)] += 1
            self._eval_sum += figures.wall
            self._last = copy.deepcopy(figures)

    # -- reading -------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._running:
                last: EvaluationFigures | None = self._running[-1].live()
            else:
                last = copy.deepcopy(self._last)
            return Snapshot(
                ops={name: row.copy() for name, row in self._ops.items()},
                backends={name: copy.deepcopy(row) for name, row in self._backends.items()},
                in_flight=self._in_flight,
                running=len(self._running),
                evaluations=(self._evaluations[0], self._evaluations[1]),
                evaluation_buckets=list(self._eval_buckets),
                evaluation_sum=self._eval_sum,
                documents=self._documents,
                bytes=self._bytes,
                last=last,
                uptime=time.monotonic() - self._started,
            )


class EvaluationObserver:
    """The evaluator's hook for one evaluation (``Evaluator.observer``).

    The engine calls ``phase_started``/``phase_finished`` around each phase and
    ``op_started``/``op_finished`` around each operator call, from whichever
    thread runs the call. ``on_phase`` takes the parallel scheduler's
    ``PhaseStats``. ``finish`` closes the evaluation.
    """

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self._lock = recorder._lock  # one lock for all: a call's figures change together
        self._thread = threading.get_ident()
        self._t0 = time.perf_counter()
        self._phase_t0: float | None = None
        self.figures = EvaluationFigures()

    def op_started(self) -> None:
        with self._lock:
            self._recorder._in_flight += 1
            f = self.figures
            f.in_flight += 1
            if f.in_flight > f.peak:
                f.peak = f.in_flight

    def op_finished(self, operator: str, seconds: float, failed: bool) -> None:
        ident = threading.get_ident()
        outcome = ERROR if failed else OK
        marks = self._recorder._cache_marks
        if marks and marks.pop(ident, None) and not failed:
            outcome = CACHED  # every read of this call came from a backend's cache
        with self._lock:
            r = self._recorder
            r._in_flight -= 1
            f = self.figures
            f.in_flight -= 1
            f.operations += 1
            f.busy += seconds
            if failed:
                f.errors += 1
            if ident != self._thread:
                f.pooled += 1
            row = r._ops.get(operator)
            if row is None:
                row = r._ops[operator] = OpRow()
            row.counts[outcome] += 1
            row.buckets[bisect_left(OPERATION_BUCKETS, seconds)] += 1
            row.sum += seconds
            if seconds > row.max:
                row.max = seconds

    def phase_started(self, phase: str, operations: int) -> None:
        with self._lock:
            self._phase_t0 = time.perf_counter()
            self.figures.phases.append({"phase": phase, "operations": operations})

    def phase_finished(self) -> None:
        with self._lock:
            if self._phase_t0 is None:
                return
            wall = time.perf_counter() - self._phase_t0
            self._phase_t0 = None
            self.figures.executing += wall
            self.figures.phases[-1]["seconds"] = wall

    def on_phase(self, stats: Any) -> None:
        """The parallel scheduler's report of the phase it just ran (``PhaseStats``)."""
        with self._lock:
            f = self.figures
            f.strategy = "sequential" if stats.ran_sequentially else stats.strategy
            f.workers = max(f.workers, 1 if stats.ran_sequentially else stats.workers)
            if f.phases:
                f.phases[-1]["scheduler"] = {
                    "strategy": stats.strategy,
                    "workers": stats.workers,
                    "threads": stats.threads,
                    "ran_sequentially": stats.ran_sequentially,
                    "parallel": stats.parallel,
                    "sequential": stats.sequential,
                    "max_in_flight": stats.max_in_flight,
                    "generations": stats.generations,
                    "speedup": stats.speedup,
                }

    def finish(self, succeeded: bool) -> None:
        with self._lock:
            f = self.figures
            f.running = False
            f.succeeded = succeeded
            f.wall = time.perf_counter() - self._t0
        self._recorder._finished(self)

    def live(self) -> EvaluationFigures:
        """A copy with the clocks brought up to now (call under the lock)."""
        f = copy.deepcopy(self.figures)
        now = time.perf_counter()
        f.wall = now - self._t0
        if self._phase_t0 is not None:
            f.executing += now - self._phase_t0
        return f
