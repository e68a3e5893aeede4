"""The merge itself: spruce's deep merge as graft's merger performs it.

Maps merge key by key (new keys go after existing ones), scalars replace,
``~`` replaces with null. Lists merge through their array operators, by the
identifier key (``name`` or ``$DEFAULT_ARRAY_MERGE_KEY``) when every entry on
both sides has one, else inline (or appended with ``--fallback-append``).
``(( prune ))`` and ``(( sort ))`` strings that meet existing data become
markers for post-processing instead of replacing it.

Nodes are graft's path strings (``$.jobs.web.0``); messages quote them the
same way. The overlay is never modified or aliased: whatever is taken from it
unmerged is copied.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError, PathError
from graftpy.gofmt import sprint
from graftpy.merging.gotext import fmt_s, kind, reformat, typed_key
from graftpy.merging.listops import (
    ListOp,
    Modification,
    is_merge_call,
    is_prune,
    is_simple_list,
    modifications,
    sort_marker,
)

BY_KEY_TAIL = "- cannot merge by key"


def copy_tree(v: Any) -> Any:
    """A deep copy of plain data, without sharing (Go's deepCopy does not memoise)."""
    if isinstance(v, dict):
        return {k: copy_tree(x) for k, x in v.items()}
    if isinstance(v, list):
        return [copy_tree(x) for x in v]
    return v


def _path_error(node: str, message: str) -> GraftError:
    if node.startswith("$."):
        return PathError(node[2:], message)
    # inject merges at eval time use bare paths (no "$."), as graft prints them
    return GraftError(f"{node}: {message}")


class MergeCore:
    """One merge session: the rules plus the errors, warnings and markers it found."""

    def __init__(
        self, *, append_by_default: bool, default_key: str, merge_call_errors: bool = False
    ) -> None:
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

    def merge_map(self, orig: dict, new: dict, node: str) -> None:
        merge_obj = self.merge_obj
        for k, val in new.items():
            path = f"{node}.{k}" if type(k) is str else f"{node}.{sprint(k)}"
            if self.merge_call_errors and is_merge_call(val):
                self.errors.append(
                    _path_error(
                        path,
                        "inappropriate use of (( merge )) operator outside of a list "
                        "(this is graft, after all)",
                    )
                )
            orig[k] = merge_obj(orig.get(k), val, path)

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

    def merge_obj(self, orig: Any, new: Any, node: str) -> Any:
        # markers are strings containing "((": test cheaply before the regexes
        if (
            (isinstance(orig, str) and "((" in orig) or (isinstance(new, str) and "((" in new)
        ) and self._marker(orig, new, node):
            return orig
        if isinstance(new, dict):
            if isinstance(orig, dict):
                self.merge_map(orig, new, node)
                return orig
            if orig is None:
                fresh: dict = {}
                self.merge_map(fresh, new, node)
                return fresh
            return copy_tree(new)  # a map over a non-map replaces it unmerged
        if isinstance(new, list):
            if isinstance(orig, list):
                return self.merge_array(orig, new, node)
            if orig is None:
                return self.merge_array([], new, node)
            return copy_tree(new)
        return new

    # -- lists ---------------------------------------------------------------

    @staticmethod
    def key_problem(disp: str, items: list, node: str, key: str) -> tuple[bool, str, str] | None:
        """Why ``items`` cannot merge on ``key``: (is_warning, node, message), or None.

        Every entry must be a map holding ``key``; an identifier that is itself a
        map or list is only a warning when the merge was not asked for.
        """
        for i, o in enumerate(items):
            if isinstance(o, dict) and key in o and not isinstance(o[key], (dict, list)):
                continue
            where = f"{node}.{i}"
            if o is None:
                return False, where, f"{disp} object is nil {BY_KEY_TAIL}"
            if not isinstance(o, dict):
                return False, where, f"{disp} object is a {kind(o)}, not a map {BY_KEY_TAIL}"
            if key not in o:
                return False, where, f"{disp} object does not contain the key '{key}' {BY_KEY_TAIL}"
            # graft formats this warning text a second time (see reformat)
            return (
                True,
                reformat(where),
                reformat(
                    f"{disp} object's key '{key}' cannot have a value which is a hash or "
                    f"sequence {BY_KEY_TAIL}"
                ),
            )
        return None

    def _checked(self, disp: str, items: list, node: str, key: str) -> bool:
        """key_problem for explicit operators: any problem is an error."""
        problem = self.key_problem(disp, items, node, key)
        if problem is None:
            return True
        self.errors.append(_path_error(problem[1], problem[2]))
        return False

    def merge_array(self, orig: list, new: list, node: str) -> list | None:
        mods = modifications(new, is_simple_list(orig), self.default_key)
        result = list(orig)
        for mod in mods:
            if mod.op == ListOp.DEFAULT:
                if mod.items:  # a list made only of operators skips the default merge
                    result = self.merge_array_default(orig, mod.items, node)
                continue
            if mod.op == ListOp.MERGE_ON_KEY:
                key = mod.key or self.default_key
                if not (
                    self._checked("new", mod.items, node, key)
                    and self._checked("original", orig, node, key)
                    # graft checks the original but merges into the list built so far,
                    # and crashes when that differs; report it instead
                    and (result == orig or self._checked("original", result, node, key))
                ):
                    return None
                result = self.merge_by_key(result, mod.items, node, key)
                continue
            if mod.op == ListOp.INLINE:
                result = self.merge_inline(result, mod.items, node)
                continue
            if mod.op == ListOp.REPLACE:
                result = copy_tree(mod.items)
                continue
            step = self._modify(result, mod, node)
            if step is None:
                return None
            result = step
        return result

    def _modify(self, result: list, mod: Modification, node: str) -> list | None:
        """An insert or delete (by index, by value, or by key and name)."""
        delete = mod.op == ListOp.DELETE
        if not mod.key and not mod.name:
            idx = len(result) if mod.index == -1 else mod.index
        elif not mod.key:
            if not delete:  # unreachable: inserts always carry a key
                idx = 0
            else:
                if mod.items:
                    return self._fail(
                        node,
                        f'item in array directly after (( delete "{mod.name}" )) must be one '
                        "of the array operators 'append', 'prepend', 'delete', or 'insert'",
                    )
                idx = next(
                    (i for i, e in enumerate(result) if isinstance(e, str) and e == mod.name), -1
                )
                if idx < 0:
                    return self._fail(
                        node, f"unable to find specified modification point with '{mod.name}'"
                    )
        else:
            key, name = mod.key, mod.name
            if not self._checked("original", result, node, key):
                return None
            if not delete:
                if not self._checked("new", mod.items, node, key):
                    return None
                for entry in mod.items:
                    entry_name = entry[key]
                    # graft's duplicate check compares with "> 0": index 0 slips through
                    if _index_of(result, key, entry_name) > 0:
                        return self._fail(
                            node,
                            f"unable to insert, because new list entry '{key}: "
                            f"{fmt_s(entry_name)}' is detected multiple times",
                        )
            elif mod.items:
                return self._fail(
                    node,
                    f'item in array directly after (( delete {key} "{name}" )) must be one '
                    "of the array operators 'append', 'prepend', 'delete', or 'insert'",
                )
            idx = _index_of(result, key, name)
            if idx < 0:
                return self._fail(
                    node, f"unable to find specified modification point with '{key}: {name}'"
                )
        if mod.relative == "after":
            idx += 1
        if idx < 0 or (not delete and idx > len(result)) or (delete and idx >= len(result)):
            return self._fail(
                node, f"unable to modify the list, because specified index {idx} is out of bounds"
            )
        if delete:
            return result[:idx] + result[idx + 1 :]
        return result[:idx] + copy_tree(mod.items) + result[idx:]

    def _fail(self, node: str, message: str) -> None:
        self.errors.append(_path_error(node, message))
        return None

    def merge_array_default(self, orig: list, new: list, node: str) -> list:
        """Merge by the identifier key when both sides allow it, else inline (or append)."""
        key = self.default_key
        problem = self.key_problem("original", orig, node, key) or self.key_problem(
            "new", new, node, key
        )
        if problem is None:
            return self.merge_by_key(orig, new, node, key)
        warning, where, message = problem
        if warning:
            strategy = "append" if self.append_by_default else "inline"
            self.warnings.append(f"warning: {where}: {message}")
            self.warnings.append(f"warning: Falling back to {strategy} merge strategy")
        if self.append_by_default:
            return orig + copy_tree(new)
        return self.merge_inline(orig, new, node)

    def merge_inline(self, orig: list, new: list, node: str) -> list:
        merged: list = []
        for i, o in enumerate(orig):
            path = f"{node}.{i}"
            if i >= len(new):
                merged.append(self.merge_obj(None, o, path))
            else:
                merged.append(self.merge_obj(o, new[i], path))
        for i in range(len(orig), len(new)):
            merged.append(self.merge_obj(None, new[i], f"{node}.{i}"))
        return merged

    def merge_by_key(self, orig: list, new: list, node: str, key: str) -> list:
        incoming = {typed_key(o[key]): o for o in new}
        merged = []
        for o in orig:
            path = f"{node}.{fmt_s(o[key])}"
            match = incoming.pop(typed_key(o[key]), None)
            if match is not None:
                merged.append(self.merge_obj(o, match, path))
            else:
                merged.append(self.merge_obj(None, o, path))
        added = 0
        for o in new:
            if typed_key(o[key]) in incoming:
                # graft numbers appended entries from 0 in their paths
                merged.append(self.merge_obj(None, o, f"{node}.{added}"))
                added += 1
        return merged


def _index_of(items: list, key: str, name: Any) -> int:
    """The first map entry whose ``key`` equals ``name`` (Go interface equality)."""
    for i, entry in enumerate(items):
        if isinstance(entry, dict) and key in entry and typed_key(entry[key]) == typed_key(name):
            return i
    return -1
