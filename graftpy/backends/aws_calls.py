"""What the awsparam and awssecret operators do.

Arguments are concatenated into ``name?key=K&stage=S&version=V`` (graft's
``op_aws.go``); ``key`` picks a field of a YAML/JSON value; awssecret passes
stage (or else version). ``awsparam@target`` reads the named target's
configuration (DIVERGENCES row 11). With ``REDACT`` set, nothing is fetched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from graftpy.backends import argnodes
from graftpy.backends.awskey import extract_key, parse_aws_key
from graftpy.backends.secret_args import REDACTED, Arg, ArgLike, is_redacted
from graftpy.errors import GraftError
from graftpy.gofmt import sprint

log = logging.getLogger("graftpy.backends")


def run_aws(call: Any, ctx: Any, variant: str) -> Any:
    """``variant`` is "awsparam" or "awssecret"."""
    return aws_value(
        variant,
        [Arg(n, ctx) for n in call.args],
        aws_fetcher(ctx, variant, argnodes.call_target(call)),
        redact=is_redacted(ctx),
    )


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
