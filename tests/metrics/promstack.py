"""Real Prometheus and Pushgateway servers for the tests (Debian's binaries).

Each starts on a free loopback port with files in a temp folder, answers
``/-/ready`` before ``start()`` returns, and is stopped by ``stop()`` (the
fixtures call it in ``finally``). When a binary is missing, ``missing()`` says
which, so the tests skip with that reason (CI installs them: .ci/system-packages).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from servers.ports import free_port

PROMETHEUS = "prometheus"
PUSHGATEWAY = "prometheus-pushgateway"


def missing(*binaries: str) -> str | None:
    """A skip reason when one of ``binaries`` is not on PATH, else None."""
    absent = [b for b in binaries if shutil.which(b) is None]
    if not absent:
        return None
    return (
        f"{', '.join(absent)} not installed (Debian packages prometheus and "
        "prometheus-pushgateway; .ci/system-packages installs them in CI)"
    )


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until(check: Any, timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll ``check()`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except (OSError, ValueError) as exc:  # not up yet
            last_error = exc
        else:
            if result:
                return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} ({last_error})")


class _Process:
    name = "server"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self, timeout: float = 30.0) -> _Process:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir
            )

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log()}")
            return http_get(self.url + "/-/ready", timeout=1.0)[0] == 200

        wait_until(ready, timeout, f"{self.name} to be ready")
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class Pushgateway(_Process):
    name = "pushgateway"

    def command(self) -> list[str]:
        return [
            PUSHGATEWAY,
            f"--web.listen-address=127.0.0.1:{self.port}",
            "--persistence.file=",  # nothing kept between test runs
            "--log.level=warn",
        ]


class Prometheus(_Process):
    """Scrapes each target every second; ``honor`` targets keep their own labels."""

    name = "prometheus"

    def __init__(self, workdir: Path, targets: dict[str, str], honor: tuple[str, ...] = ()):
        super().__init__(workdir)
        self.targets = targets  # job name -> "host:port"
        self.honor = honor

    def command(self) -> list[str]:
        config = self.workdir / "prometheus.yml"
        config.write_text(self.config())
        return [
            PROMETHEUS,
            f"--config.file={config}",
            f"--storage.tsdb.path={self.workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
            "--log.level=warn",
        ]

    def config(self) -> str:
        lines = [
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
        ]
        for job, target in self.targets.items():
            lines += [f"  - job_name: {json.dumps(job)}"]
            if job in self.honor:
                lines += ["    honor_labels: true"]
            lines += ["    static_configs:", f"      - targets: [{json.dumps(target)}]"]
        return "\n".join(lines) + "\n"

    def query(self, expr: str) -> list[dict[str, Any]]:
        """The result of an instant query; raises AssertionError when Prometheus refuses it."""
        url = self.url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        status, body = http_get(url)
        answer = json.loads(body)
        if status != 200 or answer.get("status") != "success":
            raise AssertionError(f"query refused ({status}): {expr}\n{answer.get('error')}")
        return answer["data"]["result"]

    def values(self, expr: str) -> list[float]:
        """The sample values of an instant-vector (or scalar) query."""
        result = self.query(expr)
        if result and "value" not in result[0]:
            return []
        return [float(item["value"][1]) for item in result]

    def target_health(self) -> dict[str, str]:
        status, body = http_get(self.url + "/api/v1/targets")
        active = json.loads(body)["data"]["activeTargets"] if status == 200 else []
        return {t["labels"]["job"]: t["health"] for t in active}


class TextfileExporter:
    """node_exporter's textfile collector, as far as Prometheus sees it: ``/metrics``
    answers the ``.prom`` file as it is on disk at each scrape (graftpy writes it
    atomically, so a scrape never sees half a file)."""

    def __init__(self, path: Path) -> None:
        import http.server
        import threading

        source = path

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                try:
                    body = source.read_bytes() if self.path == "/metrics" else b""
                except FileNotFoundError:
                    body = b""  # no run yet
                self.send_response(200 if self.path == "/metrics" else 404)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def start(self) -> TextfileExporter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
