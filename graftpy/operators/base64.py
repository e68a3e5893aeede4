"""(( base64 STRING )): standard base64 (with padding) of a string's UTF-8 bytes."""

from __future__ import annotations

import binascii
from typing import TYPE_CHECKING

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class Base64Operator(Operator):
    name = "base64"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError(
                "base64 operator requires exactly one string or reference argument, "
                f"got {len(call.args)} arguments"
            )
        arg = call.args[0]
        value = argkinds.value_of(arg, ctx)
        if isinstance(value, bytes):  # the binary result of a base64-decode
            raw = value
        elif isinstance(value, str):
            raw = value.encode("utf-8", errors="surrogatepass")
        elif value is None:
            raise GraftError("base64 operator argument resolved to nil")
        else:
            raise GraftError(f"base64 operator requires a string value, got {argkinds.go_type_of(arg, value, ctx)}")
        limits.check_string(ctx, "base64", 4 * ((len(raw) + 2) // 3))
        return Response(binascii.b2a_base64(raw, newline=False).decode("ascii"))

