"""Vault / OpenBao KV reads through hvac.

* KV v1 and v2 are told apart per mount with ``sys/internal/ui/mounts/<path>``
  (as the vault CLI does); the answer is cached by mount, so a run asks once per
  mount. A 404 there (old Vault, no mount) means v1, as in graft.
* Each secret path is read once per run (``Backend.cached``); keys are picked
  from the cached secret. Missing secrets are cached too.
* Error texts follow graft (vaultkv): ``secret a/b:c not found``,
  ``403 Forbidden: permission denied``, ``secret a/b:c is not a string``...
* hvac (and with it requests) is imported on first use only.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from graftpy import taint
from graftpy.backends.base import Backend
from graftpy.backends.config import BackendConfig
from graftpy.backends.errors import BackendError, SecretNotFound, Transient
from graftpy.backends.logsafe import quiet_client_loggers
from graftpy.backends.vault_answers import (
    error_text,
    not_json_text,
    retry_after,
    secret_data,
    status_phrase,
    transport_reason,
)
from graftpy.backends.vault_settings import VaultSettings
from graftpy.errors import GraftError

RETRY_STATUSES = {412, 429, 500, 502, 503, 504}
THROTTLE_STATUSES = {429, 503}


def split_path_key(path_key: str) -> tuple[str, str]:
    """graft's parsePath: split at the last colon; no colon means no key."""
    secret, sep, key = path_key.rpartition(":")
    return (secret, key) if sep else (path_key, "")


class VaultBackend(Backend):
    kind = "vault"

    def __init__(
        self, settings: Callable[[], VaultSettings], target: str | None, config: BackendConfig
    ) -> None:
        super().__init__(target, config)
        self._settings_source = settings
        self._client: Any = None
        self._client_error: BackendError | None = None
        self._client_lock = threading.Lock()
        self._mounts: dict[str, int] = {}  # "secret/" -> 2
        self._mounts_lock = threading.Lock()
        self._discovery_locks: dict[str, threading.Lock] = {}
        # top-level segment -> (mount lookup URL, its answer on the way): ``_send_ahead``
        self._mounts_ahead: dict[str, tuple[str, Future]] = {}
        self.addr = ""  # for messages: the URL with any password masked
        self.url = ""

    # -- client ----------------------------------------------------------------
    def prepare(self, paths: Sequence[str]) -> None:
        """Ready the client for reads of ``paths`` about to start (``early_io``): connect
        the sockets they will use and ask for the mounts they are under, while hvac is
        imported. A failure is left for the reads to report (each call, at its path)."""
        with contextlib.suppress(GraftError):
            self.ensure_client(min(len(paths), self.concurrency.limit), _mount_probes(paths))

    def ensure_client(self, connections: int = 0, probes: Sequence[str] = ()) -> None:
        """Create the hvac client on first use, opening ``connections`` sockets ahead and
        sending the mount lookups of ``probes`` (secret paths); its failure is kept."""
        with self._client_lock:
            if self._client is not None:
                return
            if self._client_error is not None:
                raise BackendError(self._client_error.message)
            try:
                self._client = self._make_client(self._settings_source(), connections, probes)
            except BackendError as exc:
                self._client_error = exc
                raise

    def _make_client(self, settings: VaultSettings, connections: int, probes: Sequence[str]) -> Any:
        from graftpy.backends import http_session
        from graftpy.extras import require

        self.url = settings.addr.rstrip("/")
        # what messages show: a password in the URL (http://user:pass@host) masked
        self.addr = taint.mask_url_password(self.url)
        taint.PROCESS.add_credential(taint.url_password(self.url))
        taint.PROCESS.add_credential(settings.token)
        pooled = http_session.use_for(self.url)
        verify = not settings.skip_verify
        if pooled:
            session: Any = http_session.PooledSession(self.url, verify=verify)
            # their round trips pass during the import
            self._send_ahead(session, settings, connections, probes)
        try:
            hvac = require("hvac", "(( vault ))")  # missing only from a broken install
        except BaseException:
            if pooled:
                session.close()
            raise
        quiet_client_loggers()
        if settings.skip_verify:
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        if not pooled:  # a proxy applies: requests knows how to go through it
            session = self._requests_session(verify)
        return hvac.Client(
            url=self.url,
            token=settings.token,
            namespace=settings.namespace or None,
            verify=verify,
            session=session,
            adapter=hvac.adapters.RawAdapter,
        )

    def _send_ahead(
        self, session: Any, settings: VaultSettings, connections: int, probes: Sequence[str]
    ) -> None:
        """Open ``connections`` sockets and send each probe's mount lookup on them, as
        hvac's ``RawAdapter`` would send it (its URL joining, its headers). A read must
        know its mount first: that round trip then passes during hvac's import too."""
        headers = {"X-Vault-Request": "true"}
        if settings.token:
            headers["X-Vault-Token"] = settings.token
        if settings.namespace:
            headers["X-Vault-Namespace"] = settings.namespace
        urls = [_mount_url(path) for path in probes]
        sent = session.open_ahead(
            connections,
            [("/".join(part.strip("/") for part in (self.url, url)), headers) for url in urls],
            timeout=self.policy.request_timeout,
        )
        with self._mounts_lock:
            for path, url, answer in zip(probes, urls, sent, strict=True):
                self._mounts_ahead[_top(path)] = (url, answer)

    def _requests_session(self, verify: bool) -> Any:
        import requests
        from requests.adapters import HTTPAdapter

        session = requests.Session()
        pool = HTTPAdapter(pool_connections=4, pool_maxsize=self.concurrency.maximum, max_retries=0)
        session.mount("http://", pool)
        session.mount("https://", pool)
        session.verify = verify
        return session

    def close(self) -> None:
        if self._client is not None:
            self._client.adapter.close()

    # -- reads -----------------------------------------------------------------
    def lookup(self, path_key: str) -> str:
        """The string at ``path:key`` (graft's ``(( vault "path:key" ))``)."""
        self.ensure_client()
        path, key = split_path_key(path_key)
        if not path or not key:
            raise BackendError(
                f"invalid argument {path_key}; must be in the form path/to/secret:key"
            )
        try:
            secret = self.read(path)
        except SecretNotFound:
            raise SecretNotFound(f"secret {path_key} not found") from None
        except BackendError as exc:
            if exc.status != 403:
                raise
            # name what was refused: a policy written from `graftpy vaultinfo` lacks it
            raise BackendError(f"{exc.message} (reading {path_key})", status=403) from None
        if key not in secret:
            raise SecretNotFound(f"secret {path}:{key} not found")
        value = secret[key]
        if not isinstance(value, str):
            raise BackendError(f"secret {path}:{key} is not a string")
        return value

    def read(self, path: str) -> dict[str, Any]:
        """Every key of the secret at ``path`` (once per run, shared by all callers)."""
        self.ensure_client()
        return self.cached(_clean(path), lambda: self._read(_clean(path)))

    def _read(self, path: str) -> dict[str, Any]:
        mount, version = self.kv_version(path)
        url = f"v1/{mount}data/{path[len(mount) :]}" if version == 2 else f"v1/{path}"
        try:
            body = self._request_get("read", url)
        except SecretNotFound:
            raise SecretNotFound(f"secret {path} not found", status=404) from None
        return secret_data(body, path, version)

    def kv_version(self, path: str) -> tuple[str, int]:
        """The mount holding ``path`` and its KV version (asked once per mount)."""
        found = self._cached_mount(path)
        if found:
            return found
        first = _top(path)
        with self._client_lock:
            lock = self._discovery_locks.setdefault(first, threading.Lock())
        with lock:  # one discovery at a time per top-level segment: the rest reuse it
            with self._mounts_lock:
                ahead = self._mounts_ahead.pop(first, None)
            if ahead is not None:  # its lookup was sent ahead (``prepare``): take its answer
                with contextlib.suppress(GraftError):  # else asked again, below, for this path
                    self._discover(first, *ahead)
            found = self._cached_mount(path)
            if found:
                return found
            return self._discover(first, _mount_url(path))

    def _discover(self, first: str, url: str, sent: Future | None = None) -> tuple[str, int]:
        """Ask ``url`` (a mount lookup; ``sent``: its answer on the way) and keep the
        mount it names. A 404 (old Vault, no mount) means KV v1 under ``first``."""
        try:
            body = self._request_get("mount", url, sent)
        except SecretNotFound:
            mount, version = first + "/", 1
        else:
            data = body.get("data") if isinstance(body, dict) else None
            data = data if isinstance(data, dict) else {}
            mount = str(data.get("path") or first + "/")
            options = data.get("options") if isinstance(data.get("options"), dict) else {}
            is_v2 = data.get("type") == "kv" and str(options.get("version", "")) == "2"
            version = 2 if is_v2 else 1
        with self._mounts_lock:
            self._mounts[mount] = version
        return mount, version

    def _cached_mount(self, path: str) -> tuple[str, int] | None:
        best = None
        with self._mounts_lock:
            known = list(self._mounts.items())
        for mount, version in known:
            if (path + "/").startswith(mount) and (best is None or len(mount) > len(best[0])):
                best = (mount, version)
        return best

    # -- one HTTP attempt ------------------------------------------------------
    def _transport_error(self, url: str, cause: str) -> str:
        return f'Transport Error: Get "{self.addr}/{url}": {cause}'

    def _request_get(self, operation: str, url: str, sent: Future | None = None) -> Any:
        """GET ``url`` with retries; failures name this URL even when Vault is down.
        ``sent``: the first attempt's answer, requested ahead (``_send_ahead``)."""
        ahead = [sent] if sent is not None else []
        return self.request(
            operation,
            lambda timeout: self._get(url, timeout, ahead.pop() if ahead else None),
            describe=lambda cause: self._transport_error(url, cause),
        )

    def _get(self, url: str, timeout: float, sent: Future | None = None) -> Any:
        import requests

        try:
            if sent is not None:
                resp = sent.result(timeout)
            else:
                resp = self._client.adapter.request(
                    "GET", url, raise_exception=False, timeout=timeout
                )
        except requests.exceptions.SSLError:  # a certificate problem does not go away by retrying
            raise BackendError(
                f'Transport Error: Get "{self.addr}/{url}": x509: certificate verification failed '
                "(set VAULT_SKIP_VERIFY to skip it)"
            ) from None
        # TimeoutError: the answer sent ahead did not come within this attempt's time
        except (requests.ConnectionError, requests.Timeout, TimeoutError) as exc:
            cause = transport_reason(exc)
            raise Transient(
                self._transport_error(url, cause), outcome="connection_error", cause=cause
            ) from None
        except requests.RequestException as exc:
            raise BackendError(
                f'Transport Error: Get "{self.addr}/{url}": {type(exc).__name__}'
            ) from None
        status = resp.status_code
        if 200 <= status < 300:
            try:
                return resp.json() if resp.content else {}
            except ValueError:
                raise BackendError(not_json_text(resp)) from None
        text = error_text(resp)
        if status == 404:
            raise SecretNotFound(f"404 Not Found: {text}", status=404)
        phrase = f"{status} {status_phrase(status)}"
        if status in RETRY_STATUSES:
            raise Transient(
                f"{phrase}: {text}" if text else phrase,
                status=status,
                throttled=status in THROTTLE_STATUSES,
                retry_after=retry_after(resp.headers.get("Retry-After")),
            )
        if status in (400, 403, 500):
            raise BackendError(f"{phrase}: {text}", status=status)
        raise BackendError(text or phrase, status=status)


def _top(path: str) -> str:
    return path.split("/", 1)[0]


def _mount_url(path: str) -> str:
    return f"v1/sys/internal/ui/mounts/{path}"


def _mount_probes(paths: Sequence[str]) -> list[str]:
    """The first path under each top-level segment, in the order given: the lookups
    the reads of ``paths`` make first (each answer is cached for its whole mount)."""
    firsts: dict[str, str] = {}
    for path in map(_clean, paths):
        firsts.setdefault(_top(path), path)
    return list(firsts.values())


def _clean(path: str) -> str:
    path = path.lstrip("/")
    while "//" in path:
        path = path.replace("//", "/")
    return path
