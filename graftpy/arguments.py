"""Checks of ``graftpy.merge()``'s options, with the rules of the command line.

``prune="meta"`` is one path, as ``--prune meta`` (not the letters m, e, t, a); a
strategy must be one the CLI offers; workers and min_ops are whole numbers, 0 or
more. A bad value raises ``ArgumentError``, which is both a ``graftpy.GraftError``
(every error of ours is one) and a ``ValueError`` (what Python code expects of a
bad argument), with a message that names the argument.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from graftpy.errors import UsageError


class ArgumentError(UsageError, ValueError):
    """An argument of ``graftpy.merge()`` that the command line would refuse too."""

    def __init__(self, name: str, value: Any, wanted: str, *, shown: str | None = None) -> None:
        shown = repr(value) if shown is None else shown
        super().__init__(f"graftpy.merge({name}={shown}): {name} must be {wanted}")
        self.argument = name


def paths(name: str, value: Any) -> list[str]:
    """``--prune`` / ``--cherry-pick``: one path (a string) or several."""
    if isinstance(value, str):
        return [value]
    wanted = "a path such as 'meta' or a list of paths"
    if isinstance(value, Mapping | bytes) or not _iterable(value):
        raise ArgumentError(name, value, wanted)
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise ArgumentError(name, value, wanted)
    return items


def flag(name: str, value: Any, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise ArgumentError(name, value, "True or False" + (" (or None)" if optional else ""))
    return value


def choice(name: str, value: Any, choices: tuple[str, ...]) -> str | None:
    if value is None or value in choices:
        return value
    raise ArgumentError(name, value, "one of " + ", ".join(repr(c) for c in choices))


def count(name: str, value: Any) -> int | None:
    """``--workers`` / ``--min-ops``: a whole number, 0 or more (None: the default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArgumentError(name, value, "a whole number, 0 or more")
    return value


def path(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise ArgumentError(name, value, "a file path")
    return os.fspath(value)


def environment(name: str, value: Any) -> dict[str, str] | None:
    """A replacement environment. Its values are never shown: they may be secrets."""
    if value is None:
        return None
    wanted = "a mapping of variable names to strings"
    if not isinstance(value, Mapping):
        raise ArgumentError(name, value, wanted, shown=f"<{type(value).__name__}>")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            what = f"<{type(item).__name__} at {key!r}>" if isinstance(key, str) else "<...>"
            raise ArgumentError(name, value, wanted, shown=f"{{...{what}...}}")
    return dict(value)


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True
