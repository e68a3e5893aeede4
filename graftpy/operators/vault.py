"""(( vault PATH... [|| DEFAULT] )): a secret from Vault (``path/to/secret:key``).

The arguments are joined into one path (``(( vault meta.prefix "/db:pass" ))``);
a path holding ``;`` lists alternatives tried in order; several quoted
``path:key`` arguments are also alternatives, and a last argument that is not
one is the default. ``|| DEFAULT`` is used when the secret or key is not found
(or the path cannot be built); other failures are errors. ``vault@target``
reads a named target. With ``$REDACT`` no store is contacted (``REDACTED``).
Every path tried is recorded for ``graftpy vaultinfo``. The rules live in
``graftpy.backends.vault_calls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class VaultOperator(Operator):
    name = "vault"
    io_bound: ClassVar[bool] = True
    yields_secrets: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.backends.vault_calls import run_vault  # hvac loads on first use

        return Response(run_vault(call, ctx))
