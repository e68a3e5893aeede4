"""One read per distinct key per run, shared by everyone who asks.

``SingleFlight.get(key, load)`` calls ``load()`` at most once per key: the
first caller runs it, callers arriving while it runs wait for the same outcome,
later callers get the stored outcome. Failures that are answers (a missing
secret, a refusal, retries exhausted: every ``BackendError``) are stored too,
so a missing secret asked for 100 times costs one request. Anything else (a bug)
is passed to the callers waiting at that moment and not stored.

A caller may give a ``ttl``: an outcome stored longer ago than that is loaded
afresh (graft's ``NATS_CACHE_TTL``); without one, outcomes last for the run.

A read made ahead of its callers (``ahead=True``: ``graftpy.backends.readahead``)
is told to nobody; the first caller to ask for that key afterwards is told
``cache_miss``, as it would have been without the read-ahead, so the figures
(misses: distinct keys asked for; hits and shared waits: the other asks) are
those of a run that read nothing ahead.
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
        self._unasked: set[Hashable] = set()  # loaded ahead, no caller has asked yet

    def get(
        self,
        key: Hashable,
        load: Callable[[], Any],
        note: Callable[[str], None] | None = None,
        ttl: float | None = None,
        ahead: bool = False,
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
            told: str | None = how
            if ahead:  # nobody asked: no event (the first caller's ask is the miss)
                told = None
                if how == MISS:
                    self._unasked.add(key)
            elif key in self._unasked:
                self._unasked.discard(key)
                told = MISS
        if note is not None and told is not None:
            note(told)
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
