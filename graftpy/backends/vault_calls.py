"""What the vault and vault-try operators do.

The operator modules stay thin: ``run_vault(call, ctx)`` and ``run_vault_try`` return
the value to put at the operator's place, or raise ``GraftError`` with graft's
text. The rules, as graft has them (``op_vault.go``):

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
``@target``
  ``vault@prod`` reads the named target's configuration (row 11).
Every path a call may read is recorded for ``vaultinfo`` in ``ctx.state.vault_refs``,
and, when it is one of several alternatives, in ``ctx.state.vault_candidates``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from graftpy.backends import argnodes
from graftpy.backends.errors import BackendError, SecretNotFound
from graftpy.backends.secret_args import REDACTED, Arg, ArgLike, is_redacted, split_default
from graftpy.errors import GraftError
from graftpy.gofmt import sprint

log = logging.getLogger("graftpy.backends")
_refs_lock = threading.Lock()


def run_vault(call: Any, ctx: Any) -> Any:
    args, default = split_default([Arg(n, ctx, rewrap=True) for n in call.args])
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


Recorder = Callable[[Sequence[str]], None]


def ref_recorder(ctx: Any) -> Recorder:
    """Records each ``path:key`` a call may read -> the operator's path, for ``graftpy
    vaultinfo``; when there are several, each is also recorded as a candidate."""
    here = ".".join(ctx.here)

    def record(paths: Sequence[str]) -> None:
        with _refs_lock:
            for path_key in paths:
                ctx.state.vault_refs.setdefault(path_key, []).append(here)
                if len(paths) > 1:
                    ctx.state.vault_candidates.setdefault(path_key, []).append(here)

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


def vault_value(
    args: Sequence[ArgLike],
    default: ArgLike | None,
    lookup: Callable[[str], str],
    *,
    redact: bool = False,
    record: Recorder = lambda _paths: None,
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
    record(paths)  # every alternative: a Vault policy must allow them all
    if redact:
        return REDACTED
    last: BackendError | None = None
    for path in paths:
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


def vault_try_value(
    args: Sequence[ArgLike],
    lookup: Callable[[str], str],
    *,
    redact: bool = False,
    record: Recorder = lambda _paths: None,
) -> Any:
    if len(args) < 2:
        raise GraftError(
            "vault-try operator requires at least 2 arguments "
            "(one or more vault paths, followed by a default value)"
        )
    *candidates, default = args
    paths = [path for path in map(_try_path, candidates) if path is not None]
    record(paths)  # every usable one: a Vault policy must allow them all
    if paths and redact:
        return REDACTED
    for path in paths:
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
