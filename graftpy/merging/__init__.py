"""Merging documents the way graft's (spruce's) merger does.

``Merger`` accumulates documents left to right; ``merge_values`` merges two
values on their own, as ``(( inject ))`` needs at evaluation time.
"""

from __future__ import annotations

import sys
from typing import Any

from graftpy.errors import GraftError, MultiError
from graftpy.merging.core import MergeCore, copy_tree

__all__ = ["Merger", "merge_values"]


def _default_key(array_merge_key: str | None) -> str:
    # callers pass the run's environment snapshot; the process env is not read here
    return array_merge_key or "name"


def _split(clean: str) -> tuple[str, ...]:
    # graft keeps marker paths as dotted strings and splits them again to prune
    return tuple(clean.split("."))


class Merger:
    """Merges documents onto an accumulated tree, collecting errors and markers.

    The first document is merged onto an empty tree, so its array operators
    are applied like everybody else's. ``tracer``
    (``graftpy.merging.tracing.MergeTracer``) turns provenance on. ``merge_call_errors`` turns on the
    legacy merger's error for a ``(( merge ))`` map value (graft's CLI keeps
    such a value verbatim). ``warnings`` holds the lines graft
    writes to stderr while merging (``warning: ...``, without the newline).
    """

    def __init__(
        self,
        *,
        fallback_append: bool = False,
        array_merge_key: str | None = None,
        merge_call_errors: bool = False,
        tracer: Any = None,
    ) -> None:
        self._core = MergeCore(
            append_by_default=fallback_append,
            default_key=_default_key(array_merge_key),
            merge_call_errors=merge_call_errors,
            tracer=tracer,
        )
        self.tracer = tracer
        self.tree: dict = {}

    def merge(self, document: dict, source: str, lines: Any = None) -> None:
        """Merge one loaded document onto the tree.

        With a tracer (provenance on), ``source`` and ``lines`` (its
        ``graftpy.yamlio.positions.Lines``) say where each value came from, and
        the errors this document meets carry that file and line.
        """
        tracer = self.tracer
        if tracer is None:
            self._core.merge_map(self.tree, document, "$")
            return
        before = len(self._core.errors)
        tracer.begin(source, lines)
        root_line = lines.root_line if lines is not None else None
        self._core.merge_map(self.tree, document, "$", tracer.root, root_line)
        tracer.locate(self._core.errors[before:])

    def merge_value(
        self, orig: Any, value: Any, node: str, t: Any = None, line: int | None = None
    ) -> Any:
        """``value`` merged onto ``orig`` (at graft path ``node``), as an overlay's would be;
        ``t``/``line``: its trace and line when provenance is on (``--set``)."""
        return self._core.merge_obj(orig, value, node, t, line)

    @property
    def prune_paths(self) -> list[tuple[str, ...]]:
        """Paths of ``(( prune ))`` markers met while merging, in first-seen order."""
        return [_split(p) for p in self._core.prune_nodes]

    @property
    def sort_paths(self) -> list[tuple[tuple[str, ...], str | None]]:
        """``(( sort [by KEY] ))`` markers: path and key (None: the default)."""
        return [(_split(p), by or None) for p, by in self._core.sort_nodes.items()]

    @property
    def warnings(self) -> list[str]:
        return self._core.warnings

    def errors(self) -> list[GraftError]:
        return list(self._core.errors)


def merge_values(
    base: Any,
    overlay: Any,
    path: tuple[str, ...],
    *,
    append_by_default: bool = False,
    fallback_append: bool = False,
    array_merge_key: str | None = None,
    warnings: list[str] | None = None,
    prune_paths: list[tuple[str, ...]] | None = None,
) -> Any:
    """Merge ``overlay`` onto ``base`` at ``path``; neither input is modified.

    graft's inject merges the injected value (base) with the call site's keys
    (overlay) with append as the fallback list strategy. Its messages name the
    path without ``$.``. Warnings go to ``warnings`` if given, else to stderr.
    A ``(( prune ))`` in the overlay that meets injected data keeps that data
    and is reported in ``prune_paths`` (if given) for the final pruning.
    Raises MultiError when the merge fails.
    """
    core = MergeCore(
        append_by_default=append_by_default or fallback_append,
        default_key=_default_key(array_merge_key),
    )
    result = core.merge_obj(copy_tree(base), overlay, ".".join(path))
    if warnings is not None:
        warnings.extend(core.warnings)
    else:
        for line in core.warnings:
            sys.stderr.write(line + "\n")
    if prune_paths is not None:
        for node in core.prune_nodes:
            if _split(node) not in prune_paths:
                prune_paths.append(_split(node))
    if core.errors:
        raise MultiError(core.errors)
    return result
