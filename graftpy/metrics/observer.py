"""The evaluator's hook for one evaluation: times every operator call, cheaply.

``Evaluator.observer`` is an ``EvaluationObserver`` when metrics are on. For
each phase the engine calls ``phase_started``, runs the executor with
``wrap(run_one)`` instead of ``run_one``, then calls ``phase_finished``; the
parallel scheduler's ``on_phase`` reports land in ``on_phase``.

The wrapped ``run_one`` is the hot path: a CPU-bound call takes ~40 µs and the
budget is a few percent of that. So a call takes no lock and does no
arithmetic: it appends its operator name and duration to lists of its own
thread's ``_Slot`` (only that thread appends to them). Readers fold the new
entries into per-operator rows (outcome counts, histogram buckets) in batches,
under the observer's lock: a scrape folds what is new, the end of the evaluation
folds the rest, and a thread folds its own slot when its lists grow long, which
bounds their memory. A slot's ``t0`` is set while its thread runs a call: that
is what the current concurrency counts.
"""

from __future__ import annotations

import copy
import threading
from bisect import bisect_right
from collections.abc import Callable
from time import perf_counter
from typing import TYPE_CHECKING, Any

from graftpy.metrics.recorder import CACHED, ERROR, OK, OPERATION_BUCKETS, EvaluationFigures, OpRow

if TYPE_CHECKING:
    from graftpy.metrics.recorder import Recorder

FOLD_EVERY = 8192  # a thread folds its own entries past this many (bounded memory)


class _Slot:
    """One thread's calls in one evaluation; only that thread appends."""

    __slots__ = ("calls", "durations", "folded", "ident", "ops", "t0")

    def __init__(self, ident: int) -> None:
        self.ident = ident
        self.t0: float | None = None  # set while the thread runs a call
        self.durations: list[float] = []  # seconds of each call (appended first)
        # each call's operator name, or (name, ERROR | CACHED) for the rare other
        # outcomes: one append, so a reader never sees a call without its outcome
        self.calls: list[str | tuple[str, int]] = []
        self.folded = 0  # entries of ``calls`` already in ``ops``
        self.ops: dict[str, OpRow] = {}  # the folded figures


def _fold(slot: _Slot, truncate: bool) -> None:
    """Move new entries of ``slot`` into its rows (caller holds the observer's lock)."""
    start, end = slot.folded, len(slot.calls)  # each call's duration is there already
    if end == start:
        return
    groups: dict[str | tuple[str, int], list[float]] = {}
    for key, seconds in zip(slot.calls[start:end], slot.durations[start:end], strict=True):
        group = groups.get(key)
        if group is None:
            groups[key] = [seconds]
        else:
            group.append(seconds)
    for key, durations in groups.items():
        name, outcome = (key, OK) if isinstance(key, str) else key
        row = slot.ops.get(name)
        if row is None:
            row = slot.ops[name] = OpRow()
        durations.sort()
        below = 0
        for i, bound in enumerate(OPERATION_BUCKETS):
            upto = bisect_right(durations, bound)
            row.buckets[i] += upto - below
            below = upto
        row.buckets[-1] += len(durations) - below
        row.counts[outcome] += len(durations)
        row.sum += sum(durations)
        row.max = max(row.max, durations[-1])
    if truncate:  # only the slot's own thread: nothing appends meanwhile
        del slot.calls[:end]
        del slot.durations[:end]
        end = 0
    slot.folded = end


class EvaluationObserver:
    """One evaluation's calls and figures; made by ``Recorder.evaluation()``."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self._marks = recorder._cache_marks
        self._lock = threading.Lock()  # folding, phases, new slots; calls take none
        self._thread = threading.get_ident()
        self._t0 = perf_counter()
        self._phase_t0: float | None = None
        self._slots: dict[int, _Slot] = {}
        self._planned: Any = None  # the next phase's graph summary (phase_planned)
        self.figures = EvaluationFigures()

    # -- the hot path ------------------------------------------------------------------
    def wrap(self, run_one: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``run_one`` timed and counted (the engine runs this one instead)."""
        slots, marks, perf, get_ident = self._slots, self._marks, perf_counter, threading.get_ident
        new_slot, fold_own = self._new_slot, self._fold_own

        def observed(op: Any) -> Any:
            ident = get_ident()
            slot = slots.get(ident)
            if slot is None:
                slot = new_slot(ident)
            t0 = slot.t0 = perf()
            failed = True  # stays so if run_one raises: the exception goes on, counted
            try:
                err = run_one(op)
                failed = err is not None
                return err
            finally:
                slot.durations.append(perf() - t0)
                slot.t0 = None
                cached = marks.pop(ident, None) if marks else None
                if failed:
                    slot.calls.append((op.operator.name, ERROR))
                elif cached:  # every read of the call came from a backend's cache
                    slot.calls.append((op.operator.name, CACHED))
                else:
                    slot.calls.append(op.operator.name)
                if len(slot.calls) >= FOLD_EVERY:
                    fold_own(slot)

        return observed

    def _new_slot(self, ident: int) -> _Slot:
        with self._lock:
            slot = self._slots.get(ident)
            if slot is None:
                slot = self._slots[ident] = _Slot(ident)
            return slot

    def _fold_own(self, slot: _Slot) -> None:
        with self._lock:
            _fold(slot, truncate=True)

    # -- phases ------------------------------------------------------------------------
    def phase_planned(self, summary: Any) -> None:
        """The graph of the phase about to start (``graftpy.evaluator.graph.PlanSummary``)."""
        self._planned = summary

    def phase_started(self, phase: str, operations: int) -> None:
        with self._lock:
            self._phase_t0 = perf_counter()
            entry: dict[str, Any] = {"phase": phase, "operations": operations}
            summary, self._planned = self._planned, None
            if summary is not None:
                f = self.figures
                f.graph_operations += summary.operations
                f.graph_dependencies += summary.edges
                f.generations += len(summary.generations)
                f.widest = max(f.widest, summary.widest)
                f.critical_path += len(summary.critical_path)
                entry["graph"] = {
                    "dependencies": summary.edges,
                    "generations": len(summary.generations),
                    "widest_generation": summary.widest,
                    "critical_path": len(summary.critical_path),
                    "speedup_bound": summary.speedup_bound,
                }
            self.figures.phases.append(entry)

    def phase_finished(self) -> None:
        with self._lock:
            if self._phase_t0 is None:
                return
            wall = perf_counter() - self._phase_t0
            self._phase_t0 = None
            self.figures.executing += wall
            self.figures.phases[-1]["seconds"] = wall

    def on_phase(self, stats: Any) -> None:
        """The parallel scheduler's report of the phase it just ran (``PhaseStats``)."""
        with self._lock:
            f = self.figures
            if not stats.ran_sequentially:
                f.strategy = stats.strategy
                f.workers = max(f.workers, stats.workers)
            f.peak = max(f.peak, stats.max_in_flight)
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
            self.figures.running = False
            self.figures.succeeded = succeeded
            self.figures.wall = perf_counter() - self._t0
        self._recorder._finished(self)

    # -- reading -----------------------------------------------------------------------
    def rows(self) -> tuple[list[dict[str, OpRow]], int]:
        """Every slot's rows, brought up to date, and the calls in flight."""
        with self._lock:
            slots = list(self._slots.values())
            for slot in slots:
                _fold(slot, truncate=False)
            return [slot.ops for slot in slots], sum(slot.t0 is not None for slot in slots)

    def figures_now(self) -> EvaluationFigures:
        """A copy of the figures, with the calls added up and the clocks brought to now."""
        with self._lock:
            f = copy.deepcopy(self.figures)
            if f.running:
                now = perf_counter()
                f.wall = now - self._t0
                if self._phase_t0 is not None:
                    f.executing += now - self._phase_t0
            for slot in self._slots.values():
                _fold(slot, truncate=False)
                calls = 0
                for row in slot.ops.values():
                    calls += sum(row.counts)
                    f.errors += row.counts[ERROR]
                    f.busy += row.sum
                f.operations += calls
                if slot.ident != self._thread:
                    f.pooled += calls
                f.in_flight += slot.t0 is not None
        # the scheduler reports the peak of parallel phases; one call at a time otherwise
        f.peak = max(f.peak, f.in_flight, 1 if f.operations else 0)
        return f
