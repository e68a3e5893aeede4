"""Places in a document: a path (list entries by index or name) to where it is.

``locate_in(tree, path)`` gives ``(index path, named path)``: the same place with
list entries by index (as traces are kept) and by name where the entry has one (as
explanations print it). ``Locator`` does the same over a tree that no longer
changes, remembering what it found: explaining a whole document asks for every path.
"""

from __future__ import annotations

from typing import Any

from graftpy.tree.lookup import NAME_FIELDS, find_in_list, map_get

Path = tuple[str, ...]

_MISS = object()


class Locator:
    """``locate_in`` over one tree that no longer changes, remembering what it found (and
    the names of each list's entries)."""

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self._found: dict[Path, tuple[Path, Path, Any] | None] = {(): ((), (), tree)}
        self._names: dict[int, dict[str, int]] = {}

    def __call__(self, path: Path) -> tuple[Path, Path] | None:
        found = self.entry(tuple(path))
        return None if found is None else (found[0], found[1])

    def entry(self, path: Path) -> tuple[Path, Path, Any] | None:
        """``(index path, named path, value)`` at ``path``, or None."""
        found = self._found.get(path, _MISS)
        if found is _MISS:
            parent = self.entry(path[:-1])
            found = None if parent is None else self._step(parent, path[-1])
            self._found[path] = found
        return found  # type: ignore[return-value]

    def _step(self, parent: tuple[Path, Path, Any], part: str) -> tuple[Path, Path, Any] | None:
        index, named, here = parent
        if isinstance(here, dict):
            found, value = map_get(here, part)
            return ((*index, part), (*named, part), value) if found else None
        if not isinstance(here, list):
            return None
        if part.isdigit() and part.isascii():
            i = int(part)
            if i >= len(here):
                return None
        else:
            i = self._names_of(here).get(part, -1)
            if i < 0:
                return None
        entry = here[i]
        return (*index, str(i)), (*named, entry_name(entry, i)), entry

    def _names_of(self, items: list) -> dict[str, int]:
        """name -> index, as ``find_in_list`` finds them (name, then key, then id)."""
        names = self._names.get(id(items))
        if names is None:
            names = {}
            for field in NAME_FIELDS:
                for i, entry in enumerate(items):
                    if isinstance(entry, dict) and isinstance(entry.get(field), str):
                        names.setdefault(entry[field], i)
            self._names[id(items)] = names
        return names


def locate_in(tree: Any, path: Path) -> tuple[Path, Path] | None:
    """``(index path, named path)`` of ``path`` in ``tree``, or None when it is not there."""
    index: list[str] = []
    named: list[str] = []
    here = tree
    for part in path:
        if isinstance(here, dict):
            found, value = map_get(here, part)
            if not found:
                return None
            index.append(part)
            named.append(part)
            here = value
        elif isinstance(here, list):
            if part.isdigit() and part.isascii():
                i = int(part)
                if i >= len(here):
                    return None
                hit: tuple[int, Any] | None = (i, here[i])
            else:
                hit = find_in_list(here, part)
            if hit is None:
                return None
            index.append(str(hit[0]))
            named.append(entry_name(hit[1], hit[0]))
            here = hit[1]
        else:
            return None
    return tuple(index), tuple(named)


def index_prefix(tree: Any, path: Path) -> Path:
    """The index path of the longest prefix of ``path`` that exists, then the rest as given."""
    for n in range(len(path), -1, -1):
        found = locate_in(tree, path[:n])
        if found is not None:
            return (*found[0], *path[n:])
    return tuple(path)


def value_at(tree: Any, ipath: Path) -> Any:
    here = tree
    for part in ipath:
        here = here[int(part)] if isinstance(here, list) else map_get(here, part)[1]
    return here


def entry_name(entry: Any, index: int) -> str:
    """A list entry in a path: its name, key or id, else its index (as graft names it)."""
    if isinstance(entry, dict):
        for field in NAME_FIELDS:
            v = entry.get(field)
            if isinstance(v, str) and v and "((" not in v:
                return v
    return str(index)
