"""One read per distinct key per run, shared by everyone who asks.

``SingleFlight.get(key, load)`` calls ``load()`` at most once per key: the
first caller runs it, callers arriving while it runs wait for the same outcome,
later callers get the stored outcome. Failures that are answers (a missing
secret, a refusal, retries exhausted: every ``BackendError``) are stored too,
so a missing secret asked for 100 times costs one request. Anything else (a bug)
is passed to the callers waiting at that moment and not stored.

A caller may give a ``ttl``: an outcome stored longer ago than that is loaded
afresh (graft's ``NATS_CACHE_TTL``); without one, outcomes last for the run.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

from graftpy.backends.errors import BackendError

# how a get() was answered, for the cache_hit / cache_miss / shared events
HIT, MISS, SHARED = "cache_hit", "cache_miss", "shared"


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BackendError) -> None:
        self.error = error


class SingleFlight:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[Hashable, Any] = {}
        self._stored: dict[Hashable, float] = {}  # when each outcome was stored
        self._running: dict[Hashable, Future] = {}

    def get(
        self,
        key: Hashable,
        load: Callable[[], Any],
        note: Callable[[str], None] | None = None,
        ttl: float | None = None,
    ) -> Any:
        with self._lock:
            if (
                ttl is not None
                and key in self._done
                and time.monotonic() - self._stored[key] >= ttl
            ):
                del self._done[key]
            if key in self._done:
                how, outcome, future = HIT, self._done[key], None
            elif key in self._running:
                how, outcome, future = SHARED, None, self._running[key]
            else:
                how, outcome, future = MISS, None, Future()
                self._running[key] = future
        if note is not None:
            note(how)
        if how == MISS:
            outcome = self._run(key, load, future)
        elif how == SHARED:
            outcome = future.result()
        if isinstance(outcome, _Failed):
            # a fresh copy per caller: one exception object raised on many threads
            # would share (and tangle) its traceback
            raise copy.copy(outcome.error) from None
        return outcome

    def _run(self, key: Hashable, load: Callable[[], Any], future: Future) -> Any:
        try:
            outcome: Any = load()
        except BackendError as exc:
            outcome = _Failed(exc)
        except BaseException as exc:
            with self._lock:
                del self._running[key]
            future.set_exception(exc)
            raise
        with self._lock:
            self._done[key] = outcome
            self._stored[key] = time.monotonic()
            del self._running[key]
        future.set_result(outcome)
        return outcome

    def __len__(self) -> int:
        return len(self._done)
