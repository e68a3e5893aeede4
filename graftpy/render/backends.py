"""The backend layer of a whole render: shared by every target that can share it.

Targets whose settings name the same secret stores (the same ``VAULT_*`` / ``NATS_*`` /
``AWS_*`` variables, token files, targets file, backend tuning) get the same
``graftpy.backends.registry.Backends``: each secret path is read once for all
of them, over one connection pool, under one concurrency limit per backend,
which an ``AimdTuner`` adapts (halved on throttling, raised while the server
keeps up). A target that names another Vault gets a layer of its own: a secret
is never answered from a store the target did not ask for.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

# variables that decide where and how a backend connects (graft's and ours)
STORE_PREFIXES = ("VAULT_", "AWS_", "NATS_", "GRAFT_BACKEND_", "GRAFT_TARGETS")
STORE_VARS = ("HOME",)  # ~/.vault-token, ~/.svtoken, ~/.aws
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def identity(env: Mapping[str, str], targets_file: str | None) -> tuple[Any, ...]:
    """What two targets must agree on to share backends: every variable a backend
    reads, and those the targets file refers to (``token: ${PROD_TOKEN}``)."""
    names = {k for k in env if k.startswith(STORE_PREFIXES) or k in STORE_VARS}
    if targets_file:
        try:
            with open(targets_file, encoding="utf-8", errors="replace") as fh:
                names.update(_VARIABLE.findall(fh.read()))
        except OSError:
            pass  # reading it fails again, and is reported, when a target needs it
    return (targets_file, tuple(sorted((k, env[k]) for k in names if k in env)))


class BackendLayer:
    """The ``Backends`` of a render run, one per store identity, made on first use."""

    def __init__(self, listeners: tuple[Any, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._layers: dict[tuple[Any, ...], Any] = {}
        self._listeners = listeners  # e.g. the metrics' recorder
        from graftpy.render.usage import Attribution

        self._attribution = Attribution()  # counts each event for its thread's target

    def for_env(self, env: Mapping[str, str], targets_file: str | None) -> Any:
        """The ``Backends`` for a target with this environment and targets file."""
        key = identity(env, targets_file)
        with self._lock:
            backends = self._layers.get(key)
            if backends is None:
                backends = self._layers[key] = self._new(env, targets_file)
        return backends

    def _new(self, env: Mapping[str, str], targets_file: str | None) -> Any:
        from graftpy.backends.registry import Backends
        from graftpy.backends.tuning import AimdTuner

        backends = Backends(env, targets_file=targets_file)
        backends.on_create(AimdTuner)
        backends.add_listener(self._attribution)
        for listener in self._listeners:
            backends.add_listener(listener)
            if hasattr(listener, "backend_created"):
                backends.on_create(listener.backend_created)
        return backends

    def for_options(self, options: Any) -> Any:
        """The ``Backends`` of a target's ``MergeOptions`` (as its evaluation would make)."""
        from graftpy.pipeline import environment

        env = environment(options)
        return self.for_env(env, options.targets_file or env.get("GRAFT_TARGETS") or None)

    def all(self) -> list[Any]:
        """Every ``Backends`` made so far."""
        with self._lock:
            return list(self._layers.values())

    def stats(self) -> dict[str, Any]:
        """Backend name -> its ``StatsSnapshot`` (added up over layers of the same name;
        this process's work: ``graftpy.render.usage.add_to`` adds a worker's)."""
        from graftpy.backends.stats import StatsSnapshot

        totals: dict[str, StatsSnapshot] = {}
        for backends in self.all():
            for backend in backends.all():
                snap = backend.stats.snapshot()
                total = totals.setdefault(backend.name, StatsSnapshot(backend.name))
                total.requests += snap.requests
                total.cache_hits += snap.cache_hits
                total.cache_misses += snap.cache_misses
                total.shared += snap.shared
                total.retries += snap.retries
                total.give_ups += snap.give_ups
                for outcome, count in snap.outcomes.items():
                    total.outcomes[outcome] = total.outcomes.get(outcome, 0) + count
        return totals

    def in_flight(self) -> int:
        """Requests waiting on a server right now (for the progress line)."""
        return sum(b.concurrency.in_flight for layer in self.all() for b in layer.all())

    def close(self) -> None:
        for backends in self.all():
            backends.close()
