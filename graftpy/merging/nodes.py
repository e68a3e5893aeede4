"""Small pieces the map and list merges share: copying, and errors at a node."""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError, PathError


def copy_tree(v: Any) -> Any:
    """A deep copy of plain data, without sharing (Go's deepCopy does not memoise)."""
    if isinstance(v, dict):
        return {k: copy_tree(x) for k, x in v.items()}
    if isinstance(v, list):
        return [copy_tree(x) for x in v]
    return v


def path_error(node: str, message: str) -> GraftError:
    """An error at ``node`` (graft's ``$.a.b`` path string), printed as graft does."""
    if node.startswith("$."):
        return PathError(node[2:], message)
    # inject merges at eval time use bare paths (no "$."), as graft prints them
    return GraftError(f"{node}: {message}")
