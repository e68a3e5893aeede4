"""After evaluation: pruning, sorting of marked lists, and cherry-picking.

These follow graft's post-processing, including its path rules: a path is a
sequence of map keys, list indexes and list entry names (an entry is named by
its ``name``, ``id`` or ``key`` field, compared as text).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graftpy.errors import GraftError, MultiError
from graftpy.gofmt import sprint
from graftpy.merging.core import copy_tree
from graftpy.merging.gotext import atoi, kind
from graftpy.tree import NotFoundError, TypeMismatchError, resolve

Path = tuple[str, ...]
_ID_FIELDS = ("name", "id", "key")


class CherryPickError(GraftError):
    """A cherry-pick graft rejects, printed as ``Merge failed: validation_error: ...``."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Merge failed: validation_error: {message}")


def _named_index(items: list, name: str) -> int:
    """Index of the first map entry whose name, id or key field prints as ``name``."""
    for i, entry in enumerate(items):
        if isinstance(entry, dict):
            for field in _ID_FIELDS:
                if field in entry and sprint(entry[field]) == name:
                    return i
    return -1


def _step(container: Any, part: str) -> tuple[bool, Any]:
    """One navigation step through a map key, list index or list entry name."""
    if isinstance(container, dict):
        return (True, part) if part in container else (False, None)
    if isinstance(container, list):
        idx = atoi(part)
        if idx is not None:
            return (True, idx) if 0 <= idx < len(container) else (False, None)
        idx = _named_index(container, part)
        return (idx >= 0, idx)
    return False, None


def _own(tree: dict, keys: Sequence[Any]) -> Any:
    """Copy the containers along ``keys`` so a change there is seen nowhere else.

    graft prunes a deep copy of the document; copying just the path gives the
    same result when evaluation left subtrees shared between two places.
    """
    here: Any = tree
    for k in keys:
        child = here[k]
        child = dict(child) if isinstance(child, dict) else list(child)
        here[k] = child
        here = child
    return here


# -- prune ------------------------------------------------------------------


def _prune_one(tree: dict, parts: Path) -> None:
    if not parts:
        return
    if len(parts) == 1:
        tree.pop(parts[0], None)
        return
    keys: list[Any] = []
    current: Any = tree
    for part in parts[:-1]:
        ok, k = _step(current, part)
        if not ok:
            return  # nothing there to remove
        keys.append(k)
        current = current[k]
    final = parts[-1]
    if isinstance(current, dict):
        if final in current:
            del _own(tree, keys)[final]
    elif isinstance(current, list):
        index = atoi(final)
        if index is None or not 0 <= index < len(current):
            return
        # graft writes the shortened list back into the map found by walking
        # the path again through maps only; a list inside a list is left alone
        parent: Any = tree
        back: list[str] = []
        for part in parts[:-2]:
            if isinstance(parent, dict) and part in parent:
                back.append(part)
                parent = parent[part]
        if isinstance(parent, dict):
            arr = parent.get(parts[-2])
            if isinstance(arr, list) and index < len(arr):
                _own(tree, back)[parts[-2]] = arr[:index] + arr[index + 1 :]


def prune(tree: dict, paths: Iterable[Path]) -> None:
    """Remove each path in turn (``--prune`` and ``(( prune ))``); missing paths are ignored.

    A list entry is removed by index only (``meta.list.1``), from a list held in
    a map. The same path listed twice is removed once.
    """
    seen: set[Path] = set()
    for path in paths:
        path = tuple(path)
        if path in seen:
            continue
        seen.add(path)
        _prune_one(tree, path)


# -- sort -------------------------------------------------------------------


def _less(a: Any, b: Any, key: str) -> bool:
    if isinstance(a, str):
        return isinstance(b, str) and a < b
    if isinstance(a, bool):
        return False
    if isinstance(a, (int, float)):
        return type(b) is type(a) and a < b
    if isinstance(a, dict) and isinstance(b, dict):
        return _less(a.get(key), b.get(key), key)
    return False


def _type_name(v: Any) -> str:
    if v is None:
        return "nil"
    return "float64" if isinstance(v, float) else kind(v)


def sort_list(path: str, items: list, key: str = "") -> list[int]:
    """graft's SortList: sort ``items`` in place, or raise for lists it cannot sort.

    Returns the order: entry ``i`` of the sorted list was entry ``order[i]`` before.
    """
    common = ""
    inconsistent = False
    for i, entry in enumerate(items):
        if isinstance(entry, list):
            raise GraftError(
                f"$.{path} is a list with list entries (not a list with maps, strings or numbers)"
            )
        name = _type_name(entry)
        if isinstance(entry, dict):
            if key:
                inconsistent = inconsistent or key not in entry
            elif i == 0:
                key = next((f for f in ("name", "key", "id") if f in entry), "")
        if i == 0:
            common = name
        elif name != common:
            raise GraftError(
                f"$.{path} is a list with different types (not a list with homogeneous entry types)"
            )
    if common == "map" and inconsistent and key:
        raise GraftError(
            f"$.{path} is a list with map entries, where some do not contain {key} "
            f"(not a list with map entries each containing {key})"
        )

    def cmp(i: int, j: int) -> int:
        a, b = items[i], items[j]
        return -1 if _less(a, b, key) else (1 if _less(b, a, key) else 0)

    # a stable sort of the positions gives the same order as sorting the entries
    order = sorted(range(len(items)), key=functools.cmp_to_key(cmp))
    items[:] = [items[i] for i in order]
    return order


def sort_lists(
    tree: dict,
    sort_paths: Iterable[tuple[Path, str | None]],
    on_sort: Callable[[Path, list[int]], None] | None = None,
) -> None:
    """Sort the lists marked by ``(( sort [by KEY] ))``; raise MultiError on the first failure.

    A marked path that no longer exists (pruned), or that holds no list, is skipped.
    ``on_sort(path, order)`` hears of each sort (provenance follows the entries).
    """
    for path, by in sort_paths:
        path = tuple(path)
        text = ".".join(path)
        try:
            value = resolve(tree, path)
        except NotFoundError:
            continue
        except TypeMismatchError as e:
            raise MultiError([e]) from None
        if not isinstance(value, list):
            continue  # graft sorts lists only: a marker over a map or scalar keeps it as is
        try:
            order = sort_list(text, value, by or "")
        except GraftError as e:
            raise MultiError([e]) from None
        if on_sort is not None:
            on_sort(path, order)


# -- cherry-pick ------------------------------------------------------------


def _extract(data: dict, parts: Path, *, copy: bool = True) -> Any:
    """The value at ``parts`` (copied), or CherryPickError with graft's wording."""
    text = ".".join(parts)
    if not text:
        raise CherryPickError("empty key path")
    current: Any = data
    for i, part in enumerate(parts):
        if isinstance(current, dict):
            if part not in current:
                raise CherryPickError(f"key not found: {text} (missing segment '{part}')")
            current = current[part]
        elif isinstance(current, list):
            idx = atoi(part)
            if idx is not None:
                if not 0 <= idx < len(current):
                    raise CherryPickError(
                        f"array index out of bounds: {text} (index {idx}, array length {len(current)})"
                    )
                current = current[idx]
            else:
                at = _named_index(current, part)
                if at < 0:
                    raise CherryPickError(
                        f"named array entry not found: {text} (looking for '{part}')"
                    )
                current = current[at]
        elif i < len(parts) - 1:
            raise CherryPickError(
                f"cannot navigate path '{text}' at segment {i}: '{parts[i - 1]}' is not a map or array"
            )
        # graft quietly stops at a scalar when only the last segment is left
    return copy_tree(current) if copy else current


def _set(result: dict, parts: Path, value: Any) -> None:
    text = ".".join(parts)
    if not text:
        raise CherryPickError("empty key path")
    here = result
    for part in parts[:-1]:
        if part in here:
            if not isinstance(here[part], dict):
                raise CherryPickError(f"cannot set path '{text}': segment '{part}' is not a map")
            here = here[part]
        else:
            here[part] = {}
            here = here[part]
    here[parts[-1]] = value


def cherry_pick(tree: dict, paths: Sequence[Path]) -> dict:
    """A new document holding only ``paths`` (``--cherry-pick``), as graft builds it.

    Entries picked from one list (by index or name) are gathered into a list in
    reverse list order; other paths are rebuilt through maps. A list index that
    does not exist keeps the whole list under a map key named after the index.
    """
    groups: dict[Path, tuple[set[int], list[str]]] = {}
    regular: list[Path] = []
    for raw in paths:
        parts = tuple(raw)
        if len(parts) >= 2:
            parent, last = parts[:-1], parts[-1]
            try:
                value = _extract(tree, parent, copy=False)
            except CherryPickError:
                value = None
            if isinstance(value, list):
                idx = atoi(last)
                if idx is not None:
                    if 0 <= idx < len(value):
                        groups.setdefault(parent, (set(), []))[0].add(idx)
                        continue
                elif _named_index(value, last) >= 0:
                    names = groups.setdefault(parent, (set(), []))[1]
                    if last not in names:
                        names.append(last)
                    continue
        regular.append(parts)

    result: dict = {}
    for parent, (indexes, names) in groups.items():
        items = _extract(tree, parent, copy=False)
        chosen = []
        for i in range(len(items) - 1, -1, -1):
            if i in indexes or any(_named_index([items[i]], n) >= 0 for n in names):
                chosen.append(items[i])
        chosen = copy_tree(chosen)
        _set(result, parent, chosen)

    for parts in regular:
        try:
            value = _extract(tree, parts)
        except CherryPickError:
            if len(parts) >= 2:
                try:
                    whole = _extract(tree, parts[:-1])
                except CherryPickError:
                    whole = None
                if isinstance(whole, list):
                    _set(result, parts[:-1], {parts[-1]: whole})
                    continue
            raise
        _set(result, parts, value)
    return result
