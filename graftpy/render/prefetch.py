"""Reading the planned secrets ahead, concurrently, while the other targets are planned.

``Prefetcher.add(plan)`` queues each read of a planned target that no earlier
target queued (per backend layer: a path is read once for all targets), on a
pool of threads (``graftpy.backends.readahead``, which ``merge`` reads ahead
with too); planning is CPU work and the reads wait on the network, so the two
overlap. ``wait()`` returns when every queued read is done. Each read goes
through the target's shared backend (``graftpy.render.backends``), whose cache
keeps the answer (a missing secret and a refusal too): when the targets are
evaluated afterwards, their secret calls are answered from memory. A failed read
is not reported here: the targets that need it report it, as ``merge`` would.
Targets run with ``REDACT`` contact no store and are skipped. A read counts for
the target that queued it (``graftpy.render.usage``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graftpy.backends.readahead import MAX_THREADS, ReadAhead
from graftpy.render.backends import BackendLayer
from graftpy.render.plan import TargetPlan


class Prefetcher:
    """The targets' reads on one ``graftpy.backends.readahead.ReadAhead`` (``merge``'s too)."""

    def __init__(
        self,
        layer: BackendLayer,
        threads: int = MAX_THREADS,
        on_queued: Callable[[int], None] | None = None,
        on_read: Callable[[], None] | None = None,
    ) -> None:
        self.layer = layer
        self.on_queued = on_queued  # told how many reads one add() queued
        self._ahead = ReadAhead(threads, on_read)

    @property
    def queued(self) -> int:
        return self._ahead.queued

    def add(self, plan: TargetPlan, usage: Any = None) -> None:
        """Queue the reads of ``plan`` that are not queued yet; their work counts for
        ``usage`` (the target's ``graftpy.render.usage.Usage``), if given."""
        from graftpy.backends.config import redacted
        from graftpy.pipeline import environment

        options = plan.target.run.options
        if plan.error is not None or not plan.found.reads or redacted(environment(options)):
            return
        from graftpy.render.usage import working_for

        new = self._ahead.add(
            self.layer.for_options(options), plan.found.reads, around=lambda: working_for(usage)
        )
        if new and self.on_queued is not None:
            self.on_queued(new)

    def wait(self) -> None:
        """Return when every queued read is done (and the threads are gone)."""
        self._ahead.wait()
