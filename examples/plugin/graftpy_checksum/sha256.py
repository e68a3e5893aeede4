"""(( sha256 VALUE )): the SHA-256 hex digest of a string, or of a map or list as YAML.

A plain operator: it reads only its argument, so the evaluator runs it once the
argument's value is ready, on a worker thread when parallel evaluation is on.
"""

from __future__ import annotations

import hashlib
from typing import Any

from graftpy.errors import GraftError
from graftpy.operators.base import Operator, Response


class Sha256Operator(Operator):
    name = "sha256"
    # the defaults, said here for the reader: it only reads, and waits on nothing
    parallel_safe = True
    io_bound = False

    def run(self, call: Any, ctx: Any) -> Response:
        if len(call.args) != 1:
            raise GraftError("sha256 operator requires exactly one argument")
        value = ctx.evaluate(call.args[0])  # a reference, a literal or a nested call
        if value is None:
            raise GraftError("sha256 operator argument cannot be nil")
        if isinstance(value, dict | list):
            from graftpy import dumps

            value = dumps(value)  # the YAML text graftpy would print
        return Response(hashlib.sha256(str(value).encode("utf-8")).hexdigest())
