"""Merge tests must not see a DEFAULT_ARRAY_MERGE_KEY from the environment."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_merge_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEFAULT_ARRAY_MERGE_KEY", raising=False)
