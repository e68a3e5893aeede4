"""(( base64-decode STRING )): decode base64 text as Go's ``base64.StdEncoding`` does.

Go's decoder is strict about padding, ignores ``\\r`` and ``\\n`` anywhere, and
reports errors as ``illegal base64 data at input byte N``; we reproduce it so
error texts match. Decoded bytes that are not valid UTF-8 stay ``bytes``: the
emitter prints them as ``!!binary``, as go-yaml does for such strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DECODE = {ord(c): i for i, c in enumerate(_ALPHABET)}
_NEWLINES = (0x0A, 0x0D)
_PAD = ord("=")


class CorruptInputError(ValueError):
    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


def go_b64decode(text: str) -> bytes:
    """``base64.StdEncoding.DecodeString``: the bytes, or CorruptInputError."""
    src = text.encode("utf-8")
    out = bytearray()
    si = 0
    n = len(src)
    while si < n:
        quantum: list[int] = []
        dlen = 4
        while len(quantum) < 4:
            if si == n:
                j = len(quantum)
                if j == 0:
                    return bytes(out)
                raise CorruptInputError(si - j)  # StdEncoding requires padding
            c = src[si]
            si += 1
            v = _DECODE.get(c)
            if v is not None:
                quantum.append(v)
                continue
            if c in _NEWLINES:
                continue
            if c != _PAD:
                raise CorruptInputError(si - 1)
            j = len(quantum)
            if j < 2:
                raise CorruptInputError(si - 1)
            if j == 2:  # a second "=" must follow (newlines may come between)
                while si < n and src[si] in _NEWLINES:
                    si += 1
                if si == n:
                    raise CorruptInputError(n)
                if src[si] != _PAD:
                    raise CorruptInputError(si - 1)
                si += 1
            while si < n and src[si] in _NEWLINES:
                si += 1
            if si < n:
                raise CorruptInputError(si)  # trailing garbage after padding
            dlen = j
            break
        quantum += [0] * (4 - len(quantum))
        val = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
        out += val.to_bytes(3, "big")[: dlen - 1]
    return bytes(out)


class Base64DecodeOperator(Operator):
    name = "base64-decode"
    aliases: ClassVar[tuple[str, ...]] = ("base64-decode",)

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError(
                "base64-decode operator requires exactly one string or reference argument"
            )
        value = argkinds.value_of(call.args[0], ctx)
        if value is None:
            raise GraftError("base64-decode operator argument resolved to nil")
        if not isinstance(value, str):
            raise GraftError(f"tried to base64 decode {sprint(value)}, which is not a string")
        try:
            raw = go_b64decode(value)
        except CorruptInputError as exc:
            raise GraftError(f"base64 decoding failed: {exc}") from None
        try:
            return Response(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return Response(raw)
