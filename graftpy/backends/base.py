"""What every secret backend shares: cache, single flight, concurrency, retries.

A concrete backend (Vault, SSM, Secrets Manager) implements one attempt of each
request as a function that returns the answer, raises ``SecretNotFound`` /
``BackendError`` for final answers, or raises ``Transient`` for what deserves
another try. ``Backend.request`` wraps such an attempt with the concurrency
limit, retries, the deadline and the events; ``Backend.cached`` makes sure each
distinct key is asked for once per run.

Public surface (for operators, the scheduler and the metrics):
  ``name``              "vault", "vault@prod", "awsparam", "awssecret@legacy"
  ``concurrency``       the ``ConcurrencyLimit``: read/set ``.limit``, ``.halve()``
  ``stats``             the ``BackendStats`` (``.snapshot()``)
  ``add_listener(l)``   receive every ``BackendEvent``
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from graftpy.backends.config import BackendConfig, RetryPolicy
from graftpy.backends.errors import BackendError, BackendUnavailable, SecretNotFound, Transient
from graftpy.backends.limiter import ConcurrencyLimit
from graftpy.backends.singleflight import SingleFlight
from graftpy.backends.stats import BackendEvent, BackendListener, BackendStats

log = logging.getLogger("graftpy.backends")
T = TypeVar("T")
# AHEAD.on is true on a thread while it reads ahead of the calls (graftpy.backends.readahead)
AHEAD = threading.local()


class Backend:
    kind = "backend"

    def __init__(self, target: str | None, config: BackendConfig) -> None:
        self.target = target
        self.name = f"{self.kind}@{target}" if target else self.kind
        self.config = config
        self.policy = config.retry
        self.concurrency = ConcurrencyLimit(config.concurrency, maximum=config.max_concurrency)
        self.stats = BackendStats(self.name)
        self._listeners: list[BackendListener] = [self.stats]
        self._cache = SingleFlight()
        # set once retries gave up, per channel (a server: most backends have one):
        # the error, and its cause for other requests' own texts (``Transient.cause``)
        self._down: dict[Hashable, tuple[BackendUnavailable, str | None]] = {}
        self._rng = random.Random()
        self._rng_lock = threading.Lock()
        self.concurrency.on_change(lambda new: self.emit("limit", limit=new))

    # -- listeners -------------------------------------------------------------
    def add_listener(self, listener: BackendListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: BackendListener) -> None:
        self._listeners.remove(listener)

    def emit(self, kind: str, **fields: Any) -> None:
        fields.setdefault("limit", self.concurrency.limit)
        event = BackendEvent(self.name, kind, **fields)
        for listener in list(self._listeners):
            try:
                listener.backend_event(event)
            except Exception:  # a broken listener must not break a run
                log.exception("backend listener failed on %s event", kind)

    # -- caching ---------------------------------------------------------------
    def cached(self, key: Hashable, load: Callable[[], T], ttl: float | None = None) -> T:
        """``load()`` once per ``key`` per run; failures that are answers are kept too.

        With ``ttl`` (seconds), an answer older than that is loaded again. A read made
        ahead of its callers (``graftpy.backends.readahead``) counts as no ask."""
        return self._cache.get(
            key, load, lambda how: self.emit(how), ttl=ttl, ahead=getattr(AHEAD, "on", False)
        )

    # -- one request, with its retries -----------------------------------------
    def request(
        self,
        operation: str,
        attempt: Callable[[float], T],
        *,
        policy: RetryPolicy | None = None,
        channel: Hashable = None,
        describe: Callable[[str], str] | None = None,
    ) -> T:
        """Run ``attempt(timeout)`` until it answers, retrying ``Transient`` failures.

        Gives up with ``BackendUnavailable`` after ``policy.attempts`` attempts or
        once the next wait would cross ``policy.deadline``; after that every new
        request of this backend on the same ``channel`` (a backend that talks to
        several servers names the server) fails at once (the server is evidently
        not answering; a run should fail in one deadline, not in one per secret),
        with its own text where ``describe(cause)`` names this request (its URL).
        ``policy`` replaces the backend's own for this request. The default text
        holds no attempt counts or times, which vary with jitter and parallelism:
        those go to the debug log.
        """
        policy = policy or self.policy
        started: float | None = None
        number = 0
        while True:
            down = self._down.get(channel)
            if down is not None:
                error, cause = down
                if describe is not None and cause is not None:
                    raise BackendUnavailable(self._gave_up(describe(cause)))
                raise BackendUnavailable(error.message)
            number += 1
            in_flight = self.concurrency.acquire()
            t0 = time.monotonic()
            if started is None:
                started = t0
            remaining = policy.deadline - (t0 - started)
            try:
                result = attempt(max(0.05, min(policy.request_timeout, remaining)))
            except Transient as exc:
                failure = exc
                self._note(operation, exc.outcome, exc.status, t0, number, in_flight)
            except SecretNotFound as exc:
                self._note(operation, "not_found", exc.status or 404, t0, number, in_flight)
                raise
            except BackendError as exc:
                self._note(operation, "error", exc.status, t0, number, in_flight)
                raise
            else:
                self._note(operation, "ok", 200, t0, number, in_flight)
                return result
            finally:
                self.concurrency.release()
            elapsed = time.monotonic() - started
            with self._rng_lock:
                delay = policy.delay(number, failure.retry_after, self._rng)
            if number >= policy.attempts or elapsed + delay > policy.deadline:
                self._give_up(operation, failure, number, elapsed, channel)
            self.emit(
                "retry",
                operation=operation,
                outcome=failure.outcome,
                status=failure.status,
                attempt=number,
                delay=delay,
            )
            log.debug(
                "%s: %s failed (%s), retry %d in %.2fs",
                self.name,
                operation,
                failure.reason,
                number,
                delay,
            )
            time.sleep(delay)

    def _note(
        self,
        operation: str,
        outcome: str,
        status: int | None,
        t0: float,
        number: int,
        in_flight: int,
    ) -> None:
        latency = time.monotonic() - t0
        self.emit(
            "request",
            operation=operation,
            outcome=outcome,
            status=status,
            latency=latency,
            attempt=number,
            in_flight=in_flight,
        )
        log.debug(
            "%s: %s -> %s%s in %.0f ms (attempt %d)",
            self.name,
            operation,
            outcome,
            f" {status}" if status else "",
            latency * 1000,
            number,
        )

    def _give_up(
        self, operation: str, failure: Transient, number: int, elapsed: float, channel: Hashable
    ) -> None:
        self.emit(
            "give_up",
            operation=operation,
            outcome=failure.outcome,
            status=failure.status,
            attempt=number,
        )
        log.debug(
            "%s: %s gave up after %d attempt%s in %.1fs: %s",
            self.name,
            operation,
            number,
            "s" if number != 1 else "",
            elapsed,
            failure.reason,
        )
        error = BackendUnavailable(self.give_up_message(failure, number, elapsed))
        self._down.setdefault(channel, (error, failure.cause))
        raise error

    def _gave_up(self, reason: str) -> str:
        return f"{reason} ({self.name}: gave up after retrying)"

    def give_up_message(self, failure: Transient, attempts: int, elapsed: float) -> str:
        """The error text once retries ran out (a backend may word it as its peer does);
        deterministic by default: attempts and time are in the debug log."""
        return self._gave_up(failure.reason)

    def close(self) -> None:
        """Release connections (the base class holds none)."""
