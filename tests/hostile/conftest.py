"""Hostile input, hostile servers, hostile files (issue 13): real files, devices, FIFOs,
servers that trickle or never answer, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from servers.fixtures import openbao  # noqa: E402,F401


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 90,
    preexec: object = None,
) -> subprocess.CompletedProcess:
    """``graftpy ARGS`` in a child process, as a user's shell would run it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "GRAFT_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


@pytest.fixture
def cli():
    return run_cli

