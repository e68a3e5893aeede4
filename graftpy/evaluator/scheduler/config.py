"""Parallel evaluation settings: flags win over environment variables.

Parallel evaluation is on by default, with the adaptive strategy. Nobody having
asked (no flag, no setting, ``GRAFT_PARALLEL`` unset) is the ``auto`` mode: a
phase goes to the scheduler only when some of its operators may wait (an
``io_bound`` operator such as vault, aws or load, or a plugin whose cost is
unknown); phases of in-process operators run as the sequential run does, with
no thread and no import of the scheduler (``evaluator.auto``).
``--no-parallel`` / ``GRAFT_PARALLEL=false`` give graft's sequential run;
``--parallel`` / ``GRAFT_PARALLEL=true`` send every phase of ``min_ops`` calls
or more to the scheduler, as before.

Environment variables keep graft's names. A value that does not parse is
reported (``warnings``, printed by the pipeline as ``graftpy: warning: ...``)
and its default is used: graft ignores such values silently, so a pipeline
that sets one for graft keeps working, but not in silence. Command-line flags
and graftpy.yml are validated strictly instead (a bad value is an error).
``GRAFT_PARALLEL_WORKERS=0`` (or unset) means one worker per CPU, or at least
``DEFAULT_IO_WORKERS`` when a phase has I/O-bound operators: their calls mostly
wait on the network, so more of them in flight is what makes them fast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

STRATEGIES = ("conservative", "aggressive", "adaptive")
DEFAULT_STRATEGY = "adaptive"
DEFAULT_MIN_OPS = 10
AUTO_MIN_OPS = 2  # auto mode: two calls are enough for one to wait while the other runs
DEFAULT_IO_WORKERS = 32

# Go's strconv.ParseBool
TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


class ParallelConfig:
    """One run's parallel settings (a plain record: a dataclass costs start-up time)."""

    __slots__ = ("enabled", "strategy", "workers", "min_ops", "debug", "auto")

    def __init__(
        self,
        enabled: bool = True,
        strategy: str = DEFAULT_STRATEGY,
        workers: int = 0,  # 0: one per CPU
        min_ops: int = DEFAULT_MIN_OPS,  # fewer operations in a phase: run them sequentially
        debug: bool = False,
        auto: bool = False,  # the default mode: nobody asked for parallel evaluation
    ) -> None:
        self.enabled = enabled
        self.strategy = strategy
        self.workers = workers
        self.min_ops = min_ops
        self.debug = debug
        self.auto = auto

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParallelConfig) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"ParallelConfig({inner})"

    @property
    def max_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    def workers_for(self, io_bound: bool) -> int:
        """The pool size of a phase; ``io_bound``: it runs operators that wait on I/O."""
        if self.workers > 0 or not io_bound:
            return self.max_workers
        return max(self.max_workers, DEFAULT_IO_WORKERS)


def env_bool(
    env: Mapping[str, str], name: str, default: bool | None, warnings: list[str] | None = None
) -> bool | None:
    val = env.get(name, "")
    if val in TRUE:
        return True
    if val in FALSE:
        return False
    if val and warnings is not None:
        warnings.append(f"{name}={val!r} is neither true nor false (as Go reads them): ignored")
    return default


def env_int(
    env: Mapping[str, str], name: str, default: int, warnings: list[str] | None = None
) -> int:
    val = env.get(name, "").strip()
    if not val:
        return default
    try:
        n = int(val, 10)
    except ValueError:
        n = -1
    if n < 0:
        if warnings is not None:
            warnings.append(f"{name}={val!r} is not a whole number of 0 or more: ignored")
        return default
    return n


def config_from_env(
    env: Mapping[str, str],
    *,
    parallel: bool | None = None,
    strategy: str | None = None,
    workers: int | None = None,
    min_ops: int | None = None,
    debug: bool = False,
    warnings: list[str] | None = None,
) -> ParallelConfig:
    """Settings from ``GRAFT_PARALLEL*`` variables, each overridden by its flag when given.

    ``warnings`` receives a line for each variable whose value does not parse.
    """
    if strategy is None:
        strategy = env.get("GRAFT_PARALLEL_STRATEGY", "") or DEFAULT_STRATEGY
        if strategy not in STRATEGIES:
            if warnings is not None:
                warnings.append(
                    f"GRAFT_PARALLEL_STRATEGY={strategy!r} is not one of"
                    f" {', '.join(STRATEGIES)}: using {DEFAULT_STRATEGY}"
                )
            strategy = DEFAULT_STRATEGY
    elif strategy not in STRATEGIES:
        raise ValueError(f"unknown parallel strategy {strategy!r}: use {', '.join(STRATEGIES)}")
    said = env_bool(env, "GRAFT_PARALLEL", None, warnings) if parallel is None else parallel
    env_workers = env_int(env, "GRAFT_PARALLEL_WORKERS", 0, warnings)
    env_min_ops = env_int(env, "GRAFT_PARALLEL_MIN_OPS", -1, warnings)
    if min_ops is None:
        min_ops = env_min_ops if env_min_ops >= 0 else DEFAULT_MIN_OPS
        if said is None and env_min_ops < 0:
            min_ops = AUTO_MIN_OPS
    return ParallelConfig(
        enabled=said is not False,
        strategy=strategy,
        workers=max(0, env_workers if workers is None else workers),
        min_ops=min_ops,
        debug=debug,
        auto=said is None,
    )
