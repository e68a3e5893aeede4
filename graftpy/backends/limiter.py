"""A concurrency limit that can be changed while requests wait on it.

``threading.Semaphore`` cannot shrink or grow once created; this one can: set
``limit`` (or call ``increase``/``halve``) from any thread and waiting requests
are admitted or held accordingly. Requests already in flight are never
interrupted: after a halving, new ones wait until enough have finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class ConcurrencyLimit:
    def __init__(self, limit: int = 16, *, minimum: int = 1, maximum: int = 256) -> None:
        if minimum < 1 or maximum < minimum:
            raise ValueError("need 1 <= minimum <= maximum")
        self.minimum = minimum
        self.maximum = maximum
        self._cond = threading.Condition()
        self._limit = self._clamp(limit)
        self._in_flight = 0
        self._watchers: list[Callable[[int], None]] = []

    def _clamp(self, value: int) -> int:
        return max(self.minimum, min(self.maximum, int(value)))

    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        with self._cond:
            new = self._clamp(value)
            changed = new != self._limit
            self._limit = new
            self._cond.notify_all()
        if changed:
            for watch in list(self._watchers):
                watch(new)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def increase(self, step: int = 1) -> int:
        """Raise the limit by ``step`` (up to ``maximum``); returns the new limit."""
        with self._cond:
            target = self._limit + step
        self.limit = target
        return self._limit

    def halve(self) -> int:
        """Halve the limit (down to ``minimum``); returns the new limit."""
        with self._cond:
            target = self._limit // 2
        self.limit = target
        return self._limit

    def on_change(self, watch: Callable[[int], None]) -> None:
        """Call ``watch(new_limit)`` after every change (used to emit ``limit`` events)."""
        self._watchers.append(watch)

    def acquire(self) -> int:
        """Wait for a free slot; returns the number in flight including this one."""
        with self._cond:
            while self._in_flight >= self._limit:
                self._cond.wait()
            self._in_flight += 1
            return self._in_flight

    def release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify()

    def __enter__(self) -> ConcurrencyLimit:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
