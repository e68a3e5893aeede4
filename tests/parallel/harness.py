"""Synthetic phases for scheduler tests: fake operators over a real Document and DataFlow.

A ``Spec`` places one fake call in the tree; ``Phase`` builds the DataFlow and
runs it through any executor with the evaluator's own ``run_one``. Fake
operators read with ``ctx.lookup`` (real lookups, real error texts) and return
values built from what they read, so any ordering mistake shows in the output.
"""

from __future__ import annotations

import copy
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graftpy.errors import GraftError
from graftpy.evaluator import Evaluator, RunState, SequentialExecutor, Settings
from graftpy.evaluator.dataflow import DataFlow, to_index_path
from graftpy.evaluator.opcall import OpCall
from graftpy.evaluator.plan import Plan
from graftpy.evaluator.scheduler import ParallelConfig, ParallelExecutor, report_throttled
from graftpy.operators.base import Operator, Phase, Response
from graftpy.tree import Path


@dataclass(frozen=True, eq=False)
class FakeCall:
    """Stands in for an expression AST: what the call reads, plus free data."""

    name: str
    reads: tuple[Path, ...] = ()
    arg: Any = None
    args: tuple = ()


def _show(v: Any) -> str:
    return repr(v)


class Cat(Operator):
    """A pure reader: ``label(read1,read2,...)``."""

    name = "cat"

    def run(self, call: FakeCall, ctx: Any) -> Response:
        return Response(f"{call.arg}({','.join(_show(ctx.lookup(p)) for p in call.reads)})")


class QuickIO(Cat):
    """Declares itself I/O-bound but answers at once (a cache hit, a local file)."""

    name = "quick-io"
    io_bound = True


class Active:
    """How many fake calls are running right now (an exclusive call must see 0)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __enter__(self) -> None:
        with self.lock:
            self.count += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.count -= 1


ACTIVE = Active()


class Yielding(Cat):
    """A reader that gives up the GIL halfway, to shuffle thread interleavings."""

    name = "yielding"
    io_bound = True

    def run(self, call: FakeCall, ctx: Any) -> Response:
        with ACTIVE:
            vals = [ctx.lookup(p) for p in call.reads]
            time.sleep(0)
            return Response({"from": call.arg, "got": [_show(v) for v in vals]})


class Fail(Operator):
    """Fails when anything it reads is a string containing 'x' (and whenever told to)."""

    name = "fail"

    def run(self, call: FakeCall, ctx: Any) -> Response:
        vals = [ctx.lookup(p) for p in call.reads]
        if call.arg == "always" or any(isinstance(v, str) and "x" in v for v in vals):
            raise GraftError(f"refusing {len(vals)} values")
        return Response(len(vals))


class Count(Operator):
    """A run-wide side effect: numbers its calls in the order they run."""

    name = "count"
    parallel_safe = False

    def run(self, call: FakeCall, ctx: Any) -> Response:
        seen = ctx.state.extra.setdefault("count", [])
        seen.append(".".join(ctx.here))
        vals = [ctx.lookup(p) for p in call.reads]
        return Response(f"#{len(seen)}:{len(vals)}")


class Inject(Operator):
    """Merges a map of literal entries into the map around it (reshapes a container)."""

    name = "inject"
    phase = Phase.EVAL  # the scheduler must keep it alone whatever its phase
    parallel_safe = False

    def run(self, call: FakeCall, ctx: Any) -> Response:
        if ACTIVE.count:
            raise GraftError(f"ran alongside {ACTIVE.count} other calls")
        for p in call.reads:
            ctx.lookup(p)
        return Response(dict(call.arg), inject=True)


class Gate(Operator):
    """Blocks until the Event ``call.arg[0]`` is set (``arg[1]``: fail-safe timeout).

    Gate and Opener carry I/O-like names so that every strategy, conservative
    included, runs them on the pool.
    """

    name = "vault-gate"
    io_bound = True

    def run(self, call: FakeCall, ctx: Any) -> Response:
        event, timeout = call.arg
        with ACTIVE:
            if not event.wait(timeout):
                raise GraftError("gate never opened")
        return Response("opened")


class Opener(Operator):
    """Sets ``call.arg`` (an Event) when it runs: lets a Gate through."""

    name = "aws-opener"
    io_bound = True

    def run(self, call: FakeCall, ctx: Any) -> Response:
        for p in call.reads:
            ctx.lookup(p)
        call.arg.set()
        return Response("set")


def http_get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.read().decode()
    except urllib.error.HTTPError as exc:
        raise GraftError(f"HTTP {exc.code} from {url}") from None


class Fetch(Operator):
    """GETs ``call.arg`` (a URL): a stand-in for ``load`` over HTTP."""

    name = "load"  # stands in for the real one (conservative pools it by this name)
    io_bound = True

    def run(self, call: FakeCall, ctx: Any) -> Response:
        prefix = "".join(str(ctx.lookup(p)) for p in call.reads)
        return Response(prefix + http_get(call.arg))


class QuietFetch(Fetch):
    """The same, without declaring itself I/O-bound: the adaptive strategy must notice."""

    name = "quiet-fetch"
    io_bound = False


class PoliteFetch(Fetch):
    """Retries 429 answers after a short backoff, reporting each to the scheduler."""

    name = "polite-fetch"

    def run(self, call: FakeCall, ctx: Any) -> Response:
        for _ in range(200):
            try:
                return Response(http_get(call.arg))
            except GraftError as exc:
                if "HTTP 429" not in exc.message:
                    raise
                report_throttled()
                threading.Event().wait(0.005)  # the backend's backoff
        raise GraftError("still throttled")


class Boom(Operator):
    """Raises a non-GraftError (an operator bug), after reading what it reads."""

    name = "boom"

    def run(self, call: FakeCall, ctx: Any) -> Response:
        for p in call.reads:
            ctx.lookup(p)
        raise ZeroDivisionError(f"bug at {'.'.join(ctx.here)}")


class PoolBoom(Boom):
    name = "aws-boom"


_CLASSES = (
    Cat,
    QuickIO,
    Yielding,
    Fail,
    Count,
    Inject,
    Gate,
    Opener,
    Fetch,
    QuietFetch,
    PoliteFetch,
)
OPS: dict[str, Operator] = {cls.name: cls() for cls in (*_CLASSES, Boom, PoolBoom)}


@dataclass
class Spec:
    where: Path
    op: str
    reads: tuple[Path, ...] = ()
    arg: Any = None


@dataclass
class Outcome:
    tree: Any
    errors: list[tuple[str | None, str]]
    side_effects: list[str]
    rendered: str = field(init=False)

    def __post_init__(self) -> None:
        self.rendered = repr(self.tree)  # repr keeps key order: byte-level comparison


def build(tree: dict, specs: list[Spec]) -> tuple[DataFlow, Plan]:
    """Place the calls and plan them (raises the planner's cycle errors)."""
    ops = []
    for seq, s in enumerate(specs):
        call = FakeCall(s.op, tuple(s.reads), s.arg)
        ops.append(
            OpCall(s.where, to_index_path(tree, s.where), f"(( {s.op} ))", call, OPS[s.op], seq=seq)
        )
    flow = DataFlow(tree, ops)
    for op in ops:
        flow.add_reads(op, op.call.reads)
    return flow, flow.plan()


def run(
    tree: dict, specs: list[Spec], executor: Any = None, *, state: RunState | None = None
) -> Outcome:
    """Evaluate the synthetic phase on a copy of ``tree`` with ``executor``."""
    tree = copy.deepcopy(tree)
    evaluator = Evaluator(tree, Settings(), state=state or RunState())
    _, plan = build(evaluator.tree, specs)
    errors = (executor or SequentialExecutor()).execute(plan, evaluator.run_one)
    return Outcome(
        evaluator.tree,
        [(getattr(e, "path", None), e.message) for e in errors],
        list(evaluator.state.extra.get("count", [])),
    )


def parallel(
    strategy: str = "aggressive", workers: int = 4, min_ops: int = 0, **kw: Any
) -> ParallelExecutor:
    debug = kw.get("log") is not None  # debug lines only when asked for
    cfg = ParallelConfig(
        enabled=True, strategy=strategy, workers=workers, min_ops=min_ops, debug=debug
    )
    return ParallelExecutor(cfg, **kw)


def within(bound: float, attempt: Callable[[], float], tries: int = 3) -> float:
    """Best of up to ``tries`` timings of ``attempt()``, stopping once within ``bound``."""
    best = float("inf")
    for _ in range(tries):
        best = min(best, attempt())
        if best <= bound:
            break
    return best


def gate(timeout: float = 10.0) -> tuple[threading.Event, float]:
    return threading.Event(), timeout


def lines_of(log: list[str]) -> Callable[[str], None]:
    return log.append
