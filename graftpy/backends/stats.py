"""What a backend reports about itself: events, listeners and running totals.

Every backend emits one ``BackendEvent`` per thing that happens to it and hands
it to each of its listeners (``Backend.add_listener``). Listeners are how the
adaptive scheduler learns about throttling and latency, and how the metrics
module counts requests, retries and cache hits. Events never carry a secret
value, a token or a secret path: only the backend's name, what kind of thing
happened, a status code and timings.

Event kinds (``BackendEvent.kind``):

=============  ==============================================================
``request``    one HTTP attempt finished. ``operation`` names it (``read``,
               ``mount``, ``GetParameter``, ``GetSecretValue``,
               ``AssumeRole``), ``outcome`` is one of ``ok``, ``not_found``,
               ``throttled`` (429/503/AWS throttling: slow down),
               ``server_error`` (other 5xx), ``connection_error`` (reset,
               refused, timeout) or ``error`` (a final refusal such as 403).
               ``latency`` is the attempt's duration in seconds; ``in_flight``
               and ``limit`` are the concurrency at that moment.
``retry``      an attempt failed and another follows after ``delay`` seconds
               (``attempt`` is the number of the attempt that failed).
``give_up``    retries ran out (attempts or deadline): the read fails.
``cache_hit``  a read was answered from this run's cache (hits and misses of
               the secret store both count: a known-missing secret is a hit).
``cache_miss`` a read goes to the server.
``shared``     a read joined an identical read already in flight.
``limit``      the concurrency limit changed (``limit`` is the new value).
=============  ==============================================================

A listener is any object with a ``backend_event(event)`` method. It is called
on the thread that did the work, possibly many at once, so it must be quick and
thread-safe, and must not raise (exceptions are swallowed and logged).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

THROTTLED = "throttled"


@dataclass(frozen=True, slots=True)
class BackendEvent:
    backend: str  # "vault", "vault@prod", "awsparam", "awssecret@legacy"
    kind: str  # see the table above
    operation: str = ""
    outcome: str = ""
    status: int | None = None
    latency: float = 0.0
    attempt: int = 0
    delay: float = 0.0
    in_flight: int = 0
    limit: int = 0

    @property
    def throttled(self) -> bool:
        return self.outcome == THROTTLED


class BackendListener(Protocol):
    def backend_event(self, event: BackendEvent) -> None: ...


@dataclass
class StatsSnapshot:
    """Totals of one backend at one moment (plain numbers, safe to log)."""

    backend: str
    requests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    give_ups: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    shared: int = 0
    latency_total: float = 0.0
    latency_max: float = 0.0
    latency_min: float = 0.0
    latency_ewma: float = 0.0
    max_in_flight: int = 0
    limit: int = 0

    @property
    def throttled(self) -> int:
        return self.outcomes.get(THROTTLED, 0)

    @property
    def latency_mean(self) -> float:
        return self.latency_total / self.requests if self.requests else 0.0


class BackendStats:
    """Running totals of one backend; itself a listener, attached to every backend.

    Read ``snapshot()`` for a consistent copy. ``latency_ewma`` weighs recent
    requests more (alpha 0.2): the adaptive strategy compares it with
    ``latency_min`` to see whether more concurrency only queues at the server.
    """

    ALPHA = 0.2

    def __init__(self, backend: str) -> None:
        self._lock = threading.Lock()
        self._s = StatsSnapshot(backend)

    def backend_event(self, event: BackendEvent) -> None:
        with self._lock:
            s = self._s
            if event.kind == "request":
                s.requests += 1
                s.outcomes[event.outcome] = s.outcomes.get(event.outcome, 0) + 1
                s.latency_total += event.latency
                s.latency_max = max(s.latency_max, event.latency)
                s.latency_min = (
                    event.latency if s.requests == 1 else min(s.latency_min, event.latency)
                )
                s.latency_ewma = (
                    event.latency
                    if s.requests == 1
                    else s.latency_ewma + self.ALPHA * (event.latency - s.latency_ewma)
                )
                s.max_in_flight = max(s.max_in_flight, event.in_flight)
            elif event.kind == "retry":
                s.retries += 1
            elif event.kind == "give_up":
                s.give_ups += 1
            elif event.kind == "cache_hit":
                s.cache_hits += 1
            elif event.kind == "cache_miss":
                s.cache_misses += 1
            elif event.kind == "shared":
                s.shared += 1
            if event.limit:
                s.limit = event.limit

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            s = self._s
            return StatsSnapshot(**{**s.__dict__, "outcomes": dict(s.outcomes)})
