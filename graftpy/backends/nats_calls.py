"""What the nats operator does: ``(( nats "kv:BUCKET/KEY" [URL | SETTINGS] ))``.

The rules, as graft has them (``op_nats.go``):

* the first argument must be a string ``kv:BUCKET/KEY`` or ``obj:BUCKET/NAME``
  (the store type in any case; a key or object name may hold more slashes);
* an optional second argument is a server URL (string), or a map of settings
  (``graftpy.backends.nats_settings``: ``url``, ``timeout``, ``retries``...)
  that overrides the environment's (or the target's) for this call;
* ``nats@target`` reads the named target's settings (DIVERGENCES row 11, as
  for vault: graft parses the target and ignores it);
* with ``REDACT`` set, no server is contacted: the value is ``REDACTED``
  (row 8), once the arguments have been checked;
* ``|| default`` is not a fallback for nats (graft has none either).

graftpy checks what it can before connecting (the path, bucket and key names,
the settings); graft connects first. A third argument, an unknown setting, or a
setting it cannot read are errors here; graft ignores them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from graftpy.backends import argnodes
from graftpy.backends.errors import BackendError
from graftpy.backends.nats_settings import NatsSettings, from_map, redact_url, url_credentials
from graftpy.backends.secret_args import REDACTED, Arg, ArgLike, is_redacted
from graftpy.errors import GraftError

log = logging.getLogger("graftpy.backends")
STORES = ("kv", "obj")
_BUCKET = re.compile(r"[a-zA-Z0-9_-]+")
_KEY = re.compile(r"[-/_=.a-zA-Z0-9]+")


def run_nats(call: Any, ctx: Any) -> Any:
    target = argnodes.call_target(call)

    def backend() -> Any:
        from graftpy.backends.registry import backends_for

        return backends_for(ctx).nats(target)

    return nats_value(
        [Arg(n, ctx) for n in call.args],
        backend,
        redact=is_redacted(ctx),
        here=".".join(ctx.here),
    )


def parse_path(path: str) -> tuple[str, str, str]:
    """``"kv:cfg/db/host"`` -> ``("kv", "cfg", "db/host")``, with graft's errors."""
    kind, sep, rest = path.partition(":")
    if not sep:
        raise GraftError(
            "invalid NATS path format, expected 'kv:store/key' or 'obj:bucket/object'"
        )
    kind = kind.lower()
    if kind not in STORES:
        raise GraftError(f"invalid store type '{kind}', must be 'kv' or 'obj'")
    if rest == "":
        raise GraftError("empty path after store type")
    bucket, sep, name = rest.partition("/")
    if not sep:
        if kind == "kv":
            raise GraftError("invalid KV path format, expected 'store/key'")
        raise GraftError("invalid Object path format, expected 'bucket/object'")
    return kind, bucket, name


def check_names(kind: str, bucket: str, name: str) -> None:
    """What nats.go would refuse, refused before connecting (with its texts)."""
    from graftpy.backends.nats import failure_prefix

    problem = None
    if not _BUCKET.fullmatch(bucket):
        problem = "nats: invalid bucket name"
    elif kind == "kv" and (not _KEY.fullmatch(name) or name[0] == "." or name[-1] == "."):
        problem = "nats: invalid key"
    elif kind == "obj" and name == "":
        problem = "nats: name is required"
    if problem:
        raise BackendError(f"{failure_prefix(kind, bucket, name)}: {problem}")


def call_settings(arg: ArgLike | None, base: NatsSettings) -> NatsSettings:
    """``base``, overridden by the call's second argument (a URL or a map)."""
    if arg is None:
        return base
    value = arg.value()
    if isinstance(value, str):
        return replace(base, url=value)
    if isinstance(value, dict):
        where = f"$.{arg.reference}" if arg.reference is not None else "second argument"
        return from_map(value, where, base)
    raise GraftError("second argument must be URL string or configuration map")


def known(settings: NatsSettings) -> NatsSettings:
    """``settings``, once the URL's passwords and tokens are registered with
    ``graftpy.taint``: from now on no message, log line or report shows them."""
    register_credentials(settings.url)
    return settings


def register_credentials(url: str) -> None:
    from graftpy import taint

    for credential in url_credentials(url):
        taint.PROCESS.add_credential(credential)


def nats_value(
    args: Sequence[ArgLike],
    backend: Callable[[], Any],
    *,
    redact: bool = False,
    here: str = "",
) -> Any:
    if not args:
        raise GraftError("nats operator requires at least one argument")
    if len(args) > 2:
        raise GraftError(
            f"nats operator takes a path and at most one more argument (a URL or a map "
            f"of settings), not {len(args)} arguments"
        )
    path = args[0].value()
    if not isinstance(path, str):
        raise GraftError("first argument to nats operator must be a string")
    kind, bucket, name = parse_path(path)
    second = args[1] if len(args) > 1 else None
    if redact:
        known(call_settings(second, NatsSettings()))  # the argument is checked all the same
        check_names(kind, bucket, name)
        return REDACTED
    b = backend()
    settings = known(call_settings(second, b.settings()))
    check_names(kind, bucket, name)
    log.debug(
        "%s: reading %s:%s/%s from %s for $.%s",
        b.name,
        kind,
        bucket,
        name,
        redact_url(settings.url),
        here,
    )
    return b.lookup(kind, bucket, name, settings)
