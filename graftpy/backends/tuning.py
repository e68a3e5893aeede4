"""An AIMD tuner for a backend's concurrency limit (for the adaptive strategy).

Attach one per backend (``AimdTuner(backend)``; ``detach()`` to stop). It
listens to the backend's events and:

* halves the limit on a throttling answer (429, 503, AWS throttling), at most
  once per ``cooldown`` so a burst of 429s from one wave counts as one signal;
* adds 1 after every ``limit`` successful answers received while the backend was
  busy (in flight >= limit - 1): one step per "round trip's worth" of work, as TCP
  does, and only when more concurrency could have been used;
* holds (no increase) while latency is more than ``latency_factor`` times the
  best seen: more concurrency would only queue at the server.
"""

from __future__ import annotations

import threading
import time

from graftpy.backends.base import Backend
from graftpy.backends.stats import BackendEvent


class AimdTuner:
    def __init__(
        self, backend: Backend, *, cooldown: float = 0.2, latency_factor: float = 3.0
    ) -> None:
        self.backend = backend
        self.cooldown = cooldown
        self.latency_factor = latency_factor
        self._lock = threading.Lock()
        self._credit = 0
        self._last_cut = float("-inf")
        self._best = float("inf")
        self._ewma = 0.0
        backend.add_listener(self)

    def detach(self) -> None:
        self.backend.remove_listener(self)

    def backend_event(self, event: BackendEvent) -> None:
        if event.kind != "request":
            return
        action = self._decide(event)
        if action == "cut":
            self.backend.concurrency.halve()
        elif action == "grow":
            self.backend.concurrency.increase()

    def _decide(self, event: BackendEvent) -> str | None:
        limit = self.backend.concurrency.limit
        with self._lock:
            if event.throttled:
                now = time.monotonic()
                if now - self._last_cut < self.cooldown:
                    return None  # the same burst of throttling answers
                self._last_cut = now
                self._credit = 0
                return "cut"
            if event.outcome not in ("ok", "not_found"):
                return None
            self._best = min(self._best, event.latency)
            self._ewma = event.latency if not self._ewma else 0.8 * self._ewma + 0.2 * event.latency
            if self._ewma > self.latency_factor * self._best or event.in_flight < limit - 1:
                return None  # the server is queueing, or we were not using the limit
            self._credit += 1
            if self._credit < limit:
                return None
            self._credit = 0
            return "grow"
