"""The merge itself: spruce's deep merge as graft's merger performs it.

Maps merge key by key (new keys go after existing ones), scalars replace,
``~`` replaces with null. Lists merge through their array operators, by the
identifier key (``name`` or ``$DEFAULT_ARRAY_MERGE_KEY``) when every entry on
both sides has one, else inline (or appended with ``--fallback-append``).
``(( prune ))`` and ``(( sort ))`` strings that meet existing data become
markers for post-processing instead of replacing it.

Nodes are graft's path strings (``$.jobs.web.0``); messages quote them the
same way. The overlay is never modified or aliased: whatever is taken from it
unmerged is copied. Lists are merged in ``graftpy.merging.arrays``.

Provenance (``graftpy explain``): with a ``tracer``
(``graftpy.merging.tracing.MergeTracer``), the merge also takes ``t``, the trace
of the node it merges into, and ``line``, the line of the overlay's value; the
tracer records there who set what. A plain merge passes neither, and the only
cost is one test per map or list merged.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.merging.arrays import ArrayMerges
from graftpy.merging.listops import is_merge_call, is_prune, sort_marker
from graftpy.merging.nodes import copy_tree, path_error

__all__ = ["MergeCore", "copy_tree"]


class MergeCore(ArrayMerges):
    """One merge session: the rules plus the errors, warnings and markers it found."""

    def __init__(
        self,
        *,
        append_by_default: bool,
        default_key: str,
        merge_call_errors: bool = False,
        tracer: Any = None,
    ) -> None:
        self.tracer = tracer  # graftpy.merging.tracing.MergeTracer, or None: no provenance
        self.append_by_default = append_by_default
        self.default_key = default_key
        # graft's CLI merges most overlays with an engine that keeps a map value
        # "(( merge ))" verbatim (case script/012); its legacy merger rejects it.
        self.merge_call_errors = merge_call_errors
        self.errors: list[GraftError] = []
        self.warnings: list[str] = []
        self.prune_nodes: list[str] = []
        self.sort_nodes: dict[str, str] = {}

    # -- markers -----------------------------------------------------------

    def _mark_prune(self, node: str) -> None:
        clean = node[2:] if node.startswith("$.") else node
        if clean not in self.prune_nodes:
            self.prune_nodes.append(clean)

    def _mark_sort(self, by: str, node: str) -> None:
        clean = node[2:] if node.startswith("$.") else node
        self.sort_nodes[clean] = by

    # -- maps and values ---------------------------------------------------

    def merge_map(self, orig: dict, new: dict, node: str, t: Any = None, line: Any = None) -> None:
        if t is not None:
            self._traced_map(orig, new, node, t, line)
            return
        merge_obj = self.merge_obj
        for k, val in new.items():
            path = f"{node}.{k}" if type(k) is str else f"{node}.{sprint(k)}"
            if self.merge_call_errors and is_merge_call(val):
                self.errors.append(_merge_call_error(path))
            orig[k] = merge_obj(orig.get(k), val, path)

    def _traced_map(self, orig: dict, new: dict, node: str, t: Any, line: Any) -> None:
        """``merge_map`` with provenance: the same merges, each with its entry's trace."""
        merge_obj = self.merge_obj
        tracer = self.tracer
        table = tracer.map_lines(new)
        for k, val in new.items():
            path = f"{node}.{k}" if type(k) is str else f"{node}.{sprint(k)}"
            child, at = tracer.entry(t, k, table, line)
            if self.merge_call_errors and is_merge_call(val):
                tracer.note(path, at)
                self.errors.append(_merge_call_error(path))
            orig[k] = merge_obj(orig.get(k), val, path, child, at)

    def _marker(self, orig: Any, new: Any, node: str) -> bool:
        """Record a prune/sort marker; True when the original must be kept as it is."""
        if isinstance(orig, str) and is_prune(orig):
            self._mark_prune(node)  # the operator is overwritten: remember where it was
            return False
        if orig is not None and isinstance(new, str) and is_prune(new):
            self._mark_prune(node)  # keep the data, prune it at the end
            return True
        by = sort_marker(orig)
        if by is not None:
            self._mark_sort(by, node)
            return False
        by = sort_marker(new) if orig is not None else None
        if by is not None:
            self._mark_sort(by, node)
            return True
        return False

    def merge_obj(self, orig: Any, new: Any, node: str, t: Any = None, line: Any = None) -> Any:
        """``new`` merged onto ``orig`` at ``node``; ``t``/``line``: provenance (see above)."""
        if orig is None and t is None and new.__class__ is dict:
            return self._fresh_map(new, node)
        # markers are strings containing "((": test cheaply before the regexes
        if (
            (isinstance(orig, str) and "((" in orig) or (isinstance(new, str) and "((" in new)
        ) and self._marker(orig, new, node):
            if t is not None:
                self.tracer.marked(t, line, new)
            return orig
        if isinstance(new, dict):
            if isinstance(orig, dict):
                self.merge_map(orig, new, node, t, line)
                return orig
            if orig is None:
                fresh: dict = {}
                if t is not None:
                    self.tracer.fresh(t, line, fresh)
                self.merge_map(fresh, new, node, t, line)
                return fresh
            if t is not None:
                self.tracer.written(t, line, orig, new)
            return copy_tree(new)  # a map over a non-map replaces it unmerged
        if isinstance(new, list):
            if isinstance(orig, list):
                return self.merge_array(orig, new, node, t, line)
            if orig is None:
                if t is not None:
                    self.tracer.fresh(t, line, [])
                return self.merge_array([], new, node, t, line)
            if t is not None:
                self.tracer.written(t, line, orig, new)
            return copy_tree(new)
        if t is not None:
            self.tracer.written(t, line, orig, new)
        return new

    def _fresh_map(self, new: dict, node: str) -> dict:
        """``merge_obj(None, new, node)`` for a map, without provenance: the same result
        by a shorter way. With nothing to merge into, no marker applies and scalars are
        taken as they are; only lists need their merge (array operators). Most of a
        first document is merged so, so this is most of a merge's work."""
        out: dict = {}
        check_calls = self.merge_call_errors
        for k, val in new.items():
            cls = val.__class__
            if cls in _SCALARS and not (check_calls and cls is str):
                out[k] = val
                continue
            path = f"{node}.{k}" if type(k) is str else f"{node}.{sprint(k)}"
            if cls is dict:
                out[k] = self._fresh_map(val, path)
                continue
            if check_calls and is_merge_call(val):
                self.errors.append(_merge_call_error(path))
            out[k] = self.merge_obj(None, val, path)
        return out


# what merge_obj takes as it is when there is nothing under it
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _merge_call_error(path: str) -> GraftError:
    return path_error(
        path,
        "inappropriate use of (( merge )) operator outside of a list (this is graft, after all)",
    )
