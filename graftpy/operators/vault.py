"""(( vault PATH... [|| DEFAULT] )): a secret from Vault (``path/to/secret:key``).

The arguments are joined into one path (``(( vault meta.prefix "/db:pass" ))``);
a path holding ``;`` lists alternatives tried in order; several quoted
``path:key`` arguments are also alternatives, and a last argument that is not
one is the default. ``|| DEFAULT`` is used only when the secret is not found
(DIVERGENCES row 9). Every path tried is recorded in ``RunState.vault_refs``
with the calls that use it, for ``graftpy vaultinfo``.

The Vault backend comes later: for now only ``$REDACT`` mode works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.errors import GraftError
from graftpy.expr.nodes import Literal, Or, Reference
from graftpy.operators._secrets import BackendUnavailable, lookup, record_vault_ref, scalar_text
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call, Node


def _looks_like_path(node: Node) -> bool:
    return isinstance(node, Literal) and isinstance(node.value, str) and ":" in node.value


def path_text(node: Node, ctx: EvalContext) -> str:
    """One argument as a path component (graft's vault-specific wording)."""
    value = ctx.evaluate(node)
    if value is None:
        raise GraftError("cannot use nil as vault path component")
    if isinstance(value, dict | list):
        what = "a map" if isinstance(value, dict) else "a list"
        if isinstance(node, Reference):
            raise GraftError(
                f"$.{node.dotted} is {what}; only scalars are supported for vault paths"
            )
        raise GraftError(f"value is {what}; only scalars are supported for vault paths")
    return scalar_text(value)


def split_paths(path: str) -> list[str]:
    if ";" not in path:
        return [path]
    return [p.strip() for p in path.split(";") if p.strip()]


class _Args:
    """The arguments with a ``|| default`` taken out of whichever one holds it."""

    def __init__(self, args: tuple[Node, ...]) -> None:
        self.default: Node | None = None
        self.parts: list[Node] = []
        for arg in args:
            if isinstance(arg, Or):
                self.default = arg.right
                arg = arg.left
            self.parts.append(arg)

    def paths(self, ctx: EvalContext) -> list[str]:
        candidates = [a for a in self.parts if _looks_like_path(a)]
        if self.default is None and len(self.parts) >= 2 and len(candidates) > 1:
            parts = self.parts
            if not _looks_like_path(parts[-1]):
                self.default, parts = parts[-1], parts[:-1]
            return [path_text(a, ctx) for a in parts]
        return split_paths("".join(path_text(a, ctx) for a in self.parts))

    def fallback(self, ctx: EvalContext) -> Response:
        assert self.default is not None
        try:
            return Response(ctx.evaluate(self.default))
        except GraftError as exc:
            # graft wraps this message twice
            raise GraftError(
                f"unable to evaluate default value: unable to evaluate default value: {exc.message}"
            ) from None


class VaultOperator(Operator):
    name = "vault"
    io_bound: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if not call.args:
            raise GraftError("vault operator requires at least one argument")
        args = _Args(call.args)
        try:
            paths = args.paths(ctx)
        except GraftError:
            if args.default is None:
                raise
            return args.fallback(ctx)
        failure: GraftError | None = None
        for path in paths:
            record_vault_ref(ctx, path)
            try:
                return Response(lookup("vault", ctx))
            except BackendUnavailable as exc:
                failure = exc  # not a "not found": the default does not apply
        if failure is not None:
            raise failure
        if args.default is not None:
            return args.fallback(ctx)
        raise GraftError("vault operator failed to retrieve secret")
