"""Running the phases: scan, plan, execute, collect errors (graft's rules).

Order of a run, as graft does it:
  1. merge phase (``inject``), 2. param phase (its errors are reported alone),
  3. eval phase; errors of phases 1 and 3 are reported together, sorted.
Each phase scans the document afresh, builds its dependency graph as a flat
``Plan`` (``evaluator.dataflow``: standard library only) and runs its calls
through an executor: the sequential one here, or the parallel scheduler.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from graftpy import collector, progress
from graftpy.errors import GraftError, PathError
from graftpy.evaluator.context import DependencyContext, EvalContext, RunState, Settings
from graftpy.evaluator.dataflow import CycleError, DataFlow
from graftpy.evaluator.document import Document
from graftpy.evaluator.opcall import OpCall
from graftpy.evaluator.plan import Plan
from graftpy.evaluator.rescan import rescan
from graftpy.evaluator.scan import scan
from graftpy.expr import references
from graftpy.operators.base import Operator, Phase
from graftpy.tree import Path, is_under


class Executor(Protocol):
    """Runs a planned phase; returns the errors of the calls that failed."""

    def execute(
        self, plan: Plan, run_one: Callable[[OpCall], GraftError | None]
    ) -> list[GraftError]: ...


def run_in_order(
    order: list[OpCall], run_one: Callable[[OpCall], GraftError | None]
) -> list[GraftError]:
    """Every call, one at a time, in ``order``; the errors in the same order."""
    errors = []
    for op in order:
        err = run_one(op)
        if err is not None:
            errors.append(err)
    return errors


class SequentialExecutor:
    """One call at a time, in graft's order."""

    def execute(
        self, plan: Plan, run_one: Callable[[OpCall], GraftError | None]
    ) -> list[GraftError]:
        return run_in_order(plan.order, run_one)


class PhaseReport:
    """What happened in one phase: for --debug and the metrics (plain classes here:
    a dataclass costs every run's start-up the making of its methods)."""

    __slots__ = ("phase", "operations", "generations", "errors")

    def __init__(
        self, phase: Phase, operations: int = 0, generations: int = 0, errors: int = 0
    ) -> None:
        self.phase = phase
        self.operations = operations
        self.generations = generations
        self.errors = errors

    def __eq__(self, other: object) -> bool:
        if type(other) is not PhaseReport:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in PhaseReport.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in PhaseReport.__slots__)
        return f"PhaseReport({fields})"


class EvaluationOptions:
    """How the evaluator runs: cherry-picks, order, executor, read-ahead, debug log."""

    __slots__ = ("cherry_picks", "insertion_order", "executor", "read_ahead", "log")

    def __init__(
        self,
        cherry_picks: Sequence[Path] = (),
        insertion_order: bool = False,
        executor: Executor | None = None,
        # start the literal secret reads right after the scan (evaluator.early_io)
        read_ahead: bool = False,
        # --debug lines (None: debug off): each phase's plan, analysed (evaluator.graph)
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.cherry_picks = cherry_picks
        self.insertion_order = insertion_order
        self.executor: Executor = SequentialExecutor() if executor is None else executor
        self.read_ahead = read_ahead
        self.log = log


class Evaluator:
    def __init__(
        self,
        tree: dict,
        settings: Settings,
        options: EvaluationOptions | None = None,
        state: RunState | None = None,
    ) -> None:
        from graftpy import limits

        self.document = Document(tree, limits.from_env(settings.env).max_values)
        self.settings = settings
        self.options = options or EvaluationOptions()
        self.state = state or RunState()
        self.reports: list[PhaseReport] = []
        # metrics hook (graftpy.metrics.recorder.EvaluationObserver); None: metrics off,
        # and the only cost is one ``is None`` test per phase
        self.observer: Any = None
        # provenance hook (graftpy.provenance.evaluation.EvalRecorder, for explain);
        # None: off, at the cost of one ``is None`` test per operation
        self.recorder: Any = None

    @property
    def tree(self) -> dict:
        return self.document.root

    def run(self) -> list[GraftError]:
        """Evaluate every phase. Returns errors (param errors alone, as graft does)."""
        progress.phase_started(progress.SCAN, None)  # stderr progress (graftpy.progress)
        with collector.keeping():  # the calls found live to the end of the run
            found = scan(self.document.root)
        errors = self.run_phase(Phase.MERGE, found[Phase.MERGE])
        if errors:
            return errors  # graft stops when injecting failed: nothing later is meaningful
        if found[Phase.MERGE]:
            progress.phase_started(progress.SCAN, None)
            # inject reshaped the maps holding its calls: look again there
            with collector.keeping():
                found = rescan(self.document.root, found)
        param_errors = self.run_phase(Phase.PARAM, found[Phase.PARAM])
        if param_errors:
            return param_errors
        calls = found[Phase.EVAL]
        ahead = self._read_ahead(calls) if self.options.read_ahead else None
        try:
            return self.run_phase(Phase.EVAL, calls, found.errors)
        finally:
            if ahead is not None:  # every read was awaited by its call, unless the phase
                ahead.wait(cancel=True)  # stopped early (a cycle): drop those not started

    def _read_ahead(self, ops: list[OpCall]) -> Any:
        """Start the secret reads known from the scan (``evaluator.early_io``), or None."""
        if not any(op.operator.io_bound for op in ops):
            return None  # nothing waits on I/O: no thread, no import
        from graftpy.evaluator import early_io

        picks = self.options.cherry_picks
        if picks:
            ops = [op for op in ops if any(_within(op.where, p) for p in picks)]
        return early_io.start(ops, self.settings, self.state, self.options.log)

    def plan(
        self, phase: Phase, ops: list[OpCall], errors: list[GraftError] | None = None
    ) -> tuple[Plan | None, list[GraftError]]:
        errors = list(errors or ())
        if not ops:
            return None, errors  # nothing to order
        flow = self.flow(phase, ops)
        log = self.options.log
        try:
            plan = flow.plan(self.options.insertion_order)
        except CycleError as exc:
            if log is not None:
                log(f"cycle in the {phase.name.lower()} phase: {exc.describe()}")
            raise
        if (log is not None or self.observer is not None) and plan.order:
            from graftpy.evaluator import graph  # networkx: only to show or measure the plan

            summary = graph.summarize(flow, plan)
            if log is not None:
                log(graph.debug_line(phase.name.lower(), summary, flow.ops))
            if self.observer is not None:  # metrics on: they describe the graph too
                self.observer.phase_planned(summary)
        return plan, errors

    def flow(self, phase: Phase, ops: list[OpCall]) -> DataFlow:
        """The phase's dependency graph, not yet ordered (``--cherry-pick`` applied)."""
        label = progress.evaluation_phase(phase.name.lower())
        progress.phase_started(f"plan {label}", len(ops), self.state)
        flow = DataFlow(self.document.root, ops)
        only_references = Operator.dependencies  # reads what its arguments name, no more
        for op in ops:
            reads = references(op.call)
            operator = op.operator
            if type(operator).dependencies is not only_references:
                dctx = DependencyContext(self.document, op.where, self.settings)
                reads = operator.dependencies(op.call, dctx, reads)
            flow.add_reads(op, reads)
            progress.operation_done()
        if self.options.cherry_picks:
            picks = self.options.cherry_picks
            flow.restrict_to({op for op in flow.ops if any(_within(op.where, p) for p in picks)})
        return flow

    def run_phase(
        self, phase: Phase, ops: list[OpCall], scan_errors: list[GraftError] | None = None
    ) -> list[GraftError]:
        plan, errors = self.plan(phase, ops, scan_errors)
        if plan is None or not plan.order:
            self.reports.append(PhaseReport(phase, errors=len(errors)))
            return errors
        n = len(plan.order)
        report = PhaseReport(phase, operations=n, generations=plan.generations)
        label = progress.evaluation_phase(phase.name.lower())
        progress.phase_started(label, n, self.state)  # stderr progress
        observer = self.observer
        if observer is None:
            errors += self.options.executor.execute(plan, self.run_one)
        else:  # metrics on (graftpy.metrics): the observer times the phase and every call
            observer.phase_started(phase.name.lower(), n)
            try:
                errors += self.options.executor.execute(plan, observer.wrap(self.run_one))
            finally:
                observer.phase_finished()
        report.errors = len(errors)
        self.reports.append(report)
        return errors

    def _merge_injected(self, injected: Any, existing: Any, path: Path) -> Any:
        from graftpy.merging import merge_values

        # call-site keys win; their (( prune )) markers join the run's prune list
        return merge_values(
            injected,
            existing,
            path,
            append_by_default=True,
            array_merge_key=self.settings.env.get("DEFAULT_ARRAY_MERGE_KEY"),
            prune_paths=self.state.prune_paths,
            warnings=self.state.extra.get("warnings"),  # None: stderr (render: its target's)
        )

    def run_one(self, op: OpCall) -> GraftError | None:
        recorder = self.recorder
        if recorder is None:
            ctx = EvalContext(self.document, op.where, self.settings, self.state)
        else:
            ctx = recorder.context(self.document, op, self.settings, self.state)
        secrets = self.state.secrets
        try:
            response = op.operator.run(op.call, ctx)
            if op.operator.yields_secrets:  # before the write: readers must see it marked
                secrets.add_source(response.value)
            elif secrets.active and (ctx.tainted or secrets.touches(response.value)):
                secrets.add_derived(response.value)
            if response.inject:
                self.document.inject(op.index_path, response.value, self._merge_injected, op.where)
            else:
                self.document.write(op.index_path, response.value)
        except GraftError as exc:
            message = secrets.redact(exc.message) if secrets.active else exc.message
            error = PathError(".".join(op.where), message)
            if recorder is not None:
                recorder.failed(op, ctx, exc)
                error.file, error.line = recorder.located(op)
            return error
        except Exception as exc:
            from graftpy.operators.registry import plugin_failure

            failed = plugin_failure(op.call.name, exc)
            if failed is None:
                raise  # a bug of ours: the CLI reports an internal error
            if secrets.active:  # a plugin's exception text may quote what it read
                failed = secrets.redact(failed)
            error = PathError(".".join(op.where), failed)
            if recorder is not None:
                error.file, error.line = recorder.located(op)
            return error
        finally:
            progress.operation_done()  # stderr progress (graftpy.progress): no-op unless on
        if recorder is not None:
            recorder.finished(op, ctx, response)
        return None


def _within(path: Path, pick: Path) -> bool:
    return path == pick or is_under(path, pick)
