"""Fixtures for every test.

``graftpy.taint.PROCESS`` collects the secrets of every run in the process, for the
CLI's redaction; in one pytest process that would carry one test's secrets (a nats
value ``1``) into another test's messages (``REDACTED error(s) detected``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _secrets_of_one_test_only() -> Iterator[None]:
    yield
    from graftpy import taint

    taint.PROCESS.forget()
