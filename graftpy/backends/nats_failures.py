"""How nats-py's failures are sorted for the backend layer, and their texts.

* ``NatsTransient`` (a ``Transient``): worth another try: no server answered,
  the connection dropped, a timeout, JetStream unavailable (503: also a signal to
  slow down);
* ``SecretNotFound``: no such bucket, key or object;
* ``NatsFailure`` (a ``BackendError``): a final answer: refused credentials, a
  TLS failure, an invalid key, an object over the size limit.

Texts are nats.go's where there is one (``nats: key not found``); they never hold
a value, a URL or a credential. ``connecting`` tells whether the failure happened
while connecting (graft words those differently). nats-py is imported inside the
functions: this module is imported before the first read.
"""

from __future__ import annotations

from typing import Any

from graftpy.backends.errors import BackendError, SecretNotFound, Transient

NO_SERVERS = "nats: no servers available for connection"
TIMEOUT = "nats: timeout"
CLOSED = "nats: connection closed"


class NatsTransient(Transient):
    def __init__(self, reason: str, *, connecting: bool = False, **kw: Any) -> None:
        kw.setdefault("outcome", "connection_error")
        super().__init__(reason, **kw)
        self.connecting = connecting


class NatsFailure(BackendError):
    def __init__(self, message: str, *, connecting: bool = False, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.connecting = connecting


def connect_failure(exc: Exception) -> BackendError | Transient:
    import ssl

    if isinstance(exc, ssl.SSLCertVerificationError):
        return NatsFailure(
            f"nats: TLS: certificate verification failed: {exc.verify_message}", connecting=True
        )
    if isinstance(exc, ssl.SSLError):
        return NatsFailure(f"nats: TLS: {exc.reason or 'handshake failed'}", connecting=True)
    if isinstance(exc, OSError | EOFError):
        return NatsTransient(NO_SERVERS, connecting=True)
    text = str(exc) if str(exc).startswith("nats:") else f"nats: {type(exc).__name__}"
    return NatsFailure(text, connecting=True)


def request_failure(exc: Exception) -> Exception:
    import nats.errors as ne
    import nats.js.errors as je

    if isinstance(exc, NatsFailure | NatsTransient | SecretNotFound):
        return exc
    if isinstance(exc, je.BucketNotFoundError):
        return SecretNotFound("nats: bucket not found")
    if isinstance(exc, je.KeyNotFoundError | je.KeyDeletedError):
        return SecretNotFound("nats: key not found")
    if isinstance(exc, je.ObjectNotFoundError | je.ObjectDeletedError):
        return SecretNotFound("nats: object not found")
    if isinstance(exc, je.NotFoundError):  # a stream or message behind the bucket
        return SecretNotFound("nats: not found")
    if isinstance(exc, je.InvalidKeyError):
        return NatsFailure("nats: invalid key")
    if isinstance(exc, je.InvalidBucketNameError):
        return NatsFailure("nats: invalid bucket name")
    if isinstance(exc, je.InvalidObjectNameError):
        return NatsFailure("nats: invalid object name")
    if isinstance(exc, je.DigestMismatchError):  # the object changed while we read it
        return NatsTransient("nats: received a corrupt object, digests do not match")
    if isinstance(exc, je.ServiceUnavailableError) or (
        isinstance(exc, je.APIError) and exc.code == 503
    ):
        # JetStream's 503: overloaded or between leaders; like an HTTP 503, a signal
        # to slow down (the adaptive strategy halves the backend's share)
        return NatsTransient("nats: jetstream unavailable", status=503, throttled=True)
    if isinstance(exc, ne.NoRespondersError):
        return NatsTransient("nats: jetstream not enabled", status=503, outcome="server_error")
    if isinstance(exc, je.APIError):
        return NatsFailure(
            f"nats: API error {exc.code or ''} {exc.description or type(exc).__name__}".replace(
                "  ", " "
            ),
            status=exc.code,
        )
    if isinstance(exc, TimeoutError | ne.TimeoutError):
        return NatsTransient(TIMEOUT)
    if isinstance(
        exc,
        ne.ConnectionClosedError
        | ne.StaleConnectionError
        | ne.ConnectionReconnectingError
        | ne.ConnectionDrainingError
        | OSError,
    ):
        return NatsTransient(CLOSED)
    if isinstance(exc, ne.AuthorizationError):
        return NatsFailure("nats: authorization violation")
    if isinstance(exc, ne.Error):
        text = str(exc)
        return NatsFailure(text if text.startswith("nats:") else f"nats: {type(exc).__name__}")
    return exc  # a bug: not dressed up as an answer
