"""Parallel evaluation settings: flags win over environment variables.

Environment variables are read the way graft documents and reads them: a value
that does not parse falls back to the default (graft's ``strconv`` helpers), an
unknown strategy means ``conservative``, ``GRAFT_PARALLEL_WORKERS=0`` (or unset)
means one worker per CPU, or at least ``DEFAULT_IO_WORKERS`` when a phase has
I/O-bound operators (Vault, AWS, load): their calls mostly wait on the network,
so more of them in flight is what makes them fast, whatever the CPU count.
Command-line flags are validated by click instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

STRATEGIES = ("conservative", "aggressive", "adaptive")
DEFAULT_MIN_OPS = 10
DEFAULT_IO_WORKERS = 32

# Go's strconv.ParseBool
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


@dataclass(frozen=True)
class ParallelConfig:
    enabled: bool = False
    strategy: str = "conservative"
    workers: int = 0  # 0: one per CPU
    min_ops: int = DEFAULT_MIN_OPS  # fewer operations in a phase: run them sequentially
    debug: bool = False

    @property
    def max_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    def workers_for(self, io_bound: bool) -> int:
        """The pool size of a phase; ``io_bound``: it runs operators that wait on I/O."""
        if self.workers > 0 or not io_bound:
            return self.max_workers
        return max(self.max_workers, DEFAULT_IO_WORKERS)


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    val = env.get(name, "")
    if val in _TRUE:
        return True
    if val in _FALSE:
        return False
    return default


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    val = env.get(name, "").strip()
    try:
        return int(val, 10) if val else default
    except ValueError:
        return default


def config_from_env(
    env: Mapping[str, str],
    *,
    parallel: bool | None = None,
    strategy: str | None = None,
    workers: int | None = None,
    min_ops: int | None = None,
    debug: bool = False,
) -> ParallelConfig:
    """Settings from ``GRAFT_PARALLEL*`` variables, each overridden by its flag when given."""
    if strategy is None:
        strategy = env.get("GRAFT_PARALLEL_STRATEGY", "") or "conservative"
        if strategy not in STRATEGIES:
            strategy = "conservative"
    elif strategy not in STRATEGIES:
        raise ValueError(f"unknown parallel strategy {strategy!r}: use {', '.join(STRATEGIES)}")
    return ParallelConfig(
        enabled=env_bool(env, "GRAFT_PARALLEL", False) if parallel is None else parallel,
        strategy=strategy,
        workers=max(0, env_int(env, "GRAFT_PARALLEL_WORKERS", 0) if workers is None else workers),
        min_ops=env_int(env, "GRAFT_PARALLEL_MIN_OPS", DEFAULT_MIN_OPS)
        if min_ops is None
        else min_ops,
        debug=debug,
    )
