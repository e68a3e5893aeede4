"""(( nats "kv:BUCKET/KEY" [URL | SETTINGS] )): a value from NATS JetStream.

``kv:BUCKET/KEY`` reads a key-value entry, ``obj:BUCKET/NAME`` an object; YAML
and JSON become maps and lists as graft decodes them, other binary content
base64. The second argument is a server URL or a map of settings; ``NATS_URL``
and the other ``NATS_*`` variables give the defaults, and ``nats@target`` a
named target's. With ``$REDACT`` no server is contacted (``REDACTED``). The
values are secrets (``yields_secrets``: kept out of every message, as are the
passwords and tokens of the server URLs). The rules live in
``graftpy.backends.nats_calls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


class NatsOperator(Operator):
    name = "nats"
    io_bound: ClassVar[bool] = True
    yields_secrets: ClassVar[bool] = True

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        """Its references; and a server URL written in the call has its password or
        token registered with ``graftpy.taint`` now, before a plan or debug line shows it."""
        from graftpy.expr.nodes import Literal

        url = call.args[1] if len(call.args) > 1 else None
        if isinstance(url, Literal) and isinstance(url.value, str) and "@" in url.value:
            from graftpy.backends.nats_calls import register_credentials

            register_credentials(url.value)
        return auto

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.backends.nats_calls import run_nats  # nats-py loads on first read

        return Response(run_nats(call, ctx))
