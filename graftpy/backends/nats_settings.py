"""Connection settings of a ``(( nats ))`` call: environment, target, second argument.

graft's settings, with graft's names and defaults (``op_nats.go``):

=========================  ============================  ========================
map key / targets file     environment variable          default
=========================  ============================  ========================
``url``                    ``NATS_URL``                  ``nats://127.0.0.1:4222``
``timeout``                ``NATS_TIMEOUT``              ``5s`` (connect, and each
                                                         request)
``retries``                ``NATS_RETRIES``              ``3`` (retries after the
                                                         first attempt)
``retry_interval``         ``NATS_RETRY_INTERVAL``       ``1s`` (first wait)
``retry_backoff``          ``NATS_RETRY_BACKOFF``        ``2.0`` (wait multiplier)
``max_retry_interval``     ``NATS_MAX_RETRY_INTERVAL``   ``30s``
``tls``                    ``NATS_TLS``                  ``false``
``cert_file``, ``key_file``  ``NATS_CERT_FILE``, ``NATS_KEY_FILE``  (client certificate)
``ca_file``                ``NATS_CA_FILE``              (system roots)
``insecure_skip_verify``   ``NATS_INSECURE_SKIP_VERIFY``  ``false``
``cache_ttl``              ``NATS_CACHE_TTL``            ``5m``
``streaming_threshold``    ``NATS_STREAMING_THRESHOLD``  ``10485760`` (objects up to
                                                         twice this are read)
``audit_logging``          ``NATS_AUDIT_LOGGING``        ``false``
=========================  ============================  ========================

``nats@prod`` reads ``targets.nats.prod`` from the targets file, else
``NATS_PROD_URL`` (required) and the other ``NATS_PROD_*`` variables. A second
argument of the call (a URL, or a map with the keys above) overrides either.

Durations are Go's (``500ms``, ``10s``, ``1m30s``); a bare number is seconds.
graft silently falls back to the default on a value it cannot read; graftpy
says what is wrong instead, as it does for every other setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from graftpy.backends.errors import BackendError

DEFAULT_URL = "nats://127.0.0.1:4222"

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)")
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


class SettingError(BackendError):
    """A NATS setting that cannot be read (names the setting, never a secret)."""


@dataclass(frozen=True)
class NatsSettings:
    url: str = DEFAULT_URL
    timeout: float = 5.0
    retries: int = 3
    retry_interval: float = 1.0
    retry_backoff: float = 2.0
    max_retry_interval: float = 30.0
    tls: bool = False
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_verify: bool = False
    cache_ttl: float = 300.0
    streaming_threshold: int = 10 * 1024 * 1024
    audit_logging: bool = False

    def __repr__(self) -> str:  # the URL may carry a user and password
        return f"NatsSettings(url={redact_url(self.url)!r}, tls={self.tls})"

    @property
    def connection_key(self) -> tuple:
        """What tells two connections apart: one connection per distinct key per run."""
        return (
            self.url,
            self.tls,
            self.cert_file,
            self.key_file,
            self.ca_file,
            self.insecure_skip_verify,
        )

    @property
    def object_limit(self) -> int | None:
        """The largest object read, in bytes: graft streams objects above the
        threshold and gives up at twice it; a negative threshold means no limit."""
        return None if self.streaming_threshold < 0 else 2 * self.streaming_threshold


KEYS = tuple(f.name for f in fields(NatsSettings))
_DURATIONS = {"timeout", "retry_interval", "max_retry_interval", "cache_ttl"}
_BOOLS = {"tls", "insecure_skip_verify", "audit_logging"}
_INTS = {"retries", "streaming_threshold"}
_FLOATS = {"retry_backoff"}


def redact_url(url: str) -> str:
    """``nats://user:pass@host:4222`` -> ``nats://***@host:4222`` (for logs)."""
    return re.sub(r"(^|,|//)([^/@,]*)@", r"\1***@", url)


def url_credentials(url: str) -> list[str]:
    """The passwords and tokens in a server URL (a comma-separated list of them too):
    ``nats://user:pass@h`` gives ``pass``, ``nats://token@h`` the token; each as
    written and percent-decoded (what ``graftpy.taint`` must keep out of messages)."""
    from urllib.parse import unquote

    found: list[str] = []
    for part in url.split(","):
        _scheme, sep, rest = part.strip().partition("://")
        userinfo, at, _host = (rest if sep else part.strip()).rpartition("@")
        if not at or not userinfo:
            continue
        user, colon, password = userinfo.partition(":")
        secret = password if colon else user  # no password: the user part is a token
        for form in (secret, unquote(secret)):
            if form and form not in found:
                found.append(form)
    return found


def parse_duration(text: str, name: str) -> float:
    """Go's ``time.ParseDuration`` in seconds (a bare number is seconds too)."""
    raw = text.strip()
    try:
        seconds = float(raw)
    except ValueError:
        sign = -1.0 if raw.startswith("-") else 1.0
        body = raw.lstrip("+-")
        parts = list(_DURATION.finditer(body))
        if (
            not body
            or "".join(m.group(0) for m in parts) != body
            or any(m.group(1) in ("", ".") for m in parts)
        ):
            raise SettingError(
                f"{name} must be a duration such as 500ms, 10s or 1m30s, not '{text}'"
            ) from None
        seconds = sign * sum(float(m.group(1)) * _UNITS[m.group(2)] for m in parts)
    if seconds < 0:
        raise SettingError(f"{name} must not be negative, not '{text}'")
    return seconds


def _convert(key: str, value: Any, name: str) -> Any:
    """One setting's value from the environment (a string) or a map (YAML types)."""
    if key in _BOOLS:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip() in _TRUE | _FALSE:
            return value.strip() in _TRUE
        raise SettingError(f"{name} must be true or false, not '{value}'")
    if key in _DURATIONS:
        if isinstance(value, bool):
            raise SettingError(f"{name} must be a duration such as 10s, not '{value}'")
        if isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            raise SettingError(f"{name} must be a duration such as 10s")
        seconds = parse_duration(value, name)
        if key == "timeout" and seconds == 0:
            raise SettingError(f"{name} must be more than 0 seconds")
        return seconds
    if key in _INTS:
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise SettingError(f"{name} must be a whole number, not '{value}'") from None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise SettingError(f"{name} must be a whole number, not '{value}'")
        if key == "retries" and value < 0:
            raise SettingError(f"{name} must be at least 0")
        return int(value)
    if key in _FLOATS:
        try:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        except (TypeError, ValueError):
            raise SettingError(f"{name} must be a number, not '{value}'") from None
    if not isinstance(value, str):  # url and the file names
        raise SettingError(f"{name} must be a string")
    return value


def from_env(env: Mapping[str, str], prefix: str = "NATS_", base: NatsSettings | None = None) -> NatsSettings:
    """Settings from ``NATS_*`` (or ``NATS_<TARGET>_*``); empty variables count as unset."""
    values = {}
    for key in KEYS:
        name = prefix + key.upper()
        raw = env.get(name, "")
        if raw != "":
            values[key] = _convert(key, raw, name)
    return replace(base or NatsSettings(), **values)


def from_map(entry: Mapping[Any, Any], where: str, base: NatsSettings) -> NatsSettings:
    """``base`` overridden by a map of settings (the call's second argument, a target)."""
    values = {}
    for key, value in entry.items():
        if key not in KEYS:
            raise SettingError(
                f"{where}: unknown NATS setting '{key}' (known: {', '.join(KEYS)})"
            )
        if value is None:
            continue
        values[key] = _convert(key, value, f"{where}.{key}")
    return replace(base, **values)


def target_settings(targets: Any, env: Mapping[str, str], name: str) -> NatsSettings:
    """The settings of ``nats@name``: the targets file's entry, else ``NATS_<NAME>_*``."""
    from graftpy.backends.targets import env_name, expand

    entry = targets.section("nats").get(name)
    if entry is not None:
        if not isinstance(entry, dict):
            raise SettingError(f"targets file {targets.file}: nats target '{name}' must be a map")
        entry = {k: expand(v, env) if isinstance(v, str) else v for k, v in entry.items()}
        settings = from_map(entry, f"targets file {targets.file}: nats target '{name}'", NatsSettings())
        if "url" not in entry:
            raise SettingError(
                f"targets file {targets.file}: nats target '{name}' has no url"
            )
        return settings
    prefix = f"NATS_{env_name(name)}_"
    if not env.get(prefix + "URL"):
        where = f" or targets.nats.{name} in {targets.file}" if targets.file else ""
        raise SettingError(
            f"NATS target '{name}' configuration incomplete (expected {prefix}URL "
            f"environment variable{where})"
        )
    return from_env(env, prefix)
