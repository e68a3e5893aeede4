"""Errors raised while parsing or evaluating expressions."""

from __future__ import annotations

from graftpy.errors import GraftError


class ExprSyntaxError(GraftError):
    """An expression that cannot be parsed. ``position`` is the offset in the
    source string where the problem is; the message says it too."""

    def __init__(self, problem: str, position: int, source: str) -> None:
        super().__init__(f"syntax error: {problem} at position {position} in `{source}`")
        self.problem = problem
        self.position = position
        self.source = source


class ExprError(GraftError):
    """An expression that parsed but could not be evaluated (missing reference,
    unset environment variable, operands of the wrong type, ...)."""
