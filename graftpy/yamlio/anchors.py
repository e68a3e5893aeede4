"""Aliases as go-yaml decodes them: a fresh copy at each use, within a budget."""

from __future__ import annotations

from typing import Any

from graftpy.yamlio.errors import YAMLSyntaxError, event_position


class AliasBudget:
    """go-yaml's guard against alias bombs ("document contains excessive aliasing")."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.decoded = 0
        self.aliased = 0

    def count(self, n: int) -> None:
        self.decoded += n
        self.aliased += n
        d, a = self.decoded, self.aliased
        if a > 100 and d > 1000:
            if d <= 400_000:
                allowed = 0.99
            elif d >= 4_000_000:
                allowed = 0.10
            else:
                allowed = 0.99 - 0.89 * ((d - 400_000) / 3_600_000)
            if a / d > allowed:
                raise YAMLSyntaxError(self.source, "document contains excessive aliasing")


def alias_copy(
    e: Any, anchors: dict[str, Any], open_anchors: set[int], budget: AliasBudget, source: str
) -> Any:
    """The value an alias event stands for."""
    name = e.anchor
    if name not in anchors:
        raise YAMLSyntaxError(source, f"unknown anchor '{name}' referenced", **event_position(e))
    target = anchors[name]
    if id(target) in open_anchors:
        raise YAMLSyntaxError(source, f"anchor '{name}' value contains itself", **event_position(e))
    if target.__class__ is not dict and target.__class__ is not list:
        budget.count(1)
        return target
    return _copy(target, budget)


def _copy(value: Any, budget: AliasBudget) -> Any:
    """A fresh deep copy: go-yaml decodes an alias again each time it is used."""
    budget.count(1)
    if value.__class__ is dict:
        return {k: _copy(v, budget) for k, v in value.items()}
    if value.__class__ is list:
        return [_copy(v, budget) for v in value]
    return value
