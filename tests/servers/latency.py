"""The bench's latency proxy (``shared/bench/latency_proxy.py``) in front of a server.

    proxy = LatencyProxy("http://127.0.0.1:8200", delay_ms=20).start()
    ... point the client at proxy.addr ...
    stats = proxy.stop()     # {"requests": .., "connections": .., "by_path": {...}}
    proxy.most_in_flight()   # at most how many requests were in flight together

Every request and every new connection costs ``delay_ms``, as a remote server would;
the proxy counts what it saw, and logs when each request reached it: requests
that reached it less than ``delay_ms`` apart cannot have waited for each other's
answer (each answer comes ``delay_ms`` after its request at the earliest), so
they were in flight together (``most_in_flight``). ``available()`` is False when
the bench tools are not beside the repository (the tests that need them are
skipped then).
"""

from __future__ import annotations

import bisect
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
        self.log_file = Path(tempfile.mkstemp(suffix=".log")[1])
        self._times: list[float] = []

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
                "--log",
                str(self.log_file),
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

    def request_times(self) -> list[float]:
        """When each request reached the proxy (ms since it started), sorted."""
        try:
            lines = self.log_file.read_text().splitlines()
        except OSError:  # stopped: what it had logged
            return self._times
        # "<ms> <conn id> GET /v1/..." (connections are logged as CONNECT)
        return sorted(float(line.split()[0]) for line in lines if " GET " in line)

    def most_in_flight(self) -> int:
        """The most requests that reached the proxy within ``delay_ms`` of each other."""
        times = self.request_times()
        most = 0
        for i, start in enumerate(times):
            most = max(most, bisect.bisect_left(times, start + self.delay_ms, i) - i)
        return most

    def clear_log(self) -> None:
        """Forget the requests seen so far (the proxy appends to its log)."""
        self.log_file.write_text("")

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
        self._times = self.request_times()
        self.log_file.unlink(missing_ok=True)
        return json.loads(text) if text else {}


