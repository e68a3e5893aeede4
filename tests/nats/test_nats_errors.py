"""How nats-py's failures are sorted for the backend layer (retry, answer, refusal)."""

from __future__ import annotations

import nats.errors as ne
import nats.js.errors as je
import pytest

from graftpy.backends import SecretNotFound
from graftpy.backends.nats_failures import NatsFailure, NatsTransient, request_failure


@pytest.mark.parametrize(
    ("exc", "kind", "text"),
    [
        (je.BucketNotFoundError(), SecretNotFound, "nats: bucket not found"),
        (je.KeyNotFoundError(), SecretNotFound, "nats: key not found"),
        (je.ObjectNotFoundError(), SecretNotFound, "nats: object not found"),
        (je.InvalidKeyError(), NatsFailure, "nats: invalid key"),
        (ne.TimeoutError(), NatsTransient, "nats: timeout"),
        (ne.ConnectionClosedError(), NatsTransient, "nats: connection closed"),
        (ConnectionResetError(), NatsTransient, "nats: connection closed"),
        (ne.NoRespondersError(), NatsTransient, "nats: jetstream not enabled"),
        (je.ServiceUnavailableError(code=503), NatsTransient, "nats: jetstream unavailable"),
        (ne.AuthorizationError(), NatsFailure, "nats: authorization violation"),
    ],
)
def test_failures_are_sorted(exc, kind, text):
    failure = request_failure(exc)
    assert isinstance(failure, kind)
    assert getattr(failure, "reason", None) == text or getattr(failure, "message", None) == text


def test_a_jetstream_503_asks_to_slow_down():
    failure = request_failure(je.ServiceUnavailableError(code=503))
    assert failure.throttled and failure.status == 503
    assert not request_failure(ne.NoRespondersError()).throttled


def test_a_bug_is_not_dressed_up_as_an_answer():
    bug = KeyError("x")
    assert request_failure(bug) is bug
