"""Backend tests run against real servers (see ``tests/servers``)."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from servers.fixtures import (  # noqa: E402,F401
    fault_proxy,
    moto,
    moto_session,
    nats,
    openbao,
    tcp_fault_proxy,
)
