"""NATS JetStream key-value and object store reads (``(( nats ))``) through nats-py.

``NatsBackend.lookup(store, bucket, name, settings)`` reads ``kv:BUCKET/KEY``
or ``obj:BUCKET/NAME`` once per run (per server, store, bucket and name; again
after ``cache_ttl``), through the backend layer: single flight, the concurrency
limit, retries with backoff and jitter within ``GRAFT_BACKEND_DEADLINE``. The
retry policy comes from the settings (graft's ``NATS_RETRIES``,
``NATS_RETRY_INTERVAL``, ``NATS_RETRY_BACKOFF``, ``NATS_MAX_RETRY_INTERVAL``;
``NATS_TIMEOUT`` bounds each attempt). Connections and the event loop they run
on belong to the backend's ``NatsClient`` and are closed with the backend.

Error texts follow graft: ``failed to connect to NATS after 4 attempts: nats:
no servers available for connection``, ``failed to get key 'k' from store 's':
nats: key not found``, ``failed to get object 'o' from bucket 'b': ...``. A
missing bucket, key or object is an answer, not retried (graft retries it and
then reports ``<nil>``).
"""

from __future__ import annotations

import copy
import logging
import math
import threading
from collections.abc import Callable
from typing import Any

from graftpy.backends.base import Backend
from graftpy.backends.config import BackendConfig, RetryPolicy
from graftpy.backends.errors import BackendError, SecretNotFound, Transient
from graftpy.backends.nats_client import NatsClient
from graftpy.backends.nats_failures import NatsFailure, NatsTransient
from graftpy.backends.nats_settings import NatsSettings
from graftpy.backends.nats_values import content_type, kv_value, object_value

log = logging.getLogger("graftpy.backends")
CONNECT = "failed to connect to NATS"


def failure_prefix(store: str, bucket: str, name: str) -> str:
    if store == "kv":
        return f"failed to get key '{name}' from store '{bucket}'"
    return f"failed to get object '{name}' from bucket '{bucket}'"


class NatsBackend(Backend):
    kind = "nats"

    def __init__(
        self, settings: Callable[[], NatsSettings], target: str | None, config: BackendConfig
    ) -> None:
        super().__init__(target, config)
        self._settings_source = settings
        self._settings: NatsSettings | None = None
        self._settings_error: BackendError | None = None
        self._settings_lock = threading.Lock()
        self.client = NatsClient(self.name)

    def settings(self) -> NatsSettings:
        """The backend's settings (environment or target), read once per run."""
        with self._settings_lock:
            if self._settings is None:
                if self._settings_error is not None:
                    raise BackendError(self._settings_error.message)
                try:
                    self._settings = self._settings_source()
                except BackendError as exc:
                    self._settings_error = exc
                    raise
            return self._settings

    def policy_for(self, s: NatsSettings) -> RetryPolicy:
        return RetryPolicy(
            attempts=s.retries + 1,
            deadline=self.config.retry.deadline,
            base=s.retry_interval,
            cap=s.max_retry_interval if s.max_retry_interval > 0 else math.inf,
            request_timeout=s.timeout,
            factor=s.retry_backoff,
        )

    def lookup(self, store: str, bucket: str, name: str, settings: NatsSettings) -> Any:
        """The decoded value of ``store`` ("kv" or "obj") ``bucket``/``name``."""
        value = self.cached(
            (settings.url, store, bucket, name),
            lambda: self._read(store, bucket, name, settings),
            ttl=settings.cache_ttl,
        )
        # one decoded map per read, shared by every place that asked: each gets a copy
        return copy.deepcopy(value) if isinstance(value, dict | list) else value

    def _read(self, store: str, bucket: str, name: str, settings: NatsSettings) -> Any:
        what = failure_prefix(store, bucket, name)
        if settings.audit_logging:
            log.debug(
                "AUDIT: Accessing %s store: %s/%s%s",
                "KV" if store == "kv" else "Object",
                bucket,
                name,
                f" (target: {self.target})" if self.target else "",
            )

        def attempt(timeout: float) -> Any:
            try:
                if store == "kv":
                    return self.client.kv_get(settings, bucket, name, timeout)
                return self.client.object_get(
                    settings, bucket, name, timeout, settings.object_limit
                )
            except NatsTransient as exc:
                exc.what = CONNECT if exc.connecting else what  # type: ignore[attr-defined]
                raise
            except NatsFailure as exc:
                raise BackendError(
                    f"{CONNECT if exc.connecting else what}: {exc.message}", status=exc.status
                ) from None
            except SecretNotFound as exc:
                raise SecretNotFound(f"{what}: {exc.message}") from None

        answer = self.request(
            "kv_get" if store == "kv" else "object_get",
            attempt,
            policy=self.policy_for(settings),
            channel=settings.connection_key,
        )
        if store == "kv":
            return kv_value(answer, f"kv:{bucket}/{name}")
        headers, data = answer
        return object_value(name, content_type(headers), data)

    def give_up_message(self, failure: Transient, attempts: int, elapsed: float) -> str:
        what = getattr(failure, "what", CONNECT)
        return f"{what} after {attempts} attempts: {failure.reason}"

    @property
    def connections(self) -> int:
        return self.client.connections

    def close(self) -> None:
        self.client.close()
