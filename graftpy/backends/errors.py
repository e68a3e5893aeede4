"""Errors of the secret backends.

Every message here is built from paths, keys, status codes and the server's own
error strings: never from a secret value. Exceptions are raised ``from None`` so
no third-party exception (whose text we do not control) rides along as a cause.
"""

from __future__ import annotations

from graftpy.errors import GraftError


class BackendError(GraftError):
    """A secret could not be read; the operator reports ``message`` at its path.

    ``status`` is the HTTP status of the answer, when there was one (for events).
    """

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class SecretNotFound(BackendError):
    """The secret, or the key inside it, does not exist (the one error `||` and
    `vault-try` fall back on)."""


class BackendUnavailable(BackendError):
    """Retries could not get an answer within the deadline (or the backend already
    failed that way in this run)."""


class Transient(Exception):
    """One attempt failed in a way worth retrying (never leaves the backend layer).

    ``reason`` is the text reported if every retry fails; ``throttled`` marks
    answers that ask us to slow down (429, 503, AWS throttling codes);
    ``retry_after`` is the server's hint in seconds, when it gave one.
    """

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        throttled: bool = False,
        retry_after: float | None = None,
        outcome: str = "server_error",
        cause: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        # the part of ``reason`` that is not about this request (``connect: connection
        # refused`` of ``Transport Error: Get "URL": connect: ...``): once the backend is
        # down, other requests are failed with their own URL and this cause
        self.cause = cause
        self.status = status
        self.throttled = throttled
        self.retry_after = retry_after
        self.outcome = "throttled" if throttled else outcome
