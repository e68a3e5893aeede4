"""The little the secret operators need to know about expression nodes.

The vault operators look at their arguments before evaluating them (graft
does): a ``||`` fallback at any position is the default, a string literal with a
colon counts as a path, a reference is named in error messages. Those questions
are answered here and nowhere else in the backends.
"""

from __future__ import annotations

from typing import Any

from graftpy.expr.nodes import Literal, Or, Reference

NOT_LITERAL = object()


def split_or(node: Any) -> tuple[Any, Any]:
    """``(left, right)`` of an argument ``left || right``, else ``(node, None)``."""
    if isinstance(node, Or):
        return node.left, node.right
    return node, None


def reference_text(node: Any) -> str | None:
    """``meta.key`` for a reference (``$.`` dropped, as graft prints it), else None."""
    return node.dotted if isinstance(node, Reference) else None


def literal(node: Any) -> Any:
    """The value of a literal, or ``NOT_LITERAL``."""
    return node.value if isinstance(node, Literal) else NOT_LITERAL


def call_target(call: Any) -> str | None:
    """``prod`` for ``(( vault@prod ... ))``, else None."""
    return getattr(call, "target", None) or None
