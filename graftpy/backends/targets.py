"""Named backend targets: ``(( vault@prod ... ))``, ``(( awsparam@legacy ... ))``.

A target is looked up first in the targets file (``--targets FILE`` or
``GRAFT_TARGETS``), then in environment variables, as graft's targets guide
describes::

    # targets.yml                          # or the same through the environment
    targets:
      vault:
        prod:
          url: https://vault.prod:8200     # VAULT_PROD_ADDR
          token: ${PROD_VAULT_TOKEN}       # VAULT_PROD_TOKEN
          namespace: team-a                # VAULT_PROD_NAMESPACE
          skip_verify: false               # VAULT_PROD_SKIP_VERIFY
      aws:
        legacy:
          region: eu-west-1                # AWS_LEGACY_REGION
          profile: legacy                  # AWS_LEGACY_PROFILE
          role: arn:aws:iam::1:role/graft  # AWS_LEGACY_ROLE (assumed)
          endpoint: http://localhost:4566  # AWS_LEGACY_ENDPOINT
          access_key_id: ...               # AWS_LEGACY_ACCESS_KEY_ID
          secret_access_key: ...           # AWS_LEGACY_SECRET_ACCESS_KEY
          session_token: ...               # AWS_LEGACY_SESSION_TOKEN
          external_id: ...                 # AWS_LEGACY_EXTERNAL_ID
          session_name: ...                # AWS_LEGACY_SESSION_NAME
      nats:
        edge:
          url: nats://edge:4222            # NATS_EDGE_URL (and the other NATS_EDGE_*:
          tls: true                        #   graftpy.backends.nats_settings)

Values in the file may use ``$VAR`` / ``${VAR}``. In variable names the target
is upper-cased and any character other than a letter or digit becomes ``_``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from graftpy.backends.errors import BackendError

VAULT_FIELDS = {
    "url": "ADDR",
    "token": "TOKEN",
    "namespace": "NAMESPACE",
    "skip_verify": "SKIP_VERIFY",
}


@dataclass(frozen=True)
class VaultTarget:
    url: str = ""
    token: str = ""
    namespace: str = ""
    skip_verify: bool = False

    def __repr__(self) -> str:  # never show the token
        return f"VaultTarget(url={self.url!r}, namespace={self.namespace!r})"


@dataclass(frozen=True)
class AwsTarget:
    region: str = ""
    profile: str = ""
    role: str = ""
    endpoint: str = ""
    access_key_id: str = ""
    secret_access_key: str = ""
    session_token: str = ""
    external_id: str = ""
    session_name: str = ""

    def __repr__(self) -> str:  # never show credentials
        return f"AwsTarget(region={self.region!r}, profile={self.profile!r}, role={self.role!r})"


def env_name(target: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", target.upper())


def expand(value: str, env: Mapping[str, str]) -> str:
    """``os.ExpandEnv``: ``$VAR`` and ``${VAR}``, unknown variables become empty."""
    return re.sub(
        r"\$(?:\{([^}]*)\}|([A-Za-z0-9_]+))",
        lambda m: env.get(m.group(1) if m.group(1) is not None else m.group(2), ""),
        value,
    )


def skip_verify_flag(value: Any) -> bool:
    """graft's VAULT_SKIP_VERIFY rule: anything but '', no, false, 0, off is true."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("", "no", "false", "0", "off")


class Targets:
    """The target configurations of one run (the file is read on first use)."""

    def __init__(self, env: Mapping[str, str], file: str | None = None) -> None:
        self.env = env
        self.file = file or env.get("GRAFT_TARGETS") or None
        self._loaded: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _section(self, kind: str) -> dict[str, Any]:
        with self._lock:
            if self._loaded is None:
                self._loaded = _load_file(self.file) if self.file else {}
        section = self._loaded.get(kind) or {}
        if not isinstance(section, dict):
            raise BackendError(f"targets file {self.file}: '{kind}' must be a map of targets")
        return section

    def section(self, kind: str) -> dict[str, Any]:
        """The targets of one kind (``vault``, ``aws``, ``nats``) in the targets file."""
        return self._section(kind)

    def _entry(self, kind: str, name: str) -> dict[str, Any] | None:
        entry = self._section(kind).get(name)
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise BackendError(f"targets file {self.file}: {kind} target '{name}' must be a map")
        known = {f.name for f in fields(VaultTarget if kind == "vault" else AwsTarget)}
        known |= {"addr"} if kind == "vault" else set()
        for key in entry:
            if key not in known:
                raise BackendError(
                    f"targets file {self.file}: unknown setting '{key}' for {kind} target '{name}'"
                )
        return {k: expand(str(v), self.env) if isinstance(v, str) else v for k, v in entry.items()}

    def vault(self, name: str) -> VaultTarget:
        entry = self._entry("vault", name)
        prefix = f"VAULT_{env_name(name)}_"
        if entry is not None:
            url = entry.get("url") or entry.get("addr") or ""
            target = VaultTarget(
                url=str(url),
                token=str(entry.get("token") or ""),
                namespace=str(entry.get("namespace") or ""),
                skip_verify=skip_verify_flag(entry.get("skip_verify", False)),
            )
        else:
            target = VaultTarget(
                url=self.env.get(prefix + "ADDR", ""),
                token=self.env.get(prefix + "TOKEN", ""),
                namespace=self.env.get(prefix + "NAMESPACE", ""),
                skip_verify=skip_verify_flag(self.env.get(prefix + "SKIP_VERIFY", "")),
            )
        if not target.url or not target.token:
            where = f" or targets.vault.{name} in {self.file}" if self.file else ""
            raise BackendError(
                f"vault target '{name}' configuration not found (expected {prefix}ADDR and "
                f"{prefix}TOKEN environment variables{where})"
            )
        return target

    def aws(self, name: str) -> AwsTarget:
        entry = self._entry("aws", name)
        prefix = f"AWS_{env_name(name)}_"
        if entry is None:
            entry = {
                f.name: self.env[prefix + f.name.upper()]
                for f in fields(AwsTarget)
                if self.env.get(prefix + f.name.upper())
            }
            if not entry:
                where = f" or targets.aws.{name} in {self.file}" if self.file else ""
                raise BackendError(
                    f"AWS target '{name}' configuration incomplete (expected {prefix}REGION, "
                    f"{prefix}PROFILE, {prefix}ROLE or {prefix}ENDPOINT environment variables{where})"
                )
        return AwsTarget(**{k: str(v) for k, v in entry.items() if v is not None})


def _load_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise BackendError(f"targets file {path}: {(exc.strerror or str(exc)).lower()}") from None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise BackendError(f"targets file {path}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BackendError(f"targets file {path}: the top level must be a map")
    if "targets" in data:
        data = data["targets"] or {}
        if not isinstance(data, dict):
            raise BackendError(f"targets file {path}: 'targets' must be a map")
    return data
