"""The ``(( ... ))`` expression language: lexer, parser, nodes, evaluation."""

from graftpy.expr.errors import ExprError, ExprSyntaxError
from graftpy.expr.evaluate import (
    EXPRESSION_OPERATORS,
    Scope,
    as_node,
    env_value,
    evaluate,
    evaluate_call,
    references,
)
from graftpy.expr.nodes import (
    BinOp,
    Call,
    EnvVar,
    Index,
    Literal,
    Node,
    Or,
    Reference,
    Ternary,
    UnaryOp,
    render,
)
from graftpy.expr.parser import parse_opcall

__all__ = [
    "EXPRESSION_OPERATORS",
    "BinOp",
    "Call",
    "EnvVar",
    "ExprError",
    "ExprSyntaxError",
    "Index",
    "Literal",
    "Node",
    "Or",
    "Reference",
    "Scope",
    "Ternary",
    "UnaryOp",
    "as_node",
    "env_value",
    "evaluate",
    "evaluate_call",
    "parse_opcall",
    "references",
    "render",
]
