"""Reading the planned secrets ahead, concurrently, while the other targets are planned.

``Prefetcher.add(plan)`` queues each read of a planned target that no earlier
target queued (per backend layer: a path is read once for all targets), on a
pool of threads; planning is CPU work and the reads wait on the network, so the
two overlap. ``wait()`` returns when every queued read is done. Each read goes
through the target's shared backend (``graftpy.render.backends``), whose cache
keeps the answer (a missing secret and a refusal too): when the targets are
evaluated afterwards, their secret calls are answered from memory. A failed read
is not reported here: the targets that need it report it, as ``merge`` would.
Targets run with ``REDACT`` contact no store and are skipped. A read counts for
the target that queued it (``graftpy.render.usage``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from graftpy.render.backends import BackendLayer
from graftpy.render.plan import TargetPlan
from graftpy.render.secrets import SecretRead

MAX_THREADS = 64  # the backends' own limit (GRAFT_BACKEND_CONCURRENCY) decides below this


class Prefetcher:
    def __init__(
        self,
        layer: BackendLayer,
        threads: int = MAX_THREADS,
        on_queued: Callable[[int], None] | None = None,
        on_read: Callable[[], None] | None = None,
    ) -> None:
        self.layer = layer
        self.threads = threads
        self.on_queued = on_queued  # told how many reads one add() queued
        self.on_read = on_read  # told of each read done
        self._seen: set[tuple[int, SecretRead]] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future] = []
        self._lock = threading.Lock()

    @property
    def queued(self) -> int:
        return len(self._futures)

    def add(self, plan: TargetPlan, usage: Any = None) -> None:
        """Queue the reads of ``plan`` that are not queued yet; their work counts for
        ``usage`` (the target's ``graftpy.render.usage.Usage``), if given."""
        from graftpy.backends.config import redacted
        from graftpy.pipeline import environment

        options = plan.target.run.options
        if plan.error is not None or not plan.found.reads or redacted(environment(options)):
            return
        backends = self.layer.for_options(options)
        new = []
        with self._lock:
            for read in plan.found.reads:
                if (id(backends), read) not in self._seen:
                    self._seen.add((id(backends), read))
                    new.append(read)
            if not new:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="graftpy-prefetch")
            for read in new:
                self._futures.append(self._pool.submit(self._read, backends, read, usage))
        if self.on_queued is not None:
            self.on_queued(len(new))

    def wait(self) -> None:
        """Return when every queued read is done (and the threads are gone)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _read(self, backends: Any, read: SecretRead, usage: Any) -> None:
        from graftpy.errors import GraftError
        from graftpy.render.usage import working_for

        try:
            with working_for(usage):
                self._fetch(backends, read)
        except GraftError:
            pass  # kept in the backend's cache; the targets reading it report it
        except Exception:  # noqa: BLE001 - not cached: the target's evaluation meets it again
            pass
        finally:
            if self.on_read is not None:
                self.on_read()

    @staticmethod
    def _fetch(backends: Any, read: SecretRead) -> None:
        if read.kind == "vault":
            backends.vault(read.target).read(read.key)
        else:
            name, stage, version = read.key
            backends.aws(read.kind, read.target).fetch(name, stage, version)
