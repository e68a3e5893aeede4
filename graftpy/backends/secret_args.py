"""Operator arguments as the secret operators see them, and the run's redaction switch.

``Arg`` wraps an argument node of a call, evaluated through the run's context;
``StaticArg`` is one with a known value (tests, callers without an AST). The
vault, vault-try, awsparam and awssecret operators take their arguments in this
form (``graftpy.backends.vault_calls``, ``graftpy.backends.aws_calls``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graftpy.backends import argnodes
from graftpy.backends.config import redacted
from graftpy.errors import GraftError

REDACTED = "REDACTED"


class ArgLike(Protocol):
    """One operator argument, before evaluation."""

    @property
    def literal(self) -> Any: ...  # its value if it is a literal, else argnodes.NOT_LITERAL

    @property
    def reference(self) -> str | None: ...  # "meta.key" if it is a reference

    def value(self) -> Any: ...  # evaluate it (raises GraftError)


class Arg:
    """An argument node of a call, evaluated through the run's context.

    ``rewrap``: vault resolves a reference argument itself and wraps the
    evaluator's ``Unable to resolve `ref`: ...`` in a second one, as graft does.
    """

    __slots__ = ("node", "ctx", "rewrap")

    def __init__(self, node: Any, ctx: Any, rewrap: bool = False) -> None:
        self.node = node
        self.ctx = ctx
        self.rewrap = rewrap

    @property
    def literal(self) -> Any:
        return argnodes.literal(self.node)

    @property
    def reference(self) -> str | None:
        return argnodes.reference_text(self.node)

    def value(self) -> Any:
        try:
            return self.ctx.evaluate(self.node)
        except GraftError as exc:
            ref = self.reference
            if ref is not None and (self.rewrap or not exc.message.startswith("Unable to resolve")):
                raise GraftError(f"Unable to resolve `{ref}`: {exc.message}") from None
            raise


@dataclass
class StaticArg:
    """An argument with a known value (tests, and callers without an AST)."""

    val: Any
    literal: Any = argnodes.NOT_LITERAL
    reference: str | None = None
    error: str | None = None  # evaluating it fails with this message

    def value(self) -> Any:
        if self.error is not None:
            raise GraftError(self.error)
        return self.val


def split_default(args: Sequence[Arg]) -> tuple[list[Arg], Arg | None]:
    """Pull a ``|| default`` out of the arguments (any position; the last one wins)."""
    plain: list[Arg] = []
    default = None
    for arg in args:
        left, right = argnodes.split_or(arg.node)
        if right is not None:
            default = Arg(right, arg.ctx, arg.rewrap)
            arg = Arg(left, arg.ctx, arg.rewrap)
        plain.append(arg)
    return plain, default


def is_redacted(ctx: Any) -> bool:
    return redacted(ctx.settings.env)
