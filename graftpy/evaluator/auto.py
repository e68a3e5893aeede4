"""The default executor: adaptive parallel evaluation, paid for only where it can win.

Parallel evaluation is on by default (``evaluator.scheduler.config``), and its
output is the sequential run's by construction. What it can win is the time
calls spend waiting: on Vault, AWS, a URL, a disk, or inside a plugin whose
cost graftpy does not know. A phase with none of those (every built-in
operator but the I/O ones computes in-process, in microseconds) gains nothing
from threads, so it runs exactly as the sequential executor runs it: no
thread is started and the scheduler is not even imported. A call whose read
was started right after the scan (``evaluator.early_io``) counts as computing:
it only waits for an answer already in flight. Any other phase of two calls or
more goes to the adaptive scheduler, created once per run so that
what it learns in one phase carries over to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graftpy.evaluator.engine import run_in_order

if TYPE_CHECKING:
    from graftpy.errors import GraftError
    from graftpy.evaluator.opcall import OpCall
    from graftpy.evaluator.plan import Plan
    from graftpy.evaluator.scheduler.config import ParallelConfig

BUILTIN_PACKAGE = "graftpy.operators."


def may_wait(operator: Any) -> bool:
    """Whether calls of ``operator`` may spend their time waiting rather than computing."""
    return operator.io_bound or not type(operator).__module__.startswith(BUILTIN_PACKAGE)


class AutoExecutor:
    """``engine.Executor``: the sequential run, or the adaptive scheduler where calls may wait."""

    def __init__(
        self,
        config: ParallelConfig,
        *,
        log: Callable[[str], None] | None = None,
        on_phase: Callable[[Any], None] | None = None,
    ) -> None:
        self.config = config
        self.log = log if config.debug else None
        self.on_phase = on_phase
        self.parallel: Any = None  # the ParallelExecutor, made on first need

    def execute(
        self, plan: Plan, run_one: Callable[[OpCall], GraftError | None]
    ) -> list[GraftError]:
        order = plan.order
        # a call whose read started after the scan (evaluator.early_io) only waits for
        # an answer already in flight: no worker is needed to overlap it with others
        waiting = len(order) >= self.config.min_ops and any(
            may_wait(o) for o in {op.operator for op in order if not op.ahead}
        )
        if not waiting:
            if self.log is not None and order:
                ahead = sum(1 for op in order if op.ahead)
                why = (
                    f"{ahead} of them wait for reads started after the scan, the others"
                    " compute: threads would only cost"
                    if ahead
                    else "none of them waits on I/O: threads would only cost"
                )
                self.log(f"Running {len(order)} operations sequentially ({why})")
            return run_in_order(order, run_one)
        if self.parallel is None:
            from graftpy.evaluator.scheduler import make_executor

            self.parallel = make_executor(
                {}, config=self.config, log=self.log, on_phase=self.on_phase
            )
        return self.parallel.execute(plan, run_one)
