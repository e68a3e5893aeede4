"""An OpenBao dev server holding the secrets the generator asks for (``strategies.secrets``)."""

from __future__ import annotations

from .strategies.secrets import SECRETS


def start_seeded_server():
    from servers.openbao import OpenBaoServer  # tests/servers, on sys.path under pytest too

    server = OpenBaoServer().start()
    for path, values in SECRETS.items():
        server.put(path, values)
    return server
