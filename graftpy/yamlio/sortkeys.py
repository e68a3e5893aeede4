"""Map key order of go-yaml's encoder (``keyList.Less`` in sorter.go, 2016 fork).

Numbers and booleans come first, ordered by value (``false``=0, ``true``=1),
then by Go kind; then other kinds by Go's ``reflect.Kind`` number (``nil`` keys
before strings); strings compare rune by rune where, at the first difference,
letters sort after other characters and digit runs compare as
numbers (int64 arithmetic, wrapping like Go's), so ``q2GB < q4GB < q256MB``;
after a digit a letter sorts before a non-letter (``a1x < a1-``).
"""

from __future__ import annotations

import re
from functools import cmp_to_key
from typing import Any

from graftpy.lazy_regex import LazyPattern
from graftpy.yamlio.typedkeys import FloatKey, IntKey

# reflect.Kind numbers of the Go types our values decode to.
_KIND_BOOL, _KIND_INT, _KIND_UINT64, _KIND_FLOAT64, _KIND_IFACE, _KIND_STRING = 1, 2, 11, 14, 20, 24
_INT64_MAX = 2**63 - 1

_TOKENS = LazyPattern(r"[0-9]+|.", re.S)


def _kind(k: Any) -> int:
    t = k.__class__
    if t is str:
        return _KIND_STRING
    if t is bool:
        return _KIND_BOOL
    if t is int:
        return _KIND_UINT64 if k > _INT64_MAX else _KIND_INT
    if t is float or t is FloatKey:
        return _KIND_FLOAT64
    if t is IntKey:
        return _KIND_INT
    return _KIND_IFACE  # None (and anything else)


def _wrap64(n: int) -> int:
    n &= 0xFFFFFFFFFFFFFFFF
    return n - (1 << 64) if n >= 1 << 63 else n


def _digit_run(s: str, i: int, n: int) -> tuple[int, int]:
    """Value (int64, wrapping; ``n`` carried in) and end of the digit run at ``s[i:]``."""
    j = i
    while j < len(s) and s[j].isdecimal():
        n = n * 10 + (ord(s[j]) - 48)
        j += 1
    return (_wrap64(n) if n > _INT64_MAX else n), j


def string_less(a: str, b: str) -> bool:
    """go-yaml's comparison of two string keys."""
    digits = False  # whether the common prefix ends in a digit
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = ca.isdecimal()
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return al if digits else bl
        an = bn = 0
        if ca == "0" or cb == "0":
            # a run continuing a nonzero number keeps its zeros significant
            for j in range(i - 1, -1, -1):
                if not a[j].isdecimal():
                    break
                if a[j] != "0":
                    an = bn = 1
                    break
        an, ai = _digit_run(a, i, an)
        bn, bi = _digit_run(b, i, bn)
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def key_less(a: Any, b: Any) -> bool:
    """go-yaml's ``keyList.Less`` for two decoded keys."""
    ak, bk = _kind(a), _kind(b)
    a_num = ak <= _KIND_FLOAT64
    b_num = bk <= _KIND_FLOAT64
    if a_num and b_num:
        af, bf = float(a), float(b)
        if af != bf:
            return af < bf
        if ak != bk:
            return ak < bk
        return a < b
    if ak != _KIND_STRING or bk != _KIND_STRING:
        return ak < bk
    return string_less(a, b)


def _cmp(a: Any, b: Any) -> int:
    if key_less(a, b):
        return -1
    if key_less(b, a):
        return 1
    return 0


def _token_key(s: str) -> tuple | None:
    """A sort key that orders ASCII strings exactly as ``string_less`` does.

    Digit runs become ``(1, value, length)``, letters ``(2, c)``, other
    characters ``(0, c)``, or ``(3, c)`` right after a digit run (where go-yaml
    puts letters first). None when the exact comparison is needed (non-ASCII
    text, or runs long enough to overflow Go's int64).
    """
    hit = _token_cache.get(s, _MISSING)
    if hit is not _MISSING:
        return hit
    hit = _tokenize(s)
    if len(_token_cache) < 100_000:
        _token_cache[s] = hit
    return hit


_token_cache: dict[str, tuple | None] = {}
_MISSING = object()


def _tokenize(s: str) -> tuple | None:
    if not s.isascii():
        return None
    key = []
    after_digits = False
    for tok in _TOKENS.findall(s):
        if tok[0].isdigit():
            if len(tok) > 18:
                return None
            key.append((1, int(tok), len(tok)))
            after_digits = True
            continue
        key.append((2, tok) if tok.isalpha() else ((3, tok) if after_digits else (0, tok)))
        after_digits = False
    return tuple(key)


def sorted_keys(keys: list[Any]) -> list[Any]:
    """``keys`` in go-yaml's output order."""
    if len(keys) < 2:
        return keys
    if all(k.__class__ is str for k in keys):
        tokens = [_token_key(k) for k in keys]
        if None not in tokens:
            order = sorted(range(len(keys)), key=tokens.__getitem__)
            return [keys[i] for i in order]
    return sorted(keys, key=cmp_to_key(_cmp))
