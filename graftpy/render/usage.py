"""Which target a shared backend's work is for: requests and cache hits per target.

Every target of a render shares the run's backends (``graftpy.render.backends``),
so a backend's own figures are the run's. To tell them per target, each call a
target makes goes through a *charged* view of the shared backends
(``charged(backends, usage)``): while the call runs, the thread is marked with the
target's ``Usage``, and the ``Attribution`` listener on every shared backend
counts the events of that thread (a backend emits each event on the thread that
asked: the request, the cache hit or miss, the retry) for that target. A read
done ahead by the prefetch counts for the target that queued it first; the
other targets that read the same secret count a cache hit.

A ``Usage`` counts, per backend: ``requests`` (HTTP attempts), ``reads`` (reads
that went to the server), ``cache_hits`` (answered from the run's cache; a read
that joined one in flight counts here too), ``retries`` and ``give_ups`` (and
the requests' ``outcomes``, to add a worker's figures to the run's). It can
also pass each event on (to the target's metrics recorder). Its ``figures()``
are plain data, which a worker process sends back with the target's result.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

COUNTS = ("requests", "reads", "cache_hits", "retries", "give_ups")
_KINDS = {
    "request": "requests",
    "cache_miss": "reads",
    "cache_hit": "cache_hits",
    "shared": "cache_hits",
    "retry": "retries",
    "give_up": "give_ups",
}
_current = threading.local()  # .usage: the Usage the thread works for, or absent

Figures = dict[str, dict[str, Any]]  # backend -> count name -> number (outcomes: a dict)


class Usage:
    """One target's share of the backends' work (thread-safe)."""

    def __init__(self, forward: Any = None) -> None:
        self._lock = threading.Lock()
        self._counts: Figures = {}
        self.forward = forward  # a BackendListener also told of each event, or None

    def backend_event(self, event: Any) -> None:
        name = _KINDS.get(event.kind)
        if name is not None:
            with self._lock:
                row = self._counts.get(event.backend)
                if row is None:
                    row = self._counts[event.backend] = _row()
                row[name] += 1
                if name == "requests":
                    outcomes = row["outcomes"]
                    outcomes[event.outcome] = outcomes.get(event.outcome, 0) + 1
        if self.forward is not None:
            self.forward.backend_event(event)

    def figures(self) -> Figures:
        """A copy of the counts, sorted by backend."""
        with self._lock:
            return {
                name: {**row, "outcomes": dict(row["outcomes"])}
                for name, row in sorted(self._counts.items())
            }


def _row() -> dict[str, Any]:
    return {**dict.fromkeys(COUNTS, 0), "outcomes": {}}


def difference(after: Figures, before: Figures) -> Figures:
    """What ``after`` counts beyond ``before`` (a worker's own share of a target)."""
    out: Figures = {}
    for backend, row in after.items():
        was = before.get(backend) or _row()
        diff = {name: row[name] - was[name] for name in COUNTS}
        outcomes = {
            outcome: count - was["outcomes"].get(outcome, 0)
            for outcome, count in row["outcomes"].items()
        }
        diff["outcomes"] = {k: v for k, v in outcomes.items() if v}
        if any(diff[name] for name in COUNTS):
            out[backend] = diff
    return out


def events(figures: Figures) -> Iterator[Any]:
    """``figures`` as the ``BackendEvent`` s that would count them (no timings)."""
    from graftpy.backends.stats import BackendEvent

    kinds = {"reads": "cache_miss", "cache_hits": "cache_hit", "retries": "retry"}
    kinds["give_ups"] = "give_up"
    for backend, row in figures.items():
        for outcome, count in row["outcomes"].items():
            for _ in range(count):
                yield BackendEvent(backend, "request", outcome=outcome)
        for name, kind in kinds.items():
            for _ in range(row[name]):
                yield BackendEvent(backend, kind)


class Attribution:
    """The listener on every shared backend: an event counts for the thread's target."""

    def backend_event(self, event: Any) -> None:
        usage = getattr(_current, "usage", None)
        if usage is not None:
            usage.backend_event(event)


@contextmanager
def working_for(usage: Usage | None) -> Iterator[None]:
    """Events this thread causes meanwhile count for ``usage`` (None: for no target)."""
    before = getattr(_current, "usage", None)
    _current.usage = usage
    try:
        yield
    finally:
        _current.usage = before


class _Charged:
    """A shared backend (or the ``Backends`` of a run), seen by one target: its calls
    run marked with the target's ``Usage``; everything else is the shared object's."""

    __slots__ = ("_shared", "_usage")

    def __init__(self, shared: Any, usage: Usage) -> None:
        self._shared = shared
        self._usage = usage

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._shared, name)
        if name.startswith("_") or not callable(value):
            return value
        usage = self._usage

        def call(*args: Any, **kwargs: Any) -> Any:
            with working_for(usage):
                result = value(*args, **kwargs)
            if name in ("vault", "aws", "nats"):  # Backends -> one backend, charged too
                return _Charged(result, usage)
            return result

        return call


def charged(backends: Any, usage: Usage) -> Any:
    """``backends`` (a ``graftpy.backends.registry.Backends``) as one target uses it."""
    return _Charged(backends, usage)


def add_to(totals: dict[str, Any], figures: Figures) -> None:
    """Add ``figures`` to ``totals`` (backend name -> ``StatsSnapshot``), in place."""
    from graftpy.backends.stats import StatsSnapshot

    for backend, row in figures.items():
        snap = totals.get(backend)
        if snap is None:
            snap = totals[backend] = StatsSnapshot(backend)
        snap.requests += row["requests"]
        snap.cache_misses += row["reads"]
        snap.cache_hits += row["cache_hits"]
        snap.retries += row["retries"]
        snap.give_ups += row["give_ups"]
        for outcome, count in row["outcomes"].items():
            snap.outcomes[outcome] = snap.outcomes.get(outcome, 0) + count
