"""Everything the vault, vault-try, awsparam and awssecret operators do.

The operator modules stay thin: ``run_vault(call, ctx)`` and friends return
the value to put at the operator's place, or raise ``GraftError`` with graft's
text. The rules, as graft has them (``op_vault.go``, ``op_aws.go``):

vault
  Arguments are evaluated and concatenated into ``path:key``. A ``|| default``
  (at any argument) is used when the secret or the key does not exist, or when
  the arguments themselves cannot be evaluated; any other failure is an error.
  Several paths are tried in turn: ``"a:k; b:k"`` (split at semicolons), or
  several string-literal arguments that each hold a colon, in which case a last
  argument without a colon is the default. With ``REDACT`` set, no secret store
  is contacted and the value is ``REDACTED`` (DIVERGENCES row 8).
vault-try
  ``PATH1 PATH2 ... DEFAULT``: paths that do not evaluate, or are not
  ``path:key``, are skipped; a path whose secret or key does not exist falls
  through to the next; any other failure (Vault unreachable, token refused) is an
  error, not a fallback (DIVERGENCES row 9).
awsparam / awssecret
  Arguments concatenated into ``name?key=K&stage=S&version=V``; ``key`` picks a
  field of a YAML/JSON value; awssecret passes stage (or else version).
``@target``
  ``vault@prod`` etc. read the named target's configuration (row 11).
Every path tried is recorded for ``vaultinfo`` in ``ctx.state.vault_refs``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graftpy.backends import argnodes
from graftpy.backends.awskey import extract_key, parse_aws_key
from graftpy.backends.config import redacted
from graftpy.backends.errors import BackendError, SecretNotFound
from graftpy.errors import GraftError
from graftpy.gofmt import sprint

log = logging.getLogger("graftpy.backends")
REDACTED = "REDACTED"
_refs_lock = threading.Lock()


class ArgLike(Protocol):
    """One operator argument, before evaluation."""

    @property
    def literal(self) -> Any: ...  # its value if it is a literal, else argnodes.NOT_LITERAL

    @property
    def reference(self) -> str | None: ...  # "meta.key" if it is a reference

    def value(self) -> Any: ...  # evaluate it (raises GraftError)


class Arg:
    """An argument node of a call, evaluated through the run's context."""

    __slots__ = ("node", "ctx")

    def __init__(self, node: Any, ctx: Any) -> None:
        self.node = node
        self.ctx = ctx

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
            if ref is not None and not exc.message.startswith("Unable to resolve"):
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


# -- operator entry points -------------------------------------------------------
def run_vault(call: Any, ctx: Any) -> Any:
    args, default = split_default([Arg(n, ctx) for n in call.args])
    return vault_value(
        args,
        default,
        vault_lookup(ctx, argnodes.call_target(call)),
        redact=is_redacted(ctx),
        record=ref_recorder(ctx),
    )


def run_vault_try(call: Any, ctx: Any) -> Any:
    return vault_try_value(
        [Arg(n, ctx) for n in call.args],
        vault_lookup(ctx, argnodes.call_target(call)),
        redact=is_redacted(ctx),
        record=ref_recorder(ctx),
    )


def run_aws(call: Any, ctx: Any, variant: str) -> Any:
    """``variant`` is "awsparam" or "awssecret"."""
    return aws_value(
        variant,
        [Arg(n, ctx) for n in call.args],
        aws_fetcher(ctx, variant, argnodes.call_target(call)),
        redact=is_redacted(ctx),
    )


# -- run context -------------------------------------------------------------------
def is_redacted(ctx: Any) -> bool:
    return redacted(ctx.settings.env)


def ref_recorder(ctx: Any) -> Callable[[str], None]:
    """Records ``path:key`` -> the operator's path, for ``graftpy vaultinfo``."""
    here = ".".join(ctx.here)

    def record(path_key: str) -> None:
        with _refs_lock:
            ctx.state.vault_refs.setdefault(path_key, []).append(here)

    return record


def vault_lookup(ctx: Any, target: str | None) -> Callable[[str], str]:
    """``lookup("path:key")`` against the run's Vault backend for ``target``."""

    def lookup(path_key: str) -> str:
        from graftpy.backends.registry import backends_for

        log.debug(
            "vault%s: looking up %s for $.%s",
            f"@{target}" if target else "",
            path_key,
            ".".join(ctx.here),
        )
        return backends_for(ctx).vault(target).lookup(path_key)

    return lookup


def aws_fetcher(ctx: Any, variant: str, target: str | None) -> Callable[[str, str, str], str]:
    def fetch(name: str, stage: str, version: str) -> str:
        from graftpy.backends.registry import backends_for

        log.debug(
            "%s%s: fetching %s for $.%s",
            variant,
            f"@{target}" if target else "",
            name,
            ".".join(ctx.here),
        )
        return backends_for(ctx).aws(variant, target).fetch(name, stage, version)

    return fetch


# -- vault ---------------------------------------------------------------------------
def split_default(args: Sequence[Arg]) -> tuple[list[Arg], Arg | None]:
    """Pull a ``|| default`` out of the arguments (any position; the last one wins)."""
    plain: list[Arg] = []
    default = None
    for arg in args:
        left, right = argnodes.split_or(arg.node)
        if right is not None:
            default = Arg(right, arg.ctx)
            arg = Arg(left, arg.ctx)
        plain.append(arg)
    return plain, default


def vault_value(
    args: Sequence[ArgLike],
    default: ArgLike | None,
    lookup: Callable[[str], str],
    *,
    redact: bool = False,
    record: Callable[[str], None] = lambda _p: None,
) -> Any:
    if not args:
        raise GraftError("vault operator requires at least one argument")
    args = list(args)
    try:
        if default is None and len(args) >= 2 and sum(map(_is_path_literal, args)) > 1:
            if not _is_path_literal(args[-1]):
                args, default = args[:-1], args[-1]
            paths = [vault_path_part(a) for a in args]
        else:
            paths = split_paths("".join(vault_path_part(a) for a in args))
    except GraftError:
        if default is None:
            raise
        return _vault_default(default)
    last: BackendError | None = None
    for path in paths:
        record(path)
        if redact:
            return REDACTED
        try:
            return lookup(path)
        except BackendError as exc:
            last = exc
            if len(paths) == 1 and not isinstance(exc, SecretNotFound):
                break
    if default is not None and (last is None or isinstance(last, SecretNotFound)):
        return _vault_default(default)
    if last is not None:
        raise last
    raise GraftError("vault operator failed to retrieve secret")


def vault_path_part(arg: ArgLike) -> str:
    """One argument as text for a vault path, with graft's errors."""
    value = arg.value()
    if value is None:
        raise GraftError("cannot use nil as vault path component")
    for kind, types in (("map", dict), ("list", list)):
        if isinstance(value, types):
            what = f"$.{arg.reference}" if arg.reference is not None else "value"
            raise GraftError(f"{what} is a {kind}; only scalars are supported for vault paths")
    return sprint(value)


def split_paths(path: str) -> list[str]:
    """``"a:k; b:k"`` -> ``["a:k", "b:k"]`` (no semicolon: the path itself)."""
    if ";" not in path:
        return [path]
    return [p.strip() for p in path.split(";") if p.strip()]


def _is_path_literal(arg: ArgLike) -> bool:
    lit = arg.literal
    return isinstance(lit, str) and ":" in lit


def _vault_default(default: ArgLike) -> Any:
    try:
        return default.value()
    except GraftError as exc:
        # graft wraps this message twice
        raise GraftError(
            f"unable to evaluate default value: unable to evaluate default value: {exc.message}"
        ) from None


# -- vault-try -----------------------------------------------------------------------
def vault_try_value(
    args: Sequence[ArgLike],
    lookup: Callable[[str], str],
    *,
    redact: bool = False,
    record: Callable[[str], None] = lambda _p: None,
) -> Any:
    if len(args) < 2:
        raise GraftError(
            "vault-try operator requires at least 2 arguments "
            "(one or more vault paths, followed by a default value)"
        )
    *candidates, default = args
    for arg in candidates:
        path = _try_path(arg)
        if path is None:
            continue
        record(path)
        if redact:
            return REDACTED
        try:
            return lookup(path)
        except SecretNotFound:
            continue  # only "not found" falls through; other errors propagate (row 9)
    try:
        return default.value()
    except GraftError as exc:
        raise GraftError(f"unable to evaluate default value: {exc.message}") from None


def _try_path(arg: ArgLike) -> str | None:
    """A usable ``path:key`` from a vault-try argument, or None to skip it (as graft)."""
    try:
        value = arg.value()
    except GraftError:
        return None
    if value is None or isinstance(value, (dict, list)):
        return None
    path = sprint(value)
    parts = path.split(":")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return path


# -- awsparam / awssecret ------------------------------------------------------------
def aws_value(
    variant: str,
    args: Sequence[ArgLike],
    fetch: Callable[[str, str, str], str],
    *,
    redact: bool = False,
) -> str:
    if not args:
        raise GraftError(f"{variant} operator requires at least one argument")
    parts = []
    for arg in args:
        value = arg.value()
        if value is None:
            raise GraftError(f"{variant} operator argument cannot be nil")
        for kind, types in (("map", dict), ("list", list)):
            if isinstance(value, types):
                raise GraftError(
                    f"{variant} operator argument is a {kind}; only scalars are supported here"
                )
        parts.append(sprint(value))
    key = parse_aws_key("".join(parts))
    if redact:
        return REDACTED
    value = fetch(key.name, key.get("stage"), key.get("version"))
    subkey = key.get("key")
    return extract_key(value, key.name, subkey) if subkey else value
