"""What kind of expression an operator argument is, as graft's operators ask.

graft's operators treat their arguments by kind: a separator must be a
literal, a reference that fails is reported as ``Unable to resolve `a.b```,
``(( empty hash ))`` reads an unresolvable reference as a type name, and
``(( defer ... ))`` prints its arguments back as text. These helpers answer
those questions over the nodes of ``graftpy.expr.nodes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.expr import nodes

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext


def is_literal(node: Any) -> bool:
    return isinstance(node, nodes.Literal)


def is_reference(node: Any) -> bool:
    return isinstance(node, nodes.Reference)


def is_call(node: Any) -> bool:
    """A nested operator call such as ``(concat a b)`` (not an infix or ``?:`` form)."""
    return isinstance(node, nodes.Call) and node.name not in nodes.INFIX_NAMES and node.name != "?:"


def literal_value(node: Any) -> Any:
    return node.value


def ref_text(node: Any) -> str:
    """A reference as graft's cursor prints it: components joined by dots."""
    return node.dotted


def expr_text(node: Any) -> str:
    """An argument printed back as graft prints an expression (for defer)."""
    return nodes.render(node)


def expanded_path(node: Any, ctx: EvalContext) -> tuple[str, ...]:
    """A reference's path with ``$NAME`` components replaced by the variable's
    value ("" when unset), as the expression evaluator resolves it."""
    return tuple((ctx.env(p[1:]) or "") if p[:1] == "$" and len(p) > 1 else p for p in node.path)


def value_of(node: Any, ctx: EvalContext) -> Any:
    """Evaluate an argument; a reference that fails raises the bare lookup error.

    ``ctx.evaluate`` words a failed reference as ``Unable to resolve `a.b`: ...``,
    which most operators report. Several (inject, empty, negate, cartesian-product,
    ...) report only the lookup's own message (```$.a` could not be found ...``).
    """
    if isinstance(node, nodes.Reference):
        return ctx.lookup(expanded_path(node, ctx))
    return ctx.evaluate(node)
