"""Finding values in a document by path, with graft's rules and error texts.

Lists are indexed by a decimal index or by the ``name``, ``key`` or ``id``
field of their map entries (tried in that order over the whole list).
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.tree.paths import Path

NAME_FIELDS = ("name", "key", "id")


class NotFoundError(GraftError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"`$.{'.'.join(path)}` could not be found in the datastructure")
        self.components = tuple(path)


class TypeMismatchError(GraftError):
    def __init__(self, path: Path, wanted: str, got: str = "", value: Any = None) -> None:
        joined = ".".join(path)
        if not got:
            text = f"{joined} is not {wanted}"
        elif value is not None:
            text = f"$.{joined} [={sprint(value)}] is {got} (not {wanted})"
        else:
            text = f"$.{joined} is {got} (not {wanted})"
        super().__init__(text)
        self.components = tuple(path)


def _as_index(key: str) -> int | None:
    # strconv.ParseUint(k, 10, 0): plain decimal digits only
    return int(key) if key.isdigit() and key.isascii() else None


def find_in_list(items: list, key: str) -> tuple[int, Any] | None:
    """The first map entry whose name, key or id field equals ``key``."""
    for field in NAME_FIELDS:
        for i, v in enumerate(items):
            if isinstance(v, dict) and field in v and v[field] == key:
                return i, v
    return None


def map_get(m: dict, key: str) -> tuple[bool, Any]:
    """Look up a string key, falling back to keys that print the same (``1`` vs ``"1"``)."""
    if key in m:
        return True, m[key]
    for k, v in m.items():
        if not isinstance(k, str) and sprint(k) == key:
            return True, v
    return False, None


def resolve(tree: Any, path: Path, find: Any = find_in_list) -> Any:
    """The value at ``path``; raises NotFoundError / TypeMismatchError as graft does.

    ``find``: ``find_in_list`` or its equal (``NamedEntries.find``)."""
    o = tree
    for depth, k in enumerate(path):
        if o.__class__ is dict and k in o:  # the common case, inline
            o = o[k]
            continue
        if isinstance(o, dict):
            found, o = map_get(o, k)
            if not found:
                raise NotFoundError(path[: depth + 1])
        elif isinstance(o, list):
            i = _as_index(k)
            if i is not None:
                if i >= len(o):
                    raise NotFoundError(path[: depth + 1])
                o = o[i]
                continue
            hit = find(o, k)
            if hit is None:
                raise NotFoundError(path[: depth + 1])
            o = hit[1]
        else:
            raise TypeMismatchError(path[:depth], "a map or a list", "a scalar", o)
    return o


def exists(tree: Any, path: Path) -> bool:
    try:
        resolve(tree, path)
    except (NotFoundError, TypeMismatchError):
        return False
    return True


def canonical(tree: Any, path: Path) -> Path:
    """The path with list lookups by name replaced by indexes? No: graft keeps names.

    graft's Canonical keeps named list components as names and numeric ones as
    numbers; it only validates that every step exists.
    """
    out: list[str] = []
    o = tree
    for k in path:
        if isinstance(o, list):
            i = _as_index(k)
            if i is not None:
                if i >= len(o):
                    raise NotFoundError(tuple(out))
                o = o[i]
                out.append(str(i))
            else:
                hit = find_in_list(o, k)
                if hit is None:
                    raise NotFoundError(tuple(out))
                o = hit[1]
                out.append(k)
        elif isinstance(o, dict):
            out.append(k)
            found, o = map_get(o, k)
            if not found:
                raise NotFoundError(tuple(out))
        else:
            raise TypeMismatchError(tuple(out), "a map or a list", "a scalar")
    return tuple(out)


def glob(tree: Any, path: Path) -> list[Path]:
    """Expand ``*`` components into every matching concrete path."""
    results: list[Path] = []

    def walk(o: Any, here: tuple[str, ...], pos: int) -> None:
        if pos == len(path):
            results.append(here)
            return
        k = path[pos]
        if k == "*":
            if isinstance(o, list):
                for i, v in enumerate(o):
                    walk(v, (*here, str(i)), pos + 1)
            elif isinstance(o, dict):
                for key, v in o.items():
                    walk(v, (*here, sprint(key)), pos + 1)
            else:
                raise TypeMismatchError(path, "a map or a list", "a scalar")
            return
        if isinstance(o, list):
            i = _as_index(k)
            if i is not None:
                if i >= len(o):
                    raise NotFoundError(path[: pos + 1])
                walk(o[i], (*here, k), pos + 1)
                return
            hit = find_in_list(o, k)
            if hit is None:
                raise NotFoundError(path[: pos + 1])
            walk(hit[1], (*here, k), pos + 1)
        elif isinstance(o, dict):
            found, v = map_get(o, k)
            if not found:
                raise NotFoundError(path[: pos + 1])
            walk(v, (*here, k), pos + 1)
        else:
            raise TypeMismatchError(path[:pos], "a map or a list", "a scalar")

    walk(tree, (), 0)
    return results


def name_of(entry: Any) -> str:
    """The identifier graft uses for a list entry in paths: its name/key/id, if any."""
    if isinstance(entry, dict):
        for field in NAME_FIELDS:
            v = entry.get(field)
            if isinstance(v, str) and v:
                return v
    return ""
