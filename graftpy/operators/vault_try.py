"""(( vault-try PATH... DEFAULT )): the first of several Vault secrets, else DEFAULT.

Paths that do not resolve, are not scalars, or are not of the form
``path:key`` are skipped; every path actually tried is recorded for
``graftpy vaultinfo``. As with ``vault``, the default is used only when the
secrets are not found (DIVERGENCES row 9), and for now only ``$REDACT`` mode
works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.errors import GraftError
from graftpy.operators._secrets import BackendUnavailable, lookup, record_vault_ref, scalar_text
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call, Node


def _candidate(node: Node, ctx: EvalContext) -> str | None:
    """The argument as a ``path:key`` string, or None when graft would skip it."""
    try:
        value = ctx.evaluate(node)
    except GraftError:
        return None
    if value is None or isinstance(value, dict | list):
        return None
    path = scalar_text(value)
    parts = path.split(":")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return path


class VaultTryOperator(Operator):
    name = "vault-try"
    aliases: ClassVar[tuple[str, ...]] = ("vault-try",)
    io_bound: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) < 2:
            raise GraftError(
                "vault-try operator requires at least 2 arguments "
                "(one or more vault paths, followed by a default value)"
            )
        failure: GraftError | None = None
        for node in call.args[:-1]:
            path = _candidate(node, ctx)
            if path is None:
                continue
            record_vault_ref(ctx, path)
            try:
                return Response(lookup("vault-try", ctx))
            except BackendUnavailable as exc:
                failure = exc
        if failure is not None:
            raise failure
        try:
            return Response(ctx.evaluate(call.args[-1]))
        except GraftError as exc:
            raise GraftError(f"unable to evaluate default value: {exc.message}") from None
