"""Real servers for integration tests: an OpenBao dev server, moto's AWS server, and
a fault-injecting HTTP proxy to put in front of either.

Use them from any test folder::

    from servers import FaultProxy, MotoServer, OpenBaoServer, free_port

(``tests/`` must be on ``sys.path``: ``tests/backends/conftest.py`` shows how) or
pull in the ready-made pytest fixtures with ``from servers.fixtures import *``.
"""

from servers.faults import FaultProxy, FaultSpec
from servers.moto_server import MotoServer
from servers.openbao import OpenBaoServer
from servers.ports import free_port

__all__ = ["FaultProxy", "FaultSpec", "MotoServer", "OpenBaoServer", "free_port"]
