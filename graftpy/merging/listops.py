"""Recognising the array operators in an overlay list.

An overlay list is cut into modifications: its leading plain entries form the
default merge, and every entry that is an array operator string
(``(( append ))``, ``(( insert after "x" ))``, ...) starts a new modification
that collects the plain entries after it. The regular expressions are graft's
(Go RE2): ``\\s`` is ``[\\t\\n\\f\\r ]``, ``\\d`` is ASCII and ``$`` is the very
end of the text.
"""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace
from typing import Any

from graftpy.merging.gotext import INT64_MAX, atoi, trim_space

_S = r"[\t\n\f\r ]"


def _rx(body: str) -> re.Pattern[str]:
    """``^\\Q((\\E\\s*<body>\\Q))\\E$`` with ``W`` standing for Go's ``\\s``."""
    return re.compile(r"\(\(" + _S + "*" + body.replace("W", _S) + r"\)\)\Z")


@cache
def _ops() -> SimpleNamespace:
    """The array-operator patterns, compiled on first use: most runs never need them."""
    return SimpleNamespace(
        MERGE=_rx(r"mergeW*"),
        MERGE_ON=_rx(r"mergeW+(on)W+(.+)W*"),
        INLINE=_rx(r"inlineW*"),
        REPLACE=_rx(r"replaceW*"),
        APPEND=_rx(r"appendW*"),
        PREPEND=_rx(r"prependW*"),
        INSERT_IDX=_rx(r"insertW+(after|before)W+([0-9]+)W*"),
        INSERT_NAME=_rx(r'insertW+(after|before)W+([^ ]+)?W*"(.+)"W*'),
        DELETE_IDX=_rx(r"deleteW+(-?[0-9]+)W*"),
        DELETE_NAME=_rx(r'deleteW+([^ ]+)?W*"(.+)"W*'),
        DELETE_BARE=_rx(r"deleteW+([^ ]+)?W*(.+)W*"),
        PRUNE=re.compile(_S + r"*\(\(" + _S + r"*prune" + _S + r"*\)\)"),
        SORT=re.compile(
            _S + r"*\(\(" + _S + r"*sort(?:" + _S + r"+by" + _S + r"+(.*?))?" + _S + r"*\)\)\Z"
        ),
        MERGE_ANYWHERE=re.compile(_S + r"*\(\(" + _S + r"*merge" + _S + r"*.*\)\)"),
    )


class ListOp:
    """The kinds of modification (plain constants: no enum import at start-up)."""

    DEFAULT = "default"
    MERGE_ON_KEY = "merge"
    INLINE = "inline"
    REPLACE = "replace"
    INSERT = "insert"
    DELETE = "delete"


class Modification:
    """One array modification: what to do, where, and the entries it carries."""

    __slots__ = ("op", "index", "key", "name", "relative", "items", "line", "lines")

    def __init__(
        self, op: str, *, index: int = 0, key: str = "", name: str = "", relative: str = ""
    ) -> None:
        self.op = op
        self.index = index
        self.key = key
        self.name = name
        self.relative = relative
        self.items: list[Any] = []
        # with provenance only: the line of the operator string, and of each item
        self.line: int | None = None
        self.lines: list[int | None] | None = None


def _index(text: str) -> int | None:
    n = atoi(text)
    return n if n is not None and n <= INT64_MAX else None


def _parse(e: str, simple_list: bool, default_key: str) -> Modification | bool | None:
    """The modification an operator string starts; True to drop the entry; None if plain."""
    rx = _ops()
    if rx.MERGE.match(e):
        return Modification(ListOp.MERGE_ON_KEY)
    if m := rx.MERGE_ON.match(e):
        return Modification(ListOp.MERGE_ON_KEY, key=trim_space(m[2]))
    if rx.INLINE.match(e):
        return Modification(ListOp.INLINE)
    if rx.REPLACE.match(e):
        return Modification(ListOp.REPLACE)
    if rx.APPEND.match(e):
        return Modification(ListOp.INSERT, index=-1)
    if rx.PREPEND.match(e):
        return Modification(ListOp.INSERT, index=0)
    if m := rx.INSERT_IDX.match(e):
        idx = _index(m[2])
        # an index Atoi cannot read makes the string a plain entry, as in graft
        return None if idx is None else Modification(ListOp.INSERT, index=idx, relative=m[1])
    if m := rx.INSERT_NAME.match(e):
        key = trim_space(m[2] or "") or default_key
        return Modification(ListOp.INSERT, relative=m[1], key=key, name=trim_space(m[3]))
    if m := rx.DELETE_IDX.match(e):
        idx = _index(m[1])
        return None if idx is None else Modification(ListOp.DELETE, index=idx)
    if m := rx.DELETE_NAME.match(e):
        key, name = trim_space(m[1] or ""), trim_space(m[2])
        if simple_list and key:
            return True  # graft silently drops a keyed delete on a list of scalars
        if not simple_list and not key:
            key = default_key
        return Modification(ListOp.DELETE, key=key, name=name)
    if m := rx.DELETE_BARE.match(e):
        key, name = trim_space(m[1] or ""), trim_space(m[2])
        if simple_list and key and name:
            return True
        if not name:
            name, key = key, ("" if simple_list else default_key)
        return Modification(ListOp.DELETE, key=key, name=name)
    return None


def modifications(
    entries: list[Any],
    simple_list: bool,
    default_key: str,
    lines: list[int | None] | None = None,
) -> list[Modification]:
    """Cut an overlay list into modifications; the first is always the default merge.

    With ``lines`` (the entries' lines, for provenance), each modification also gets
    the line of its operator and of each of its items.
    """
    result = [Modification(ListOp.DEFAULT)]
    for entry in entries:
        if isinstance(entry, str) and entry.startswith("(("):
            mod = _parse(entry, simple_list, default_key)
            if mod is True:
                continue
            if isinstance(mod, Modification):
                result.append(mod)
                continue
        result[-1].items.append(entry)
    if lines is not None:
        _place_lines(result, entries, lines, simple_list, default_key)
    return result


def _place_lines(
    mods: list[Modification],
    entries: list[Any],
    lines: list[int | None],
    simple_list: bool,
    default_key: str,
) -> None:
    """Give each modification the lines of its operator and items (the same cut again)."""
    at = 0
    mods[0].lines = []
    for entry, line in zip(entries, lines, strict=True):
        if isinstance(entry, str) and entry.startswith("(("):
            mod = _parse(entry, simple_list, default_key)
            if mod is True:
                continue
            if isinstance(mod, Modification):
                at += 1
                mods[at].line = line
                mods[at].lines = []
                continue
        mods[at].lines.append(line)  # type: ignore[union-attr]


def is_simple_list(items: list[Any]) -> bool:
    """A non-empty list without map entries (graft's test for delete-by-value)."""
    return bool(items) and not any(isinstance(v, dict) for v in items)


def is_prune(v: Any) -> bool:
    """``(( prune ))`` at the start of a string (graft does not anchor the end)."""
    return isinstance(v, str) and "((" in v and _ops().PRUNE.match(v) is not None


def sort_marker(v: Any) -> str | None:
    """For a ``(( sort [by KEY] ))`` string: the key ("" for none); otherwise None."""
    if not isinstance(v, str) or "((" not in v:
        return None
    m = _ops().SORT.match(v)
    if m is None:
        return None
    return trim_space(m[1] or "")


def is_merge_call(v: Any) -> bool:
    """A ``(( merge ... ))`` string, which is only meaningful as a list entry."""
    return isinstance(v, str) and "((" in v and _ops().MERGE_ANYWHERE.match(v) is not None
