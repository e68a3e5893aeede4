"""Real servers for integration tests: an OpenBao dev server, moto's AWS server, a
NATS server with JetStream, a fault-injecting HTTP proxy to put in front of the
first two and a fault-injecting TCP proxy for the third.

Use them from any test folder::

    from servers import FaultProxy, MotoServer, NatsServer, OpenBaoServer, free_port

(``tests/`` must be on ``sys.path``: ``tests/backends/conftest.py`` shows how) or
pull in the ready-made pytest fixtures with ``from servers.fixtures import *``.
"""

from servers.faults import FaultProxy, FaultSpec
from servers.moto_server import MotoServer
from servers.nats_server import NatsServer
from servers.openbao import OpenBaoServer
from servers.ports import free_port
from servers.tcp_faults import TcpFaultProxy, TcpFaultSpec

__all__ = [
    "FaultProxy",
    "FaultSpec",
    "MotoServer",
    "NatsServer",
    "OpenBaoServer",
    "TcpFaultProxy",
    "TcpFaultSpec",
    "free_port",
]
