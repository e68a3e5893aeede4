"""moto's AWS server mode on a free loopback port (no patching of boto3).

server = MotoServer().start()
server.client("ssm").put_parameter(Name="/a", Value="x", Type="SecureString")
env = server.env()      # AWS_ENDPOINT_URL, region, dummy credentials
server.stop()
"""

from __future__ import annotations

from typing import Any

from servers.ports import free_port

REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class MotoServer:
    def __init__(self) -> None:
        self.port = 0
        self._server: Any = None
        self._clients: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines on stderr
        self.port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        return self

    def warm_up(self) -> None:
        """Make moto load its SSM, Secrets Manager and STS models now (seconds, once)."""
        self.client("ssm").describe_parameters()
        self.client("secretsmanager").list_secrets()
        self.client("sts").get_caller_identity()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def reset(self) -> None:
        """Forget every resource (moto's reset endpoint)."""
        import urllib.request

        req = urllib.request.Request(f"{self.url}/moto-api/reset", data=b"", method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def env(self, endpoint: str | None = None) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": endpoint or self.url,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            **CREDENTIALS,
        }

    def client(self, service: str) -> Any:
        """A boto3 client on this server (made once per service: they are slow to make)."""
        if service not in self._clients:
            self._clients[service] = self._make_client(service)
        return self._clients[service]

    def _make_client(self, service: str) -> Any:
        import boto3

        return boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        ).client(service, endpoint_url=self.url)
