"""What kind of expression an operator argument is, as graft's operators ask.

graft's operators treat their arguments by kind: a separator must be a
literal, a reference that fails is reported as ``Unable to resolve `a.b```,
``(( empty hash ))`` reads an unresolvable reference as a type name, and
``(( defer ... ))`` prints its arguments back as text. These helpers answer
those questions over the nodes of ``graftpy.expr.nodes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.expr import nodes
from graftpy.gofmt import sprint
from graftpy.tree import resolve

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


def value_of(node: Any, ctx: EvalContext) -> Any:
    """Evaluate an argument; a reference that fails reads ``Unable to resolve `a.b`: ...``."""
    return ctx.evaluate(node)


def looked_up(node: Any, ctx: EvalContext) -> Any:
    """Evaluate an argument; a reference that fails raises the bare lookup error.

    inject and param report only the lookup's own message
    (```$.a` could not be found ...``), where other operators say
    ``Unable to resolve `a`: ...`` first.
    """
    if isinstance(node, nodes.Reference):
        return ctx.lookup(node.path)
    return ctx.evaluate(node)


def resolved_again(node: Any, ctx: EvalContext) -> Any:
    """Evaluate an argument as join, split and vault do: they resolve a reference
    themselves and wrap the evaluator's ``Unable to resolve`` message in another."""
    try:
        return ctx.evaluate(node)
    except GraftError as exc:
        if isinstance(node, nodes.Reference):
            raise GraftError(f"Unable to resolve `{ref_text(node)}`: {exc.message}") from None
        raise


def go_type_of(node: Any, value: Any, ctx: EvalContext | None = None) -> str:
    """The Go type graft names for an argument's value (``%T``).

    Integers are ``int`` when they come from the document (a reference, a grab)
    and ``int64`` when the expression made them (a literal, arithmetic, calc). Of
    ``a || b`` (with ``ctx``), the side that gave the value decides.
    """
    from graftpy.gofmt import go_type

    while ctx is not None and isinstance(node, nodes.Or):
        node = node.left if _gives_a_value(node.left, ctx) else node.right
    from_document = is_reference(node) or (is_call(node) and node.name == "grab")
    if isinstance(value, int) and not isinstance(value, bool) and not from_document:
        return "int64"
    return go_type(value)


def _gives_a_value(node: Any, ctx: EvalContext) -> bool:
    """Whether an argument's ``||`` takes its left side ``node``: it does unless that
    fails (spruce's fallback)."""
    try:
        ctx.evaluate(node)
    except GraftError:
        return False
    return True


def calls_under(tree: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Paths of the ``(( ... ))`` strings at or below ``path`` (list entries by index).

    Operators such as inject read a whole subtree and, as in graft, depend
    directly on every operator inside it: a loop between two of them is then
    reported as a cycle. Paths that do not resolve give nothing.
    """
    try:
        root = resolve(tree, path)
    except GraftError:
        return []
    found: list[tuple[str, ...]] = []

    def walk(value: Any, here: tuple[str, ...]) -> None:
        if isinstance(value, str):
            if "((" in value:
                found.append(here)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*here, k if isinstance(k, str) else sprint(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*here, str(i)))

    walk(root, tuple(path))
    return found
