"""A TCP proxy that injects faults into the connections it relays (for NATS: not HTTP).

    proxy = TcpFaultProxy(("127.0.0.1", 4222), TcpFaultSpec(reset=0.05, seed=3)).start()
    ... point the client at proxy.url ...
    proxy.break_all()      # reset every open connection now (a network blip)
    proxy.stall_all()      # or let them fall silent (a black hole)
    proxy.stats            # {"connections": .., "chunks": .., "reset": .., ...}
    proxy.stop()

Each chunk the client sends draws one fate from a seeded RNG: the connection is
reset (RST to both ends), it stalls (nothing more is relayed, nothing closed:
the client sees a timeout), the chunk is delayed, or it is forwarded. The first
``refuse`` connections are reset as soon as they are accepted. Answers from the
server are passed back as they come. Loopback only.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass


@dataclass
class TcpFaultSpec:
    reset: float = 0.0  # share of client chunks on which the connection is reset
    stall: float = 0.0  # share on which the connection stops relaying
    delay: float = 0.0  # share delayed by delay_s
    delay_s: float = 0.05
    refuse: int = 0  # the first connections are reset at once
    seed: int = 1


class TcpFaultProxy:
    def __init__(self, upstream: tuple[str, int], spec: TcpFaultSpec | None = None) -> None:
        self.upstream = upstream
        self.spec = spec or TcpFaultSpec()
        self._rng = random.Random(self.spec.seed)
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[_Relay] = set()
        self.stats = {"connections": 0, "chunks": 0, "reset": 0, "stall": 0, "delay": 0, "refused": 0}

    @property
    def port(self) -> int:
        assert self._listener is not None
        return self._listener.getsockname()[1]

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> TcpFaultProxy:
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        self.break_all(count=False)

    def set_spec(self, spec: TcpFaultSpec) -> None:
        with self._lock:
            self.spec = spec
            self._rng = random.Random(spec.seed)

    def open_after(self, seconds: float) -> int:
        """Connections still open once ``seconds`` have passed or none is left: a client's
        close reaches the proxy's relay threads a moment after the client returns."""
        deadline = time.monotonic() + seconds
        while True:
            with self._lock:
                left = len(self._open)
            if left == 0 or time.monotonic() >= deadline:
                return left
            time.sleep(0.01)

    def break_all(self, count: bool = True) -> int:
        """Reset every open connection; returns how many there were."""
        with self._lock:
            relays = list(self._open)
        for relay in relays:
            relay.reset()
            if count:
                self._note("reset")
        return len(relays)

    def stall_all(self) -> int:
        """Stop relaying on every open connection (they stay open: clients time out)."""
        with self._lock:
            relays = list(self._open)
            self.stats["stall"] += len(relays)
        for relay in relays:
            relay.stalled = True
        return len(relays)

    def _note(self, what: str) -> None:
        with self._lock:
            self.stats[what] += 1

    def fate(self) -> str:
        with self._lock:
            self.stats["chunks"] += 1
            roll = self._rng.random()
            for name in ("reset", "stall", "delay"):
                share = getattr(self.spec, name)
                if roll < share:
                    self.stats[name] += 1
                    return name
                roll -= share
            return "forward"

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.stats["connections"] += 1
                refuse = self.stats["refused"] < self.spec.refuse
                if refuse:
                    self.stats["refused"] += 1
            if refuse:
                _rst(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _rst(client)
                continue
            relay = _Relay(self, client, server)
            with self._lock:
                self._open.add(relay)
            relay.start()

    def _closed(self, relay: _Relay) -> None:
        with self._lock:
            self._open.discard(relay)


class _Relay:
    def __init__(self, owner: TcpFaultProxy, client: socket.socket, server: socket.socket) -> None:
        self.owner = owner
        self.client = client
        self.server = server
        self.stalled = False
        self._done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._upstream, daemon=True).start()
        threading.Thread(target=self._downstream, daemon=True).start()

    def _upstream(self) -> None:
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                if self.stalled:
                    continue
                fate = self.owner.fate()
                if fate == "reset":
                    self.reset()
                    return
                if fate == "stall":
                    self.stalled = True
                    continue
                if fate == "delay":
                    time.sleep(self.owner.spec.delay_s)
                self.server.sendall(data)
        except OSError:
            pass
        self.close()

    def _downstream(self) -> None:
        try:
            while True:
                data = self.server.recv(65536)
                if not data:
                    break
                if not self.stalled:
                    self.client.sendall(data)
        except OSError:
            pass
        self.close()

    def reset(self) -> None:
        _rst(self.client)
        _rst(self.server)
        self.close()

    def close(self) -> None:
        if self._done.is_set():
            return
        self._done.set()
        for s in (self.client, self.server):
            with contextlib.suppress(OSError):
                s.close()
        self.owner._closed(self)


def _rst(sock: socket.socket) -> None:
    """Close with a reset (RST), not an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
