"""The backends of one run, created on first use and shared by every operator.

``backends_for(ctx)`` returns the run's ``Backends`` (kept in
``ctx.state.extra["backends"]``). The scheduler and the metrics reach every
backend through it: ``add_listener`` applies to the backends that exist and to
those created later, ``on_create`` is told about each new backend (to attach a
tuner, for example), ``all()`` lists them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graftpy.backends.base import Backend
from graftpy.backends.config import BackendConfig
from graftpy.backends.stats import BackendEvent, BackendListener
from graftpy.backends.targets import Targets

STATE_KEY = "backends"
# RunState.extra[LISTENERS_KEY]: listeners to attach to every backend of the run (the
# metrics' recorder puts itself here); one with ``backend_created(backend)`` is also
# told of each backend as it is created
LISTENERS_KEY = "backend_listeners"
_state_lock = threading.Lock()


class SchedulerSignal:
    """Tells the scheduler's adaptive strategy about throttling answers: it halves
    the backend's share of calls (``graftpy.evaluator.scheduler.signals``). Events
    are emitted on the thread running the operator, which is what it expects."""

    def backend_event(self, event: BackendEvent) -> None:
        if event.kind == "request" and event.throttled:
            try:
                from graftpy.evaluator.scheduler import signals
            except ImportError:  # pragma: no cover - a build without the scheduler
                return
            signals.report_throttled()


class Backends:
    def __init__(
        self,
        env: Mapping[str, str],
        *,
        targets_file: str | None = None,
        config: BackendConfig | None = None,
    ) -> None:
        self.env = dict(env)
        self.config = config or BackendConfig.from_env(self.env)
        self.targets = Targets(self.env, targets_file)
        self._lock = threading.Lock()
        self._backends: dict[tuple[str, str | None], Backend] = {}
        self._listeners: list[BackendListener] = []
        self._on_create: list[Callable[[Backend], None]] = []
        self._aws_sessions: Any = None
        self._listeners.append(SchedulerSignal())

    # -- observers -------------------------------------------------------------
    def add_listener(self, listener: BackendListener) -> None:
        with self._lock:
            self._listeners.append(listener)
            existing = list(self._backends.values())
        for backend in existing:
            backend.add_listener(listener)

    def on_create(self, hook: Callable[[Backend], None]) -> None:
        with self._lock:
            self._on_create.append(hook)
            existing = list(self._backends.values())
        for backend in existing:
            hook(backend)

    def all(self) -> list[Backend]:
        with self._lock:
            return list(self._backends.values())

    def __iter__(self) -> Iterator[Backend]:
        return iter(self.all())

    # -- backends --------------------------------------------------------------
    def vault(self, target: str | None = None) -> Any:
        return self._get("vault", target, self._new_vault)

    def aws(self, kind: str, target: str | None = None) -> Any:
        """kind: "awsparam" or "awssecret"."""
        return self._get(kind, target, self._new_aws)

    def nats(self, target: str | None = None) -> Any:
        return self._get("nats", target, self._new_nats)

    def _get(self, kind: str, target: str | None, make: Callable) -> Any:
        key = (kind, target or None)
        with self._lock:
            backend = self._backends.get(key)
            if backend is not None:
                return backend
            backend = make(kind, target or None)
            self._backends[key] = backend
            listeners, hooks = list(self._listeners), list(self._on_create)
        for listener in listeners:
            backend.add_listener(listener)
        for hook in hooks:
            hook(backend)
        return backend

    def _new_vault(self, _kind: str, target: str | None) -> Backend:
        from graftpy.backends import vault_settings
        from graftpy.backends.vault import VaultBackend

        if target:

            def settings() -> vault_settings.VaultSettings:
                return vault_settings.target_settings(self.targets, target)
        else:

            def settings() -> vault_settings.VaultSettings:
                return vault_settings.default_settings(self.env)

        return VaultBackend(settings, target, self.config)

    def _new_aws(self, kind: str, target: str | None) -> Backend:
        from graftpy.backends.aws import AwsBackend, AwsSessions

        if self._aws_sessions is None:
            self._aws_sessions = AwsSessions(
                self.env, self.config.max_concurrency, self.config.retry.request_timeout
            )
        sessions = self._aws_sessions

        def target_config() -> Any:
            return self.targets.aws(target) if target else sessions.default_target()

        return AwsBackend(kind, sessions, target_config, target, self.config)

    def _new_nats(self, _kind: str, target: str | None) -> Backend:
        from graftpy.backends import nats_settings
        from graftpy.backends.nats import NatsBackend

        if target:

            def settings() -> nats_settings.NatsSettings:
                return nats_settings.target_settings(self.targets, self.env, target)
        else:

            def settings() -> nats_settings.NatsSettings:
                return nats_settings.from_env(self.env)

        return NatsBackend(settings, target, self.config)

    def close(self) -> None:
        """End of the run: every backend releases its connections (NATS closes its
        connections and stops its event loop thread)."""
        for backend in self.all():
            backend.close()


def backends_for(ctx: Any) -> Backends:
    """The run's backends (created on first use from the run's settings)."""
    extra = ctx.state.extra
    backends = extra.get(STATE_KEY)
    if backends is None:
        with _state_lock:
            backends = extra.get(STATE_KEY)
            if backends is None:
                settings = ctx.settings
                backends = Backends(
                    settings.env, targets_file=getattr(settings, "targets_file", None)
                )
                for listener in extra.get(LISTENERS_KEY, ()):  # metrics hook
                    backends.add_listener(listener)
                    if hasattr(listener, "backend_created"):
                        backends.on_create(listener.backend_created)
                extra[STATE_KEY] = backends
    return backends
