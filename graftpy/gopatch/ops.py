"""Applying go-patch operations (replace, remove, test) to a document.

Semantics and messages follow cppforlife/go-patch as vendored by graft: maps
are changed in place, lists are rebuilt and written back to their parent, and
``name=value`` only matches entries whose field is that exact string.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graftpy.gofmt import go_type
from graftpy.gopatch.pointer import (
    AFTER,
    BEFORE,
    GO_TYPE,
    NEXT,
    PREV,
    AfterLast,
    Index,
    Key,
    Matching,
    Pointer,
)


class OpError(Exception):
    """An operation that cannot be applied; ``str()`` is go-patch's message."""


class MissingIndexError(OpError):
    def __init__(self, index: int, length: int, path: Pointer) -> None:
        super().__init__(
            f"Expected to find array index '{index}' but found array of length '{length}' "
            f"for path '{path}'"
        )
        self.path = path


class MissingKeyError(OpError):
    def __init__(self, key: str, path: Pointer, obj: dict) -> None:
        keys = sorted(k for k in obj if isinstance(k, str))
        found = "found map keys: '" + "', '".join(keys) + "'" if obj else "found no other map keys"
        super().__init__(f"Expected to find a map key '{key}' for path '{path}' ({found})")
        self.path = path


def _mismatch(what: str, path: Pointer, obj: Any) -> OpError:
    return OpError(f"Expected to find {what} at path '{path}' but found '{go_type(obj)}'")


def _multiple(path: Pointer, idxs: list[int]) -> OpError:
    return OpError(
        f"Expected to find exactly one matching array item for path '{path}' but found {len(idxs)}"
    )


_MODIFIER_TYPES = {
    PREV: "patch.PrevModifier",
    NEXT: "patch.NextModifier",
    BEFORE: "patch.BeforeModifier",
    AFTER: "patch.AfterModifier",
}


def concrete_index(index: int, modifiers: tuple[str, ...], array: list, path: Pointer) -> int:
    """An index after ``:prev``/``:next``; negative indexes count from the end."""
    result = index
    for mod in modifiers:
        if mod == PREV:
            result -= 1
        elif mod == NEXT:
            result += 1
        else:
            raise OpError(
                "Expected to find one of the following modifiers: 'prev', 'next', but found "
                f"modifier '{_MODIFIER_TYPES[mod]}'"
            )
    if result >= len(array) or -result - 1 >= len(array):
        raise MissingIndexError(result, len(array), path)
    return result + len(array) if result < 0 else result


def _insertion(
    index: int, modifiers: tuple[str, ...], array: list, path: Pointer
) -> tuple[int, bool]:
    """Where a replace at an index writes: (position, whether it inserts)."""
    before = after = False
    rest = []
    for mod in modifiers:
        if before or after:
            which = "before" if before else "after"
            raise OpError(
                f"Expected to not find any modifiers after '{which}' modifier, but found modifier "
                f"'{_MODIFIER_TYPES[mod]}'"
            )
        if mod == BEFORE:
            before = True
        elif mod == AFTER:
            after = True
        else:
            rest.append(mod)
    number = concrete_index(index, tuple(rest), array, path)
    if after and number != len(array):
        number += 1
    return number, before or after


def _place(array: list, position: tuple[int, bool], value: Any) -> list:
    number, insert = position
    if insert:
        return array[:number] + [value] + array[number:]
    array[number] = value
    return array


def _matches(array: list, token: Matching) -> list[int]:
    return [
        i
        for i, item in enumerate(array)
        if isinstance(item, dict)
        and isinstance(item.get(token.key), str)
        and item[token.key] == token.value
    ]


def _setter(container: Any, key: Any) -> Callable[[Any], None]:
    def update(value: Any) -> None:
        container[key] = value

    return update


@dataclass
class Replace:
    path: Pointer
    value: Any

    def apply(self, doc: Any) -> Any:
        value = copy.deepcopy(self.value)
        tokens = self.path.tokens
        if not tokens:
            return value
        holder = [doc]
        update: Callable[[Any], None] = _setter(holder, 0)
        obj = doc
        for i, token in enumerate(tokens):
            last = i == len(tokens) - 1
            here = self.path.prefix(i + 1)
            if isinstance(token, Key):
                if not isinstance(obj, dict):
                    raise _mismatch("a map", here, obj)
                found = token.key in obj
                if not found and not token.optional:
                    raise MissingKeyError(token.key, here, obj)
                if last:
                    obj[token.key] = value
                    continue
                update = _setter(obj, token.key)
                if not found:
                    nxt = tokens[i + 1]
                    if isinstance(nxt, (AfterLast, Matching)):
                        obj[token.key] = []
                    elif isinstance(nxt, Key):
                        obj[token.key] = {}
                    else:
                        raise OpError(
                            "Expected to find key, matching index or after last index token at path "
                            f"'{self.path.prefix(i + 2)}'"
                        )
                obj = obj[token.key]
                continue
            if not isinstance(obj, list):
                raise _mismatch("an array", here, obj)
            if isinstance(token, Index):
                if last:
                    update(_place(obj, _insertion(token.index, token.modifiers, obj, here), value))
                else:
                    idx = concrete_index(token.index, token.modifiers, obj, here)
                    update = _setter(obj, idx)
                    obj = obj[idx]
            elif isinstance(token, AfterLast):
                if not last:
                    raise OpError(
                        f"Expected after last index token to be last in path '{self.path}'"
                    )
                update(obj + [value])
            else:
                idxs = _matches(obj, token)
                if token.optional and not idxs:
                    if last:
                        update(obj + [value])
                    else:
                        entry = {token.key: token.value}
                        update(obj + [entry])
                        obj = entry
                    continue
                if len(idxs) != 1:
                    raise _multiple(here, idxs)
                if last:
                    update(_place(obj, _insertion(idxs[0], token.modifiers, obj, here), value))
                else:
                    obj = obj[concrete_index(idxs[0], token.modifiers, obj, here)]
        return holder[0]


@dataclass
class Remove:
    path: Pointer

    def apply(self, doc: Any) -> Any:
        tokens = self.path.tokens
        if not tokens:
            raise OpError("Cannot remove entire document")
        holder = [doc]
        update: Callable[[Any], None] = _setter(holder, 0)
        obj = doc
        for i, token in enumerate(tokens):
            last = i == len(tokens) - 1
            here = self.path.prefix(i + 1)
            if isinstance(token, Key):
                if not isinstance(obj, dict):
                    raise _mismatch("a map", here, obj)
                if token.key not in obj:
                    if token.optional:
                        return holder[0]
                    raise MissingKeyError(token.key, here, obj)
                if last:
                    del obj[token.key]
                else:
                    update = _setter(obj, token.key)
                    obj = obj[token.key]
                continue
            if isinstance(token, AfterLast):
                raise OpError(f"Expected to not find token '{GO_TYPE[AfterLast]}' at path '{here}'")
            if not isinstance(obj, list):
                raise _mismatch("an array", here, obj)
            if isinstance(token, Index):
                idx = concrete_index(token.index, token.modifiers, obj, here)
                if not last:
                    update = _setter(obj, idx)
            else:
                idxs = _matches(obj, token)
                if token.optional and not idxs:
                    return holder[0]
                if len(idxs) != 1:
                    raise _multiple(here, idxs)
                idx = concrete_index(idxs[0], token.modifiers, obj, here)
            if last:
                update(obj[:idx] + obj[idx + 1 :])
            else:
                obj = obj[idx]
        return holder[0]


def find(path: Pointer, doc: Any) -> Any:
    """The value at ``path`` (go-patch's find operation, used by ``test``)."""
    obj = doc
    tokens = path.tokens
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        here = path.prefix(i + 1)
        if isinstance(token, AfterLast):
            raise OpError(
                f"Expected not to find after last index token in path '{path}' (not supported in find operations)"
            )
        if isinstance(token, Key):
            if not isinstance(obj, dict):
                raise _mismatch("a map", here, obj)
            found = token.key in obj
            if not found and not token.optional:
                raise MissingKeyError(token.key, here, obj)
            if last:
                return obj.get(token.key)
            if found:
                obj = obj[token.key]
            elif isinstance(tokens[i + 1], Matching):
                obj = []
            elif isinstance(tokens[i + 1], Key):
                obj = {}
            else:
                raise OpError(
                    f"Expected to find key or matching index token at path '{path.prefix(i + 2)}'"
                )
            continue
        if not isinstance(obj, list):
            raise _mismatch("an array", here, obj)
        if isinstance(token, Index):
            obj = obj[concrete_index(token.index, token.modifiers, obj, here)]
            continue
        idxs = _matches(obj, token)
        if token.optional and not idxs:
            obj = {token.key: token.value}
            continue
        if len(idxs) != 1:
            raise _multiple(here, idxs)
        obj = obj[concrete_index(idxs[0], token.modifiers, obj, here)]
    return obj


def deep_equal(a: Any, b: Any) -> bool:
    """Go's ``reflect.DeepEqual`` on decoded YAML: types must match exactly."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@dataclass
class Test:
    path: Pointer
    value: Any = None
    absent: bool = False

    def apply(self, doc: Any) -> Any:
        if self.absent:
            try:
                find(self.path, doc)
            except (MissingIndexError, MissingKeyError) as exc:
                if str(exc.path) == str(self.path):
                    return doc
                raise
            raise OpError(f"Expected to not find '{self.path}'")
        if not deep_equal(find(self.path, doc), self.value):
            raise OpError("Found value does not match expected value")
        return doc


@dataclass
class Described:
    """An operation with its own ``error`` text, prepended to any failure."""

    op: Replace | Remove | Test
    message: str

    def apply(self, doc: Any) -> Any:
        try:
            return self.op.apply(doc)
        except OpError as exc:
            raise OpError(f"Error '{self.message}': {exc}") from None
