"""Run-wide knobs of the backend layer, read from the environment snapshot.

==================================  =======  ========================================
variable                            default  meaning
==================================  =======  ========================================
``GRAFT_BACKEND_CONCURRENCY``       64       requests in flight per backend at the
                                             start (the scheduler's adaptive strategy
                                             limits calls per backend itself; this is
                                             the backend's own cap, tunable at run time)
``GRAFT_BACKEND_MAX_CONCURRENCY``   256      ceiling when the limit is raised
``GRAFT_BACKEND_DEADLINE``          30       seconds one read may spend retrying
``GRAFT_BACKEND_ATTEMPTS``          8        attempts per read (first try included)
``GRAFT_BACKEND_TIMEOUT``           10       seconds one HTTP attempt may take
==================================  =======  ========================================
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from graftpy.errors import UsageError


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded by attempts and a total deadline.

    The n-th retry waits a random time in ``[d/2, d]`` with
    ``d = min(cap, base * factor**(n-1))`` ("equal jitter": never a burst of instant
    retries, never in lock-step; a ``factor`` below 1 counts as 1). A server's
    ``Retry-After`` hint is honoured up to ``cap``. The deadline runs from the first attempt of a read, so time spent
    queueing for a concurrency slot before it does not count.
    """

    attempts: int = 8
    deadline: float = 30.0
    base: float = 0.05
    cap: float = 2.0
    request_timeout: float = 10.0
    factor: float = 2.0

    def delay(
        self, retry: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        d = min(self.cap, self.base * (max(1.0, self.factor) ** (retry - 1)))
        d = (rng or random).uniform(d / 2, d)
        if retry_after is not None:
            d = max(d, min(self.cap, retry_after))
        return d


@dataclass(frozen=True)
class BackendConfig:
    concurrency: int = 64
    max_concurrency: int = 256
    retry: RetryPolicy = RetryPolicy()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BackendConfig:
        retry = RetryPolicy(
            attempts=_int(env, "GRAFT_BACKEND_ATTEMPTS", 8, minimum=1),
            deadline=_float(env, "GRAFT_BACKEND_DEADLINE", 30.0),
            request_timeout=_float(env, "GRAFT_BACKEND_TIMEOUT", 10.0),
        )
        maximum = _int(env, "GRAFT_BACKEND_MAX_CONCURRENCY", 256, minimum=1)
        start = _int(env, "GRAFT_BACKEND_CONCURRENCY", 64, minimum=1)
        return cls(concurrency=min(start, maximum), max_concurrency=maximum, retry=retry)


def redacted(env: Mapping[str, str]) -> bool:
    """graft's rule: any non-empty ``REDACT`` means no secret store is contacted."""
    return env.get("REDACT", "") != ""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not '{raw}'") from None
    if value < minimum:
        raise UsageError(f"{name} must be at least {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not '{raw}'") from None
    if value <= 0:
        raise UsageError(f"{name} must be more than 0 seconds")
    return value
