"""The shared argument handling of ``awsparam`` and ``awssecret``.

The arguments are joined into ``name[?key=K&stage=S&version=V]``; the query
part is parsed as Go's ``url.ParseQuery`` does. Until the AWS backends land,
only ``$REDACT`` mode works.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.operators._secrets import lookup, scalar_text
from graftpy.operators.base import Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def parse_query(query: str) -> dict[str, list[str]]:
    """``url.ParseQuery``: values by key; raises GraftError on a malformed query."""
    from urllib.parse import unquote_plus

    values: dict[str, list[str]] = {}
    for part in query.split("&"):
        if not part:
            continue
        if ";" in part:
            raise GraftError("invalid argument string: invalid semicolon separator in query")
        key, _, value = part.partition("=")
        for text in (key, value):
            bad = _BAD_ESCAPE.search(text)
            if bad:
                escape = text[bad.start() : bad.start() + 3]
                raise GraftError(f'invalid argument string: invalid URL escape "{escape}"')
        values.setdefault(unquote_plus(key), []).append(unquote_plus(value))
    return values


def run_aws(variant: str, call: Call, ctx: EvalContext) -> Response:
    if not call.args:
        raise GraftError(f"{variant} operator requires at least one argument")
    parts = []
    for node in call.args:
        value = ctx.evaluate(node)
        if value is None:
            raise GraftError(f"{variant} operator argument cannot be nil")
        if isinstance(value, dict | list):
            what = "a map" if isinstance(value, dict) else "a list"
            raise GraftError(
                f"{variant} operator argument is {what}; only scalars are supported here"
            )
        parts.append(scalar_text(value))
    _name, _, query = "".join(parts).partition("?")
    parse_query(query)
    return Response(lookup(variant, ctx))
