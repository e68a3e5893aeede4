"""What the secret-store operators (vault, vault-try, awsparam, awssecret) share.

Until the real backends land, a lookup succeeds only when ``$REDACT`` is set
(any non-empty value, as in spruce): it yields ``REDACTED`` and contacts no
store (DIVERGENCES row 8). Otherwise it fails with a clear message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.gofmt import sprint

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext

REDACTED = "REDACTED"


class BackendUnavailable(GraftError):
    """The secret store behind an operator is not implemented yet."""

    def __init__(self, operator: str) -> None:
        super().__init__(
            f"{operator} operator is not available yet in this version of graftpy "
            "(set REDACT to render secrets as REDACTED)"
        )


def redacting(ctx: EvalContext) -> bool:
    return bool(ctx.env("REDACT"))


def lookup(operator: str, ctx: EvalContext) -> str:
    """The secret's value: REDACTED when redacting, else the backend (not there yet)."""
    if redacting(ctx):
        return REDACTED
    raise BackendUnavailable(operator)


def record_vault_ref(ctx: EvalContext, path: str) -> None:
    """Note that the call at ``ctx.here`` reads vault ``path`` (for vaultinfo)."""
    ctx.state.vault_refs.setdefault(path, []).append(".".join(ctx.here))


def scalar_text(value: Any) -> str:
    """``fmt.Sprintf("%v")`` of a scalar argument."""
    return sprint(value)
