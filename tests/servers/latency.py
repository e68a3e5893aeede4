"""The bench's latency proxy (``shared/bench/latency_proxy.py``) in front of a server.

    proxy = LatencyProxy("http://127.0.0.1:8200", delay_ms=20).start()
    ... point the client at proxy.addr ...
    stats = proxy.stop()     # {"requests": .., "connections": .., "by_path": {...}}

Every request and every new connection costs ``delay_ms``, as a remote server would;
the proxy counts what it saw. ``available()`` is False when the bench tools are not
beside the repository (the tests that need them are skipped then).
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from servers.ports import free_port

SCRIPT = Path(__file__).resolve().parents[3] / "shared" / "bench" / "latency_proxy.py"


def available() -> bool:
    return SCRIPT.is_file()


class LatencyProxy:
    def __init__(self, upstream: str, delay_ms: float = 20) -> None:
        self.upstream = upstream.split("//", 1)[-1]
        self.delay_ms = delay_ms
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.stats_file = Path(tempfile.mkstemp(suffix=".json")[1])

    @property
    def addr(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LatencyProxy:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(SCRIPT),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--upstream",
                self.upstream,
                "--delay-ms",
                str(self.delay_ms),
                "--stats",
                str(self.stats_file),
                "--max-seconds",
                "300",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("the latency proxy did not start")

    def stop(self) -> dict[str, Any]:
        """Stop it; returns what it counted."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        try:
            text = self.stats_file.read_text()
        except OSError:
            text = ""
        self.stats_file.unlink(missing_ok=True)
        return json.loads(text) if text else {}
