"""(( split SEP STRING )): a string cut at a literal separator or a regular expression.

A separator starting with ``/`` is a regular expression (the rest of it);
graft compiles it with a .NET-style engine and cuts the string with its own
splitting loop, whose quirks we keep: an empty piece between two adjacent
matches is dropped (except at the very start), and matching resumes one
character after an empty match. An empty separator splits the string into
characters (DIVERGENCES row 13: graft breaks multi-byte characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators import argkinds
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

# .NET spellings Python's re writes differently
_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")
_NAMED_BACKREF = re.compile(r"\\k<([A-Za-z_]\w*)>")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    translated = _NAMED_GROUP.sub("(?P<", pattern)
    translated = _NAMED_BACKREF.sub(r"(?P=\1)", translated)
    try:
        return re.compile(translated)
    except re.error as exc:
        raise GraftError(f"invalid PCRE regex pattern {pattern}: {exc}") from None


def _matches(rx: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Match spans in the order .NET's FindNextMatch yields them."""
    start = 0
    while True:
        m = rx.search(text, start)
        if m is None:
            return
        yield m.start(), m.end()
        if m.end() > m.start():
            start = m.end()
        elif m.end() == len(text):
            return
        else:
            start = m.end() + 1  # after an empty match, move on one character


def regex_split(rx: re.Pattern[str], text: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for start, end in _matches(rx, text):
        if start > last:
            parts.append(text[last:start])
        elif start == last == 0:
            parts.append("")
        if start == end == last and last != 0:
            # an empty match where the previous one ended: emit one character
            if last < len(text):
                parts.append(text[last])
                last += 1
        else:
            last = end
    parts.append(text[last:])
    return parts


def split_string(separator: str, text: str) -> list[str]:
    if separator == "":
        return list(text)
    if separator.startswith("/"):
        return regex_split(compile_pattern(separator[1:]), text)
    return text.split(separator)


class SplitOperator(Operator):
    name = "split"

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if not call.args:
            raise GraftError("no arguments specified to (( split ... ))")
        if len(call.args) < 2:
            raise GraftError("too few arguments supplied to (( split ... ))")
        if len(call.args) > 2:
            raise GraftError("too many arguments supplied to (( split ... ))")
        sep_node, arg = call.args
        if not argkinds.is_literal(sep_node):
            raise GraftError("split operator only accepts literal argument for the separator")
        separator = sprint(argkinds.literal_value(sep_node))
        value = argkinds.resolved_again(arg, ctx)
        if value is None:
            raise GraftError("cannot split nil value in (( split ... ))")
        return Response(split_string(separator, sprint(value)))
