"""go-patch paths: ``/key``, ``/0``, ``/-``, ``/key?``, ``/name=value``, modifiers.

A path is a list of tokens after the root. ``?`` makes its token and every
later one optional; ``:prev``/``:next`` move an index, ``:before``/``:after``
insert next to it; ``~0 ~1 ~2 ~3 ~7`` escape ``~ / ? = :`` in keys and values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DECODE = (("~0", "~"), ("~1", "/"), ("~2", "?"), ("~3", "="), ("~7", ":"))
_INT = re.compile(r"^[+-]?[0-9]+$")
_INT64 = 1 << 63

PREV, NEXT, BEFORE, AFTER = "prev", "next", "before", "after"


class PointerError(ValueError):
    """A path that cannot be parsed; the text is go-patch's."""


def decode(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        for code, char in _DECODE:
            if pair == code:
                out.append(char)
                i += 2
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def encode(text: str) -> str:
    table = {"~": "~0", "/": "~1", "?": "~2", "=": "~3", ":": "~7"}
    return "".join(table.get(c, c) for c in text)


@dataclass(frozen=True)
class Index:
    index: int
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class AfterLast:
    pass


@dataclass(frozen=True)
class Matching:
    key: str
    value: str
    optional: bool = False
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Key:
    key: str
    optional: bool = False


Token = Index | AfterLast | Matching | Key

GO_TYPE = {
    Index: "patch.IndexToken",
    AfterLast: "patch.AfterLastIndexToken",
    Matching: "patch.MatchingIndexToken",
    Key: "patch.KeyToken",
}


@dataclass(frozen=True)
class Pointer:
    """A parsed path; ``tokens`` excludes the root token."""

    tokens: tuple[Token, ...] = field(default=())

    def prefix(self, count: int) -> Pointer:
        """The path made of the first ``count`` tokens."""
        return Pointer(self.tokens[:count])

    def __str__(self) -> str:
        parts = [""]
        optional = False
        for token in self.tokens:
            if isinstance(token, Index):
                parts.append(f"{token.index}{_mods(token.modifiers)}")
            elif isinstance(token, AfterLast):
                parts.append("-")
            elif isinstance(token, Matching):
                value = encode(token.value)
                if token.optional and not optional:
                    value += "?"
                    optional = True
                parts.append(f"{encode(token.key)}={value}{_mods(token.modifiers)}")
            else:
                key = encode(token.key)
                if token.optional and not optional:
                    key += "?"
                    optional = True
                parts.append(key)
        return "/".join(parts)


def _mods(modifiers: tuple[str, ...]) -> str:
    return "".join(":" + m for m in modifiers)


def parse(text: str) -> Pointer:
    """Parse a go-patch path; raises :class:`PointerError` with go-patch's message."""
    if not text:
        return Pointer()
    if not text.startswith("/"):
        raise PointerError("Expected to start with '/'")
    pieces = text.split("/")[1:]
    tokens: list[Token] = []
    optional = False
    for i, tok in enumerate(pieces):
        last = i == len(pieces) - 1
        parts = tok.split(":")
        modifiers: list[str] = []
        if len(parts) > 1:
            tok = parts[0]
            for p in parts[1:]:
                if p not in (PREV, NEXT, BEFORE, AFTER):
                    raise PointerError(
                        "Expected to find one of the following modifiers: 'prev', 'next', 'before', "
                        f"or 'after' but found '{parts[1]}'"
                    )
                modifiers.append(p)
        if last and tok == "-":
            if modifiers:
                raise PointerError("Expected not to find any modifiers with after last index token")
            tokens.append(AfterLast())
            continue
        if _INT.match(tok) and -_INT64 <= int(tok) < _INT64:
            tokens.append(Index(int(tok), tuple(modifiers)))
            continue
        if tok.endswith("?"):
            optional = True
            tok = tok[:-1]
        key, sep, value = tok.partition("=")
        if sep:
            tokens.append(Matching(decode(key), decode(value), optional, tuple(modifiers)))
            continue
        if modifiers:
            raise PointerError("Expected not to find any modifiers with key token")
        tokens.append(Key(decode(tok), optional))
    return Pointer(tuple(tokens))
