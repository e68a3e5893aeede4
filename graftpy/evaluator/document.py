"""The document being evaluated, shared by every operator of a run.

Locking rule: readers take no lock. The dependency graph guarantees that when
an operator runs, every operator that writes inside what it reads has already
finished, so no write can race a read of the same subtree. Writers take
``lock`` so that two writes into one container never interleave. Values are
copied when written (copy-on-write): a result is never shared with the place
it was read from, so a later write or prune in one place cannot show up in
another.
"""

from __future__ import annotations

import threading
from typing import Any

from graftpy.tree import Path
from graftpy.tree.lookup import NAME_FIELDS
from graftpy.tree.named_entries import NamedEntries


def deep_copy(value: Any) -> Any:
    """Copy dicts and lists (scalars are immutable); much faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


def copy_counting(value: dict | list, budget: int) -> tuple[Any, int]:
    """``deep_copy(value)`` and how many entries its maps and lists hold;
    ``OverflowError`` as soon as that passes ``budget``, so a fan-out bomb is
    stopped before it is copied. (Scalars are not visited one by one: faster than
    ``deep_copy``.)"""
    count = 0

    def copy(v: Any) -> Any:
        nonlocal count
        count += len(v)
        if count > budget:
            raise OverflowError
        if isinstance(v, dict):
            return {k: copy(x) if isinstance(x, dict | list) else x for k, x in v.items()}
        return [copy(x) if isinstance(x, dict | list) else x for x in v]

    return copy(value), count


class Document:
    """``max_values``: how many map and list entries operators may write over the
    run (``graftpy.limits``); a write past it fails with ``limits.values_exceeded``."""

    def __init__(self, root: dict, max_values: int | None = None) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.max_values = max_values if max_values is not None else _default_max_values()
        self.written = 0  # values written by operators so far
        # list entries by name, for lookups (EvalContext.lookup); told of every write
        # that can change which entry a name finds
        self.entries = NamedEntries()

    def _parent(self, index_path: Path) -> Any:
        return self._parents(index_path)[1]

    def _parents(self, index_path: Path) -> tuple[Any, Any]:
        """The containers holding the parent of ``index_path``, and that parent."""
        above: Any = None
        o: Any = self.root
        for k in index_path[:-1]:
            above = o
            if o.__class__ is dict and k in o:  # the common case, inline
                o = o[k]
            else:
                o = o[int(k)] if isinstance(o, list) else _get_key(o, k)
        return above, o

    def write(self, index_path: Path, value: Any) -> None:
        if isinstance(value, dict | list):  # scalars count one and need no copy
            value = self._copy_within_budget(value)
        with self.lock:
            above, parent = self._parents(index_path)
            key = index_path[-1]
            if isinstance(parent, list):
                parent[int(key)] = value
                self.entries.entry_changed(parent)
            else:
                parent[key if key in parent else real_key(parent, key)] = value
                if key in NAME_FIELDS and isinstance(above, list):  # an entry's name
                    self.entries.entry_changed(above)

    def inject(self, index_path: Path, value: dict, merge: Any, where: Path = ()) -> None:
        """Replace the key at ``index_path`` by the entries of ``value``.

        Keys already present at the call site win: they are merged over the
        injected value with ``merge(injected, existing, path)``, where ``path``
        names the key the way messages do (``where``: the call's named path).
        """
        parent_name = (where or index_path)[:-1]
        value = self._copy_within_budget(value)
        with self.lock:
            self.entries.reshaped()  # the merge may change lists anywhere below the parent
            parent = self._parent(index_path)
            del parent[real_key(parent, index_path[-1])]
            for k, v in value.items():
                if k in parent:
                    parent[k] = merge(v, parent[k], (*parent_name, str(k)))
                else:
                    parent[k] = v


    def _copy_within_budget(self, value: Any) -> Any:
        try:
            copied, count = copy_counting(value, self.max_values - self.written)
        except OverflowError:
            from graftpy.limits import values_exceeded

            raise values_exceeded(self.max_values) from None
        with self.lock:
            self.written += count
        return copied


def _default_max_values() -> int:
    from graftpy.limits import DEFAULTS

    return DEFAULTS.max_values


def real_key(m: dict, key: str) -> Any:
    """The key of ``m`` a path component names (``1`` for ``"1"``), else ``key`` itself."""
    if key in m:
        return key
    for k in m:
        if not isinstance(k, str) and _fmt(k) == key:
            return k
    return key


def _get_key(m: dict, key: str) -> Any:
    return m[real_key(m, key)]


def _fmt(k: Any) -> str:
    from graftpy.gofmt import sprint

    return sprint(k)
