"""The figures themselves: per-operator rows, backend rows, evaluation figures.

Nothing here imports ``prometheus_client``: the Prometheus families
(``collector``) and the JSON view (``jsonview``) are built from a ``Snapshot``
only when someone asks; going through ``prometheus_client``'s metric objects on
every operator call would cost label look-ups and locks. Operator calls are
recorded by ``observer.EvaluationObserver`` (one per evaluation, lock-free on the
hot path) and folded into the ``Recorder``'s totals when the evaluation ends.

One ``Recorder`` lives as long as its ``Metrics`` (normally the process), so its
counters only grow, as Prometheus expects.
"""

from __future__ import annotations

import copy
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graftpy.metrics.observer import EvaluationObserver

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

    def add(self, other: OpRow) -> None:
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]
        self.sum += other.sum
        self.max = max(self.max, other.max)


def _add_rows(into: dict[str, OpRow], rows: dict[str, OpRow]) -> None:
    for name, row in list(rows.items()):
        mine = into.get(name)
        if mine is None:
            into[name] = row.copy()
        else:
            mine.add(row)


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
    # the dependency graphs of the phases (graftpy.evaluator.graph), added up: phases run
    # one after the other, so their critical paths and generations add, their widths do not
    graph_operations: int = 0
    graph_dependencies: int = 0
    generations: int = 0
    widest: int = 0  # the most calls in one generation
    critical_path: int = 0  # calls on the longest dependency chains

    @property
    def speedup_bound(self) -> float:
        """Calls over calls on the critical path: what any number of workers could gain
        when every call costs the same; 1.0 with no calls."""
        return self.graph_operations / self.critical_path if self.critical_path else 1.0

    @property
    def speedup(self) -> float:
        """Sum of operator time over the time the executors took; 1.0 when no call ran
        on a worker thread (nothing overlapped: a ratio below 1 would be overhead, not a
        slowdown by parallelism); 0.0 before anything ran."""
        if self.executing <= 0:
            return 0.0
        if not self.pooled:
            return 1.0
        return self.busy / self.executing

    @property
    def parallel_ratio(self) -> float:
        """Share of the calls that ran on worker threads."""
        return self.pooled / self.operations if self.operations else 0.0

    @property
    def failure_rate(self) -> float:
        return self.errors / self.operations if self.operations else 0.0


@dataclass
class RunFigures:
    """One finished run of the pipeline (read, merge, evaluate), as ``MetricsSession``
    reports it: what a one-shot CLI run leaves for the Pushgateway or a textfile."""

    ended: float  # Unix time
    succeeded: bool
    duration: float  # seconds, reading included
    documents: int
    bytes: int


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
    last_run: RunFigures | None = None
    last_success: float | None = None  # Unix time the last successful run ended


class Recorder:
    """Process-lifetime totals; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ops: dict[str, OpRow] = {}  # finished evaluations only
        self._backends: dict[str, BackendRow] = {}
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
        self._last_run: RunFigures | None = None
        self._last_success: float | None = None

    # -- recording -----------------------------------------------------------------
    def evaluation(self) -> EvaluationObserver:
        """Start recording one evaluation; call ``finish`` on the result at its end."""
        from graftpy.metrics.observer import EvaluationObserver

        observer = EvaluationObserver(self)
        with self._lock:
            self._running.append(observer)
        return observer

    def input_read(self, documents: int, size: int) -> None:
        """A source file was read: ``documents`` documents in ``size`` bytes."""
        with self._lock:
            self._documents += documents
            self._bytes += size

    def run_finished(self, run: RunFigures) -> None:
        """A whole run ended (``MetricsSession.finish``)."""
        with self._lock:
            self._last_run = run
            if run.succeeded:
                self._last_success = run.ended

    def remember_success(self, ended: float) -> None:
        """A success before this process, kept where a one-shot run's figures go (a
        textfile): so ``graftpy_last_success_timestamp_seconds`` survives a failed run."""
        with self._lock:
            if self._last_success is None or ended > self._last_success:
                self._last_success = ended

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
        with self._lock:
            if observer in self._running:
                self._running.remove(observer)
            for rows in observer.rows()[0]:
                _add_rows(self._ops, rows)
            figures = observer.figures_now()
            self._evaluations[0 if figures.succeeded else 1] += 1
            self._eval_buckets[bisect_left(EVALUATION_BUCKETS, figures.wall)] += 1
            self._eval_sum += figures.wall
            self._last = figures

    # -- reading -------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        with self._lock:
            ops = {name: row.copy() for name, row in self._ops.items()}
            in_flight = 0
            for observer in self._running:
                running_rows, running_calls = observer.rows()
                for rows in running_rows:
                    _add_rows(ops, rows)
                in_flight += running_calls
            if self._running:
                last: EvaluationFigures | None = self._running[-1].figures_now()
            else:
                last = copy.deepcopy(self._last)
            return Snapshot(
                ops=ops,
                backends={name: copy.deepcopy(row) for name, row in self._backends.items()},
                in_flight=in_flight,
                running=len(self._running),
                evaluations=(self._evaluations[0], self._evaluations[1]),
                evaluation_buckets=list(self._eval_buckets),
                evaluation_sum=self._eval_sum,
                documents=self._documents,
                bytes=self._bytes,
                last=last,
                uptime=time.monotonic() - self._started,
                last_run=copy.copy(self._last_run),
                last_success=self._last_success,
            )
