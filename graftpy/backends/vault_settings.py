"""Where the Vault address and token come from, in graft's order.

Default (no ``@target``):
  1. ``VAULT_ADDR``, ``VAULT_TOKEN``, ``VAULT_NAMESPACE``;
  2. if the address or the token is missing: ``~/.svtoken`` (YAML with ``vault``,
     ``token``, ``namespace``, ``skip_verify``) replaces all three when it parses;
  3. ``VAULT_SKIP_VERIFY`` (anything but '', no, false, 0, off) turns TLS checks off;
  4. if the token is still missing: ``~/.vault-token`` (one trailing newline cut);
  5. still no address or token: graft's error.
With ``@name``: the target's configuration (see ``targets.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from graftpy.backends.errors import BackendError
from graftpy.backends.targets import Targets, skip_verify_flag
from graftpy.taint import mask_url_password

INIT_ERROR = "Error during Vault client initialization: {}"
NO_CREDENTIALS = (
    "Failed to determine Vault URL / token, and the $REDACT environment variable is not set."
)


@dataclass(frozen=True)
class VaultSettings:
    addr: str
    token: str
    namespace: str = ""
    skip_verify: bool = False

    def __repr__(self) -> str:  # never show the token
        addr = mask_url_password(self.addr)
        return f"VaultSettings(addr={addr!r}, namespace={self.namespace!r})"


def default_settings(env: Mapping[str, str]) -> VaultSettings:
    addr = env.get("VAULT_ADDR", "")
    token = env.get("VAULT_TOKEN", "")
    namespace = env.get("VAULT_NAMESPACE", "")
    skip = False
    home = env.get("HOME", "")
    if not addr or not token:
        svtoken = _read_svtoken(f"{home}/.svtoken")
        if svtoken is not None:
            addr, token, namespace, skip = svtoken
    if skip_verify_flag(env.get("VAULT_SKIP_VERIFY", "")):
        skip = True
    if not token:
        try:
            with open(f"{home}/.vault-token", encoding="utf-8", errors="replace") as fh:
                token = fh.read().removesuffix("\n")
        except OSError:
            pass
    if not addr or not token:
        raise BackendError(INIT_ERROR.format(NO_CREDENTIALS))
    return _checked(VaultSettings(addr, token, namespace, skip))


def target_settings(targets: Targets, name: str) -> VaultSettings:
    t = targets.vault(name)
    return _checked(VaultSettings(t.url, t.token, t.namespace, t.skip_verify))


def _checked(settings: VaultSettings) -> VaultSettings:
    parts = urlsplit(settings.addr)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BackendError(
            INIT_ERROR.format(
                f"Could not parse Vault URL `{mask_url_password(settings.addr)}': "
                "expected http(s)://host[:port]"
            )
        )
    return settings


def _read_svtoken(path: str) -> tuple[str, str, str, bool] | None:
    """The four settings from ``~/.svtoken``, or None when absent or not parseable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError:
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None
    strings = []
    for key in ("vault", "token", "namespace"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            return None  # graft's strict unmarshal fails, and then ignores the file
        strings.append(value or "")
    skip = data.get("skip_verify", False)
    if skip is None:
        skip = False
    if not isinstance(skip, bool):
        return None
    return strings[0], strings[1], strings[2], skip
