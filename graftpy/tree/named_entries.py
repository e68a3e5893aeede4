"""Finding list entries by name without scanning the list each time.

``find_in_list`` walks a list up to three times (name, then key, then id). A
document that refers to the entries of a long list by name (``jobs.web.…``
over hundreds of jobs) pays that walk on every reference, twice (planning,
then running): quadratic in the document's size. ``NamedEntries`` answers the
same question from an index built once per list.

The index is only as good as what it knows of changes. Its owner must call
``entry_changed(list)`` when an entry of a list is replaced or a name, key or
id field of one is written, and ``reshaped()`` when it changes the tree in a
way it does not follow entry by entry (an inject merging into a map). A list
replaced by another is a new object and gets its own index. The index keeps
the lists it indexed alive, so an id is never taken for another list's.
"""

from __future__ import annotations

from typing import Any

from graftpy.tree.lookup import NAME_FIELDS, find_in_list

# below this, a walk is as cheap as an index lookup and builds nothing
_SHORT = 24


class NamedEntries:
    def __init__(self) -> None:
        self._reshaped = 0  # tree-wide changes so far: every index is stale after one
        self._changes: dict[int, int] = {}  # id(list) -> entry changes so far
        # id(list) -> (the list, _reshaped and its changes when built, field -> value -> index)
        self._indexes: dict[int, tuple[list, int, int, tuple[dict[str, int], ...]]] = {}

    def find(self, items: list, key: str) -> tuple[int, Any] | None:
        """``find_in_list(items, key)``."""
        if len(items) < _SHORT:
            return find_in_list(items, key)
        ident = id(items)
        # read the counters before building: a change made meanwhile leaves the new
        # index stale, to be built again by the next lookup
        reshaped, changes = self._reshaped, self._changes.get(ident, 0)
        held = self._indexes.get(ident)
        if held is None or held[0] is not items or held[1] != reshaped or held[2] != changes:
            held = (items, reshaped, changes, _index(items))
            self._indexes[ident] = held
        for by_value in held[3]:
            i = by_value.get(key)
            if i is not None:
                return i, items[i]
        return None

    def entry_changed(self, items: list) -> None:
        ident = id(items)
        self._changes[ident] = self._changes.get(ident, 0) + 1

    def reshaped(self) -> None:
        self._reshaped += 1


def _index(items: list) -> tuple[dict[str, int], ...]:
    """For each of name, key and id: its string values -> the first entry holding it.
    (Only a string equals the key looked up, so other values are left out.)"""
    indexes: tuple[dict[str, int], ...] = tuple({} for _ in NAME_FIELDS)
    for i, v in enumerate(items):
        if isinstance(v, dict):
            for field, by_value in zip(NAME_FIELDS, indexes, strict=True):
                value = v.get(field)
                if isinstance(value, str) and value not in by_value:
                    by_value[value] = i
    return indexes
