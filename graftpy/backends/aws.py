"""AWS SSM Parameter Store (awsparam) and Secrets Manager (awssecret) via boto3.

Configuration, as graft: ``AWS_PROFILE``, ``AWS_REGION``, ``AWS_ROLE`` (a role to
assume), plus boto3's own ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_SSM`` /
``AWS_ENDPOINT_URL_SECRETS_MANAGER``, credentials chain and
``AWS_DEFAULT_REGION``; ``@target`` uses a target's settings instead.
botocore's own retries are off: the backend layer retries (and counts).
Values are cached by (name, stage, version): DIVERGENCES row 10. awsparam
ignores stage and version, as graft does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from graftpy.backends.base import Backend
from graftpy.backends.config import BackendConfig
from graftpy.backends.errors import BackendError, SecretNotFound, Transient
from graftpy.backends.logsafe import quiet_client_loggers
from graftpy.backends.targets import AwsTarget

SERVICES = {"awsparam": "ssm", "awssecret": "secretsmanager"}
ENDPOINT_VARS = {
    "ssm": "AWS_ENDPOINT_URL_SSM",
    "secretsmanager": "AWS_ENDPOINT_URL_SECRETS_MANAGER",
}
NOT_FOUND = {"ParameterNotFound", "ParameterVersionNotFound", "ResourceNotFoundException"}
THROTTLING = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
}
INIT_ERROR = "error during AWS session initialization: {}"
MISSING_REGION = "MissingRegion: could not find region configuration"


class MissingRegion(BackendError):
    pass


class AwsSessions:
    """One boto3 session per target (None: the default), created on first use."""

    def __init__(self, env: Mapping[str, str], max_pool: int, timeout: float) -> None:
        self.env = env
        self.max_pool = max_pool
        self.timeout = timeout
        self._lock = threading.Lock()
        self._sessions: dict[str | None, Any] = {}
        self._errors: dict[str | None, BackendError] = {}

    def default_target(self) -> AwsTarget:
        e = self.env
        return AwsTarget(
            region=e.get("AWS_REGION", ""),
            profile=e.get("AWS_PROFILE", ""),
            role=e.get("AWS_ROLE", ""),
            endpoint=e.get("AWS_ENDPOINT_URL", ""),
            access_key_id=e.get("AWS_ACCESS_KEY_ID", ""),
            secret_access_key=e.get("AWS_SECRET_ACCESS_KEY", ""),
            session_token=e.get("AWS_SESSION_TOKEN", ""),
        )

    def session(self, key: str | None, target: AwsTarget, request: Callable) -> Any:
        with self._lock:
            if key in self._sessions:
                return self._sessions[key]
            if key in self._errors:
                raise BackendError(self._errors[key].message)
            try:
                session = self._make_session(target, request)
            except BackendError as exc:
                self._errors[key] = exc
                raise
            self._sessions[key] = session
            return session

    def client_config(self) -> Any:
        from botocore.config import Config

        return Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            max_pool_connections=self.max_pool,
            connect_timeout=min(5.0, self.timeout),
            read_timeout=self.timeout,
            user_agent_extra="graftpy",
        )

    def _make_session(self, target: AwsTarget, request: Callable) -> Any:
        import boto3
        import botocore.exceptions as bx

        quiet_client_loggers()
        creds = {}
        if target.access_key_id and target.secret_access_key:
            creds = {
                "aws_access_key_id": target.access_key_id,
                "aws_secret_access_key": target.secret_access_key,
                "aws_session_token": target.session_token or None,
            }
        try:
            session = boto3.session.Session(
                profile_name=target.profile or None,
                region_name=target.region or None,
                botocore_session=_botocore_session(),
                **creds,
            )
        except bx.BotoCoreError as exc:
            raise BackendError(INIT_ERROR.format(exc)) from None
        if not target.role:
            return session
        sts = session.client(
            "sts", endpoint_url=self.endpoint(target, "sts"), config=self.client_config()
        )
        params = {
            "RoleArn": target.role,
            "RoleSessionName": target.session_name or f"graftpy-{int(time.time())}",
        }
        if target.external_id:
            params["ExternalId"] = target.external_id
        try:
            answer = request("AssumeRole", lambda _t: call_aws(lambda: sts.assume_role(**params)))
        except BackendError as exc:
            raise BackendError(INIT_ERROR.format(exc.message)) from None
        c = answer["Credentials"]
        return boto3.session.Session(
            botocore_session=_botocore_session(),
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
            region_name=session.region_name,
        )

    def endpoint(self, target: AwsTarget, service: str) -> str | None:
        return self.env.get(ENDPOINT_VARS.get(service, "")) or target.endpoint or None


class AwsBackend(Backend):
    """``kind`` is the operator: "awsparam" (SSM) or "awssecret" (Secrets Manager)."""

    def __init__(
        self,
        kind: str,
        sessions: AwsSessions,
        target_config: Callable[[], AwsTarget],
        target: str | None,
        config: BackendConfig,
    ) -> None:
        self.kind = kind
        super().__init__(target, config)
        self.service = SERVICES[kind]
        self._sessions = sessions
        self._target_config = target_config
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                from graftpy.extras import require

                require("boto3", f"(( {self.kind} ))")  # the `aws` extra
                target = self._target_config()
                session = self._sessions.session(self.target, target, self.request)
                import botocore.exceptions as bx

                try:
                    self._client = session.client(
                        self.service,
                        endpoint_url=self._sessions.endpoint(target, self.service),
                        config=self._sessions.client_config(),
                    )
                except bx.NoRegionError:
                    raise MissingRegion(MISSING_REGION) from None
                except bx.BotoCoreError as exc:
                    raise BackendError(INIT_ERROR.format(exc)) from None
            return self._client

    def fetch(self, name: str, stage: str = "", version: str = "") -> str:
        """The value of parameter/secret ``name`` (once per run per name, stage, version)."""
        if self.kind == "awsparam":
            stage = version = ""
        return self.cached((name, stage, version), lambda: self._fetch(name, stage, version))

    def _fetch(self, name: str, stage: str, version: str) -> str:
        try:
            client = self.client()  # configuration and session errors are reported as they are
        except MissingRegion as exc:  # graft (Go SDK) only notices at the request
            raise BackendError(f"$.{name} error fetching {self.kind}: {exc.message}") from None
        try:
            if self.kind == "awsparam":
                answer = self.request(
                    "GetParameter",
                    lambda _t: call_aws(
                        lambda: client.get_parameter(Name=name, WithDecryption=True)
                    ),
                )
                return str(answer.get("Parameter", {}).get("Value") or "")
            params = {"SecretId": name}
            if stage:
                params["VersionStage"] = stage
            elif version:
                params["VersionId"] = version
            answer = self.request(
                "GetSecretValue", lambda _t: call_aws(lambda: client.get_secret_value(**params))
            )
            return str(answer.get("SecretString") or "")
        except BackendError as exc:
            message = f"$.{name} error fetching {self.kind}: {exc.message}"
            raise type(exc)(message, status=exc.status) from None


_loader_lock = threading.Lock()
_loader: Any = None


def _botocore_session() -> Any:
    """A fresh botocore session sharing one model loader per process: loading the
    service models is most of the cost of a client, and they never change."""
    global _loader
    import botocore.loaders
    import botocore.session

    with _loader_lock:
        if _loader is None:
            _loader = botocore.loaders.create_loader()
    session = botocore.session.Session()
    session.register_component("data_loader", _loader)
    return session


def call_aws(call: Callable[[], Any]) -> Any:
    """One AWS call; its failures sorted into final answers and retryable ones."""
    import botocore.exceptions as bx

    try:
        return call()
    except bx.ClientError as exc:
        err = exc.response.get("Error", {})
        code = str(err.get("Code", "") or "")
        msg = str(err.get("Message", "") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        text = f"{code}: {msg}" if msg else code or f"HTTP {status}"
        if code in NOT_FOUND:
            raise SecretNotFound(text, status=status) from None
        if code in THROTTLING or status in (429, 503):
            raise Transient(text, status=status, throttled=True) from None
        if status is not None and status >= 500:
            raise Transient(text, status=status) from None
        raise BackendError(text, status=status) from None
    except bx.SSLError:  # a certificate problem does not go away by retrying
        raise BackendError("RequestError: send request failed caused by: SSLError") from None
    except (bx.ConnectionError, bx.HTTPClientError) as exc:
        raise Transient(
            f"RequestError: send request failed caused by: {type(exc).__name__}",
            outcome="connection_error",
        ) from None
    except bx.NoCredentialsError:
        raise BackendError("NoCredentialProviders: no valid providers in chain") from None
    except bx.NoRegionError:
        raise BackendError(MISSING_REGION) from None
    except bx.BotoCoreError as exc:
        raise BackendError(f"{type(exc).__name__}: {exc}") from None
