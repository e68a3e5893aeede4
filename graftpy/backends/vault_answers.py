"""What Vault's answers mean: a secret's data, and the texts of its refusals.

Texts follow graft's Vault client (vaultkv), so a failed ``(( vault ))`` reads the
same in both tools; none of them quotes a raw body (it could hold a secret).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from graftpy.backends.errors import BackendError, SecretNotFound


def secret_data(body: Any, path: str, version: int) -> dict[str, Any]:
    """The key/value map of a 200 answer; anything that is not a secret is an error.

    Only a KV v2 version that was deleted or destroyed (``data: null`` with its
    metadata saying so) counts as not found; a list, ``{"data": 5}`` or an empty
    answer comes from something that is not Vault, or a broken one, and must not
    pass for "not found" (``vault-try`` and ``||`` would then quietly use defaults).
    """
    broken = f"unexpected answer from Vault for {path}"
    if not isinstance(body, dict) or "data" not in body:
        raise BackendError(f"{broken}: not a secret (no data)")
    data = body["data"]
    if version == 2:
        if not isinstance(data, dict) or "data" not in data:
            raise BackendError(f"{broken}: not a KV v2 secret")
        meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        data = data["data"]
        if data is None and (meta.get("deletion_time") or meta.get("destroyed")):
            raise SecretNotFound(f"secret {path} not found")  # a deleted version
    if not isinstance(data, dict):
        raise BackendError(f"{broken}: data is not a map")
    return data


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_text(resp: Any) -> str:
    """vaultkv's text: the ``errors`` list joined by newlines (never the raw body)."""
    try:
        errors = resp.json().get("errors")
    except (ValueError, AttributeError):
        return ""
    if not isinstance(errors, list):
        return ""
    return "\n".join(_one_line(str(e)) for e in errors)


def _one_line(error: str) -> str:
    """Vault's go-multierror text (``1 error occurred:\\n\\t* permission denied\\n\\n``)
    as one line (``permission denied``), to fit a `` - $.path: message`` line."""
    head, sep, items = error.partition(" occurred:\n")
    if not sep or not head.split(" ", 1)[0].isdigit():
        return error
    listed = [line.strip()[2:] for line in items.splitlines() if line.strip().startswith("* ")]
    return "; ".join(listed) if listed else error


def not_json_text(resp: Any) -> str:
    ctype = resp.headers.get("Content-Type", "")
    return (
        f"Could not parse response body as JSON, and returned Content-Type is `{ctype}'. "
        "Client may not be reaching Vault"
    )


def retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def transport_reason(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):  # no text of its own (a wait on a future ran out)
        return "i/o timeout"
    text = str(exc).lower()
    for needle, reason in (
        ("refused", "connect: connection refused"),
        ("reset", "read: connection reset by peer"),
        ("timed out", "i/o timeout"),
        ("timeout", "i/o timeout"),
        ("aborted", "connection aborted"),
        ("remotedisconnected", "EOF"),
        ("without response", "EOF"),
    ):
        if needle in text:
            return reason
    return type(exc).__name__
