"""(( vault-try PATH... DEFAULT )): the first of several Vault secrets, else DEFAULT.

Paths that do not resolve, are not scalars, or are not of the form
``path:key`` are skipped; a path whose secret or key is not found falls through
to the next; any other failure (Vault unreachable, token refused) is an error,
not a fallback (DIVERGENCES row 9). The rules live in
``graftpy.backends.vault_calls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class VaultTryOperator(Operator):
    name = "vault-try"
    aliases: ClassVar[tuple[str, ...]] = ("vault-try",)
    io_bound: ClassVar[bool] = True
    yields_secrets: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.backends.vault_calls import run_vault_try

        return Response(run_vault_try(call, ctx))
