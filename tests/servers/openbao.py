"""An OpenBao dev server on a free loopback port (the ``bao`` binary of the venv).

server = OpenBaoServer().start()
server.enable_kv("kv1", version=1)      # secret/ is KV v2 on a dev server
server.put("secret/app", {"password": "x"})
...
server.stop()
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

from servers.binaries import installed
from servers.ports import free_port


def bao_binary() -> str | None:
    return installed("bao")


class OpenBaoServer:
    def __init__(self, token: str = "root-token-for-tests", tls: bool = False) -> None:
        self.token = token
        self.tls = tls  # -dev-tls: a self-signed certificate (VAULT_SKIP_VERIFY territory)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.versions: dict[str, int] = {"secret": 2}

    @property
    def addr(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> OpenBaoServer:
        binary = bao_binary()
        if binary is None:
            raise RuntimeError("the bao binary is not installed")
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
        tls = ["-dev-tls", f"-dev-tls-cert-dir={tempfile.mkdtemp()}"] if self.tls else []
        self.proc = subprocess.Popen(
            [
                binary,
                "server",
                "-dev",
                "-dev-no-store-token",  # never overwrite the developer's ~/.vault-token
                f"-dev-root-token-id={self.token}",
                f"-dev-listen-address=127.0.0.1:{self.port}",
                *tls,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bao exited with {self.proc.returncode}")
            try:
                health = self.call("GET", "sys/health")
                if health and not health.get("sealed", True):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("OpenBao dev server did not become ready")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.addr}/v1/{path}",
            data=data,
            method=method,
            headers={"X-Vault-Token": self.token, "Content-Type": "application/json"},
        )
        context = ssl._create_unverified_context() if self.tls else None  # our own test server
        with urllib.request.urlopen(req, timeout=10, context=context) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def enable_kv(self, mount: str, version: int) -> None:
        self.call(
            "POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": str(version)}}
        )
        self.versions[mount] = version

    def put(self, path: str, values: dict[str, Any]) -> None:
        mount, _, rest = path.partition("/")
        if self.versions.get(mount, 1) == 2:
            self.call("POST", f"{mount}/data/{rest}", {"data": values})
        else:
            self.call("POST", path, values)

    def delete(self, path: str) -> None:
        mount, _, rest = path.partition("/")
        if self.versions.get(mount, 1) == 2:
            self.call("DELETE", f"{mount}/data/{rest}")
        else:
            self.call("DELETE", path)

    def create_token(self, policies: list[str]) -> str:
        answer = self.call("POST", "auth/token/create", {"policies": policies, "ttl": "1h"})
        return answer["auth"]["client_token"]

    def write_policy(self, name: str, hcl: str) -> None:
        self.call("PUT", f"sys/policies/acl/{name}", {"policy": hcl})
