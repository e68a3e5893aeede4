"""Merging lists: the default merge (by the identifier key, else inline or appended)
and the array operators (``(( append ))``, ``(( merge on id ))``, ``(( delete "x" ))``...).

``ArrayMerges`` is the list half of ``graftpy.merging.core.MergeCore``, which it
needs for ``merge_obj``, the rules and the error list. With provenance on, each
method also gets ``kids``, the traces of the list's entries (changed in place to
follow the entries), and ``lines``, the lines of the overlay's entries; the
tracer records which rule placed each entry (``graftpy.merging.tracing``).
"""

from __future__ import annotations

from typing import Any

from graftpy.gofmt import sprint
from graftpy.merging.gotext import fmt_s, kind, reformat, typed_key
from graftpy.merging.listops import ListOp, Modification, is_simple_list, modifications
from graftpy.merging.nodes import copy_tree, path_error

BY_KEY_TAIL = "- cannot merge by key"


class ArrayMerges:
    """List merging, mixed into ``MergeCore`` (which sets the attributes below)."""

    tracer: Any
    default_key: str
    append_by_default: bool
    errors: list
    warnings: list

    def merge_obj(self, orig: Any, new: Any, node: str, t: Any = None, line: Any = None) -> Any:
        raise NotImplementedError  # pragma: no cover - MergeCore's

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
        self.errors.append(path_error(problem[1], problem[2]))
        return False

    def merge_array(
        self, orig: list, new: list, node: str, t: Any = None, line: Any = None
    ) -> list | None:
        tracer = None if t is None else self.tracer
        lines = None if tracer is None else tracer.item_lines(new, line, node)
        mods = modifications(new, is_simple_list(orig), self.default_key, lines)
        result = list(orig)
        kids = None if tracer is None else tracer.list_kids(t, orig)
        for mod in mods:
            if mod.op == ListOp.DEFAULT:
                if mod.items:  # a list made only of operators skips the default merge
                    result = self.merge_array_default(orig, mod.items, node, kids, mod.lines)
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
                result = self.merge_by_key(result, mod.items, node, key, kids, mod.lines)
                continue
            if mod.op == ListOp.INLINE:
                result = self.merge_inline(result, mod.items, node, kids, mod.lines)
                continue
            if mod.op == ListOp.REPLACE:
                result = copy_tree(mod.items)
                if kids is not None:
                    kids[:] = tracer.built(mod.items, mod.lines, "list replaced by (( replace ))")
                continue
            step = self._modify(result, mod, node, t, kids)
            if step is None:
                return None
            result = step
        if kids is not None:
            t.kids = kids
        return result

    def _modify(
        self, result: list, mod: Modification, node: str, t: Any = None, kids: Any = None
    ) -> list | None:
        """An insert or delete (by index, by value, or by key and name)."""
        idx = self._modification_index(result, mod, node)
        if idx is None:
            if kids is not None:  # the error is about the operator's own line
                self.tracer.note(node, mod.line)
            return None
        if kids is not None:
            self.tracer.modified(t, kids, idx, mod, result)
        if mod.op == ListOp.DELETE:
            return result[:idx] + result[idx + 1 :]
        return result[:idx] + copy_tree(mod.items) + result[idx:]

    def _modification_index(self, result: list, mod: Modification, node: str) -> int | None:
        """Where an insert or delete applies, or None (with the error recorded)."""
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
        return idx

    def _fail(self, node: str, message: str) -> None:
        self.errors.append(path_error(node, message))
        return None

    def merge_array_default(
        self, orig: list, new: list, node: str, kids: Any = None, lines: Any = None
    ) -> list:
        """Merge by the identifier key when both sides allow it, else inline (or append)."""
        key = self.default_key
        problem = self.key_problem("original", orig, node, key) or self.key_problem(
            "new", new, node, key
        )
        if problem is None:
            return self.merge_by_key(orig, new, node, key, kids, lines)
        warning, where, message = problem
        if warning:
            strategy = "append" if self.append_by_default else "inline"
            self.warnings.append(f"warning: {where}: {message}")
            self.warnings.append(f"warning: Falling back to {strategy} merge strategy")
        if self.append_by_default:
            if kids is not None:
                kids += self.tracer.built(new, lines, "appended (the fallback: append)")
            return orig + copy_tree(new)
        return self.merge_inline(orig, new, node, kids, lines)

    def merge_inline(
        self, orig: list, new: list, node: str, kids: Any = None, lines: Any = None
    ) -> list:
        merged: list = []
        if kids is not None:
            return self._traced_inline(orig, new, node, kids, lines)
        for i, o in enumerate(orig):
            path = f"{node}.{i}"
            if i >= len(new):
                merged.append(self.merge_obj(None, o, path))
            else:
                merged.append(self.merge_obj(o, new[i], path))
        for i in range(len(orig), len(new)):
            merged.append(self.merge_obj(None, new[i], f"{node}.{i}"))
        return merged

    def _traced_inline(self, orig: list, new: list, node: str, kids: list, lines: list) -> list:
        """``merge_inline`` with provenance: the same merges, and the entries' traces."""
        tracer = self.tracer
        merged: list = []
        traces: list = []
        first = not orig  # a new list: its entries need no rule
        for i, o in enumerate(orig):
            path = f"{node}.{i}"
            if i >= len(new):
                merged.append(self.merge_obj(None, o, path))  # kept as it was
            else:
                rule = f"merged inline at position {i}"
                merged.append(tracer.merge_entry(self, o, new[i], path, kids[i], lines[i], rule))
            traces.append(kids[i])
        for i in range(len(orig), len(new)):
            child = tracer.new_trace()
            rule = None if first else f"appended inline at position {i}"
            path = f"{node}.{i}"
            merged.append(tracer.merge_entry(self, None, new[i], path, child, lines[i], rule))
            traces.append(child)
        kids[:] = traces
        return merged

    def merge_by_key(
        self, orig: list, new: list, node: str, key: str, kids: Any = None, lines: Any = None
    ) -> list:
        if kids is not None:
            return self._traced_by_key(orig, new, node, key, kids, lines)
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

    def _traced_by_key(
        self, orig: list, new: list, node: str, key: str, kids: list, lines: list
    ) -> list:
        """``merge_by_key`` with provenance: the same merges, and the entries' traces."""
        tracer = self.tracer
        incoming = {typed_key(o[key]): (o, j) for j, o in enumerate(new)}
        merged = []
        traces = []
        for i, o in enumerate(orig):
            path = f"{node}.{fmt_s(o[key])}"
            match = incoming.pop(typed_key(o[key]), None)
            if match is not None:
                rule = f"merged by {key} '{sprint(o[key])}'"
                entry, line = match[0], lines[match[1]]
                merged.append(tracer.merge_entry(self, o, entry, path, kids[i], line, rule))
            else:
                merged.append(self.merge_obj(None, o, path))  # kept as it was
            traces.append(kids[i])
        added = 0
        for j, o in enumerate(new):
            if typed_key(o[key]) in incoming:
                child = tracer.new_trace()
                rule = f"appended (new {key} '{sprint(o[key])}')" if orig else None
                path = f"{node}.{added}"
                merged.append(tracer.merge_entry(self, None, o, path, child, lines[j], rule))
                traces.append(child)
                added += 1
        kids[:] = traces
        return merged


def _index_of(items: list, key: str, name: Any) -> int:
    """The first map entry whose ``key`` equals ``name`` (Go interface equality)."""
    for i, entry in enumerate(items):
        if isinstance(entry, dict) and key in entry and typed_key(entry[key]) == typed_key(name):
            return i
    return -1
