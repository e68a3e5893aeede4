"""Which thread runs each operator call: the three strategies.

Every strategy puts an operator in one of three lanes:
  * ``POOL``: a worker thread, as soon as its predecessors are done;
  * ``MAIN``: the main thread, lowest position in graft's order first;
  * ``SERIAL``: the main thread, strictly in graft's order relative to the other
    calls of the same operator. Operators with run-wide side effects go here in
    every strategy (``parallel_safe = False``, and the deny-list), so static IP
    allocation, injections and prunes happen in exactly the sequential order.

A strategy object lives for the whole run (all phases), so what the adaptive
strategy learns in one phase carries over to the next.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from graftpy.evaluator.scheduler.adaptive import AIMDLimit, KindStats, Unlimited
from graftpy.operators.base import Phase

if TYPE_CHECKING:
    from graftpy.operators.base import Operator


class Lane(IntEnum):
    POOL = 0
    MAIN = 1
    SERIAL = 2


# conservative: pure readers and I/O operators (plus every base64*, vault*, aws* variant)
SAFE = frozenset(
    {
        "grab",
        "concat",
        "join",
        "keys",
        "sort",
        "stringify",
        "cartesian-product",
        "empty",
        "file",
        "load",
    }
)
SAFE_PREFIXES = ("base64", "vault", "aws")

# aggressive: never on the pool (run-wide side effects, or they reshape containers)
DENY = frozenset(
    {
        "static_ips",
        "inject",
        "prune",
        "merge",
        "append",
        "prepend",
        "replace",
        "inline",
        "insert",
        "delete",
    }
)

# operators that share one backend's concurrency limit (named as graftpy.backends names them)
_BACKENDS = {"vault-try": "vault"}


def serial(operator: Operator) -> bool:
    """Whether calls of ``operator`` keep their sequential order among themselves."""
    return not operator.parallel_safe or operator.name in DENY


def exclusive(operator: Operator) -> bool:
    """Whether a call may change a container's set of keys: it then runs alone."""
    return operator.phase == Phase.MERGE or operator.name == "inject"


def backend(operator: Operator) -> str:
    """The concurrency group of an operator's calls (``backend`` attribute, else its name)."""
    name = getattr(operator, "backend", None) or operator.name
    return _BACKENDS.get(name, name)


class Strategy:
    """Base: subclasses choose ``lane``; the adaptive one also learns."""

    name = ""
    learns = False

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.version = 0  # bumped whenever an operator's lane changes
        self._lanes: dict[Operator, Lane] = {}  # operator -> lane, for the static strategies
        self.limits: dict[str, Unlimited | AIMDLimit] = {}

    def lane(self, operator: Operator) -> Lane:
        lane = self._lanes.get(operator)
        if lane is None:
            lane = Lane.SERIAL if serial(operator) else self.choose(operator)
            self._lanes[operator] = lane
        return lane

    def choose(self, operator: Operator) -> Lane:  # pragma: no cover - abstract
        raise NotImplementedError

    def limit(self, key: str) -> Unlimited | AIMDLimit:
        lim = self.limits.get(key)
        if lim is None:
            lim = self.limits[key] = self.new_limit()
        return lim

    def new_limit(self) -> Unlimited | AIMDLimit:
        return Unlimited(self.workers)

    def measure(self, operator: Operator) -> KindStats | None:
        """The measurements to update for ``operator``'s calls (None: nothing to learn)."""
        return None

    def wants_cpu_sample(self, operator: Operator) -> bool:
        return False

    def observe(self, operator: Operator, wall: float, cpu: float | None) -> None:
        pass


class Conservative(Strategy):
    name = "conservative"

    def choose(self, operator: Operator) -> Lane:
        name = operator.name
        return Lane.POOL if name in SAFE or name.startswith(SAFE_PREFIXES) else Lane.MAIN


class Aggressive(Strategy):
    name = "aggressive"

    def choose(self, operator: Operator) -> Lane:
        return Lane.POOL


class Adaptive(Strategy):
    name = "adaptive"
    learns = True

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.kinds: dict[Operator, KindStats | None] = {}  # operator -> measurements (None: serial)

    def lane(self, operator: Operator) -> Lane:
        st = self.kinds.get(operator, False)
        if st is False:
            st = self._stats(operator)
        if st is None:
            return Lane.SERIAL
        return Lane.POOL if st.pool else Lane.MAIN

    def _stats(self, operator: Operator) -> KindStats | None:
        if operator not in self.kinds:
            self.kinds[operator] = None if serial(operator) else KindStats(operator.io_bound)
        return self.kinds[operator]

    def measure(self, operator: Operator) -> KindStats | None:
        return self._stats(operator)

    def new_limit(self) -> Unlimited | AIMDLimit:
        # start at the pool's size (the user's stated maximum): the first round is not
        # spent ramping up; a throttled backend then finds its level by AIMD
        return AIMDLimit(self.workers, initial=self.workers)

    def wants_cpu_sample(self, operator: Operator) -> bool:
        st = self._stats(operator)
        return st is not None and st.wants_cpu_sample()

    def observe(self, operator: Operator, wall: float, cpu: float | None) -> None:
        st = self._stats(operator)
        if st is not None and st.observe(wall, cpu):
            self.version += 1


STRATEGY_CLASSES: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (Conservative, Aggressive, Adaptive)
}


def make_strategy(name: str, workers: int) -> Strategy:
    return STRATEGY_CLASSES[name](workers)
